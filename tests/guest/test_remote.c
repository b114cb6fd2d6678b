// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's side of remote IPC, with this program as the proxy pair of
 * a make-believe node 1: what local callers' remote calls queue for
 * get2rmt, how put2lcl plays node 1's commands against local slots, the
 * acknowledgements either way (errors included), and what losing the link,
 * the node or the proxy does to callers still waiting.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <dvk/libdvk.h>
#include "test_util.h"

const char *t_prog = "test_remote";

#define RNODE		1			/* the other node */
#define RSRV		DVK_ENDPOINT(1, 10)	/* a server there */
#define RCLI		DVK_ENDPOINT(1, 20)	/* a client there */
#define RSYS		DVK_ENDPOINT(1, 5)	/* a system process there */
#define CLI_NR		2			/* local client slot */
#define SRV_NR		3			/* local server slot */

/* Node 0 with DC0, this process the (connected) pair serving node 1. */
static void up_with_node1(void)
{
	t_up();
	T_EQ(dvk_proxies_bind("px1", RNODE, getpid(), getpid(), 65536), RNODE);
	T_EQ(dvk_node_up("node1", RNODE, RNODE), RNODE);
	T_EQ(dvk_add_node(T_DC, RNODE), 0);
	T_EQ(dvk_proxy_conn(RNODE, DVK_CONNECT_SPROXY), 0);
	T_EQ(dvk_proxy_conn(RNODE, DVK_CONNECT_RPROXY), 0);
	T_TRUE(dvk_rmtbind(T_DC, "rsrv", RSRV, RNODE) == RSRV);
}

/* A command as node 1 would send it. */
static struct dvk_cmd from1(unsigned int cmd, int src, int dst, unsigned long long id)
{
	struct dvk_cmd c = { .c_cmd = cmd, .c_dcid = T_DC, .c_src = src, .c_dst = dst,
			     .c_snode = RNODE, .c_dnode = 0, .c_id = id };
	return c;
}

/* The next command for node 1; fails the case if none comes within 2 s. */
static struct dvk_cmd next_cmd(void)
{
	struct dvk_cmd c;

	memset(&c, 0, sizeof(c));
	T_EQ(dvk_get2rmt_T(&c, NULL, 2000), 0);
	return c;
}

/* Children: a local client (send or sendrec to RSRV) and a local server. */
struct call { int rec; int want; int type; long timeout; };

static int client(void *arg)
{
	struct call *c = arg;
	struct dvk_message m = { .m_type = 100 };
	int ret;

	C_EQ(dvk_bind(T_DC, CLI_NR) > 0, 1);
	m.m_u.m1.i1 = 7;
	ret = c->rec ? dvk_sendrec_T(RSRV, &m, c->timeout) : dvk_send_T(RSRV, &m, c->timeout);
	C_EQ(ret, c->want);
	if (c->rec && ret == 0) {
		C_EQ(m.m_source, RSRV);
		C_EQ(m.m_type, c->type);
	}
	return 0;
}

static int server_once(void *arg)
{
	struct dvk_message m;
	int reply = *(int *)arg;

	C_EQ(dvk_bind(T_DC, SRV_NR) > 0, 1);
	C_EQ(dvk_receive(DVK_ANY, &m), 0);
	C_EQ(m.m_source, RCLI);
	C_EQ(m.m_u.m1.i1, 41);
	if (reply) {
		m.m_type = 200;
		C_EQ(dvk_reply_T(RCLI, &m, 5000), 0);
	}
	return 0;
}

static int cli_ep(void)
{
	struct proc_usr p;

	return dvk_getprocinfo(T_DC, CLI_NR, &p) == 0 ? p.p_endpoint : DVK_NONE;
}

static int srv_ep(void)
{
	struct proc_usr p;

	return dvk_getprocinfo(T_DC, SRV_NR, &p) == 0 ? p.p_endpoint : DVK_NONE;
}

