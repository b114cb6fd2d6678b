// SPDX-License-Identifier: GPL-2.0
/*
 * MIGRATE on one node (issue 13): this program is node 1's proxy pair (as
 * in test_remote) and the orchestrator. An endpoint leaves this node for
 * node 1 while a local client keeps calling it, comes from node 1 to a
 * local process, a request refused in flight is replayed (never served
 * twice), a busy server cannot start, an uncommitted migration rolls back
 * on its own, and the bad arguments. Last, `dvs migrate agent` refuses a
 * caller with a user's rights.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dvk/libdvk.h>
#include "../../tools/dvs-migrate.h"
#include "test_util.h"

const char *t_prog = "test_migrate";

#define RNODE		1
#define RSRV		DVK_ENDPOINT(1, 10)	/* a server on node 1 */
#define CLI_NR		2
#define SRV_NR		3
#define ROUNDS		8

static void up_with_node1(void)
{
	t_up_with_pair(RNODE);
}

static struct dvk_cmd from1(unsigned int cmd, int src, int dst, unsigned long long id)
{
	return t_cmd_from(RNODE, cmd, src, dst, id);
}

/* The next command for node 1, or c_cmd 0 when none comes within @ms. */
static struct dvk_cmd next_cmd_within(long ms)
{
	struct dvk_cmd c;

	memset(&c, 0, sizeof(c));
	if (dvk_get2rmt_T(&c, NULL, ms) != 0)
		c.c_cmd = 0;
	return c;
}

/* Node 1 answers a sendrec: the reply carries the request's m1.i1 + 1000. */
static void node1_replies(const struct dvk_cmd *c, int src)
{
	struct dvk_cmd r = from1(DVK_CMD_REPLY_MSG, src, c->c_src, c->c_id);

	r.c_msg.m_type = 2;
	r.c_msg.m_u.m1.i1 = c->c_msg.m_u.m1.i1 + 1000;
	T_EQ(dvk_put2lcl(&r, NULL), 0);
}

/* Client: ROUNDS sendrecs to *arg (an endpoint), each answered with i1 + 1000. */
static int client(void *arg)
{
	int dst = *(int *)arg;

	C_EQ(dvk_bind(T_DC, CLI_NR) > 0, 1);
	for (int i = 0; i < ROUNDS; i++) {
		struct dvk_message m = { .m_type = 1 };

		m.m_u.m1.i1 = i;
		t_sync_post();
		C_EQ(dvk_sendrec_T(dst, &m, 20000), 0);
		C_EQ(m.m_u.m1.i1, i + 1000);
		usleep(50 * 1000);	/* the server idles between rounds */
	}
	return 0;
}

/* Server: answers i1 + 1000 until its binding goes, then exits with the count served. */
static int server(void *arg)
{
	struct dvk_message m;
	int r, served = 0;

	if (arg)		/* on this node by migration: wait to be bound */
		C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 20000), *(int *)arg);
	else
		C_EQ(dvk_bind(T_DC, SRV_NR) > 0, 1);
	for (;;) {
		r = dvk_receive(DVK_ANY, &m);
		if (r == EDVSNOTBIND)
			return served;
		C_EQ(r, 0);
		m.m_u.m1.i1 += 1000;
		m.m_type = 2;
		C_EQ(dvk_reply_T(m.m_source, &m, 1000), 0);
		served++;
	}
}

static int srv_ep(void)
{
	struct proc_usr p;

	return dvk_getprocinfo(T_DC, SRV_NR, &p) == 0 ? p.p_endpoint : DVK_NONE;
}

