// SPDX-License-Identifier: GPL-2.0
/*
 * A user process talking to a kernel thread endpoint (door 3): the
 * dvk_echo.ko test module serving slot 5 of DC 0. module-tests.sh loads
 * the module after dvs init and dc-init, then runs this program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dvk/libdvk.h>
#include "test_util.h"

const char *t_prog = "mod_kecho";

#define ECHO_NR		5
#define ECHO_PING	1
#define ECHO_PONG	2
#define ECHO_UPPER	3
#define ECHO_MAX	65536

static int echo_ep(void)
{
	struct proc_usr p;

	if (dvk_getprocinfo(T_DC, ECHO_NR, &p) < 0 || (p.p_rts_flags & DVK_SLOT_FREE))
		return DVK_NONE;
	return p.p_endpoint;
}

static void kthread_is_bound(void)
{
	struct proc_usr p;

	T_EQ(dvk_getprocinfo(T_DC, ECHO_NR, &p), 0);
	T_EQ(p.p_rts_flags & DVK_SLOT_FREE, 0);
	T_TRUE(!strcmp(p.p_name, "dvk_echo"));
	T_TRUE(t_file_has("/proc/dvs/DC0/procs", "dvk_echo"));
}

static void ping(void)
{
	struct dvk_message m = { .m_type = ECHO_PING };
	int ep = echo_ep();

	m.m_u.m1.i1 = 41;
	T_EQ(dvk_sendrec(ep, &m), 0);
	T_EQ(m.m_source, ep);
	T_EQ(m.m_type, ECHO_PONG);
	T_EQ(m.m_u.m1.i1, 42);
	/* Many in a row: the thread is back in receive every time. */
	for (int i = 0; i < 200; i++) {
		m.m_type = ECHO_PING;
		m.m_u.m1.i1 = i;
		T_EQ(dvk_sendrec(ep, &m), 0);
		T_EQ(m.m_u.m1.i1, i + 1);
	}
}

/* Ask the thread to upper-case @len bytes at @addr; returns its m1.i2. */
static long upper(void *addr, int len)
{
	struct dvk_message m = { .m_type = ECHO_UPPER };

	m.m_u.m1.i1 = len;
	m.m_u.m1.p1 = (unsigned long)addr;
	if (dvk_sendrec(echo_ep(), &m) < 0 || m.m_type != 0)
		return -99999;
	return m.m_u.m1.i2;
}

/* vcopy into the thread's kernel buffer and back out of it. */
static void vcopy_kernel_buffer(void)
{
	char s[] = "hello, kernel thread";
	char *big = malloc(ECHO_MAX);

	T_TRUE(big != NULL);
	T_EQ(upper(s, (int)strlen(s)), strlen(s));
	T_TRUE(!strcmp(s, "HELLO, KERNEL THREAD"));
	for (int i = 0; i < ECHO_MAX; i++)
		big[i] = 'a' + i % 26;
	T_EQ(upper(big, ECHO_MAX), ECHO_MAX);
	for (int i = 0; i < ECHO_MAX; i++)
		T_EQ(big[i], 'A' + i % 26);
	T_EQ(upper(s, 0), 0);
	free(big);
}

static void vcopy_errors(void)
{
	char s[] = "unchanged";

	T_EQ(upper(s, ECHO_MAX + 1), EDVSRANGE);
	T_EQ(upper((void *)8, 16), EDVSFAULT);
	T_TRUE(!strcmp(s, "unchanged"));
}

/* A kernel thread's memory is not another requester's to copy. */
static void kthread_memory_is_private(void)
{
	char buf[16];
	long r = EDVSPROCSTS;

	/* It must be blocked receiving; it leaves receive every 100 ms. */
	for (int i = 0; i < 100 && r == EDVSPROCSTS; i++) {
		r = dvk_vcopy(echo_ep(), (void *)0x1000, DVK_SELF, buf, sizeof(buf));
		if (r == EDVSPROCSTS)
			usleep(5000);
	}
	T_EQ(r, EDVSPERM);
}

static void bad_request(void)
{
	struct dvk_message m = { .m_type = 99 };

	T_EQ(dvk_sendrec(echo_ep(), &m), 0);
	T_EQ(m.m_type, EDVSBADREQUEST);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (dvk_bind(T_DC, 2) < 0) {
		printf("FAIL: %s/bind: cannot bind to DC0 slot 2\n", t_prog);
		return 1;
	}
	T_RUN(kthread_is_bound);
	T_RUN(ping);
	T_RUN(vcopy_kernel_buffer);
	T_RUN(vcopy_errors);
	T_RUN(kthread_memory_is_private);
	T_RUN(bad_request);
	return t_summary();
}
