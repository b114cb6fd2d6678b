// SPDX-License-Identifier: GPL-2.0
/*
 * dvs trace: the DVK's trace events (tracefs events/dvk: dvk_msg,
 * dvk_copy) as lines, and a message sequence chart of several nodes'
 * lines (docs/trace.md).
 *
 *   start   events on, the buffer cleared, its clock one the UML guests of
 *           a host share (tai, else mono, else local)
 *   stop    events off
 *   show    "# name" lines for this node's endpoints, then one line per
 *           recorded event
 *   chart   shown traces merged (by time, duplicates dropped) into a chart:
 *           ASCII on stdout, SVG with --svg
 *
 * TIME_NS is the CLOCK_REALTIME stamp every event carries (rt=): tracefs
 * prints its buffer clock in microseconds only, and UML guests' real time
 * follows their host's.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <time.h>
#include <unistd.h>
#include <dvk/libdvk.h>
#include "dvs-trace.h"

/* What chart takes: more is refused, not truncated. */
#define TR_MAX_EVENTS		100000
#define TR_MAX_LIFELINES	256
#define TR_MAX_NAMES		65536
#define TR_MAX_LINE		1024
#define TR_MAX_ERRORS		20	/* bad lines reported before the rest are counted */
#define TR_NAME_LEN		32

enum { TR_SEND, TR_SENDREC, TR_NOTIFY, TR_REPLY, TR_COPY, TR_NKINDS };
static const char *const tr_kinds[TR_NKINDS] = { "send", "sendrec", "notify", "reply", "copy" };

struct tr_event {
	uint64_t t;		/* CLOCK_REALTIME, ns */
	int node;		/* where it was recorded: the destination's node */
	int kind;
	int dc;
	int32_t src;
	int snode;
	int32_t dst;
	int dnode;
	int32_t mtype;		/* 0 for a copy */
	uint64_t bytes;		/* 0 for a message */
};

static const char *tr_verb = "";	/* the verb running, for messages */

static void tr_vmsg(const char *fmt, va_list ap)
{
	fprintf(stderr, "dvs trace%s%s: ", *tr_verb ? " " : "", tr_verb);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static int __attribute__((format(printf, 1, 2))) tr_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tr_vmsg(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'dvs trace --help'.\n");
	return 2;
}

static int __attribute__((format(printf, 1, 2))) tr_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tr_vmsg(fmt, ap);
	va_end(ap);
	return 1;
}

/* ---- tracefs --------------------------------------------------------------- */

static const char tr_tracing[] = "/sys/kernel/tracing";
static const char tr_debugfs[] = "/sys/kernel/debug";
static const char tr_debug_tracing[] = "/sys/kernel/debug/tracing";

static bool tr_has(const char *dir, const char *file)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return access(path, F_OK) == 0;
}

/* The tracefs directory, mounted there if it is not yet; NULL once reported. */
static const char *tr_tracefs(void)
{
	int err, derr;

	if (tr_has(tr_tracing, "trace"))
		return tr_tracing;
	err = mount("nodev", tr_tracing, "tracefs", 0, NULL) ? errno : ENOENT;
	if (tr_has(tr_tracing, "trace"))
		return tr_tracing;
	if (tr_has(tr_debug_tracing, "trace"))
		return tr_debug_tracing;
	derr = mount("nodev", tr_debugfs, "debugfs", 0, NULL) ? errno : ENOENT;
	if (tr_has(tr_debug_tracing, "trace"))
		return tr_debug_tracing;
	tr_error("no tracefs: mounting it on %s failed (%s), and %s has none (debugfs: %s);"
		 " it needs a kernel with CONFIG_TRACING, and root", tr_tracing, strerror(err),
		 tr_debug_tracing, strerror(derr));
	return NULL;
}

/* Write @val to @dir/@file (truncating it: for "trace" that clears the buffer). */
static int tr_write(const char *dir, const char *file, const char *val)
{
	char path[PATH_MAX];
	FILE *f;
	int err = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	if (!f)
		return tr_error("cannot open %s: %s", path, strerror(errno));
	if (fputs(val, f) == EOF)
		err = errno;
	if (fclose(f) && !err)
		err = errno;
	if (err)
		return tr_error("cannot write '%s' to %s: %s", val, path, strerror(err));
	return 0;
}