/* A local server moves to node 1 while a local client keeps calling it. */
static void local_to_remote(void)
{
	struct dvk_cmd c, in;
	struct proc_usr p;
	pid_t srv, cli;
	int ep, served = 0, here;

	up_with_node1();
	srv = t_fork(server, NULL);
	T_TRUE(t_wait_flags(T_DC, SRV_NR, DVK_RECEIVING));
	ep = srv_ep();
	t_sync_init();
	cli = t_fork(client, &ep);
	T_TRUE(t_sync_wait());			/* round 0 is on its way */
	T_TRUE(t_sync_wait());			/* round 0 answered here, round 1 next */
	/* Start when the server is idle between requests (EDVSBUSY otherwise). */
	for (int i = 0; i < 200; i++) {
		int r = dvk_migrate(DVK_MIGR_START, 0, T_DC, ep, -1);

		if (r != EDVSBUSY) {
			T_EQ(r, 0);
			break;
		}
		usleep(5000);
	}
	T_EQ(dvk_getprocinfo(T_DC, SRV_NR, &p), 0);
	T_TRUE(p.p_rts_flags & DVK_MIGRATING);
	usleep(200 * 1000);			/* calls wait: nothing goes to node 1 */
	T_EQ(next_cmd_within(0).c_cmd, 0);
	T_EQ(dvk_migrate(DVK_MIGR_COMMIT, 0, T_DC, ep, RNODE), 0);
	here = t_join(srv);			/* its receive ended EDVSNOTBIND */
	T_EQ(dvk_getprocinfo(T_DC, SRV_NR, &p), 0);
	T_EQ(p.p_endpoint, ep);			/* the same endpoint, now node 1's */
	T_EQ(p.p_nodeid, RNODE);
	T_EQ(p.p_rts_flags, DVK_REMOTE);
	T_EQ(p.p_misc_flags & DVK_MIS_MIGRATED, DVK_MIS_MIGRATED);
	/* The rest of the client's calls go to node 1, each once. */
	for (;;) {
		c = next_cmd_within(3000);
		if (!c.c_cmd)
			break;
		T_EQ(c.c_cmd, DVK_CMD_SNDREC_MSG);
		T_EQ(c.c_dst, ep);
		node1_replies(&c, ep);
		served++;
	}
	T_EQ(t_join(cli), 0);
	printf("  %d rounds served here, %d on node 1 after the move\n", here, served);
	T_EQ(here + served, ROUNDS);		/* each round once */
	T_TRUE(served >= 1);
	/* Node 1's requests to it here are refused before delivery: it is there. */
	T_TRUE(dvk_rmtbind(T_DC, "rcli", DVK_ENDPOINT(1, 20), RNODE) > 0);
	in = from1(DVK_CMD_SNDREC_MSG, DVK_ENDPOINT(1, 20), ep, 900);
	T_EQ(dvk_put2lcl(&in, NULL), EDVSMIGRATE);
	t_down();
}

/* Node 1's server moves here: a local process takes its endpoint. */
static void remote_to_local(void)
{
	int rsrv = RSRV, ep = RSRV;
	struct proc_usr p;
	pid_t srv, cli;

	up_with_node1();
	T_EQ(dvk_rmtbind(T_DC, "rsrv", RSRV, RNODE), RSRV);
	T_EQ(dvk_migrate(DVK_MIGR_START, 0, T_DC, RSRV, -1), 0);
	t_sync_init();
	cli = t_fork(client, &rsrv);
	T_TRUE(t_sync_wait());
	usleep(200 * 1000);
	T_EQ(next_cmd_within(0).c_cmd, 0);	/* its call waits */
	srv = t_fork(server, &ep);
	usleep(100 * 1000);			/* in wait4bind(SELF) */
	T_EQ(dvk_migrate(DVK_MIGR_COMMIT, srv, T_DC, RSRV, 0), 0);
	T_EQ(dvk_getprocinfo(T_DC, DVK_EP_NR(RSRV), &p), 0);
	T_EQ(p.p_endpoint, RSRV);		/* the same endpoint, local now */
	T_EQ(p.p_lpid, srv);
	T_EQ(p.p_rts_flags & (DVK_REMOTE | DVK_MIGRATING), 0);
	T_EQ(t_join(cli), 0);			/* every round served here */
	T_EQ(next_cmd_within(0).c_cmd, 0);	/* and none went to node 1 */
	kill(srv, SIGKILL);
	T_EQ(t_join_signal(srv), SIGKILL);
	t_down();
}

/* A sendrec node 1 refuses in flight (its endpoint is leaving) is sent again, once. */
static void refused_in_flight_replayed(void)
{
	int rsrv = RSRV;
	struct dvk_cmd c, a;
	pid_t cli;
	int n = 0;

	up_with_node1();
	T_EQ(dvk_rmtbind(T_DC, "rsrv", RSRV, RNODE), RSRV);
	t_sync_init();
	cli = t_fork(client, &rsrv);
	c = next_cmd_within(3000);
	T_EQ(c.c_cmd, DVK_CMD_SNDREC_MSG);
	T_EQ(dvk_migrate(DVK_MIGR_START, 0, T_DC, RSRV, -1), 0);
	a = from1(DVK_CMD_SNDREC_ACK, RSRV, c.c_src, c.c_id);
	a.c_rcode = EDVSMIGRATE;		/* not delivered over there */
	T_EQ(dvk_put2lcl(&a, NULL), 0);
	usleep(200 * 1000);
	T_EQ(next_cmd_within(0).c_cmd, 0);	/* waits for the migration's end */
	T_EQ(dvk_migrate(DVK_MIGR_ROLLBACK, 0, T_DC, RSRV, -1), 0);
	for (;;) {
		c = next_cmd_within(3000);
		if (!c.c_cmd)
			break;
		T_EQ(c.c_cmd, DVK_CMD_SNDREC_MSG);
		T_EQ(c.c_msg.m_u.m1.i1, n);	/* round n, then n + 1: none twice */
		node1_replies(&c, RSRV);
		n++;
	}
	T_EQ(n, ROUNDS);
	T_EQ(t_join(cli), 0);
	t_down();
}