/* A local send to a remote server: queued for node 1, done by its ack. */
static void send_out_acked(void)
{
	struct call want0 = { 0, 0, 0, -1 }, want_died = { 0, EDVSDSTDIED, 0, -1 };
	struct dvk_cmd c, a;
	pid_t pid;

	up_with_node1();
	pid = t_fork(client, &want0);
	c = next_cmd();
	T_EQ(c.c_cmd, DVK_CMD_SEND_MSG);
	T_EQ(c.c_dcid, T_DC);
	T_EQ(c.c_src, cli_ep());
	T_EQ(c.c_dst, RSRV);
	T_EQ(c.c_snode, 0);
	T_EQ(c.c_dnode, RNODE);
	T_EQ(c.c_len, 0);
	T_TRUE(c.c_id != 0);
	T_TRUE(c.c_timestamp != 0);
	T_EQ(c.c_msg.m_source, cli_ep());
	T_EQ(c.c_msg.m_type, 100);
	T_EQ(c.c_msg.m_u.m1.i1, 7);
	T_TRUE(t_wait_flags(T_DC, CLI_NR, DVK_SENDING));
	a = from1(DVK_CMD_SEND_ACK, RSRV, c.c_src, c.c_id);
	T_EQ(dvk_put2lcl(&a, NULL), 0);
	T_EQ(t_join(pid), 0);
	T_EQ(dvk_put2lcl(&a, NULL), EDVSACKDST);	/* the caller is gone */
	/* An error from the other node is the call's result. */
	pid = t_fork(client, &want_died);
	c = next_cmd();
	a = from1(DVK_CMD_SEND_ACK, RSRV, c.c_src, c.c_id);
	a.c_rcode = EDVSDSTDIED;
	T_EQ(dvk_put2lcl(&a, NULL), 0);
	T_EQ(t_join(pid), 0);
	t_down();
}

/* A local sendrec to a remote server: the reply completes it, acked back. */
static void sendrec_out(void)
{
	struct call reply = { 1, 0, 300, -1 }, err = { 1, EDVSNOTBIND, 0, -1 };
	struct dvk_cmd c, r, a;
	pid_t pid;

	up_with_node1();
	pid = t_fork(client, &reply);
	c = next_cmd();
	T_EQ(c.c_cmd, DVK_CMD_SNDREC_MSG);
	r = from1(DVK_CMD_REPLY_MSG, RSRV, c.c_src, 555);
	r.c_msg.m_type = 300;
	T_EQ(dvk_put2lcl(&r, NULL), 0);
	T_EQ(t_join(pid), 0);
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_REPLY_ACK);
	T_EQ(a.c_id, 555);
	T_EQ(a.c_rcode, 0);
	T_EQ(a.c_src, c.c_src);
	T_EQ(a.c_dst, RSRV);
	T_EQ(a.c_dnode, RNODE);
	/* A reply nobody waits for is refused, and node 1 is told so. */
	T_TRUE(dvk_bind(T_DC, CLI_NR) > 0);
	r.c_dst = cli_ep();
	T_EQ(dvk_put2lcl(&r, NULL), EDVSPROCSTS);
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_REPLY_ACK);
	T_EQ(a.c_rcode, EDVSPROCSTS);
	T_EQ(dvk_unbind(T_DC, DVK_SELF), 0);
	/* Node 1 rejecting the request ends the sendrec with its error. */
	pid = t_fork(client, &err);
	c = next_cmd();
	a = from1(DVK_CMD_SNDREC_ACK, RSRV, c.c_src, c.c_id);
	a.c_rcode = EDVSNOTBIND;
	T_EQ(dvk_put2lcl(&a, NULL), 0);
	T_EQ(t_join(pid), 0);
	t_down();
}