/* The first line of @dir/@file into @buf, without its newline. */
static int tr_read(const char *dir, const char *file, char *buf, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	if (!f)
		return tr_error("cannot open %s: %s", path, strerror(errno));
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return tr_error("cannot read %s", path);
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

/* Does trace_clock's list @avail ("[local] global ... tai") offer @clock? */
static bool tr_offers(const char *avail, const char *clock)
{
	size_t n = strlen(clock);

	for (const char *p = avail; (p = strstr(p, clock)); p += n) {
		bool start = p == avail || p[-1] == ' ' || p[-1] == '[';
		bool end = !p[n] || p[n] == ' ' || p[n] == ']';

		if (start && end)
			return true;
	}
	return false;
}

/* The clock trace_clock's list @avail has selected ("[tai]"), into @out. */
static void tr_selected(const char *avail, char *out, size_t len)
{
	const char *b = strchr(avail, '['), *e = b ? strchr(b, ']') : NULL;

	snprintf(out, len, "%.*s", b && e ? (int)(e - b - 1) : 1, b && e ? b + 1 : "?");
}

/* tracefs with the dvk events in it; NULL once reported. */
static const char *tr_events_dir(void)
{
	const char *dir = tr_tracefs();

	if (dir && !tr_has(dir, "events/dvk/enable")) {
		tr_error("no dvk events in %s/events: the kernel has no DVK (or dvk.ko is not"
			 " loaded), or no CONFIG_EVENT_TRACING", dir);
		return NULL;
	}
	return dir;
}

static int tr_start(void)
{
	/* TAI is CLOCK_REALTIME while no TAI offset is set: one clock for every guest. */
	static const char *const clocks[] = { "tai", "mono", "local" };
	const char *dir = tr_events_dir(), *clock = NULL;
	char avail[512];

	if (!dir || tr_read(dir, "trace_clock", avail, sizeof(avail)))
		return 1;
	for (size_t k = 0; k < 3 && !clock; k++)
		if (tr_offers(avail, clocks[k]))
			clock = clocks[k];
	if (!clock)
		return tr_error("%s/trace_clock offers none of tai, mono, local: '%s'", dir, avail);
	/* Off while the clock changes and the buffer clears: nothing half-recorded. */
	if (tr_write(dir, "events/dvk/enable", "0") || tr_write(dir, "trace_clock", clock) ||
	    tr_write(dir, "trace", "") || tr_write(dir, "tracing_on", "1") ||
	    tr_write(dir, "events/dvk/enable", "1"))
		return 1;
	printf("dvs trace: dvk events on in %s (buffer cleared, clock %s)\n", dir, clock);
	return 0;
}

static int tr_stop(void)
{
	const char *dir = tr_events_dir();

	if (!dir || tr_write(dir, "events/dvk/enable", "0"))
		return 1;
	printf("dvs trace: dvk events off\n");
	return 0;
}

/* A name as the chart prints it: printable ASCII, no spaces at its ends. */
static void tr_clean_name(char *dst, size_t len, const char *src, size_t n)
{
	size_t i, o = 0;

	while (n && (*src == ' ' || *src == '\t')) {
		src++;
		n--;
	}
	for (i = 0; i < n && src[i] && o + 1 < len; i++)
		dst[o++] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : '?';
	while (o && dst[o - 1] == ' ')
		o--;
	dst[o] = 0;
}

/* "# name NODE DC EP NAME" for every endpoint bound on this node. */
static void tr_show_names(int node)
{
	for (int dc = 0; dc < DVK_MAX_DCS; dc++) {
		struct dc_usr u;

		if (dvk_getdcinfo(dc, &u) < 0)
			continue;
		for (int nr = -u.dc_nr_tasks; nr < u.dc_nr_procs; nr++) {
			struct proc_usr p;
			char name[TR_NAME_LEN];

			if (dvk_getprocinfo(dc, nr, &p) < 0 ||
			    (p.p_rts_flags & (DVK_SLOT_FREE | DVK_REMOTE)))
				continue;
			tr_clean_name(name, sizeof(name), p.p_name, sizeof(p.p_name));
			if (name[0])
				printf("# name %d %d %d %s\n", node, dc, p.p_endpoint, name);
		}
	}
}

/* One event line of tracefs's "trace" (after "dvk_msg: " or "dvk_copy: ") into @e. */
static bool tr_parse_tracefs(const char *s, bool copy, struct tr_event *e)
{
	unsigned long long rt, bytes;
	char kind[16];
	int rqtr, rnode, n;

	memset(e, 0, sizeof(*e));
	if (copy) {
		n = sscanf(s, "dc=%d rqtr=%d rnode=%d src=%d snode=%d dst=%d dnode=%d bytes=%llu"
			   " node=%d rt=%llu", &e->dc, &rqtr, &rnode, &e->src, &e->snode, &e->dst,
			   &e->dnode, &bytes, &e->node, &rt);
		e->kind = TR_COPY;
		e->bytes = bytes;
		e->t = rt;
		return n == 10;
	}
	n = sscanf(s, "dc=%d kind=%15s src=%d snode=%d dst=%d dnode=%d mtype=%d node=%d rt=%llu",
		   &e->dc, kind, &e->src, &e->snode, &e->dst, &e->dnode, &e->mtype, &e->node, &rt);
	e->t = rt;
	for (e->kind = 0; e->kind < TR_COPY; e->kind++)
		if (!strcmp(kind, tr_kinds[e->kind]))
			break;
	return n == 9 && e->kind < TR_COPY;
}

static void tr_print_event(FILE *f, const struct tr_event *e)
{
	fprintf(f, "%" PRIu64 " %d %s %d %d %d %d %d %d %" PRIu64 "\n", e->t, e->node,
		tr_kinds[e->kind], e->dc, e->src, e->snode, e->dst, e->dnode, e->mtype, e->bytes);
}

/* What the buffer's clock is, and how far CLOCK_REALTIME is ahead of it now. */
static void tr_show_clock(const char *dir)
{
	char avail[512], clock[32];
	struct timespec rt, ct;
	clockid_t id;

	if (tr_read(dir, "trace_clock", avail, sizeof(avail)))
		return;
	tr_selected(avail, clock, sizeof(clock));
	if (!strcmp(clock, "tai"))
		id = CLOCK_TAI;
	else if (!strcmp(clock, "mono"))
		id = CLOCK_MONOTONIC;
	else {
		printf("# clock %s\n", clock);
		return;
	}
	clock_gettime(id, &ct);
	clock_gettime(CLOCK_REALTIME, &rt);
	printf("# clock %s realtime-minus-clock %lld ns\n", clock,
	       ((long long)rt.tv_sec - ct.tv_sec) * 1000000000LL + (rt.tv_nsec - ct.tv_nsec));
}

static int tr_show(void)
{
	const char *dir = tr_events_dir();
	char path[PATH_MAX], *line = NULL;
	unsigned long lineno = 0;
	struct dvs_usr d;
	size_t cap = 0;
	int bad = 0;
	FILE *f;

	if (!dir)
		return 1;
	snprintf(path, sizeof(path), "%s/trace", dir);
	f = fopen(path, "r");
	if (!f)
		return tr_error("cannot open %s: %s", path, strerror(errno));
	printf("# dvs trace show: TIME_NS NODE KIND DC SRC_EP SRC_NODE DST_EP DST_NODE MTYPE BYTES\n");
	tr_show_clock(dir);
	if (dvk_getdvsinfo(&d) == 0)
		tr_show_names(d.d_nodeid);
	while (getline(&line, &cap, f) > 0) {
		const char *m = strstr(line, ": dvk_msg: "), *c = strstr(line, ": dvk_copy: ");
		struct tr_event e;

		lineno++;
		line[strcspn(line, "\n")] = 0;
		if (line[0] == '#')
			continue;
		if (!strncmp(line, "CPU:", 4) && strstr(line, "LOST")) {
			printf("# %s\n", line);	/* the buffer overflowed: events are missing */
			fprintf(stderr, "dvs trace show: %s\n", line);
			continue;
		}
		if (!m && !c)
			continue;	/* another subsystem's event */
		if (!tr_parse_tracefs(m ? m + 11 : c + 12, !m, &e)) {
			fprintf(stderr, "dvs trace show: %s:%lu: not a dvk event this dvs reads: %s\n",
				path, lineno, line);
			bad = 1;
			continue;
		}
		tr_print_event(stdout, &e);
	}
	free(line);
	fclose(f);
	return bad;
}

/* ---- chart: input ------------------------------------------------------------ */

struct tr_name {
	int node, dc;
	int32_t ep;
	size_t order;		/* the first of several names for one endpoint wins */
	char name[TR_NAME_LEN];
};

struct tr_input {
	struct tr_event *ev;
	size_t nev, evcap;
	struct tr_name *names;
	size_t nnames, namecap;
	int errors;
};

static bool tr_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	*out = v;
	return !errno && !*end;
}