static int busy_server(void *arg)
{
	struct dvk_message m;

	(void)arg;
	C_EQ(dvk_bind(T_DC, SRV_NR) > 0, 1);
	C_EQ(dvk_receive(DVK_ANY, &m), 0);
	t_sync_post();
	usleep(500 * 1000);			/* owes the reply meanwhile */
	C_EQ(dvk_reply_T(m.m_source, &m, 1000), 0);
	C_EQ(dvk_receive(DVK_ANY, &m), EDVSNOTBIND);
	return 0;
}

static int one_call(void *arg)
{
	struct dvk_message m = { .m_type = 1 };

	C_EQ(dvk_bind(T_DC, CLI_NR) > 0, 1);
	C_EQ(dvk_sendrec_T(*(int *)arg, &m, 5000), 0);
	return 0;
}

/* A server owing a reply cannot start; the states and arguments checked. */
static void start_rules_and_bad_args(void)
{
	struct proc_usr p;
	pid_t srv, cli;
	int ep;

	up_with_node1();
	t_sync_init();
	srv = t_fork(busy_server, NULL);
	T_TRUE(t_wait_flags(T_DC, SRV_NR, DVK_RECEIVING));
	ep = srv_ep();
	cli = t_fork(one_call, &ep);
	T_TRUE(t_sync_wait());
	T_EQ(dvk_migrate(DVK_MIGR_START, 0, T_DC, ep, -1), EDVSBUSY);
	/* The client, its request taken, is in a call of its own: not now either. */
	T_EQ(dvk_getprocinfo(T_DC, CLI_NR, &p), 0);
	T_EQ(dvk_migrate(DVK_MIGR_START, 0, T_DC, p.p_endpoint, -1), EDVSPROCSTS);
	T_EQ(t_join(cli), 0);
	T_TRUE(t_wait_flags(T_DC, SRV_NR, DVK_RECEIVING));
	T_EQ(dvk_migrate(DVK_MIGR_START, 0, T_DC, ep, -1), 0);
	T_EQ(dvk_migrate(DVK_MIGR_START, 0, T_DC, ep, -1), EDVSMIGRATE);
	T_EQ(dvk_migrate(DVK_MIGR_COMMIT, getpid(), T_DC, ep, 0), EDVSLCLPROC);
	T_EQ(dvk_migrate(DVK_MIGR_COMMIT, 0, T_DC, ep, 32), EDVSBADNODEID);
	T_EQ(dvk_migrate(DVK_MIGR_ROLLBACK, 0, T_DC, ep, -1), 0);
	T_EQ(dvk_migrate(DVK_MIGR_ROLLBACK, 0, T_DC, ep, -1), EDVSPROCSTS);
	T_EQ(dvk_migrate(DVK_MIGR_COMMIT, 0, T_DC, ep, RNODE), EDVSPROCSTS);
	T_EQ(dvk_migrate(3, 0, T_DC, ep, -1), EDVSBADVALUE);
	T_EQ(dvk_migrate(DVK_MIGR_START, 0, 5, ep, -1), EDVSDCNOTRUN);
	T_EQ(dvk_migrate(DVK_MIGR_START, 0, T_DC, DVK_ENDPOINT(1, 50), -1), EDVSNOTBIND);
	T_EQ(dvk_migrate(DVK_MIGR_START, 0, T_DC, INT_MAX, -1), EDVSRANGE);
	kill(srv, SIGKILL);
	t_join_signal(srv);
	t_down();
}

/* The migrate timeout of the core in this kernel, in ms (sysfs). */
static int set_migrate_timeout(int ms)
{
	static const char *const paths[] = {
		"/sys/module/dvkipc/parameters/migrate_timeout_ms",
		"/sys/module/dvk/parameters/migrate_timeout_ms",
	};

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		FILE *f = fopen(paths[i], "w");

		if (f) {
			fprintf(f, "%d\n", ms);
			return fclose(f) == 0 ? 0 : -1;
		}
	}
	return -1;
}

