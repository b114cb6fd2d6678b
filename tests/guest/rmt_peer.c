// SPDX-License-Identifier: GPL-2.0
/*
 * Both ends of the two-node scenario (tests/guest/two-nodes.sh), each run
 * in its own UML guest with dvs-proxy linking them.
 *
 *   rmt_peer server CMD   binds DC0 slot 1 and serves, forever:
 *       ECHO   reply with m1.i1 + 1 and, in m1.i2, the notifications seen;
 *       SEND   (a plain send) nothing to answer;
 *       CUT    no reply: runs "CMD cut" (which kills its proxy and starts
 *              a new one), so the client's sendrec loses its link;
 *       HALT   no reply: runs "CMD halt" (which powers the node off).
 * RMT_SLOT in the environment picks another slot (two servers or two
 * clients in one DC need slots of their own: a slot is local on one node
 * and remote everywhere else).
 *
 *   rmt_peer bench SRV COUNT   the median ECHO round trip, for make bench.
 *   rmt_peer client SRV [NAME [basic]]   binds DC0 slot 2 and runs the
 *       cases against the server endpoint SRV (on another node), printing
 *       PASS/FAIL lines as NAME/case (default two-nodes); "basic" leaves out
 *       the cases that kill the server's proxy and node.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dvk/libdvk.h>
#include "test_util.h"

const char *t_prog = "two-nodes";

enum { ECHO = 1, SEND, CUT, HALT };

static int srv;		/* the server's endpoint (client side) */

static void run_bg(const char *cmd, const char *what)
{
	char line[512];

	snprintf(line, sizeof(line), "%s %s &", cmd, what);
	if (system(line) != 0)
		printf("server: '%s' failed\n", line);
}

/* This process's slot: RMT_SLOT, else @def. */
static int my_slot(int def)
{
	const char *s = getenv("RMT_SLOT");

	return s ? atoi(s) : def;
}

static int server(const char *cmd)
{
	struct dvk_message m;
	long notes = 0;
	int r;

	if (dvk_bind(T_DC, my_slot(1)) < 0) {
		printf("server: cannot bind\n");
		return 1;
	}
	printf("server: serving\n");
	for (;;) {
		r = dvk_receive(DVK_ANY, &m);
		if (r < 0) {
			printf("server: receive: %s\n", dvk_strerror(r));
			sleep(1);
			continue;
		}
		if (DVK_IS_NOTIFY(m.m_type)) {
			notes++;
			continue;
		}
		switch (m.m_type) {
		case ECHO:
			m.m_u.m1.i1++;
			m.m_u.m1.i2 = (int)notes;
			r = dvk_reply(m.m_source, &m);
			if (r < 0)
				printf("server: reply: %s\n", dvk_strerror(r));
			break;
		case CUT:
			run_bg(cmd, "cut");
			break;
		case HALT:
			run_bg(cmd, "halt");
			break;
		}
	}
}

/* sendrec ECHO once; the result, and the reply's i1/i2. */
static int echo(int i1, int *out_i1, int *notes)
{
	struct dvk_message m = { .m_type = ECHO };
	int r;

	m.m_u.m1.i1 = i1;
	r = dvk_sendrec_T(srv, &m, 5000);
	if (r == 0) {
		*out_i1 = m.m_u.m1.i1;
		*notes = m.m_u.m1.i2;
	}
	return r;
}

/* Retry ECHO until it works (the link is up), at most @secs seconds. */
static int echo_until_up(int secs, int *failures)
{
	int i1 = 0, notes = 0, r = EDVSNOTCONN;

	for (int i = 0; i < secs * 5 && r; i++) {
		r = echo(1, &i1, &notes);
		if (r) {
			(*failures)++;
			usleep(200 * 1000);
		}
	}
	return r;
}

static void link_up(void)
{
	int failures = 0;

	T_EQ(echo_until_up(60, &failures), 0);
}

static void sendrec_round_trips(void)
{
	long t0 = t_now_ms();
	int i1 = 0, notes = 0;

	for (int i = 0; i < 200; i++) {
		T_EQ(echo(i, &i1, &notes), 0);
		T_EQ(i1, i + 1);
	}
	printf("  200 remote round trips in %ld ms\n", t_now_ms() - t0);
}