static bool tr_int(const char *s, long long lo, long long hi, long long *out)
{
	char *end;

	if (!((*s >= '0' && *s <= '9') || (*s == '-' && s[1] >= '0' && s[1] <= '9')))
		return false;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return !errno && !*end && *out >= lo && *out <= hi;
}

/* @s (an event line, modified) into @e; NULL, or why not into @why. */
static const char *tr_parse_line(char *s, struct tr_event *e, char *why, size_t len)
{
	static const char *const what[] = { "TIME_NS", "NODE", "KIND", "DC", "SRC_EP", "SRC_NODE",
					    "DST_EP", "DST_NODE", "MTYPE", "BYTES" };
	char *tok[10], *save = NULL, *t;
	long long v[10] = { 0 };
	int n = 0, k;

	for (t = strtok_r(s, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (n == 10) {
			n++;
			break;
		}
		tok[n++] = t;
	}
	if (n != 10) {
		snprintf(why, len, "%s %d fields, want 10: TIME_NS NODE KIND DC SRC_EP SRC_NODE"
			 " DST_EP DST_NODE MTYPE BYTES", n > 10 ? "more than" : "has", n > 10 ? 10 : n);
		return why;
	}
	memset(e, 0, sizeof(*e));
	if (!tr_u64(tok[0], &e->t)) {
		snprintf(why, len, "TIME_NS '%.32s' is not a number of nanoseconds", tok[0]);
		return why;
	}
	if (!tr_u64(tok[9], &e->bytes)) {
		snprintf(why, len, "BYTES '%.32s' is not a byte count", tok[9]);
		return why;
	}
	for (e->kind = 0; e->kind < TR_NKINDS; e->kind++)
		if (!strcmp(tok[2], tr_kinds[e->kind]))
			break;
	if (e->kind == TR_NKINDS) {
		snprintf(why, len, "KIND '%.32s' is not send, sendrec, notify, reply or copy", tok[2]);
		return why;
	}
	for (k = 1; k < 9; k++) {
		bool node = k == 1 || k == 5 || k == 7;
		long long lo = node || k == 3 ? 0 : INT32_MIN;
		long long hi = node ? DVK_MAX_NODES - 1 : k == 3 ? DVK_MAX_DCS - 1 : INT32_MAX;

		if (k == 2)
			continue;
		if (!tr_int(tok[k], lo, hi, &v[k])) {
			snprintf(why, len, "%s '%.32s' is not %s", what[k], tok[k],
				 node ? "a node id (0-31)" : k == 3 ? "a DC id (0-31)" : "a 32-bit number");
			return why;
		}
	}
	e->node = (int)v[1];
	e->dc = (int)v[3];
	e->src = (int32_t)v[4];
	e->snode = (int)v[5];
	e->dst = (int32_t)v[6];
	e->dnode = (int)v[7];
	e->mtype = (int32_t)v[8];
	if (e->kind == TR_COPY ? e->mtype != 0 : e->bytes != 0) {
		snprintf(why, len, e->kind == TR_COPY ? "a copy's MTYPE is not 0" :
			 "a message's BYTES is not 0");
		return why;
	}
	if (e->dnode != e->node) {
		snprintf(why, len, "DST_NODE %d is not NODE %d (an event is recorded where it lands)",
			 e->dnode, e->node);
		return why;
	}
	return NULL;
}

/* "# name NODE DC EP NAME" (after "# name") into @nm; NULL, or why not. */
static const char *tr_parse_name(char *s, struct tr_name *nm)
{
	long long node, dc, ep;
	char *f[3], *save = NULL;

	for (int k = 0; k < 3; k++) {
		f[k] = strtok_r(k ? NULL : s, " \t", &save);
		if (!f[k])
			return "a name line is '# name NODE DC EP NAME'";
	}
	if (!tr_int(f[0], 0, DVK_MAX_NODES - 1, &node) || !tr_int(f[1], 0, DVK_MAX_DCS - 1, &dc) ||
	    !tr_int(f[2], INT32_MIN, INT32_MAX, &ep))
		return "a name line's NODE, DC or EP is not a number in range";
	s = save ? save : "";
	tr_clean_name(nm->name, sizeof(nm->name), s, strlen(s));
	if (!nm->name[0])
		return "a name line without a NAME";
	nm->node = (int)node;
	nm->dc = (int)dc;
	nm->ep = (int32_t)ep;
	return NULL;
}

static void tr_bad_line(struct tr_input *in, const char *file, unsigned long line, const char *why)
{
	if (in->errors++ < TR_MAX_ERRORS)
		fprintf(stderr, "dvs trace chart: %s:%lu: %s\n", file, line, why);
}

static bool tr_grow(void **arr, size_t *cap, size_t n, size_t size)
{
	void *p;

	if (n < *cap)
		return true;
	*cap = *cap ? *cap * 2 : 256;
	p = realloc(*arr, *cap * size);
	if (!p)
		return false;
	*arr = p;
	return true;
}

/* Read one shown trace (@path, or stdin for "-"). 0 or an exit status. */
static int tr_read_file(const char *path, struct tr_input *in)
{
	bool is_stdin = !strcmp(path, "-");
	const char *label = is_stdin ? "(stdin)" : path;
	char buf[TR_MAX_LINE + 2], why[160];
	unsigned long lineno = 0;
	FILE *f = is_stdin ? stdin : fopen(path, "r");

	if (!f)
		return tr_error("cannot open %s: %s", path, strerror(errno));
	while (fgets(buf, sizeof(buf), f)) {
		size_t len = strlen(buf);
		const char *err;
		char *s = buf;

		lineno++;
		if (len && buf[len - 1] == '\n') {
			buf[--len] = 0;
		} else if (!feof(f)) {
			int ch;

			snprintf(why, sizeof(why), "longer than %d bytes", TR_MAX_LINE);
			tr_bad_line(in, label, lineno, why);
			while ((ch = fgetc(f)) != EOF && ch != '\n')
				;
			continue;
		}
		if (len && buf[len - 1] == '\r')
			buf[--len] = 0;
		s += strspn(s, " \t");
		if (!*s)
			continue;
		if (*s == '#') {
			struct tr_name nm;

			if (strncmp(s, "# name", 6) || (s[6] && s[6] != ' ' && s[6] != '\t'))
				continue;	/* a comment */
			err = tr_parse_name(s + 6, &nm);
			if (err) {
				tr_bad_line(in, label, lineno, err);
				continue;
			}
			if (in->nnames == TR_MAX_NAMES) {
				snprintf(why, sizeof(why), "more than %d name lines: refused", TR_MAX_NAMES);
				tr_bad_line(in, label, lineno, why);
				break;
			}
			if (!tr_grow((void **)&in->names, &in->namecap, in->nnames, sizeof(nm)))
				return tr_error("out of memory");
			nm.order = in->nnames;
			in->names[in->nnames++] = nm;
			continue;
		}
		if (in->nev == TR_MAX_EVENTS) {
			snprintf(why, sizeof(why), "more than %d events: refused", TR_MAX_EVENTS);
			tr_bad_line(in, label, lineno, why);
			break;
		}
		if (!tr_grow((void **)&in->ev, &in->evcap, in->nev, sizeof(*in->ev)))
			return tr_error("out of memory");
		err = tr_parse_line(s, &in->ev[in->nev], why, sizeof(why));
		if (err)
			tr_bad_line(in, label, lineno, err);
		else
			in->nev++;
	}
	if (ferror(f)) {
		int err = errno;

		if (!is_stdin)
			fclose(f);
		return tr_error("cannot read %s: %s", label, strerror(err));
	}
	if (!is_stdin)
		fclose(f);
	return 0;
}

/* ---- chart: layout ------------------------------------------------------------ */

struct tr_life {
	int node, dc;
	int32_t ep;
	const char *name;	/* from a name line, else NULL */
};

static int tr_cmp3(int an, int ad, int32_t ae, int bn, int bd, int32_t be)
{
	if (an != bn)
		return an < bn ? -1 : 1;
	if (ad != bd)
		return ad < bd ? -1 : 1;
	return ae < be ? -1 : ae > be;
}

static int tr_cmp_event(const void *a, const void *b)
{
	const struct tr_event *x = a, *y = b;
	int c;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	c = tr_cmp3(x->node, x->kind, x->dc, y->node, y->kind, y->dc);
	if (!c)
		c = tr_cmp3(x->snode, x->dnode, x->src, y->snode, y->dnode, y->src);
	if (!c)
		c = tr_cmp3(x->mtype, 0, x->dst, y->mtype, 0, y->dst);
	if (!c && x->bytes != y->bytes)
		c = x->bytes < y->bytes ? -1 : 1;
	return c;
}

static int tr_cmp_name(const void *a, const void *b)
{
	const struct tr_name *x = a, *y = b;
	int c = tr_cmp3(x->node, x->dc, x->ep, y->node, y->dc, y->ep);

	return c ? c : x->order < y->order ? -1 : x->order > y->order;
}

static int tr_cmp_life(const void *a, const void *b)
{
	const struct tr_life *x = a, *y = b;

	return tr_cmp3(x->node, x->dc, x->ep, y->node, y->dc, y->ep);
}

struct tr_chart {
	struct tr_event *ev;
	size_t nev;
	struct tr_life life[TR_MAX_LIFELINES];
	int nlife;
};

static int tr_life_find(const struct tr_chart *c, int node, int dc, int32_t ep)
{
	struct tr_life key = { .node = node, .dc = dc, .ep = ep };
	const struct tr_life *l = bsearch(&key, c->life, (size_t)c->nlife, sizeof(key), tr_cmp_life);

	return l ? (int)(l - c->life) : -1;
}

/* Add a lifeline, keeping them sorted; false when there would be too many. */
static bool tr_life_add(struct tr_chart *c, int node, int dc, int32_t ep)
{
	struct tr_life key = { .node = node, .dc = dc, .ep = ep };
	int i;

	if (tr_life_find(c, node, dc, ep) >= 0)
		return true;
	if (c->nlife == TR_MAX_LIFELINES)
		return false;
	for (i = c->nlife; i > 0 && tr_cmp_life(&c->life[i - 1], &key) > 0; i--)
		c->life[i] = c->life[i - 1];
	c->life[i] = key;
	c->nlife++;
	return true;
}

/* ---- chart: clocks ------------------------------------------------------------ */

/*
 * Each event carries the real time of the node that recorded it, and two
 * nodes' clocks need not agree (a UML guest's is set once, at a boot whose
 * early ticks TCG slows down). The round trips say how far apart they are:
 * the k-th request a client on node C sent to a server on node S was taken
 * on S before the k-th reply reached C, and that reply came before the
 * (k+1)-th request. So d, C's clock minus S's, is above R[k] - A[k+1] and
 * below R[k] - A[k] for every k. If d = 0 fits, the clocks are left as they
 * are; else d is the middle of what fits. Nodes are moved onto the lowest
 * node's clock through such pairs, nearest first.
 */
#define TR_NODES	DVK_MAX_NODES

struct tr_bounds {
	int64_t lo, hi;		/* d in (lo, hi) */
	bool any;
};

/*
 * A remote round trip's half, keyed by its pair: the server (node, endpoint)
 * and the client (node, endpoint). A request is recorded on the server's
 * node, its reply on the client's.
 */
struct tr_half {
	int s, c, kind;
	int32_t srv, cli;
	int64_t t;
};

static int tr_cmp_half(const void *a, const void *b)
{
	const struct tr_half *x = a, *y = b;
	int k = tr_cmp3(x->s, x->c, x->srv, y->s, y->c, y->srv);

	if (!k)
		k = tr_cmp3(x->cli, x->kind, 0, y->cli, y->kind, 0);
	return k ? k : x->t < y->t ? -1 : x->t > y->t;
}

/* The bounds one client's requests A[] and replies R[] (in time order) set on b. */
static void tr_bound_pair(const struct tr_half *a, size_t na, const struct tr_half *r, size_t nr,
			  struct tr_bounds *b)
{
	/* Paired only when both traces hold every call. */
	if (na != nr && na != nr + 1)
		return;
	for (size_t k = 0; k < nr; k++) {
		int64_t hi = r[k].t - a[k].t;

		if (!b->any || hi < b->hi)
			b->hi = hi;
		if (k + 1 < na && (!b->any || r[k].t - a[k + 1].t > b->lo))
			b->lo = r[k].t - a[k + 1].t;
		else if (!b->any)
			b->lo = INT64_MIN;
		b->any = true;
	}
}

/* b[S][C]: what the remote round trips say of C's clock minus S's. One sort, one sweep. */
static void tr_bounds_all(const struct tr_input *in, struct tr_bounds b[TR_NODES][TR_NODES])
{
	struct tr_half *h = malloc((in->nev + 1) * sizeof(*h));
	size_t n = 0, i = 0;

	if (!h)
		return;		/* no alignment: the clocks are drawn as they are */
	for (size_t k = 0; k < in->nev; k++) {
		const struct tr_event *e = &in->ev[k];

		if (e->snode == e->node || (e->kind != TR_SENDREC && e->kind != TR_REPLY))
			continue;
		if (e->kind == TR_SENDREC)
			h[n++] = (struct tr_half){ e->node, e->snode, TR_SENDREC, e->dst, e->src, (int64_t)e->t };
		else
			h[n++] = (struct tr_half){ e->snode, e->node, TR_REPLY, e->src, e->dst, (int64_t)e->t };
	}
	qsort(h, n, sizeof(*h), tr_cmp_half);
	while (i < n) {
		size_t a = i, r, end;

		for (r = a; r < n && h[r].kind == TR_SENDREC && !tr_cmp3(h[r].s, h[r].c, h[r].srv,
				h[a].s, h[a].c, h[a].srv) && h[r].cli == h[a].cli; r++)
			;
		for (end = r; end < n && !tr_cmp3(h[end].s, h[end].c, h[end].srv, h[a].s, h[a].c,
				h[a].srv) && h[end].cli == h[a].cli; end++)
			;
		tr_bound_pair(&h[a], r - a, &h[r], end - r, &b[h[a].s][h[a].c]);
		i = end;
	}
	free(h);
}

/* Move each node's events onto the lowest node's clock; say so on stdout. */
static void tr_align(struct tr_input *in)
{
	static struct tr_bounds b[TR_NODES][TR_NODES];	/* [S][C]: C's clock minus S's */
	int64_t off[TR_NODES] = { 0 };
	bool seen[TR_NODES] = { false }, done[TR_NODES] = { false };
	int ref = -1;

	memset(b, 0, sizeof(b));
	for (size_t i = 0; i < in->nev; i++) {
		const struct tr_event *e = &in->ev[i];

		/* Parsed into range (tr_parse_line): no bounds check needed here. */
		seen[e->node] = true;
	}
	tr_bounds_all(in, b);
	for (int n = 0; n < TR_NODES && ref < 0; n++)
		if (seen[n])
			ref = n;
	if (ref < 0)
		return;
	done[ref] = true;
	for (bool more = true; more;) {
		more = false;
		for (int s = 0; s < TR_NODES; s++) {
			for (int c = 0; c < TR_NODES; c++) {
				struct tr_bounds x;
				int64_t d;

				if (!done[s] || done[c] || !seen[c] || (!b[s][c].any && !b[c][s].any))
					continue;
				x = b[s][c];
				if (b[c][s].any) {	/* S's clock minus C's: the same bounds, negated */
					int64_t lo = b[c][s].hi == INT64_MIN ? INT64_MAX : -b[c][s].hi;
					int64_t hi = b[c][s].lo == INT64_MIN ? INT64_MAX : -b[c][s].lo;

					if (!x.any || lo > x.lo)
						x.lo = lo;
					if (!x.any || hi < x.hi)
						x.hi = hi;
					x.any = true;
				}
				if (x.lo < 0 && 0 < x.hi)
					d = 0;
				else if (x.lo == INT64_MIN)
					d = x.hi - 1000;	/* 1 us inside the one bound */
				else if (x.hi == INT64_MAX)
					d = x.lo + 1000;
				else
					d = x.lo / 2 + x.hi / 2;
				off[c] = off[s] + d;
				done[c] = more = true;
				if (d)
					printf("(node %d's times moved %s%" PRId64 ".%03" PRId64
					       " ms onto node %d's clock: its round trips with node %d say so)\n",
					       c, d > 0 ? "-" : "+", (d < 0 ? -d : d) / 1000000,
					       (d < 0 ? -d : d) / 1000 % 1000, ref, s);
			}
		}
	}
	for (size_t i = 0; i < in->nev; i++) {
		struct tr_event *e = &in->ev[i];

		if (e->node >= 0 && e->node < TR_NODES)
			e->t = (uint64_t)((int64_t)e->t - off[e->node]);
	}
}

/* Sort, drop duplicates, find the lifelines and their names. 0 or an exit status. */
static int tr_chart_build(struct tr_input *in, struct tr_chart *c)
{
	size_t n = 0;

	if (!in->nev)
		return tr_error("no events in the input");
	qsort(in->ev, in->nev, sizeof(*in->ev), tr_cmp_event);
	for (size_t i = 0; i < in->nev; i++)
		if (!n || tr_cmp_event(&in->ev[n - 1], &in->ev[i]))
			in->ev[n++] = in->ev[i];
	in->nev = n;
	tr_align(in);	/* duplicates gone first: they would pair with themselves */
	qsort(in->ev, in->nev, sizeof(*in->ev), tr_cmp_event);
	c->ev = in->ev;
	c->nev = n;
	c->nlife = 0;
	for (size_t i = 0; i < n; i++) {
		const struct tr_event *e = &c->ev[i];

		if (!tr_life_add(c, e->snode, e->dc, e->src) || !tr_life_add(c, e->dnode, e->dc, e->dst))
			return tr_error("more than %d lifelines (endpoints of a node and DC): refused;"
					" chart fewer nodes or DCs", TR_MAX_LIFELINES);
	}
	if (in->nnames)
		qsort(in->names, in->nnames, sizeof(*in->names), tr_cmp_name);
	for (size_t i = 0; i < in->nnames; i++) {
		const struct tr_name *nm = &in->names[i];
		int l = tr_life_find(c, nm->node, nm->dc, nm->ep);

		if (l >= 0 && !c->life[l].name)
			c->life[l].name = nm->name;
	}
	return 0;
}

/* An event's label: "send(7) +12.345 ms", bytes for a copy. */
static void tr_label(const struct tr_chart *c, const struct tr_event *e, char *buf, size_t len)
{
	uint64_t d = e->t - c->ev[0].t;

	if (e->kind == TR_COPY)
		snprintf(buf, len, "copy(%" PRIu64 ") +%" PRIu64 ".%03" PRIu64 " ms", e->bytes,
			 d / 1000000, d / 1000 % 1000);
	else
		snprintf(buf, len, "%s(%d) +%" PRIu64 ".%03" PRIu64 " ms", tr_kinds[e->kind],
			 (int)e->mtype, d / 1000000, d / 1000 % 1000);
}

static void tr_life_label(const struct tr_life *l, char *buf, size_t len)
{
	if (l->name)
		snprintf(buf, len, "%s", l->name);
	else
		snprintf(buf, len, "%d", (int)l->ep);
}

/* ---- chart: text ------------------------------------------------------------ */

/* Put @s at column @x of @row (@w wide), at most @max characters of it. */
static void tr_put(char *row, int w, int x, const char *s, int max)
{
	for (int i = 0; s[i] && i < max && x + i < w; i++)
		row[x + i] = s[i];
}

static void tr_emit(char *row, int w)
{
	int n = w;

	while (n && row[n - 1] == ' ')
		n--;
	printf("%.*s\n", n, row);
}

static int tr_text(const struct tr_chart *c, int width)
{
	int cw = (width - 24) / (c->nlife ? c->nlife : 1);
	int w, margin, x;
	char *row, text[64];

	cw = cw < 8 ? 8 : cw > 20 ? 20 : cw;
	margin = (c->nlife - 1) * cw + 6;
	w = margin + 64;
	row = malloc((size_t)w);
	if (!row)
		return tr_error("out of memory");
	/* Headings: the node over its group, each lifeline's name and DC:endpoint. */
	memset(row, ' ', (size_t)w);
	for (int i = 0; i < c->nlife; i++) {
		int k = i;

		if (i && c->life[i - 1].node == c->life[i].node)
			continue;
		while (k < c->nlife && c->life[k].node == c->life[i].node)
			k++;
		snprintf(text, sizeof(text), "node %d", c->life[i].node);
		tr_put(row, w, i * cw, text, (k - i) * cw - 1);
	}
	tr_emit(row, w);
	memset(row, ' ', (size_t)w);
	for (int i = 0; i < c->nlife; i++) {
		tr_life_label(&c->life[i], text, sizeof(text));
		tr_put(row, w, i * cw, text, cw - 1);
	}
	tr_emit(row, w);
	memset(row, ' ', (size_t)w);
	for (int i = 0; i < c->nlife; i++) {
		snprintf(text, sizeof(text), "%d:%d", c->life[i].dc, (int)c->life[i].ep);
		tr_put(row, w, i * cw, text, cw - 1);
	}
	tr_emit(row, w);
	memset(row, ' ', (size_t)w);
	for (int i = 0; i < c->nlife; i++)
		row[i * cw] = '|';
	tr_emit(row, w);

	for (size_t k = 0; k < c->nev; k++) {
		const struct tr_event *e = &c->ev[k];
		int s = tr_life_find(c, e->snode, e->dc, e->src) * cw;
		int d = tr_life_find(c, e->dnode, e->dc, e->dst) * cw;

		memset(row, ' ', (size_t)w);
		for (int i = 0; i < c->nlife; i++)
			row[i * cw] = '|';
		if (s < d) {
			for (x = s + 1; x < d - 1; x++)
				row[x] = '-';
			row[d - 1] = '>';
		} else if (s > d) {
			row[d + 1] = '<';
			for (x = d + 2; x < s; x++)
				row[x] = '-';
		} else {
			memcpy(row + s + 1, "<-+", 3);	/* to itself */
		}
		tr_label(c, e, text, sizeof(text));
		tr_put(row, w, margin, text, 63);
		tr_emit(row, w);
	}
	free(row);
	return 0;
}

/* ---- chart: SVG ------------------------------------------------------------ */

#define SVG_COL		160	/* px per lifeline */
#define SVG_LEFT	20
#define SVG_TOP		20
#define SVG_ROW		26
#define SVG_FIRST	(SVG_TOP + 100)	/* the first event's y */

/* @s with &, <, >, " and ' escaped (names are printable ASCII already). */
static void svg_text(FILE *f, const char *s)
{
	static const char *const ent[128] = {
		['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&apos;",
	};

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 128 && ent[ch])
			fputs(ent[ch], f);
		else
			fputc(ch, f);
	}
}