/* A migration nobody commits is rolled back: the waiting call goes on. */
static void uncommitted_rolls_back(void)
{
	int ep;
	pid_t srv, cli;
	long t0;

	up_with_node1();
	T_EQ(set_migrate_timeout(400), 0);
	srv = t_fork(server, NULL);
	T_TRUE(t_wait_flags(T_DC, SRV_NR, DVK_RECEIVING));
	ep = srv_ep();
	T_EQ(dvk_migrate(DVK_MIGR_START, 0, T_DC, ep, -1), 0);
	t0 = t_now_ms();
	cli = t_fork(one_call, &ep);
	T_EQ(t_join(cli), 0);
	printf("  the call waited %ld ms (migrate_timeout_ms 400)\n", t_now_ms() - t0);
	T_TRUE(t_now_ms() - t0 >= 300);
	T_EQ(dvk_migrate(DVK_MIGR_ROLLBACK, 0, T_DC, ep, -1), EDVSPROCSTS);	/* over */
	T_EQ(set_migrate_timeout(30000), 0);
	kill(srv, SIGKILL);
	t_join_signal(srv);
	t_down();
}

static int call_expecting(void *arg)
{
	int *a = arg;
	struct dvk_message m = { .m_type = 1 };

	C_EQ(dvk_bind(T_DC, CLI_NR) > 0, 1);
	C_EQ(dvk_sendrec_T(a[0], &m, 20000), a[1]);
	return 0;
}

/* The moving process dies mid-migration: waiting callers learn it at once. */
static void process_dies_mid_migration(void)
{
	int a[2] = { 0, EDVSDSTDIED };
	pid_t srv, cli;
	long t0;

	up_with_node1();
	srv = t_fork(server, NULL);
	T_TRUE(t_wait_flags(T_DC, SRV_NR, DVK_RECEIVING));
	a[0] = srv_ep();
	T_EQ(dvk_migrate(DVK_MIGR_START, 0, T_DC, a[0], -1), 0);
	cli = t_fork(call_expecting, a);
	usleep(200 * 1000);
	t0 = t_now_ms();
	kill(srv, SIGKILL);
	T_EQ(t_join_signal(srv), SIGKILL);
	T_EQ(t_join(cli), 0);			/* EDVSDSTDIED, not the 30 s */
	T_TRUE(t_now_ms() - t0 < 5000);
	T_TRUE(t_wait_free(T_DC, SRV_NR));
	t_down();
}

/*
 * The endpoint's node is lost mid-migration (its link goes down): a caller
 * waits no longer than the migration's time, then gets the link's error.
 */
static void node_lost_mid_migration(void)
{
	int a[2] = { RSRV, EDVSNOTCONN };
	pid_t cli;
	long t0;

	up_with_node1();
	T_EQ(set_migrate_timeout(400), 0);
	T_EQ(dvk_rmtbind(T_DC, "rsrv", RSRV, RNODE), RSRV);
	T_EQ(dvk_migrate(DVK_MIGR_START, 0, T_DC, RSRV, -1), 0);
	t0 = t_now_ms();
	cli = t_fork(call_expecting, a);
	usleep(100 * 1000);
	T_EQ(dvk_proxy_conn(RNODE, DVK_DISCONNECT_SPROXY), 0);
	T_EQ(t_join(cli), 0);
	printf("  the call ended after %ld ms\n", t_now_ms() - t0);
	T_TRUE(t_now_ms() - t0 < 5000);
	T_EQ(set_migrate_timeout(30000), 0);
	t_down();
}

/*
 * A hostile or broken node 1 answers every request with EDVSMIGRATE and
 * never migrates anything: the caller replays for migrate_timeout_ms at
 * most, pausing between replays, then gets EDVSMIGRATE; its slot is as
 * before and nothing is left queued.
 */