/* Node 1's client calls a local server: autobind, delivery, reply, ack. */
static void sendrec_in(void)
{
	struct dvk_cmd c, r, a;
	struct proc_usr p;
	int reply = 1;
	pid_t pid;

	up_with_node1();
	pid = t_fork(server_once, &reply);
	T_TRUE(t_wait_flags(T_DC, SRV_NR, DVK_RECEIVING));
	c = from1(DVK_CMD_SNDREC_MSG, RCLI, srv_ep(), 77);
	c.c_msg.m_u.m1.i1 = 41;
	T_EQ(dvk_put2lcl(&c, NULL), 0);
	T_EQ(dvk_getprocinfo(T_DC, DVK_EP_NR(RCLI), &p), 0);	/* bound on the fly */
	T_EQ(p.p_endpoint, RCLI);
	T_EQ(p.p_nodeid, RNODE);
	T_TRUE(p.p_rts_flags & DVK_REMOTE);
	T_TRUE(!strcmp(p.p_name, "rclient"));
	r = next_cmd();
	T_EQ(r.c_cmd, DVK_CMD_REPLY_MSG);
	T_EQ(r.c_src, srv_ep());
	T_EQ(r.c_dst, RCLI);
	T_EQ(r.c_msg.m_type, 200);
	T_EQ(r.c_msg.m_source, srv_ep());
	a = from1(DVK_CMD_REPLY_ACK, RCLI, r.c_src, r.c_id);
	T_EQ(dvk_put2lcl(&a, NULL), 0);
	T_EQ(t_join(pid), 0);
	t_down();
}

/* A queued remote send waits for the receiver; taking it sends the ack. */
static void send_in_queued(void)
{
	struct dvk_cmd c, a;
	struct dvk_message m;
	struct proc_usr p;

	up_with_node1();
	T_TRUE(dvk_bind(T_DC, SRV_NR) > 0);
	c = from1(DVK_CMD_SEND_MSG, RCLI, srv_ep(), 90);
	c.c_msg.m_type = 5;
	T_EQ(dvk_put2lcl(&c, NULL), 0);
	T_EQ(dvk_getprocinfo(T_DC, DVK_EP_NR(RCLI), &p), 0);
	T_EQ(p.p_rts_flags, DVK_REMOTE | DVK_SENDING);
	T_EQ(p.p_sendto, srv_ep());
	T_EQ(dvk_get2rmt_T(&a, NULL, DVK_TIMEOUT_NOWAIT), EDVSTIMEDOUT);	/* no ack yet */
	/* A process calls once at a time: a new call withdraws the one it gave up. */
	c.c_id = 91;
	c.c_msg.m_type = 6;
	T_EQ(dvk_put2lcl(&c, NULL), 0);
	T_EQ(dvk_receive_T(DVK_ANY, &m, 1000), 0);
	T_EQ(m.m_source, RCLI);
	T_EQ(m.m_type, 6);
	T_EQ(dvk_receive_T(DVK_ANY, &m, DVK_TIMEOUT_NOWAIT), EDVSAGAIN);	/* only that one */
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_SEND_ACK);
	T_EQ(a.c_id, 91);
	T_EQ(a.c_rcode, 0);
	T_EQ(a.c_src, srv_ep());
	T_EQ(a.c_dst, RCLI);
	T_EQ(dvk_getprocinfo(T_DC, DVK_EP_NR(RCLI), &p), 0);
	T_EQ(p.p_rts_flags, DVK_REMOTE);
	T_EQ(dvk_unbind(T_DC, DVK_SELF), 0);
	t_down();
}