static int svg_x(int life)
{
	return SVG_LEFT + life * SVG_COL + SVG_COL / 2;
}

static void svg_write(FILE *f, const struct tr_chart *c)
{
	int width = 2 * SVG_LEFT + c->nlife * SVG_COL + 60;
	int height = SVG_FIRST + (int)c->nev * SVG_ROW + 20;
	char text[64];

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
		   " viewBox=\"0 0 %d %d\" font-family=\"monospace\" font-size=\"12\">\n",
		width, height, width, height);
	fprintf(f, "<title>DVK message sequence chart: %zu events, %d lifelines</title>\n", c->nev,
		c->nlife);
	fputs("<defs>\n"
	      "<marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\""
	      " markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#222\"/></marker>\n"
	      "<style>\n"
	      ".node{fill:#f3f4f8;stroke:#889}\n"
	      ".head{fill:#fff;stroke:#333}\n"
	      ".life{stroke:#666;stroke-dasharray:4 4}\n"
	      ".arrow{stroke:#222;stroke-width:1.4;fill:none}\n"
	      ".sendrec{stroke:#514}\n.notify{stroke:#a50}\n.reply{stroke:#262}\n"
	      ".copy{stroke:#24a;stroke-dasharray:6 3}\n"
	      "</style>\n"
	      "</defs>\n", f);
	/* A box per node around its lifelines, and each lifeline's head and dashed line. */
	for (int i = 0, k; i < c->nlife; i = k) {
		for (k = i; k < c->nlife && c->life[k].node == c->life[i].node; k++)
			;
		fprintf(f, "<rect class=\"node\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\"/>\n",
			SVG_LEFT + i * SVG_COL + 4, SVG_TOP, (k - i) * SVG_COL - 8, height - SVG_TOP - 8);
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">node %d</text>\n",
			SVG_LEFT + i * SVG_COL + 12, SVG_TOP + 18, c->life[i].node);
	}
	for (int i = 0; i < c->nlife; i++) {
		int x = svg_x(i);

		fprintf(f, "<rect class=\"head\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"40\"/>\n",
			x - SVG_COL / 2 + 14, SVG_TOP + 30, SVG_COL - 28);
		tr_life_label(&c->life[i], text, sizeof(text));
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", x, SVG_TOP + 47);
		svg_text(f, text);
		fprintf(f, "</text>\n<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\">"
			   "dc %d ep %d</text>\n", x, SVG_TOP + 63, c->life[i].dc, (int)c->life[i].ep);
		fprintf(f, "<line class=\"life\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", x,
			SVG_TOP + 70, x, height - 16);
	}
	/* One arrow per event, its label above it. */
	for (size_t k = 0; k < c->nev; k++) {
		const struct tr_event *e = &c->ev[k];
		int s = svg_x(tr_life_find(c, e->snode, e->dc, e->src));
		int d = svg_x(tr_life_find(c, e->dnode, e->dc, e->dst));
		int y = SVG_FIRST + (int)k * SVG_ROW;

		tr_label(c, e, text, sizeof(text));
		if (s == d) {	/* to itself: a loop on the right, the label after it */
			fprintf(f, "<path class=\"arrow %s\" d=\"M%d,%d h30 v10 h-30\""
				   " marker-end=\"url(#head)\"/>\n", tr_kinds[e->kind], s, y - 8);
			fprintf(f, "<text x=\"%d\" y=\"%d\">%s</text>\n", s + 36, y, text);
			continue;
		}
		fprintf(f, "<line class=\"arrow %s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\""
			   " marker-end=\"url(#head)\"/>\n", tr_kinds[e->kind], s, y, d, y);
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", (s + d) / 2,
			y - 4, text);
	}
	fputs("</svg>\n", f);
}

