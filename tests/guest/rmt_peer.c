// SPDX-License-Identifier: GPL-2.0
/*
 * Both ends of the two-node scenario (tests/guest/two-nodes.sh), each run
 * in its own UML guest with dvs-proxy linking them.
 *
 *   rmt_peer server CMD   binds DC0 slot 1 and serves, forever:
 *       ECHO   reply with m1.i1 + 1, in m1.i2 the notifications seen and
 *              in m1.p1 the address of its copy buffer;
 *       SEND   (a plain send) nothing to answer;
 *       PULL   vcopy m1.i1 bytes from the client's m1.p1 into its buffer,
 *              reply with the result in m1.i1 and, in m1.i2, whether they
 *              hold the pattern of seed m1.i3;
 *       PUSH   fill its buffer with seed m1.i3's pattern, vcopy m1.i1
 *              bytes of it to the client's m1.p1, reply with the result;
 *       CHECK  reply with whether its buffer holds m1.i1 bytes of the
 *              pattern of seed m1.i3;
 *       CUT    no reply: runs "CMD cut" (which kills its proxy and starts
 *              a new one), so the client's sendrec loses its link;
 *       HALT   no reply: runs "CMD halt" (which powers the node off);
 *       FREEZE no reply: runs "CMD freeze" (which stops its proxy with
 *              SIGSTOP for 8 s, then lets it go on: issue 12, finding 7).
 * RMT_SLOT in the environment picks another slot (two servers or two
 * clients in one DC need slots of their own: a slot is local on one node
 * and remote everywhere else).
 *
 *   rmt_peer migrate-client SRV ROUNDS MOVES [NAME]   sendrecs and copies while
 *       SRV migrates MOVES times (migrate-nodes.sh); RMT_WAITBIND=1 makes a
 *       server wait to be bound (by a migration's commit) instead of
 *       binding, and a server whose binding goes (migrated away) exits.
 *   rmt_peer bench SRV COUNT   the median ECHO round trip, for make bench.
 *   rmt_peer bench-copy SRV COUNT BYTES   the median time and rate of
 *       pulling BYTES from the server's buffer into this process's.
 *   rmt_peer client SRV [NAME [basic|cut [SRV2]]]   binds DC0 slot 2 and
 *       runs the cases against the server endpoint SRV (on another node),
 *       printing PASS/FAIL lines as NAME/case (default two-nodes); "basic"
 *       leaves out the cases that freeze or kill the server's proxy and
 *       node, "cut" only the one that kills its node; SRV2, a server on a third node,
 *       adds copies between the two servers.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dvk/libdvk.h>
#include "test_util.h"

const char *t_prog = "two-nodes";

enum { ECHO = 1, SEND, CUT, HALT, PULL, PUSH, CHECK, FREEZE };

#define CBUF		(1 << 20)	/* the DVS's default max_copylen */

static int srv;		/* the server's endpoint (client side) */
/*
 * Each side's copy buffer. A server's first half is its clients'; the second
 * half is for copies between two servers made by a third node's client, so
 * that they never meet another client's data (ECHO's m1.p2).
 */
static unsigned char buf[2 * CBUF];

static unsigned char pat(size_t i, int seed)
{
	return (unsigned char)(i * 13 + i / 509 + (size_t)seed);
}

static void fill(size_t n, int seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = pat(i, seed);
}

static int is_pattern(size_t n, int seed)
{
	for (size_t i = 0; i < n; i++)
		if (buf[i] != pat(i, seed))
			return 0;
	return 1;
}

