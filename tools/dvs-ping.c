// SPDX-License-Identifier: GPL-2.0
/*
 * dvs-ping: a sendrec client/server pair, for demos and quick checks.
 *
 *   dvs-ping server --dc 0 --slot 1 [--verbose]   bind to slot 1, answer forever
 *   dvs-ping client --dc 0 --slot 100 --server EP [--count N] [--interval MS]
 *                   [--send N]
 *   dvs-ping pair [--dc 0] [--count N]         both, in one DC made for it
 *
 * The client first sends --send plain messages (send/receive: the server
 * takes them and does not answer), then makes --count sendrec round trips,
 * printing each reply like ping(8), then min/median/p99/max. A server with
 * --verbose says what it receives, and from which node.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <dvk/libdvk.h>

struct ping_args {
	int dc, slot, server, count, interval_ms, quiet, verbose, sends;
};

enum { PING_REQUEST = 0, PING_REPLY = 1, PING_NOTE = 2 };	/* m_type */

static int ping_fail(const char *what, int code)
{
	fprintf(stderr, "dvs-ping: %s: %s (%s %d)\n", what, dvk_strerror(code),
		dvk_errname(code) ? dvk_errname(code) : "error", code);
	return 1;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int ping_server(const struct ping_args *a)
{
	struct dvk_message m;
	int ep = dvk_bind(a->dc, a->slot), ret;

	if (ep < 0)
		return ping_fail("bind", ep);
	printf("dvs-ping server: endpoint %d (DC%d slot %d), waiting for requests\n",
	       ep, a->dc, a->slot);
	fflush(stdout);
	for (;;) {
		struct proc_usr src;
		char from[48] = "";

		ret = dvk_receive(DVK_ANY, &m);
		if (ret < 0)
			return ping_fail("receive", ret);
		if (a->verbose && dvk_getprocinfo(a->dc, DVK_EP_NR(m.m_source), &src) == 0)
			snprintf(from, sizeof(from), " (%s on node %d)", src.p_name,
				 src.p_nodeid < 0 ? 0 : src.p_nodeid);
		if (m.m_type == PING_NOTE) {
			m.m_u.m3.ca1[sizeof(m.m_u.m3.ca1) - 1] = 0;
			if (a->verbose)
				printf("server: received from endpoint %d%s: \"%s\"\n", m.m_source, from,
				       m.m_u.m3.ca1);
			fflush(stdout);
			continue;
		}
		if (a->verbose)
			printf("server: request %ld from endpoint %d%s: replying\n",
			       (long)m.m_u.m4.l1, m.m_source, from);
		fflush(stdout);
		m.m_type = PING_REPLY;
		ret = dvk_reply_T(m.m_source, &m, DVK_TIMEOUT_NOWAIT);
		if (ret < 0 && ret != EDVSDSTDIED && ret != EDVSPROCSTS)
			return ping_fail("reply", ret);
	}
}

/* The first call to a remote server may come before its link: wait up to 30 s for it. */
static int ping_first(const struct ping_args *a, struct dvk_message *m, bool rec)
{
	int ret = EDVSNOTCONN;

	for (int i = 0; i < 300; i++) {
		struct dvk_message copy = *m;

		ret = rec ? dvk_sendrec_T(a->server, &copy, 5000) : dvk_send_T(a->server, &copy, 5000);
		if (ret != EDVSNOTCONN && ret != EDVSNOPROXY) {
			*m = copy;
			return ret;
		}
		if (i == 0 && !a->quiet)
			printf("(waiting for the link to endpoint %d's node)\n", a->server);
		usleep(100 * 1000);
	}
	return ret;
}

static int ping_sends(const struct ping_args *a, int ep)
{
	struct dvk_message m;
	double t0;
	int ret;

	for (int n = 0; n < a->sends; n++) {
		char text[64] = "";

		memset(&m, 0, sizeof(m));
		m.m_type = PING_NOTE;
		snprintf(text, sizeof(text), "hello %d from endpoint %d", n + 1, ep);
		memcpy(m.m_u.m3.ca1, text, sizeof(m.m_u.m3.ca1) - 1);
		t0 = now_us();
		ret = n ? dvk_send_T(a->server, &m, 5000) : ping_first(a, &m, false);
		if (ret < 0)
			return ping_fail("send", ret);
		if (!a->quiet)
			printf("sent \"%s\" to endpoint %d: taken by its receive after %.1f us\n",
			       m.m_u.m3.ca1, a->server, now_us() - t0);
	}
	return 0;
}

static int ping_client(const struct ping_args *a)
{
	double *rtt = calloc(a->count, sizeof(*rtt)), t0, sum = 0;
	struct dvk_message m;
	int ep, ret, n;

	if (!rtt)
		return 1;
	ep = dvk_bind(a->dc, a->slot);
	if (ep < 0)
		return ping_fail("bind", ep);
	if (a->sends && ping_sends(a, ep))
		return 1;
	if (!a->quiet)
		printf("DVS-PING endpoint %d -> %d: %d sendrec of %zu bytes\n", ep, a->server,
		       a->count, sizeof(m));
	for (n = 0; n < a->count; n++) {
		memset(&m, 0, sizeof(m));
		m.m_u.m4.l1 = n;
		t0 = now_us();
		ret = n || a->sends ? dvk_sendrec_T(a->server, &m, 5000) : ping_first(a, &m, true);
		rtt[n] = now_us() - t0;
		if (ret < 0)
			return ping_fail("sendrec", ret);
		if (m.m_u.m4.l1 != n || m.m_type != PING_REPLY || m.m_source != a->server) {
			fprintf(stderr, "dvs-ping: reply %d is not the answer to request %d\n",
				(int)m.m_u.m4.l1, n);
			return 1;
		}
		sum += rtt[n];
		if (!a->quiet)
			printf("64 bytes from endpoint %d: seq=%d time=%.1f us\n", m.m_source, n, rtt[n]);
		if (a->interval_ms)
			usleep(a->interval_ms * 1000);
	}
	qsort(rtt, n, sizeof(*rtt), cmp_double);
	printf("--- %d round trips: min %.1f us, median %.1f us, p99 %.1f us, max %.1f us, mean %.1f us\n",
	       n, rtt[0], rtt[n / 2], rtt[(n * 99) / 100], rtt[n - 1], sum / n);
	free(rtt);
	dvk_unbind(a->dc, DVK_SELF);
	return 0;
}

/* Everything in one command: a DC, a forked server, this process as client. */
static int ping_pair(struct ping_args *a)
{
	struct dc_usr u = { .dc_dcid = a->dc, .dc_nr_procs = 221, .dc_nr_tasks = 35,
			    .dc_nr_sysprocs = 64, .dc_nr_nodes = 32, .dc_warn2proc = DVK_NONE };
	int ret, made_dvs = 0;
	pid_t pid;

	ret = dvk_dvs_init(0, NULL);
	if (ret >= 0)
		made_dvs = 1;
	else if (ret != EDVSDVSBUSY)
		return ping_fail("dvs_init", ret);
	snprintf(u.dc_name, sizeof(u.dc_name), "PING%d", a->dc);
	ret = dvk_dc_init(&u);
	if (ret < 0)
		return ping_fail("dc_init", ret);
	a->slot = 1;
	pid = fork();
	if (pid == 0) {
		a->quiet = 1;
		_exit(ping_server(a));
	}
	a->server = DVK_ENDPOINT(1, 1);
	a->slot = 2;
	for (int i = 0; i < 200; i++) {		/* until the server is receiving */
		struct proc_usr p;

		if (dvk_getprocinfo(a->dc, 1, &p) == 0 && (p.p_rts_flags & DVK_RECEIVING))
			break;
		usleep(10000);
	}
	ret = ping_client(a);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	dvk_dc_end(a->dc);
	if (made_dvs)
		dvk_dvs_end();
	return ret;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: dvs-ping server --dc N --slot N [--verbose]\n"
		   "       dvs-ping client --dc N --slot N --server EP [--count N] [--interval MS]\n"
		   "                       [--send N] [--quiet]\n"
		   "       dvs-ping pair [--dc N] [--count N] [--quiet]\n\n"
		   "A sendrec client/server pair over the DVK. The client first sends --send\n"
		   "plain messages (the server takes them, no answer), then prints each round\n"
		   "trip and then min/median/p99/max; it waits up to 30 s for the link to a\n"
		   "remote server. --verbose: the server says what it receives and from which\n"
		   "node. 'pair' needs root: it creates a DC (and the DVS, if not initialised),\n"
		   "forks the server and runs the client.\n");
}

