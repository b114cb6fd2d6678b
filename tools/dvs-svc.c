// SPDX-License-Identifier: GPL-2.0
/*
 * dvs-svc: two small services for labs (labs/, tools/dvs-lab), each with
 * its client:
 *
 *   dvs-svc names --dc D --slot S NAME=EP[,EP...]...   a name server
 *   dvs-svc lookup --dc D --slot S --server EP NAME   ask it; prints the EP
 *   dvs-svc files --dc D --slot S --dir DIR           a file server
 *   dvs-svc get --dc D --slot S --server EP NAME OUT  fetch NAME into OUT
 *
 * The name server answers a lookup with the first endpoint of NAME whose
 * node is linked now (both directions, as dvs nodes shows SR): when a node
 * goes down, its clients fail over to the next. The file server answers a
 * get by copying the file (at most 1 MiB) straight into the client's
 * buffer with vcopy, then replying with its size.
 */
#include <errno.h>
#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <dvk/libdvk.h>

#define SVC_MAX_FILE	(1 << 20)	/* bytes */
#define SVC_MAX_NAMES	32
#define SVC_MAX_EPS	8

enum {				/* m_type */
	SVC_LOOKUP = 100,	/* m3.ca1: the name */
	SVC_GET = 101,		/* m3.ca1: the file; m3.p1, m3.i1: buffer, bytes */
	SVC_OK = 110,		/* m3.i1: the endpoint, or the bytes copied */
	SVC_UNKNOWN = 111,	/* no such name or file */
	SVC_DOWN = 112,		/* every endpoint of the name is on a node that is down */
	SVC_FAILED = 113,	/* m3.i1: the DVK error */
};

struct svc_args {
	int dc, slot, server;
	const char *dir;
	char **rest;
	int nrest;
};

struct svc_name {
	char name[40];
	int eps[SVC_MAX_EPS], neps;
};

static int svc_fail(const char *what, int code)
{
	fprintf(stderr, "dvs-svc: %s: %s (%s %d)\n", what, dvk_strerror(code),
		dvk_errname(code) ? dvk_errname(code) : "error", code);
	return 1;
}

static int svc_parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* A name from a request, safe to print: at most 39 bytes, no control characters. */
static void svc_clean(char *s, size_t len)
{
	s[len - 1] = 0;
	for (; *s; s++)
		if (!isprint((unsigned char)*s))
			*s = '?';
}

/*
 * Answer @m's sender. A client may be gone or bound anew by then (its
 * timeout, a new process in its slot): said, and the service goes on.
 */
static void svc_answer(struct dvk_message *m)
{
	int src = m->m_source, ret = dvk_reply_T(src, m, DVK_TIMEOUT_NOWAIT);

	if (ret < 0)
		fprintf(stderr, "dvs-svc: reply to endpoint %d: %s (%s)\n", src, dvk_strerror(ret),
			dvk_errname(ret) ? dvk_errname(ret) : "error");
}

/* Linked now: local, or a remote node whose link is connected both ways. */
static int svc_ep_reachable(int dc, int ep)
{
	struct proc_usr p;
	struct node_usr n;
	int self;
	struct dvs_usr d;

	if (dvk_getprocinfo(dc, DVK_EP_NR(ep), &p) < 0 || p.p_endpoint != ep)
		return 0;
	if (dvk_getdvsinfo(&d) < 0)
		return 0;
	self = d.d_nodeid;
	if (p.p_nodeid < 0 || p.p_nodeid == self)
		return 1;
	if (dvk_getnodeinfo(p.p_nodeid, &n) < 0)
		return 0;
	return (n.n_flags & (DVK_NODE_SCONNECTED | DVK_NODE_RCONNECTED)) ==
	       (DVK_NODE_SCONNECTED | DVK_NODE_RCONNECTED);
}

static int svc_bind(const struct svc_args *a, const char *role)
{
	int ep = dvk_bind(a->dc, a->slot);

	if (ep < 0)
		return ep;
	printf("dvs-svc %s: endpoint %d (DC%d slot %d)\n", role, ep, a->dc, a->slot);
	return ep;
}