/* The server's side of PULL, PUSH and CHECK; the reply goes in @m. */
static void serve_copy(struct dvk_message *m)
{
	long n = m->m_u.m1.i1;
	int seed = m->m_u.m1.i3;

	if (n < 0 || n > CBUF) {
		m->m_u.m1.i1 = EDVSRANGE;
		return;
	}
	switch (m->m_type) {
	case PULL:
		memset(buf, 0, CBUF);
		m->m_u.m1.i1 = (int)dvk_vcopy(m->m_source, (void *)(uintptr_t)m->m_u.m1.p1,
					      DVK_SELF, buf, n);
		m->m_u.m1.i2 = is_pattern(n, seed);
		break;
	case PUSH:
		fill(n, seed);
		m->m_u.m1.i1 = (int)dvk_vcopy(DVK_SELF, buf, m->m_source,
					      (void *)(uintptr_t)m->m_u.m1.p1, n);
		break;
	case CHECK:
		m->m_u.m1.i2 = is_pattern(n, seed);
		break;
	}
}

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
	struct dvs_usr d;
	struct dvk_message m;
	long notes = 0;
	int r, echoes = 0;

	/* RMT_WAITBIND: a migration's new home, bound by dvs migrate commit. */
	r = getenv("RMT_WAITBIND") ? dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 600000) :
				     dvk_bind(T_DC, my_slot(1));
	if (r < 0 || dvk_getdvsinfo(&d) < 0) {
		printf("server: cannot bind: %s\n", dvk_strerror(r));
		return 1;
	}
	printf("server: serving as %d on node %d\n", r, d.d_nodeid);
	for (;;) {
		r = dvk_receive(DVK_ANY, &m);
		if (r == EDVSNOTBIND) {		/* migrated away */
			printf("server: unbound after %d echoes\n", echoes);
			return 0;
		}
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
		case PULL:
		case PUSH:
		case CHECK:
			if (m.m_type == ECHO) {
				m.m_u.m1.i1++;
				m.m_u.m1.i2 = (int)notes;
				m.m_u.m1.i3 = ++echoes;		/* served by this process */
				m.m_u.m1.p1 = (uintptr_t)buf;
				m.m_u.m1.p2 = (uintptr_t)(buf + CBUF);
				m.m_u.m1.p3 = (uint64_t)d.d_nodeid;
			} else {
				serve_copy(&m);
			}
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
		case FREEZE:
			run_bg(cmd, "freeze");
			break;
		}
	}
}

/* sendrec ECHO once; the result, and the reply's i1/i2. */
static int echo_msg(int i1, struct dvk_message *m)
{
	memset(m, 0, sizeof(*m));
	m->m_type = ECHO;
	m->m_u.m1.i1 = i1;
	return dvk_sendrec_T(srv, m, 5000);
}

static int echo(int i1, int *out_i1, int *notes)
{
	struct dvk_message m;
	int r = echo_msg(i1, &m);

	if (r == 0) {
		*out_i1 = m.m_u.m1.i1;
		*notes = m.m_u.m1.i2;
	}
	return r;
}

/*
 * Retry ECHO until it works (the link is up, the server free to answer),
 * at most @secs seconds; *@m is the answer.
 */
static int echo_until_answered(int secs, int *failures, struct dvk_message *m)
{
	int r = EDVSNOTCONN;

	for (int i = 0; i < secs * 5 && r; i++) {
		r = echo_msg(1, m);
		if (r) {
			(*failures)++;
			usleep(200 * 1000);
		}
	}
	return r;
}