int main(int argc, char **argv)
{
	struct ping_args a = { .dc = 0, .slot = INT_MIN, .server = 0, .count = 10 };
	char *end;

	setvbuf(stdout, NULL, _IOLBF, 0);	/* lines in order with the other node's, in a demo */

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (int i = 2; i < argc; i++) {
		int *dst = NULL;

		if (!strcmp(argv[i], "--quiet")) {
			a.quiet = 1;
			continue;
		}
		if (!strcmp(argv[i], "--verbose")) {
			a.verbose = 1;
			continue;
		}
		if (!strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--dc")) dst = &a.dc;
		else if (!strcmp(argv[i], "--slot")) dst = &a.slot;
		else if (!strcmp(argv[i], "--server")) dst = &a.server;
		else if (!strcmp(argv[i], "--count")) dst = &a.count;
		else if (!strcmp(argv[i], "--interval")) dst = &a.interval_ms;
		else if (!strcmp(argv[i], "--send")) dst = &a.sends;
		if (!dst || i + 1 >= argc) {
			fprintf(stderr, "dvs-ping: bad argument '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
		errno = 0;
		*dst = (int)strtol(argv[++i], &end, 0);
		if (errno || *end) {
			fprintf(stderr, "dvs-ping: '%s' is not a number\n", argv[i]);
			return 2;
		}
	}
	if (a.count < 1 || a.sends < 0) {
		fprintf(stderr, "dvs-ping: --count must be at least 1, --send at least 0\n");
		return 2;
	}
	if (!strcmp(argv[1], "pair"))
		return ping_pair(&a);
	if (a.slot == INT_MIN) {
		fprintf(stderr, "dvs-ping: --slot N is required\n");
		return 2;
	}
	if (!strcmp(argv[1], "server"))
		return ping_server(&a);
	if (!strcmp(argv[1], "client")) {
		if (!a.server) {
			fprintf(stderr, "dvs-ping: --server EP is required\n");
			return 2;
		}
		return ping_client(&a);
	}
	fprintf(stderr, "dvs-ping: unknown mode '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
