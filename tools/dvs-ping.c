// SPDX-License-Identifier: GPL-2.0
/*
 * dvs-ping: a sendrec client/server pair, for demos and quick checks.
 *
 *   dvs-ping server --dc 0 --slot 1            bind to slot 1, answer forever
 *   dvs-ping client --dc 0 --slot 100 --server EP [--count N] [--interval MS]
 *   dvs-ping pair [--dc 0] [--count N]         both, in one DC made for it
 *
 * The client prints each reply like ping(8), then min/median/p99/max.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <dvk/libdvk.h>

struct ping_args {
	int dc, slot, server, count, interval_ms, quiet;
};

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
		ret = dvk_receive(DVK_ANY, &m);
		if (ret < 0)
			return ping_fail("receive", ret);
		m.m_type = 1;		/* pong */
		ret = dvk_reply_T(m.m_source, &m, DVK_TIMEOUT_NOWAIT);
		if (ret < 0 && ret != EDVSDSTDIED && ret != EDVSPROCSTS)
			return ping_fail("reply", ret);
	}
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
	if (!a->quiet)
		printf("DVS-PING endpoint %d -> %d: %d sendrec of %zu bytes\n", ep, a->server,
		       a->count, sizeof(m));
	for (n = 0; n < a->count; n++) {
		memset(&m, 0, sizeof(m));
		m.m_u.m4.l1 = n;
		t0 = now_us();
		ret = dvk_sendrec_T(a->server, &m, 5000);
		rtt[n] = now_us() - t0;
		if (ret < 0)
			return ping_fail("sendrec", ret);
		if (m.m_u.m4.l1 != n || m.m_type != 1 || m.m_source != a->server) {
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
	fprintf(f, "Usage: dvs-ping server --dc N --slot N\n"
		   "       dvs-ping client --dc N --slot N --server EP [--count N] [--interval MS] [--quiet]\n"
		   "       dvs-ping pair [--dc N] [--count N] [--quiet]\n\n"
		   "A sendrec client/server pair over the DVK. The client prints each round\n"
		   "trip and then min/median/p99/max. 'pair' needs root: it creates a DC\n"
		   "(and the DVS, if not initialised), forks the server and runs the client.\n");
}

int main(int argc, char **argv)
{
	struct ping_args a = { .dc = 0, .slot = INT_MIN, .server = 0, .count = 10 };
	char *end;

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
		if (!strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--dc")) dst = &a.dc;
		else if (!strcmp(argv[i], "--slot")) dst = &a.slot;
		else if (!strcmp(argv[i], "--server")) dst = &a.server;
		else if (!strcmp(argv[i], "--count")) dst = &a.count;
		else if (!strcmp(argv[i], "--interval")) dst = &a.interval_ms;
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
	if (a.count < 1) {
		fprintf(stderr, "dvs-ping: --count must be at least 1\n");
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