static void endless_refusals_bounded(void)
{
	int a[2] = { RSRV, EDVSMIGRATE };
	struct proc_usr p;
	struct dvk_cmd c;
	int requests = 0;
	pid_t cli;

	up_with_node1();
	T_EQ(set_migrate_timeout(400), 0);
	T_EQ(dvk_rmtbind(T_DC, "rsrv", RSRV, RNODE), RSRV);
	cli = t_fork(call_expecting, a);
	for (;;) {
		c = next_cmd_within(3000);
		if (!c.c_cmd)
			break;
		T_EQ(c.c_cmd, DVK_CMD_SNDREC_MSG);
		requests++;
		c = from1(DVK_CMD_SNDREC_ACK, RSRV, c.c_src, c.c_id);
		c.c_rcode = EDVSMIGRATE;
		T_EQ(dvk_put2lcl(&c, NULL), 0);
	}
	T_EQ(t_join(cli), 0);
	printf("  %d requests for one call in migrate_timeout_ms 400\n", requests);
	T_TRUE(requests >= 2);			/* replayed, without the caller seeing it */
	T_TRUE(requests <= 400 / 20 + 2);	/* one per 20 ms pause at most */
	T_EQ(dvk_getprocinfo(T_DC, DVK_EP_NR(RSRV), &p), 0);
	T_EQ(p.p_endpoint, RSRV);
	T_EQ(p.p_rts_flags & DVK_MIGRATING, 0);
	T_EQ(t_live_rmsgs(), 0);
	T_EQ(set_migrate_timeout(30000), 0);
	t_down();
}

#define AGENTS		10	/* node 0's agent: slot 10, a system slot */
#define USER_NR		40	/* 40 + nr_tasks 35 >= nr_sysprocs 64: a user slot */
#define SYS_NR		5

static int agent(void *arg)
{
	(void)arg;
	execl("/usr/bin/dvs", "dvs", "migrate", "agent", "--dc", "0", "--agents", "10", (char *)NULL);
	return 127;
}

/* A request to the agent, as the caller's binding; the agent's answer. */
static long ask_agent(int ep, int oper, int target)
{
	struct dvk_message m = { .m_type = DVS_MIGR_RQ };
	long r;

	m.m_u.m7.i1 = oper;
	m.m_u.m7.i2 = target;
	m.m_u.m7.i3 = RNODE;
	r = dvk_sendrec_T(ep, &m, 5000);
	return r ? r : m.m_u.m7.i1;
}

/*
 * The agent does a node's part of a migration for a caller with more than
 * a user's rights only (tools/dvs-migrate.c agent_may()): a user binding
 * gets EDVSPERM and changes nothing; a system binding is served.
 */
static void agent_refuses_user_rights(void)
{
	struct proc_usr p;
	struct priv_usr pv;
	pid_t ag, srv;
	int aep, sep, me;

	up_with_node1();
	srv = t_fork(server, NULL);
	ag = t_fork(agent, NULL);
	T_TRUE(t_wait_flags(T_DC, SRV_NR, DVK_RECEIVING));
	T_TRUE(t_wait_flags(T_DC, AGENTS, DVK_RECEIVING));
	T_EQ(dvk_getprocinfo(T_DC, AGENTS, &p), 0);
	aep = p.p_endpoint;
	T_EQ(dvk_getprocinfo(T_DC, SRV_NR, &p), 0);
	sep = p.p_endpoint;

	me = dvk_bind(T_DC, USER_NR);
	T_TRUE(me >= 0);
	T_EQ(dvk_getpriv(T_DC, me, &pv), 0);
	T_EQ(pv.priv_level, DVK_USER_PRIV);
	T_EQ(ask_agent(aep, DVK_MIGR_START, sep), EDVSPERM);
	T_EQ(ask_agent(aep, DVK_MIGR_ROLLBACK, sep), EDVSPERM);
	T_EQ(ask_agent(aep, DVS_MIGR_PING, 0), EDVSPERM);
	T_EQ(dvk_getprocinfo(T_DC, SRV_NR, &p), 0);
	T_EQ(p.p_endpoint, sep);
	T_EQ(p.p_rts_flags & DVK_MIGRATING, 0);
	T_EQ(dvk_unbind(T_DC, me), 0);

	me = dvk_bind(T_DC, SYS_NR);
	T_TRUE(me >= 0);
	T_EQ(dvk_getpriv(T_DC, me, &pv), 0);
	T_TRUE(pv.priv_level != DVK_USER_PRIV);
	T_EQ(ask_agent(aep, DVS_MIGR_PING, 0), 0);
	T_EQ(dvk_unbind(T_DC, me), 0);

	kill(ag, SIGKILL);
	T_EQ(t_join(ag), 1000 + SIGKILL);
	T_EQ(dvk_unbind(T_DC, sep), 0);
	T_EQ(t_join(srv), 0);		/* it served nobody */
	t_down();
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	T_RUN(local_to_remote);
	T_RUN(remote_to_local);
	T_RUN(refused_in_flight_replayed);
	T_RUN(start_rules_and_bad_args);
	T_RUN(uncommitted_rolls_back);
	T_RUN(process_dies_mid_migration);
	T_RUN(node_lost_mid_migration);
	T_RUN(endless_refusals_bounded);
	T_RUN(agent_refuses_user_rights);
	return t_summary();
}
