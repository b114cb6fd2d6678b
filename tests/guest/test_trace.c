// SPDX-License-Identifier: GPL-2.0
/*
 * The DVK's trace events through dvs trace: a local send, notify,
 * sendrec with its reply and a vcopy between two endpoints of this test
 * are recorded as exactly the lines docs/trace.md describes, in order,
 * with CLOCK_REALTIME times; after dvs trace stop nothing more is; and
 * dvs trace chart draws the recorded trace.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dvk/libdvk.h>
#include "test_util.h"

const char *t_prog = "test_trace";

#define SRV	1
#define CLI	3
#define NBYTES	12345	/* the copy: four pages, not a whole one */
#define TRACE	"/tmp/test_trace.txt"
#define MAX_EV	16

static uint8_t cbuf[NBYTES], sbuf[NBYTES];

/* The test's own view of what the trace must hold. */
static int srv, cli, notify_type;
static long long t_start_ns;

/* What dvs trace show printed: its event lines (split) and its name lines. */
static struct {
	unsigned long long t[MAX_EV];
	char rest[MAX_EV][128];	/* the line after TIME_NS */
	int n;
	bool srv_named;
} shown;

static long long realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The client: a send, a notify, then a sendrec whose reply comes after a copy into cbuf. */
static int child_client(void *arg)
{
	struct dvk_message m;
	int s = DVK_ENDPOINT(1, SRV);

	(void)arg;
	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	memset(&m, 0, sizeof(m));
	m.m_type = 101;
	C_EQ(dvk_send_T(s, &m, 5000), 0);
	C_EQ(dvk_notify(s), 0);
	memset(&m, 0, sizeof(m));
	m.m_type = 103;
	m.m_u.m1.p1 = (uintptr_t)cbuf;
	m.m_u.m1.i1 = NBYTES;
	C_EQ(dvk_sendrec_T(s, &m, 10000), 0);
	C_EQ(m.m_type, 104);
	for (int i = 0; i < NBYTES; i++)
		if (cbuf[i] != (uint8_t)(i * 7 + 3))
			C_EQ(i, -1);
	return 0;
}

/* Run dvs trace show into TRACE and read it back into shown. */
static void show(void)
{
	char line[256], want[64];
	FILE *f;

	T_EQ(system("dvs trace show > " TRACE), 0);
	f = fopen(TRACE, "r");
	T_TRUE(f != NULL);
	memset(&shown, 0, sizeof(shown));
	snprintf(want, sizeof(want), "# name 0 %d %d test_trace\n", T_DC, srv);
	while (fgets(line, sizeof(line), f)) {
		int off = 0;

		if (!strcmp(line, want))
			shown.srv_named = true;
		if (line[0] == '#')
			continue;
		if (shown.n == MAX_EV || sscanf(line, "%llu %n", &shown.t[shown.n], &off) != 1 || !off) {
			printf("  unexpected line: %s", line);
			shown.n = MAX_EV + 1;
			break;
		}
		line[strcspn(line, "\n")] = 0;
		snprintf(shown.rest[shown.n], sizeof(shown.rest[0]), "%s", line + off);
		shown.n++;
	}
	fclose(f);
	T_TRUE(shown.n <= MAX_EV);
}

/* The five events, in order, as the test made them (node 0, DC 0). */
static void check_shown(void)
{
	char want[5][128];

	snprintf(want[0], sizeof(want[0]), "0 send %d %d 0 %d 0 101 0", T_DC, cli, srv);
	snprintf(want[1], sizeof(want[1]), "0 notify %d %d 0 %d 0 %d 0", T_DC, cli, srv, notify_type);
	snprintf(want[2], sizeof(want[2]), "0 sendrec %d %d 0 %d 0 103 0", T_DC, cli, srv);
	snprintf(want[3], sizeof(want[3]), "0 copy %d %d 0 %d 0 0 %d", T_DC, srv, cli, NBYTES);
	snprintf(want[4], sizeof(want[4]), "0 reply %d %d 0 %d 0 104 0", T_DC, srv, cli);
	T_EQ(shown.n, 5);
	for (int i = 0; i < 5; i++) {
		if (strcmp(shown.rest[i], want[i]))
			t_fail(__FILE__, __LINE__, "event %d is '%s', expected '%s'", i, shown.rest[i],
			       want[i]);
		/* CLOCK_REALTIME, after the test started, each after the one before. */
		T_TRUE((long long)shown.t[i] >= t_start_ns && (long long)shown.t[i] <= realtime_ns());
		if (i)
			T_TRUE(shown.t[i] > shown.t[i - 1]);
	}
}