static int echo_until_up(int secs, int *failures)
{
	struct dvk_message m;

	return echo_until_answered(secs, failures, &m);
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

/* Ask the server to PULL, PUSH or CHECK @n bytes with @seed; its reply in @m. */
static int ask(int type, long n, int seed, struct dvk_message *m)
{
	memset(m, 0, sizeof(*m));
	m->m_type = type;
	m->m_u.m1.i1 = (int)n;
	m->m_u.m1.i3 = seed;
	m->m_u.m1.p1 = (uintptr_t)buf;
	return dvk_sendrec_T(srv, m, 20000);
}

static const long copy_sizes[] = { 1, 4096, 65536, 65537, 300000, CBUF };

/*
 * The server copies from and to this client, which waits in sendrec on
 * another node: its node streams our memory out (COPYOUT), then streams
 * its own into ours (COPYIN_DATA).
 */
static void copies_by_server(void)
{
	struct dvk_message m;

	for (size_t i = 0; i < sizeof(copy_sizes) / sizeof(copy_sizes[0]); i++) {
		long n = copy_sizes[i];

		fill(CBUF, (int)i + 1);
		T_EQ(ask(PULL, n, (int)i + 1, &m), 0);
		T_EQ(m.m_u.m1.i1, n);
		T_EQ(m.m_u.m1.i2, 1);
		memset(buf, 0, CBUF);
		T_EQ(ask(PUSH, n, (int)i + 40, &m), 0);
		T_EQ(m.m_u.m1.i1, n);
		T_EQ(is_pattern(n, (int)i + 40), 1);
		T_EQ(n == CBUF || buf[n] == 0, 1);		/* not a byte more */
	}
}

/*
 * vcopy with servers on other nodes as parties: they must be waiting in
 * receive, which they are between requests (EDVSPROCSTS while one is not:
 * a server busy with another node's client can be, for seconds on a loaded
 * TCG host), and the link between their two nodes may still be coming up
 * (EDVSNOTCONN). Both are retried for 30 s. A copy is safe to repeat.
 */
static long vcopy_retry(int src, void *saddr, int dst, void *daddr, long n)
{
	long r = EDVSPROCSTS, t0 = t_now_ms();

	while ((r == EDVSPROCSTS || r == EDVSNOTCONN) && t_now_ms() - t0 < 30000) {
		r = dvk_vcopy(src, saddr, dst, daddr, n);
		if (r == EDVSPROCSTS || r == EDVSNOTCONN)
			usleep(10 * 1000);
	}
	return r;
}

static long vcopy_with_server(int to_server, void *sbuf, long n)
{
	return to_server ? vcopy_retry(DVK_SELF, buf, srv, sbuf, n) :
			   vcopy_retry(srv, sbuf, DVK_SELF, buf, n);
}

/* This client copies into and out of the server's memory. */
static void copies_by_client(void)
{
	struct dvk_message m;
	void *sbuf;

	T_EQ(echo_msg(0, &m), 0);
	sbuf = (void *)(uintptr_t)m.m_u.m1.p1;
	for (size_t i = 0; i < sizeof(copy_sizes) / sizeof(copy_sizes[0]); i++) {
		long n = copy_sizes[i];

		fill(CBUF, (int)i + 70);
		T_EQ(vcopy_with_server(1, sbuf, n), n);
		T_EQ(ask(CHECK, n, (int)i + 70, &m), 0);
		T_EQ(m.m_u.m1.i2, 1);
		memset(buf, 0, CBUF);
		T_EQ(vcopy_with_server(0, sbuf, n), n);
		T_EQ(is_pattern(n, (int)i + 70), 1);
	}
	/* Unmapped memory on the far side: the copy fails, nothing hangs. */
	T_EQ(vcopy_with_server(0, (void *)16, 4096), EDVSFAULT);
	T_EQ(vcopy_with_server(1, (void *)16, 4096), EDVSFAULT);
	T_EQ(echo_msg(0, &m), 0);
}

/*
 * The second half of server @ep's copy buffer (from an ECHO), asked for up
 * to 30 s: a server busy with its own clients may let one 5 s call time out
 * (seen once on a loaded 6.12-rt VM).
 */
static void *third_party_buffer_of(int ep)
{
	struct dvk_message m;
	int keep = srv, failures = 0, r;

	srv = ep;
	r = echo_until_answered(30, &failures, &m);
	srv = keep;
	return r ? NULL : (void *)(uintptr_t)m.m_u.m1.p2;
}

/*
 * A copy between two servers on two other nodes (COPYRMT): the server's
 * node streams straight to srv2's, which acknowledges to us. We fill the
 * server's buffer first, then read back what srv2 got. Both use the second
 * halves of the servers' buffers: srv2 has clients of its own.
 */
static int srv2;

static void copies_between_servers(void)
{
	void *b1 = third_party_buffer_of(srv), *b2 = third_party_buffer_of(srv2);

	T_TRUE(b1 && b2);
	for (size_t i = 0; i < sizeof(copy_sizes) / sizeof(copy_sizes[0]); i++) {
		long n = copy_sizes[i];

		fill(CBUF, (int)i + 100);
		T_EQ(vcopy_with_server(1, b1, n), n);
		T_EQ(vcopy_retry(srv, b1, srv2, b2, n), n);
		memset(buf, 0, CBUF);
		T_EQ(vcopy_retry(srv2, b2, DVK_SELF, buf, n), n);
		T_EQ(is_pattern(n, (int)i + 100), 1);
	}
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

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * A call with no timeout, with a 30 s alarm as a guard: a call that would
 * wait for ever ends interrupted (EDVSINTR) and fails the case instead of
 * hanging the run.
 */
static int sendrec_no_timeout(int type)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct dvk_message m = { .m_type = type };
	int r;

	sigaction(SIGALRM, &sa, NULL);
	alarm(30);
	r = dvk_sendrec(srv, &m);
	alarm(0);
	return r;
}

/*
 * The server's proxy is frozen (SIGSTOP) for 8 s, then goes on (issue 12,
 * finding 7): the call in flight ends with EDVSNOTCONN once this node's
 * proxy finds the link silent (--dead), calls made while the link is down
 * are refused at once, none with a timeout waits for ever, and after the
 * reconnect calls are served again.
 */
static void proxy_frozen_mid_call(void)
{
	long t0 = t_now_ms(), t;
	int failures = 0;

	T_EQ(sendrec_no_timeout(FREEZE), EDVSNOTCONN);
	printf("  the call in flight failed after %ld ms\n", t_now_ms() - t0);
	for (int i = 0; i < 3; i++) {
		t = t_now_ms();
		T_EQ(sendrec_no_timeout(ECHO), EDVSNOTCONN);
		T_TRUE(t_now_ms() - t < 1000);
		usleep(500 * 1000);
	}
	T_EQ(echo_until_up(60, &failures), 0);
	printf("  link back %ld ms after the freeze began\n", t_now_ms() - t0);
	T_EQ(sendrec_no_timeout(ECHO), 0);
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

/*
 * rmt_peer migrate-client SRV ROUNDS: sendrecs (and every fourth round a
 * copy out of the server's buffer) to SRV while it migrates; each reply
 * says which node served it and how many that server process has served.
 * Passes when every round was answered, each once: per serving node the
 * counts run 1, 2, 3 ... without a gap or a repeat, and they add up.
 */
static int migrate_client(int rounds, int want_moves)
{
	int node_of[128], last[DVK_MAX_NODES] = { 0 }, moves = 0, copies = 0, bad = 0, want;
	struct dvk_message m;
	int failures = 0;

	if (dvk_bind(T_DC, my_slot(2)) < 0 || echo_until_up(60, &failures) ||
	    rounds < 1 || rounds > 128)
		return 1;
	for (int i = 0; i < rounds; i++) {
		int node, r = echo_msg(i, &m);

		if (r) {
			printf("FAIL: %s/round-%d: %s\n", t_prog, i, dvk_strerror(r));
			return 1;
		}
		node = (int)m.m_u.m1.p3;
		node_of[i] = node;
		if (node < 0 || node >= DVK_MAX_NODES) {
			printf("  round %d: served on node %d?\n", i, node);
			return 1;
		}
		/*
		 * Each server process counts what it served: the first started
		 * with echo_until_up's probes, every later one (a move) at 1.
		 */
		want = i == 0 ? m.m_u.m1.i3 : node != node_of[i - 1] ? 1 : last[node] + 1;
		if (m.m_u.m1.i1 != i + 1 || m.m_u.m1.i3 != want) {
			printf("  round %d: i1 %d node %d count %d (expected %d)\n", i,
			       m.m_u.m1.i1, node, m.m_u.m1.i3, want);
			bad++;
		}
		last[node] = m.m_u.m1.i3;
		if (i && node != node_of[i - 1])
			moves++;
		if (i % 4 == 3) {
			long n = vcopy_retry(srv, (void *)(uintptr_t)m.m_u.m1.p1, DVK_SELF, buf, 4096);

			if (n == 4096)
				copies++;
			else
				printf("  round %d: copy: %s\n", i, dvk_strerror((int)n));
		}
		usleep(100 * 1000);
	}
	printf("  %d rounds, first served on node %d, last on node %d, %d moves, %d copies\n",
	       rounds, node_of[0], node_of[rounds - 1], moves, copies);
	printf("%s: %s/every-round-served-once\n", bad ? "FAIL" : "PASS", t_prog);
	printf("%s: %s/copies-during-the-move\n", copies == rounds / 4 ? "PASS" : "FAIL", t_prog);
	printf("%s: %s/moved-%d-times\n", moves == want_moves ? "PASS" : "FAIL", t_prog, want_moves);
	return bad || copies != rounds / 4 || moves != want_moves;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* make bench: the median time and rate of pulling @bytes from the server. */
static int bench_copy(int count, long bytes)
{
	double *t = calloc(count, sizeof(*t));
	struct timespec a, b;
	struct dvk_message m;
	int failures = 0;
	void *sbuf;

	if (!t || bytes < 1 || bytes > CBUF || dvk_bind(T_DC, my_slot(2)) < 0 ||
	    echo_until_answered(60, &failures, &m))
		return 1;
	sbuf = (void *)(uintptr_t)m.m_u.m1.p1;
	for (int i = 0; i < count; i++) {
		long r;

		clock_gettime(CLOCK_MONOTONIC, &a);
		r = vcopy_with_server(0, sbuf, bytes);
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (r != bytes) {
			printf("bench-copy: vcopy: %s\n", dvk_strerror((int)r));
			return 1;
		}
		t[i] = (b.tv_sec - a.tv_sec) * 1e6 + (b.tv_nsec - a.tv_nsec) / 1e3;
	}
	qsort(t, count, sizeof(*t), cmp_double);
	printf("dvk remote vcopy of %ld bytes median %.1f us = %.1f MB/s (%d copies)\n", bytes,
	       t[count / 2], bytes / t[count / 2], count);
	return 0;
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
	if (argc == 5 && !strcmp(argv[1], "bench-copy")) {
		srv = atoi(argv[2]);
		return bench_copy(atoi(argv[3]) > 0 ? atoi(argv[3]) : 1, atol(argv[4]));
	}
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "migrate-client")) {
		srv = atoi(argv[2]);
		t_prog = argc == 6 ? argv[5] : "migrate";
		return migrate_client(atoi(argv[3]), atoi(argv[4]));
	}
	if (argc < 3 || argc > 6 || strcmp(argv[1], "client")) {
		fprintf(stderr, "usage: rmt_peer server CMD | client SERVER_EP [NAME [basic|cut [SERVER2_EP]]]\n");
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
	T_RUN(copies_by_server);
	T_RUN(copies_by_client);
	if (argc == 6) {
		srv2 = atoi(argv[5]);
		T_RUN(copies_between_servers);
	}
	if (argc >= 5 && !strcmp(argv[4], "basic"))
		return t_summary();
	T_RUN(proxy_frozen_mid_call);
	T_RUN(proxy_killed_mid_call);
	if (argc >= 5 && !strcmp(argv[4], "cut"))
		return t_summary();
	T_RUN(node_killed_mid_call);
	return t_summary();
}