/* Every rejected request is answered; malformed commands are refused. */
static void rejections(void)
{
	struct dvk_cmd c, a;

	up_with_node1();
	c = from1(DVK_CMD_SEND_MSG, RCLI, DVK_ENDPOINT(1, 50), 1);	/* nobody there */
	T_EQ(dvk_put2lcl(&c, NULL), EDVSDSTDIED);
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_SEND_ACK);
	T_EQ(a.c_rcode, EDVSDSTDIED);
	T_EQ(a.c_id, 1);
	c.c_cmd = DVK_CMD_SNDREC_MSG;
	T_EQ(dvk_put2lcl(&c, NULL), EDVSDSTDIED);
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_SNDREC_ACK);
	T_EQ(a.c_rcode, EDVSDSTDIED);
	c = from1(DVK_CMD_SEND_MSG, RSRV, RSRV, 2);		/* remote to remote */
	T_EQ(dvk_put2lcl(&c, NULL), EDVSRMTPROC);
	a = next_cmd();
	T_EQ(a.c_rcode, EDVSRMTPROC);
	c = from1(DVK_CMD_SEND_MSG, DVK_ENDPOINT(1, 0), RSRV, 3);	/* slot 0 is ours */
	T_TRUE(dvk_bind(T_DC, 0) > 0);
	T_EQ(dvk_put2lcl(&c, NULL), EDVSLCLPROC);
	T_EQ(dvk_unbind(T_DC, DVK_SELF), 0);
	a = next_cmd();
	T_EQ(a.c_rcode, EDVSLCLPROC);
	/* Malformed or misdirected: refused, nothing answered. */
	c = from1(DVK_CMD_SEND_MSG, RCLI, RSRV, 4);
	c.c_dnode = 2;
	T_EQ(dvk_put2lcl(&c, NULL), EDVSBADNODEID);
	c = from1(DVK_CMD_SEND_MSG, RCLI, RSRV, 4);
	c.c_snode = 2;
	T_EQ(dvk_put2lcl(&c, NULL), EDVSNONODE);		/* not a node this pair serves */
	c = from1(99, RCLI, RSRV, 4);
	T_EQ(dvk_put2lcl(&c, NULL), EDVSBADREQUEST);
	c = from1(DVK_CMD_HELLO, RCLI, RSRV, 4);
	T_EQ(dvk_put2lcl(&c, NULL), EDVSBADREQUEST);
	c = from1(DVK_CMD_COPYIN_DATA, RCLI, RSRV, 4);
	T_EQ(dvk_put2lcl(&c, NULL), EDVSNOSYS);
	c = from1(DVK_CMD_SEND_MSG, RCLI, RSRV, 4);
	c.c_dcid = 7;
	T_EQ(dvk_put2lcl(&c, NULL), EDVSDCNOTRUN);
	c = from1(DVK_CMD_SEND_ACK, RSRV, RCLI, 12345);
	T_EQ(dvk_put2lcl(&c, NULL), EDVSACKDST);			/* RCLI is not bound */
	T_EQ(dvk_get2rmt_T(&a, NULL, DVK_TIMEOUT_NOWAIT), EDVSTIMEDOUT);
	T_EQ(dvk_get2rmt_T(&a, NULL, 50), EDVSTIMEDOUT);
	T_EQ(dvk_get2rmt_T(NULL, NULL, 50), EDVSFAULT);
	T_EQ(dvk_put2lcl(NULL, NULL), EDVSFAULT);
	t_down();
}

/* Only the pair's own proxies may move commands, and only when connected. */
static int child_not_proxy(void *arg)
{
	struct dvk_cmd c = from1(DVK_CMD_SEND_MSG, RCLI, RSRV, 1);

	(void)arg;
	C_EQ(dvk_put2lcl(&c, NULL), EDVSBADPROXY);
	C_EQ(dvk_get2rmt_T(&c, NULL, 0), EDVSBADPROXY);
	return 0;
}

static void proxy_checks(void)
{
	struct dvk_message m = { 0 };
	struct dvk_cmd c;
	struct dc_usr dc1 = t_dc0;

	up_with_node1();
	T_EQ(t_join(t_fork(child_not_proxy, NULL)), 0);
	T_TRUE(dvk_bind(T_DC, CLI_NR) > 0);
	T_EQ(dvk_send_T(RSRV, &m, DVK_TIMEOUT_NOWAIT), EDVSAGAIN);	/* no rendezvous without waiting */
	T_EQ(dvk_proxy_conn(RNODE, DVK_DISCONNECT_SPROXY), 0);
	T_EQ(dvk_send_T(RSRV, &m, 100), EDVSNOTCONN);
	T_EQ(dvk_get2rmt_T(&c, NULL, 0), EDVSNOTCONN);
	T_EQ(dvk_proxy_conn(RNODE, DVK_DISCONNECT_RPROXY), 0);
	c = from1(DVK_CMD_SEND_MSG, RCLI, RSRV, 1);
	T_EQ(dvk_put2lcl(&c, NULL), EDVSNOTCONN);
	T_EQ(dvk_unbind(T_DC, DVK_SELF), 0);
	/* A DC node 1 is not a member of. */
	dc1.dc_dcid = 1;
	strcpy(dc1.dc_name, "DC1");
	T_EQ(dvk_dc_init(&dc1), 0);
	T_TRUE(dvk_rmtbind(1, "rsrv", RSRV, RNODE) == RSRV);
	T_TRUE(dvk_bind(1, CLI_NR) > 0);
	T_EQ(dvk_send_T(RSRV, &m, 100), EDVSNODCNODE);
	T_EQ(dvk_unbind(1, DVK_SELF), 0);
	t_down();
}