static void records_each_kind(void)
{
	struct dvk_message m;
	struct dc_usr u;
	pid_t c;

	t_up();
	T_EQ(dvk_getdcinfo(T_DC, &u), 0);
	srv = dvk_bind(T_DC, SRV);
	T_EQ(srv, DVK_ENDPOINT(1, SRV));
	t_start_ns = realtime_ns();
	T_EQ(system("dvs trace start > /dev/null"), 0);
	c = t_fork(child_client, NULL);
	cli = dvk_lclbind(T_DC, c, CLI);
	T_TRUE(cli > 0);
	T_EQ(dvk_receive_T(cli, &m, 5000), 0);
	T_EQ(m.m_type, 101);
	T_EQ(dvk_receive_T(cli, &m, 5000), 0);
	notify_type = DVK_NOTIFY_FROM(CLI + u.dc_nr_tasks);
	T_EQ(m.m_type, notify_type);
	T_EQ(dvk_receive_T(cli, &m, 5000), 0);
	T_EQ(m.m_type, 103);
	T_EQ(m.m_u.m1.i1, NBYTES);
	for (int i = 0; i < NBYTES; i++)
		sbuf[i] = (uint8_t)(i * 7 + 3);
	T_EQ(dvk_vcopy(DVK_SELF, sbuf, cli, (void *)(uintptr_t)m.m_u.m1.p1, NBYTES), NBYTES);
	memset(&m, 0, sizeof(m));
	m.m_type = 104;
	T_EQ(dvk_reply_T(cli, &m, 0), 0);
	T_EQ(t_join(c), 0);
	T_TRUE(t_wait_free(T_DC, CLI));
	show();
	T_TRUE(shown.srv_named);
	check_shown();
}

/* Events off: a notification to itself and its receipt leave no line. */
static void stop_records_nothing(void)
{
	struct dvk_message m;

	T_EQ(system("dvs trace stop > /dev/null"), 0);
	T_EQ(dvk_notify(DVK_SELF), 0);
	T_EQ(dvk_receive_T(DVK_ANY, &m, 1000), 0);
	T_TRUE(DVK_IS_NOTIFY(m.m_type));
	show();
	check_shown();
}

/* The chart of this node's trace: three lifelines' worth of arrows, the copy's bytes. */
static void chart_of_the_trace(void)
{
	char cmd[128], line[256], copy[32];
	int rows = 0, labels = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "dvs trace chart %s 2>&1", TRACE);
	snprintf(copy, sizeof(copy), "copy(%d) +", NBYTES);
	f = popen(cmd, "r");
	T_TRUE(f != NULL);
	while (fgets(line, sizeof(line), f)) {
		rows++;
		labels += strstr(line, "send(101) +0.000 ms") || strstr(line, "sendrec(103) +") ||
			  strstr(line, "reply(104) +") || strstr(line, copy) ||
			  strstr(line, "notify(");
	}
	T_EQ(pclose(f), 0);
	T_EQ(labels, 5);
	T_EQ(rows, 4 + 5);	/* the headings, then one row per event */
	t_down();
}

int main(void)
{
	T_RUN(records_each_kind);
	T_RUN(stop_records_nothing);
	T_RUN(chart_of_the_trace);
	system("dvs trace stop > /dev/null 2>&1");
	return t_summary();
}
