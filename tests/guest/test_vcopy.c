// SPDX-License-Identifier: GPL-2.0
/*
 * vcopy between local endpoints: a server copying from and to a client
 * blocked in sendrec, every size up to the maximum, a third-party
 * requester, and each documented error.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <dvk/libdvk.h>
#include "test_util.h"

const char *t_prog = "test_vcopy";

#define SRV	1
#define CLI	3
#define CLI2	4
#define MAXLEN	(1 << 20)

static uint8_t pattern(size_t i, int seed)
{
	return (uint8_t)(i * 131 + seed * 7 + (i >> 12));
}

/*
 * A client: fill a buffer, tell the server its address and size in a
 * sendrec, and after the reply check what the server wrote back into the
 * second half of the exchange (the server inverts every byte).
 */
static int child_client(void *arg)
{
	long len = *(long *)arg;
	uint8_t *buf = malloc(MAXLEN + 1);
	struct dvk_message m;
	int srv = DVK_ENDPOINT(1, SRV);

	C_EQ(buf != NULL, 1);
	for (long i = 0; i < len; i++)
		buf[i] = pattern(i, 1);
	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	memset(&m, 0, sizeof(m));
	m.m_u.m1.p1 = (uintptr_t)buf;
	m.m_u.m1.i1 = (int)len;
	C_EQ(dvk_sendrec_T(srv, &m, 20000), 0);
	C_EQ(m.m_type, 0);
	for (long i = 0; i < len; i++) {
		uint8_t want = 0xff - pattern(i, 1);

		if (buf[i] != want)
			C_EQ(i, -1);
	}
	free(buf);
	return 0;
}

static void copy_from_and_to_a_client(void)
{
	static const long sizes[] = { 0, 1, 4095, 4096, 4097, 65535, 65536, 65537, 300000, MAXLEN };
	uint8_t *mine = malloc(MAXLEN);
	struct dvk_message m;
	int cli;

	T_TRUE(mine != NULL);
	t_up();
	T_EQ(dvk_bind(T_DC, SRV), DVK_ENDPOINT(1, SRV));
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		long len = sizes[k];
		pid_t c = t_fork(child_client, &len);

		cli = dvk_lclbind(T_DC, c, CLI);
		T_TRUE(cli > 0);
		T_EQ(dvk_receive_T(DVK_ANY, &m, 5000), 0);
		T_EQ(m.m_u.m1.i1, len);
		void *addr = (void *)(uintptr_t)m.m_u.m1.p1;
		memset(mine, 0, MAXLEN);
		T_EQ(dvk_vcopy(cli, addr, DVK_SELF, mine, len), len);
		for (long i = 0; i < len; i++)
			if (mine[i] != pattern(i, 1))
				t_fail(__FILE__, __LINE__, "size %ld: byte %ld differs", len, i);
		for (long i = 0; i < len; i++)
			mine[i] = 0xff - mine[i];
		T_EQ(dvk_vcopy(DVK_SELF, mine, cli, addr, len), len);
		memset(&m, 0, sizeof(m));
		T_EQ(dvk_reply_T(cli, &m, 0), 0);
		T_EQ(t_join(c), 0);
		T_TRUE(t_wait_free(T_DC, CLI));
	}
	struct proc_usr p;
	T_EQ(dvk_getprocinfo(T_DC, SRV, &p), 0);
	T_EQ(p.p_lclcopy, 2 * (sizeof(sizes) / sizeof(sizes[0])));
	free(mine);
	t_down();
}

/* Two clients blocked in sendrec; the server moves bytes from one to the other. */
static int child_holder(void *arg)
{
	int seed = *(int *)arg;
	uint8_t *buf = malloc(200000);
	struct dvk_message m;

	C_EQ(buf != NULL, 1);
	for (int i = 0; i < 200000; i++)
		buf[i] = seed ? pattern(i, seed) : 0;
	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	memset(&m, 0, sizeof(m));
	m.m_u.m1.p1 = (uintptr_t)buf;
	C_EQ(dvk_sendrec_T(DVK_ENDPOINT(1, SRV), &m, 20000), 0);
	if (!seed)
		for (int i = 0; i < 200000; i++)
			if (buf[i] != pattern(i, 9))
				C_EQ(i, -1);
	return 0;
}

static void third_party_copy(void)
{
	int seed_a = 9, seed_b = 0, a, b;
	struct dvk_message ma, mb, r;
	pid_t pa, pb;

	t_up();
	T_TRUE(dvk_bind(T_DC, SRV) > 0);
	pa = t_fork(child_holder, &seed_a);
	a = dvk_lclbind(T_DC, pa, CLI);
	pb = t_fork(child_holder, &seed_b);
	b = dvk_lclbind(T_DC, pb, CLI2);
	T_EQ(dvk_receive_T(a, &ma, 5000), 0);
	T_EQ(dvk_receive_T(b, &mb, 5000), 0);
	T_EQ(dvk_vcopy(a, (void *)(uintptr_t)ma.m_u.m1.p1, b, (void *)(uintptr_t)mb.m_u.m1.p1,
		       200000), 200000);
	memset(&r, 0, sizeof(r));
	T_EQ(dvk_reply_T(a, &r, 0), 0);
	T_EQ(dvk_reply_T(b, &r, 0), 0);
	T_EQ(t_join(pa), 0);
	T_EQ(t_join(pb), 0);
	t_down();
}