/* Callers waiting on node 1 wake when the link, the node or the proxy goes. */
static void losses_wake_callers(void)
{
	struct call notconn = { 1, EDVSNOTCONN, 0, -1 }, nodefree = { 1, EDVSNODEFREE, 0, -1 };
	struct call timedout = { 1, EDVSTIMEDOUT, 0, 200 };
	struct dvk_cmd c;
	pid_t pid, px;

	up_with_node1();
	pid = t_fork(client, &notconn);
	c = next_cmd();			/* taken: the client waits for the reply */
	T_EQ(c.c_cmd, DVK_CMD_SNDREC_MSG);
	T_EQ(dvk_proxy_conn(RNODE, DVK_DISCONNECT_RPROXY), 0);
	T_EQ(t_join(pid), 0);
	T_EQ(dvk_proxy_conn(RNODE, DVK_CONNECT_RPROXY), 0);
	pid = t_fork(client, &nodefree);
	c = next_cmd();
	T_EQ(dvk_node_down(RNODE), 0);
	T_EQ(t_join(pid), 0);
	/* Never taken by the proxy: a timeout removes it from the queue. */
	T_EQ(dvk_node_up("node1", RNODE, RNODE), RNODE);
	T_EQ(dvk_add_node(T_DC, RNODE), 0);
	T_TRUE(dvk_rmtbind(T_DC, "rsrv", RSRV, RNODE) == RSRV);
	pid = t_fork(client, &timedout);
	T_EQ(t_join(pid), 0);
	T_EQ(dvk_get2rmt_T(&c, NULL, DVK_TIMEOUT_NOWAIT), EDVSTIMEDOUT);
	t_down();
	/* A proxy that dies takes its callers' calls with it. */
	t_up();
	px = fork();
	if (px == 0) {
		for (;;)
			pause();
	}
	T_EQ(dvk_proxies_bind("px1", RNODE, px, px, 65536), RNODE);
	T_EQ(dvk_node_up("node1", RNODE, RNODE), RNODE);
	T_EQ(dvk_add_node(T_DC, RNODE), 0);
	T_EQ(dvk_proxy_conn(RNODE, DVK_CONNECT_SPROXY), 0);
	T_TRUE(dvk_rmtbind(T_DC, "rsrv", RSRV, RNODE) == RSRV);
	pid = t_fork(client, &notconn);
	T_TRUE(t_wait_flags(T_DC, CLI_NR, DVK_SENDING));
	kill(px, SIGKILL);
	waitpid(px, NULL, 0);
	T_EQ(t_join(pid), 0);
	t_down();
}

/* A local server that dies before replying: node 1's client is told. */
static void server_dies(void)
{
	struct dvk_cmd c, a;
	int reply = 0;
	pid_t pid;

	up_with_node1();
	pid = t_fork(server_once, &reply);
	T_TRUE(t_wait_flags(T_DC, SRV_NR, DVK_RECEIVING));
	c = from1(DVK_CMD_SNDREC_MSG, RCLI, srv_ep(), 61);
	c.c_msg.m_u.m1.i1 = 41;
	T_EQ(dvk_put2lcl(&c, NULL), 0);
	T_EQ(t_join(pid), 0);		/* it took the request and exited */
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_SNDREC_ACK);
	T_EQ(a.c_id, 61);
	T_EQ(a.c_rcode, EDVSSRCDIED);
	t_down();
}