static int svc_names(const struct svc_args *a)
{
	struct svc_name tab[SVC_MAX_NAMES];
	int ntab = 0, ep;

	for (int i = 0; i < a->nrest; i++) {
		char *eq = strchr(a->rest[i], '='), *tok, *save = NULL;
		struct svc_name *t = &tab[ntab];

		if (!eq || eq == a->rest[i] || (size_t)(eq - a->rest[i]) >= sizeof(t->name) ||
		    ntab == SVC_MAX_NAMES) {
			fprintf(stderr, "dvs-svc names: '%s' is not NAME=EP[,EP...] (at most %d names, 39 bytes)\n",
				a->rest[i], SVC_MAX_NAMES);
			return 2;
		}
		memset(t, 0, sizeof(*t));
		memcpy(t->name, a->rest[i], eq - a->rest[i]);
		for (int k = 0; k < ntab; k++) {
			if (!strcmp(tab[k].name, t->name)) {
				fprintf(stderr, "dvs-svc names: '%s' is given twice\n", t->name);
				return 2;
			}
		}
		for (tok = strtok_r(eq + 1, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (t->neps == SVC_MAX_EPS || svc_parse_int(tok, INT_MIN, INT_MAX, &t->eps[t->neps])) {
				fprintf(stderr, "dvs-svc names: '%s': bad endpoint list\n", a->rest[i]);
				return 2;
			}
			t->neps++;
		}
		if (!t->neps) {
			fprintf(stderr, "dvs-svc names: '%s' names no endpoint\n", a->rest[i]);
			return 2;
		}
		ntab++;
	}
	ep = svc_bind(a, "names");
	if (ep < 0)
		return svc_fail("bind", ep);
	for (;;) {
		struct dvk_message m;
		struct svc_name *t = NULL;
		int ret = dvk_receive(DVK_ANY, &m);

		if (ret < 0)
			return svc_fail("receive", ret);
		svc_clean(m.m_u.m3.ca1, sizeof(m.m_u.m3.ca1));
		for (int i = 0; i < ntab; i++)
			if (!strcmp(tab[i].name, m.m_u.m3.ca1))
				t = &tab[i];
		if (m.m_type != SVC_LOOKUP || !t) {
			m.m_type = SVC_UNKNOWN;
		} else {
			m.m_type = SVC_DOWN;
			for (int i = 0; i < t->neps; i++) {
				if (svc_ep_reachable(a->dc, t->eps[i])) {
					m.m_type = SVC_OK;
					m.m_u.m3.i1 = t->eps[i];
					break;
				}
			}
		}
		printf("names: %s from endpoint %d: %s %d\n", m.m_u.m3.ca1, m.m_source,
		       m.m_type == SVC_OK ? "endpoint" : "none", m.m_type == SVC_OK ? m.m_u.m3.i1 : 0);
		fflush(stdout);
		svc_answer(&m);
	}
}

/* One request to @a->server; its answer in @m. 0 or a DVK error. */
static int svc_call(const struct svc_args *a, struct dvk_message *m)
{
	int ep = dvk_bind(a->dc, a->slot), ret;

	if (ep < 0)
		return ep;
	ret = dvk_sendrec_T(a->server, m, 10000);
	dvk_unbind(a->dc, DVK_SELF);
	return ret;
}

static int svc_lookup(const struct svc_args *a)
{
	struct dvk_message m;
	int ret;

	if (a->nrest != 1 || strlen(a->rest[0]) >= sizeof(m.m_u.m3.ca1)) {
		fprintf(stderr, "dvs-svc lookup: want one NAME (at most 39 bytes)\n");
		return 2;
	}
	memset(&m, 0, sizeof(m));
	m.m_type = SVC_LOOKUP;
	strcpy(m.m_u.m3.ca1, a->rest[0]);
	ret = svc_call(a, &m);
	if (ret < 0)
		return svc_fail("lookup", ret);
	switch (m.m_type) {
	case SVC_OK:
		printf("%d\n", m.m_u.m3.i1);
		return 0;
	case SVC_DOWN:
		fprintf(stderr, "dvs-svc lookup: %s: every endpoint is on a node that is down\n", a->rest[0]);
		return 1;
	default:
		fprintf(stderr, "dvs-svc lookup: %s: no such name\n", a->rest[0]);
		return 1;
	}
}

/*
 * DIR/NAME into @buf (at most SVC_MAX_FILE bytes): its size, or -1. Only a
 * regular file named in DIR itself: no path, no link followed out of DIR,
 * and a FIFO cannot hold the server (opened without waiting).
 */
static long svc_read_file(const char *dir, const char *name, char *buf)
{
	char path[PATH_MAX];
	struct stat st;
	long n = 0, r = 0;
	int fd;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return -1;
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	while (n <= SVC_MAX_FILE && (r = read(fd, buf + n, SVC_MAX_FILE + 1 - n)) > 0)
		n += r;
	close(fd);
	return n > SVC_MAX_FILE || r < 0 ? -1 : n;
}

static int svc_files(const struct svc_args *a)
{
	char *buf = malloc(SVC_MAX_FILE + 1);
	int ep;

	if (!buf)
		return 1;
	ep = svc_bind(a, "files");
	if (ep < 0)
		return svc_fail("bind", ep);
	for (;;) {
		struct dvk_message m;
		long n, ret = dvk_receive(DVK_ANY, &m);

		if (ret < 0)
			return svc_fail("receive", (int)ret);
		svc_clean(m.m_u.m3.ca1, sizeof(m.m_u.m3.ca1));
		n = m.m_type == SVC_GET ? svc_read_file(a->dir, m.m_u.m3.ca1, buf) : -1;
		if (n < 0 || n > m.m_u.m3.i1) {
			m.m_type = SVC_UNKNOWN;
		} else {
			ret = n ? dvk_vcopy(DVK_SELF, buf, m.m_source, (void *)(uintptr_t)m.m_u.m3.p1, n) : 0;
			m.m_type = ret < 0 ? SVC_FAILED : SVC_OK;
			m.m_u.m3.i1 = ret < 0 ? (int)ret : (int)n;
		}
		if (m.m_type == SVC_OK)
			printf("files: %s for endpoint %d: copied %d bytes\n", m.m_u.m3.ca1, m.m_source,
			       m.m_u.m3.i1);
		else
			printf("files: %s for endpoint %d: refused\n", m.m_u.m3.ca1, m.m_source);
		fflush(stdout);
		svc_answer(&m);
	}
}

static int svc_get(const struct svc_args *a)
{
	char *buf = calloc(1, SVC_MAX_FILE);
	struct dvk_message m;
	struct timespec t0, t1;
	FILE *out;
	int ret;

	if (!buf)
		return 1;
	if (a->nrest != 2 || strlen(a->rest[0]) >= sizeof(m.m_u.m3.ca1)) {
		fprintf(stderr, "dvs-svc get: want NAME (at most 39 bytes) and OUTFILE\n");
		return 2;
	}
	memset(&m, 0, sizeof(m));
	m.m_type = SVC_GET;
	strcpy(m.m_u.m3.ca1, a->rest[0]);
	m.m_u.m3.p1 = (uintptr_t)buf;
	m.m_u.m3.i1 = SVC_MAX_FILE;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = svc_call(a, &m);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (ret < 0)
		return svc_fail("get", ret);
	if (m.m_type == SVC_FAILED)
		return svc_fail("the server's vcopy", m.m_u.m3.i1);
	if (m.m_type != SVC_OK || m.m_u.m3.i1 < 0 || m.m_u.m3.i1 > SVC_MAX_FILE) {
		fprintf(stderr, "dvs-svc get: %s: the server has no such file\n", a->rest[0]);
		return 1;
	}
	out = fopen(a->rest[1], "w");
	if (!out || fwrite(buf, 1, m.m_u.m3.i1, out) != (size_t)m.m_u.m3.i1 || fclose(out)) {
		fprintf(stderr, "dvs-svc get: %s: %s\n", a->rest[1], strerror(errno));
		return 1;
	}
	printf("got %d bytes of %s from endpoint %d in %.1f ms\n", m.m_u.m3.i1, a->rest[0], a->server,
	       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	free(buf);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: dvs-svc names --dc D --slot S NAME=EP[,EP...]...\n"
		   "       dvs-svc lookup --dc D --slot S --server EP NAME\n"
		   "       dvs-svc files --dc D --slot S --dir DIR\n"
		   "       dvs-svc get --dc D --slot S --server EP NAME OUTFILE\n\n"
		   "Services for labs. names: a name server that answers a lookup with the\n"
		   "first endpoint of NAME whose node is linked now (failover). lookup prints\n"
		   "that endpoint. files: a file server that copies a file of DIR (at most\n"
		   "1 MiB) into the client's buffer with vcopy. get: fetch one into OUTFILE.\n");
}

int main(int argc, char **argv)
{
	struct svc_args a = { .dc = 0, .slot = INT_MIN, .server = INT_MIN };
	const char *verb;
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	verb = argv[1];
	for (i = 2; i < argc && !strncmp(argv[i], "--", 2); i += 2) {
		int *dst = NULL, lo = 0, hi = INT_MAX;

		if (!strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--dc"))
			dst = &a.dc, hi = 31;
		else if (!strcmp(argv[i], "--slot"))
			dst = &a.slot, lo = -64, hi = 4096;
		else if (!strcmp(argv[i], "--server"))
			dst = &a.server, lo = INT_MIN;
		if (!strcmp(argv[i], "--dir") && i + 1 < argc) {
			a.dir = argv[i + 1];
			continue;
		}
		if (!dst || i + 1 >= argc || svc_parse_int(argv[i + 1], lo, hi, dst)) {
			fprintf(stderr, "dvs-svc: bad option '%s%s%s'\n", argv[i], i + 1 < argc ? " " : "",
				i + 1 < argc ? argv[i + 1] : "");
			return 2;
		}
	}
	a.rest = argv + i;
	a.nrest = argc - i;
	if (a.slot == INT_MIN) {
		fprintf(stderr, "dvs-svc %s: --slot is required\n", verb);
		return 2;
	}
	if (!strcmp(verb, "names"))
		return svc_names(&a);
	if (!strcmp(verb, "files")) {
		if (!a.dir || a.nrest) {
			fprintf(stderr, "dvs-svc files: want --dir DIR and nothing else\n");
			return 2;
		}
		return svc_files(&a);
	}
	if (!strcmp(verb, "lookup") || !strcmp(verb, "get")) {
		if (a.server == INT_MIN) {
			fprintf(stderr, "dvs-svc %s: --server EP is required\n", verb);
			return 2;
		}
		return verb[0] == 'l' ? svc_lookup(&a) : svc_get(&a);
	}
	fprintf(stderr, "dvs-svc: unknown verb '%s' (names, lookup, files, get)\n", verb);
	return 2;
}