static int child_running(void *arg)
{
	(void)arg;
	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	pause();
	return 0;
}

static void copy_errors(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *buf = malloc(MAXLEN + 1);
	char *hole = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long len = 100;
	struct dvk_message m;
	int cli, idle, me;
	pid_t c, i;

	T_TRUE(buf != NULL && hole != MAP_FAILED);
	munmap(hole + page, page);
	t_up();
	me = dvk_bind(T_DC, SRV);
	i = t_fork(child_running, NULL);
	idle = dvk_lclbind(T_DC, i, 5);
	c = t_fork(child_client, &len);
	cli = dvk_lclbind(T_DC, c, CLI);
	T_EQ(dvk_receive_T(DVK_ANY, &m, 5000), 0);
	void *addr = (void *)(uintptr_t)m.m_u.m1.p1;

	T_EQ(dvk_vcopy(cli, addr, DVK_SELF, buf, MAXLEN + 1), EDVSRANGE);
	T_EQ(dvk_vcopy(cli, addr, DVK_SELF, buf, -1), EDVSRANGE);
	T_EQ(dvk_vcopy(cli, addr, cli, addr, 10), EDVSENDPOINT);	/* overlapping: same process */
	T_EQ(dvk_vcopy(DVK_SELF, buf, DVK_SELF, buf + 8, 10), EDVSENDPOINT);
	T_EQ(dvk_vcopy(DVK_SELF, buf, me, buf + 8, 10), EDVSENDPOINT);
	T_EQ(dvk_vcopy(DVK_ANY, buf, DVK_SELF, buf, 10), EDVSENDPOINT);
	T_EQ(dvk_vcopy(DVK_NONE, buf, DVK_SELF, buf, 10), EDVSENDPOINT);
	T_EQ(dvk_vcopy(idle, buf, DVK_SELF, buf, 10), EDVSPROCSTS);	/* not blocked */
	T_EQ(dvk_vcopy(DVK_ENDPOINT(1, 50), buf, DVK_SELF, buf, 10), EDVSSRCDIED);
	T_EQ(dvk_vcopy(DVK_SELF, buf, DVK_ENDPOINT(1, 50), buf, 10), EDVSDSTDIED);
	T_EQ(dvk_vcopy(DVK_ENDPOINT(2, CLI), buf, DVK_SELF, buf, 10), EDVSENDPOINT);
	/* Bad addresses on either side. */
	T_EQ(dvk_vcopy(cli, (void *)8, DVK_SELF, buf, 10), EDVSFAULT);
	T_EQ(dvk_vcopy(cli, addr, DVK_SELF, (void *)8, 10), EDVSFAULT);
	T_EQ(dvk_vcopy(cli, addr, DVK_SELF, hole + page - 4, 10), EDVSFAULT);
	/*
	 * A failed copy writes no byte it did not read from the source: only a
	 * prefix, up to the first byte it could not read (issue 12, finding 1).
	 */
	uint8_t orig[20], chk[20];

	for (int k = 0; k < 20; k++)
		orig[k] = pattern(k, 1);
	T_EQ(dvk_vcopy(DVK_SELF, (void *)0xffff880000000000UL, cli, addr, 8), EDVSFAULT);
	T_EQ(dvk_vcopy(cli, addr, DVK_SELF, chk, 20), 20);
	T_EQ(memcmp(chk, orig, 20), 0);				/* nothing written */
	memset(hole + page - 10, 0xab, 10);
	T_EQ(dvk_vcopy(DVK_SELF, hole + page - 10, cli, addr, 20), EDVSFAULT);
	T_EQ(dvk_vcopy(cli, addr, DVK_SELF, chk, 20), 20);
	int n = 0;

	while (n < 20 && chk[n] == 0xab && orig[n] != 0xab)
		n++;
	T_TRUE(n <= 10);					/* a prefix read from the source */
	T_EQ(memcmp(chk + n, orig + n, 20 - n), 0);		/* the rest untouched */
	T_EQ(dvk_vcopy(DVK_SELF, orig, cli, addr, 20), 20);
	/* After all that the client is intact and a good copy works. */
	T_EQ(dvk_vcopy(cli, addr, DVK_SELF, buf, 100), 100);
	for (int k = 0; k < 100; k++)
		buf[k] = (char)(0xff - (uint8_t)buf[k]);
	T_EQ(dvk_vcopy(DVK_SELF, buf, cli, addr, 100), 100);
	memset(&m, 0, sizeof(m));
	T_EQ(dvk_reply_T(cli, &m, 0), 0);
	T_EQ(t_join(c), 0);
	kill(i, SIGKILL);
	T_EQ(t_join_signal(i), SIGKILL);
	munmap(hole, page);
	free(buf);
	t_down();
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	T_RUN(copy_from_and_to_a_client);
	T_RUN(third_party_copy);
	T_RUN(copy_errors);
	dvk_dvs_end();
	return t_summary();
}