static void send_and_notify(void)
{
	struct dvk_message m = { .m_type = SEND };
	int i1 = 0, notes0 = 0, notes1 = 0;

	T_EQ(echo(0, &i1, &notes0), 0);
	T_EQ(dvk_send_T(srv, &m, 5000), 0);		/* a rendezvous: the server took it */
	T_EQ(dvk_notify_X(DVK_SELF, srv, 1), 0);
	T_EQ(dvk_notify_X(DVK_SELF, srv, 2), 0);
	T_EQ(echo(0, &i1, &notes1), 0);
	T_TRUE(notes1 >= notes0 + 1);			/* coalesced: one or two */
}

/* A remote error reaches the caller; nothing waits for nothing. */
static void remote_errors(void)
{
	struct proc_usr p;
	int ghost, i1 = 0, notes = 0;
	struct dvk_message m = { .m_type = ECHO };

	/*
	 * A slot on the server's node where nobody is bound: 50 + our own slot,
	 * so clients on several nodes never pick the same one (a slot is local
	 * on one node and remote on the others).
	 */
	T_EQ(dvk_getprocinfo(T_DC, DVK_EP_NR(srv), &p), 0);
	ghost = DVK_ENDPOINT(1, 50 + my_slot(2));
	T_TRUE(dvk_rmtbind(T_DC, "nobody", ghost, p.p_nodeid) == ghost);
	T_EQ(dvk_sendrec_T(ghost, &m, 5000), EDVSDSTDIED);
	T_EQ(dvk_send_T(ghost, &m, 5000), EDVSDSTDIED);
	T_EQ(dvk_unbind(T_DC, ghost), 0);
	T_EQ(echo(5, &i1, &notes), 0);
}

/* The server's proxy dies mid-call: the call fails, the link comes back. */
static void proxy_killed_mid_call(void)
{
	struct dvk_message m = { .m_type = CUT };
	long t0 = t_now_ms();
	int failures = 0;

	T_EQ(dvk_sendrec_T(srv, &m, 20000), EDVSNOTCONN);
	printf("  the cut call failed after %ld ms\n", t_now_ms() - t0);
	T_EQ(echo_until_up(30, &failures), 0);
	printf("  link back after %d failed tries\n", failures);
}

/* The server's node dies mid-call; when it is back, calls work again. */
static void node_killed_mid_call(void)
{
	struct dvk_message m = { .m_type = HALT };
	long t0 = t_now_ms();
	int failures = 0;

	T_EQ(dvk_sendrec_T(srv, &m, 20000), EDVSNOTCONN);
	printf("  the call to the dying node failed after %ld ms\n", t_now_ms() - t0);
	printf("two-nodes: waiting for node 1 to come back\n");
	T_EQ(echo_until_up(120, &failures), 0);
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* make bench: the median remote sendrec round trip, in microseconds. */
static int bench(int count)
{
	long *t = calloc(count, sizeof(*t));
	int i1, notes, failures = 0;
	struct timespec a, b;

	if (!t || dvk_bind(T_DC, my_slot(2)) < 0 || echo_until_up(60, &failures))
		return 1;
	for (int i = 0; i < count; i++) {
		clock_gettime(CLOCK_MONOTONIC, &a);
		if (echo(i, &i1, &notes))
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &b);
		t[i] = (b.tv_sec - a.tv_sec) * 1000000 + (b.tv_nsec - a.tv_nsec) / 1000;
	}
	qsort(t, count, sizeof(*t), cmp_long);
	printf("dvk remote sendrec median %ld us (%d round trips)\n", t[count / 2], count);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && !strcmp(argv[1], "server"))
		return server(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "bench")) {
		srv = atoi(argv[2]);
		return bench(atoi(argv[3]) > 0 ? atoi(argv[3]) : 1);
	}
	if (argc < 3 || argc > 5 || strcmp(argv[1], "client")) {
		fprintf(stderr, "usage: rmt_peer server CMD | client SERVER_EP [NAME [basic]]\n");
		return 2;
	}
	srv = atoi(argv[2]);
	if (argc >= 4)
		t_prog = argv[3];
	if (dvk_bind(T_DC, my_slot(2)) < 0) {
		printf("FAIL: %s/bind\n", t_prog);
		return 1;
	}
	T_RUN(link_up);
	T_RUN(sendrec_round_trips);
	T_RUN(send_and_notify);
	T_RUN(remote_errors);
	if (argc == 5 && !strcmp(argv[4], "basic"))
		return t_summary();
	T_RUN(proxy_killed_mid_call);
	T_RUN(node_killed_mid_call);
	return t_summary();
}