static int tr_svg(const struct tr_chart *c, const char *path)
{
	FILE *f = fopen(path, "w");
	int err = 0;

	if (!f)
		return tr_error("cannot create %s: %s", path, strerror(errno));
	svg_write(f, c);
	if (ferror(f))
		err = EIO;
	if (fclose(f) && !err)
		err = errno;
	if (err) {
		unlink(path);
		return tr_error("cannot write %s: %s", path, strerror(err));
	}
	return 0;
}

static int tr_chart(int argc, char **argv)
{
	const char *svg = NULL, *files[256];
	struct tr_input in = { 0 };
	struct tr_chart *c;
	long long width = 80;
	int nfiles = 0, ret = 0;
	bool opts = true;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		bool is_svg = !strncmp(a, "--svg", 5) && (!a[5] || a[5] == '=');
		bool is_width = !strncmp(a, "--width", 7) && (!a[7] || a[7] == '=');

		if (opts && !strcmp(a, "--")) {
			opts = false;
			continue;
		}
		if (opts && (is_svg || is_width)) {
			val = strchr(a, '=') ? strchr(a, '=') + 1 : i + 1 < argc ? argv[++i] : NULL;
			if (!val || !*val)
				return tr_usage("option '%s' needs a value", is_svg ? "--svg" : "--width");
			if (is_svg)
				svg = val;
			else if (!tr_int(val, 20, 100000, &width))
				return tr_usage("--width '%s': want columns, 20 to 100000", val);
			continue;
		}
		if (opts && a[0] == '-' && a[1])
			return tr_usage("unknown option '%s'", a);
		if (nfiles == (int)(sizeof(files) / sizeof(files[0])))
			return tr_usage("more than %zu files", sizeof(files) / sizeof(files[0]));
		files[nfiles++] = a;
	}
	if (!nfiles)
		return tr_usage("chart needs a FILE (- for stdin): the output of dvs trace show");
	for (int i = 0; i < nfiles && !ret; i++)
		ret = tr_read_file(files[i], &in);
	if (!ret && in.errors) {
		if (in.errors > TR_MAX_ERRORS)
			fprintf(stderr, "dvs trace chart: %d more bad lines\n", in.errors - TR_MAX_ERRORS);
		ret = tr_error("%d bad line%s: no chart", in.errors, in.errors == 1 ? "" : "s");
	}
	c = ret ? NULL : malloc(sizeof(*c));
	if (!ret && !c)
		ret = tr_error("out of memory");
	if (!ret)
		ret = tr_chart_build(&in, c);
	if (!ret)
		ret = tr_text(c, (int)width);
	if (!ret && svg)
		ret = tr_svg(c, svg);
	free(c);
	free(in.ev);
	free(in.names);
	return ret;
}

int dvs_trace_main(int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : "";

	if (!strcmp(verb, "chart")) {
		tr_verb = "chart";
		return tr_chart(argc - 1, argv + 1);
	}
	if (strcmp(verb, "start") && strcmp(verb, "stop") && strcmp(verb, "show"))
		return tr_usage("'%s': want start, stop, show or chart", argc > 1 ? verb : "(nothing)");
	tr_verb = verb;
	if (argc > 2)
		return tr_usage("unexpected argument '%s'", argv[2]);
	if (!strcmp(verb, "start"))
		return tr_start();
	if (!strcmp(verb, "stop"))
		return tr_stop();
	return tr_show();
}