/* A stale reply is refused; del_node wakes a caller waiting on that node. */
static void stale_reply_and_del_node(void)
{
	struct call nodcnode = { 1, EDVSNODCNODE, 0, -1 };
	struct dvk_cmd c, r, a;
	pid_t pid;

	up_with_node1();
	pid = t_fork(client, &nodcnode);
	T_TRUE(t_wait_flags(T_DC, CLI_NR, DVK_SENDING));
	/* The request has not left yet: no reply can be for it. */
	r = from1(DVK_CMD_REPLY_MSG, RSRV, cli_ep(), 7);
	T_EQ(dvk_put2lcl(&r, NULL), EDVSPROCSTS);
	c = next_cmd();
	T_EQ(c.c_cmd, DVK_CMD_SNDREC_MSG);
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_REPLY_ACK);
	T_EQ(a.c_rcode, EDVSPROCSTS);
	T_EQ(dvk_del_node(T_DC, RNODE), 0);
	T_EQ(t_join(pid), 0);
	t_down();
}

/* A reply that never left (timeout) leaves no trace: it can be repeated. */
static int server_retry(void *arg)
{
	struct dvk_message m;

	(void)arg;
	C_EQ(dvk_bind(T_DC, SRV_NR) > 0, 1);
	C_EQ(dvk_receive(DVK_ANY, &m), 0);
	C_EQ(dvk_reply_T(RCLI, &m, 100), EDVSTIMEDOUT);
	C_EQ(dvk_reply_T(RCLI, &m, 5000), 0);
	return 0;
}

static void reply_repeated(void)
{
	struct dvk_cmd c, r, a;
	pid_t pid;

	up_with_node1();
	pid = t_fork(server_retry, NULL);
	T_TRUE(t_wait_flags(T_DC, SRV_NR, DVK_RECEIVING));
	c = from1(DVK_CMD_SNDREC_MSG, RCLI, srv_ep(), 70);
	T_EQ(dvk_put2lcl(&c, NULL), 0);
	usleep(500 * 1000);			/* the first reply times out in the queue */
	r = next_cmd();
	T_EQ(r.c_cmd, DVK_CMD_REPLY_MSG);
	T_EQ(dvk_get2rmt_T(&a, NULL, DVK_TIMEOUT_NOWAIT), EDVSTIMEDOUT);	/* one reply only */
	a = from1(DVK_CMD_REPLY_ACK, RCLI, r.c_src, r.c_id);
	T_EQ(dvk_put2lcl(&a, NULL), 0);
	T_EQ(t_join(pid), 0);
	t_down();
}

/* Notifications both ways. */
static void notify_both_ways(void)
{
	struct dvk_message m;
	struct dvk_cmd c;

	up_with_node1();
	T_TRUE(dvk_rmtbind(T_DC, "rsys", RSYS, RNODE) == RSYS);
	T_TRUE(dvk_bind(T_DC, SRV_NR) > 0);
	T_EQ(dvk_notify_X(DVK_SELF, RSYS, 3), 0);	/* does not wait */
	c = next_cmd();
	T_EQ(c.c_cmd, DVK_CMD_NTFY_MSG);
	T_EQ(c.c_src, srv_ep());
	T_EQ(c.c_dst, RSYS);
	T_EQ(c.c_rcode, 3);
	c = from1(DVK_CMD_NTFY_MSG, RSYS, srv_ep(), 9);
	c.c_rcode = 4;
	T_EQ(dvk_put2lcl(&c, NULL), 0);
	T_EQ(dvk_receive_T(DVK_ANY, &m, 1000), 0);
	T_EQ(m.m_source, RSYS);
	T_EQ(m.m_type, DVK_NOTIFY_FROM(DVK_EP_NR(RSYS) + t_dc0.dc_nr_tasks));
	T_EQ(m.m_u.m9.l1, 1 << 4);
	T_EQ(dvk_get2rmt_T(&c, NULL, DVK_TIMEOUT_NOWAIT), EDVSTIMEDOUT);	/* no ack */
	T_EQ(dvk_unbind(T_DC, DVK_SELF), 0);
	t_down();
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	T_RUN(send_out_acked);
	T_RUN(sendrec_out);
	T_RUN(sendrec_in);
	T_RUN(send_in_queued);
	T_RUN(rejections);
	T_RUN(proxy_checks);
	T_RUN(losses_wake_callers);
	T_RUN(server_dies);
	T_RUN(notify_both_ways);
	T_RUN(stale_reply_and_del_node);
	T_RUN(reply_repeated);
	return t_summary();
}
