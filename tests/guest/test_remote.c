// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's side of remote IPC, with this program as the proxy pair of
 * a make-believe node 1: what local callers' remote calls queue for
 * get2rmt, how put2lcl plays node 1's commands against local slots, the
 * acknowledgements either way (errors included), and what losing the link,
 * the node or the proxy does to callers still waiting.
 */
#include <poll.h>
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
	r = from1(DVK_CMD_REPLY_MSG, RSRV, c.c_src, c.c_id + 1);	/* another call's */
	r.c_msg.m_type = 300;
	T_EQ(dvk_put2lcl(&r, NULL), EDVSPROCSTS);
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_REPLY_ACK);
	T_EQ(a.c_rcode, EDVSPROCSTS);
	r.c_id = c.c_id;					/* the reply to this one */
	T_EQ(dvk_put2lcl(&r, NULL), 0);
	T_EQ(t_join(pid), 0);
	T_EQ(dvk_get2rmt_T(&a, NULL, DVK_TIMEOUT_NOWAIT), EDVSTIMEDOUT);	/* taken: no ack */
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
	struct dvk_cmd c, r;
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
	T_EQ(r.c_id, 77);			/* the request's: it answers that call */
	T_EQ(r.c_src, srv_ep());
	T_EQ(r.c_dst, RCLI);
	T_EQ(r.c_msg.m_type, 200);
	T_EQ(r.c_msg.m_source, srv_ep());
	T_EQ(t_join(pid), 0);		/* its reply did not wait for node 1 */
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
	c.c_dnode = 32;
	T_EQ(dvk_put2lcl(&c, NULL), EDVSBADNODEID);
	c.c_dnode = 2;				/* for a node not attached here */
	T_EQ(dvk_put2lcl(&c, NULL), EDVSNOPROXY);
	a = next_cmd();				/* answered in node 2's name */
	T_EQ(a.c_cmd, DVK_CMD_SEND_ACK);
	T_EQ(a.c_rcode, EDVSNOPROXY);
	T_EQ(a.c_snode, 2);
	T_EQ(a.c_dnode, RNODE);
	T_EQ(a.c_dst, RCLI);
	T_EQ(a.c_id, 4);
	c = from1(DVK_CMD_SEND_MSG, RCLI, RSRV, 4);
	c.c_snode = 2;
	T_EQ(dvk_put2lcl(&c, NULL), EDVSNONODE);		/* not a node this pair serves */
	c = from1(99, RCLI, RSRV, 4);
	T_EQ(dvk_put2lcl(&c, NULL), EDVSBADREQUEST);
	c = from1(DVK_CMD_HELLO, RCLI, RSRV, 4);
	T_EQ(dvk_put2lcl(&c, NULL), EDVSBADREQUEST);
	c = from1(DVK_CMD_COPYIN_DATA, RCLI, RSRV, 4);	/* data without data */
	T_EQ(dvk_put2lcl(&c, NULL), EDVSBADREQUEST);
	c.c_len = c.c_vcopy.v_bytes = 8;
	T_EQ(dvk_put2lcl(&c, NULL), EDVSBADREQUEST);
	c = from1(DVK_CMD_COPYIN_RQST, RCLI, RSRV, 4);		/* not used */
	T_EQ(dvk_put2lcl(&c, NULL), EDVSBADREQUEST);
	c = from1(DVK_CMD_SEND_MSG, RCLI, RSRV, 4);
	c.c_dcid = 7;
	T_EQ(dvk_put2lcl(&c, NULL), EDVSDCNOTRUN);
	a = next_cmd();				/* no such DC here: answered all the same */
	T_EQ(a.c_cmd, DVK_CMD_SEND_ACK);
	T_EQ(a.c_rcode, EDVSDCNOTRUN);
	T_EQ(a.c_dst, RCLI);
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

/*
 * A remote reply never blocks, and is given once; one that cannot leave
 * (no link) leaves no trace: the client still waits, the reply can be
 * repeated.
 */
static int replied[2];		/* server_retry -> reply_repeated */

static int server_retry(void *arg)
{
	struct dvk_message m;

	(void)arg;
	C_EQ(dvk_bind(T_DC, SRV_NR) > 0, 1);
	C_EQ(dvk_receive(DVK_ANY, &m), 0);
	C_EQ(t_sync_wait(), true);			/* the link is down now */
	C_EQ(dvk_reply_T(RCLI, &m, 100), EDVSNOTCONN);
	C_EQ(write(replied[1], "", 1), 1);
	C_EQ(t_sync_wait(), true);			/* and up again */
	C_EQ(dvk_reply_T(RCLI, &m, 100), 0);
	C_EQ(dvk_reply_T(RCLI, &m, 100), EDVSPROCSTS);	/* answered already */
	return 0;
}

static void reply_repeated(void)
{
	struct dvk_cmd c, r, a;
	char byte;
	pid_t pid;

	up_with_node1();
	t_sync_init();
	T_EQ(pipe(replied), 0);
	pid = t_fork(server_retry, NULL);
	T_TRUE(t_wait_flags(T_DC, SRV_NR, DVK_RECEIVING));
	c = from1(DVK_CMD_SNDREC_MSG, RCLI, srv_ep(), 70);
	T_EQ(dvk_put2lcl(&c, NULL), 0);
	T_TRUE(t_wait_state(T_DC, SRV_NR, 0, DVK_RECEIVING));	/* it took the request */
	T_EQ(dvk_proxy_conn(RNODE, DVK_DISCONNECT_SPROXY), 0);
	t_sync_post();
	T_EQ(poll(&(struct pollfd){ .fd = replied[0], .events = POLLIN }, 1, 5000), 1);
	T_EQ(read(replied[0], &byte, 1), 1);
	T_EQ(dvk_proxy_conn(RNODE, DVK_CONNECT_SPROXY), 0);
	t_sync_post();
	T_EQ(t_join(pid), 0);
	r = next_cmd();
	T_EQ(r.c_cmd, DVK_CMD_REPLY_MSG);
	T_EQ(r.c_dst, RCLI);
	T_EQ(dvk_get2rmt_T(&a, NULL, DVK_TIMEOUT_NOWAIT), EDVSTIMEDOUT);	/* one reply only */
	close(replied[0]);
	close(replied[1]);
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

/* ---- Remote copies ------------------------------------------------ */

#define CBYTES		150000			/* three chunks of at most 64 KiB */
#define HOLD_NR		4			/* local parties of copies */
#define HOLD2_NR	5
#define RSRV2		DVK_ENDPOINT(1, 11)	/* another server on node 1 */
#define NODE2		2			/* a third node, behind the same pair */
#define RNODE2_EP	DVK_ENDPOINT(1, 12)	/* a process there */

static unsigned char cbuf[CBYTES];		/* same address in every child */
static unsigned char payload[DVK_CMD_MAXPAYLOAD];

static unsigned char pat(size_t i, int seed)
{
	return (unsigned char)(i * 31 + i / 251 + seed);
}

static void fill(unsigned char *b, size_t off, size_t n, int seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = pat(off + i, seed);
}

static bool is_pattern(const unsigned char *b, size_t off, size_t n, int seed)
{
	for (size_t i = 0; i < n; i++)
		if (b[i] != pat(off + i, seed))
			return false;
	return true;
}

static int ep_of(int nr)
{
	struct proc_usr p;

	return dvk_getprocinfo(T_DC, nr, &p) == 0 ? p.p_endpoint : DVK_NONE;
}

/*
 * A local party: binds slot arg->nr, fills cbuf with arg->seed's pattern
 * (or zeroes it), waits in receive; when a message arrives it checks cbuf
 * holds arg->want's pattern (-1: do not check) and exits.
 */
struct holder { int nr; int seed; int want; };

static int holder(void *arg)
{
	struct holder *h = arg;
	struct dvk_message m;

	if (h->seed >= 0)
		fill(cbuf, 0, CBYTES, h->seed);
	else
		memset(cbuf, 0, CBYTES);
	C_EQ(dvk_bind(T_DC, h->nr) > 0, 1);
	C_EQ(dvk_receive_T(DVK_ANY, &m, 20000), 0);
	if (h->want >= 0)
		C_EQ(is_pattern(cbuf, 0, CBYTES, h->want), true);
	return 0;
}

/* Release holder in slot @nr: a message from node 1 ends its receive. */
static void release(int nr, pid_t pid, unsigned long long id)
{
	struct dvk_cmd c = from1(DVK_CMD_SEND_MSG, RCLI, ep_of(nr), id), a;

	T_EQ(dvk_put2lcl(&c, NULL), 0);
	T_EQ(t_join(pid), 0);
	T_EQ(dvk_get2rmt_T(&a, payload, 2000), 0);
	T_EQ(a.c_cmd, DVK_CMD_SEND_ACK);
}

/* A requester in slot SRV_NR (a system slot): one vcopy, result checked. */
struct vc { int src; unsigned long saddr; int dst; unsigned long daddr; long bytes; long want;
	    int check_seed; };

static int requester(void *arg)
{
	struct vc *v = arg;

	memset(cbuf, 0, CBYTES);
	C_EQ(dvk_bind(T_DC, SRV_NR) > 0, 1);
	C_EQ(dvk_vcopy(v->src, (void *)v->saddr, v->dst, (void *)v->daddr, v->bytes), v->want);
	if (v->check_seed >= 0)
		C_EQ(is_pattern(cbuf, 0, CBYTES, v->check_seed), true);
	return 0;
}

/* The next command, with its payload in `payload`. */
static struct dvk_cmd next_data(void)
{
	struct dvk_cmd c;

	memset(&c, 0, sizeof(c));
	T_EQ(dvk_get2rmt_T(&c, payload, 2000), 0);
	return c;
}

/*
 * Local source, remote destination: the requester streams the source's
 * memory to node 1 in chunks, all of them out before any acknowledgement;
 * the acks add up to the copy's result.
 */
static void copy_to_remote(void)
{
	struct holder src = { HOLD_NR, 7, -1 };
	struct vc v = { 0, (unsigned long)cbuf, RSRV, 0x500000, CBYTES, CBYTES, -1 };
	struct dvk_cmd c[4], a;
	pid_t hp, rp;
	size_t off = 0;

	up_with_node1();
	hp = t_fork(holder, &src);
	T_TRUE(t_wait_flags(T_DC, HOLD_NR, DVK_RECEIVING));
	v.src = ep_of(HOLD_NR);
	rp = t_fork(requester, &v);
	for (int i = 0; i < 3; i++) {
		size_t n = i < 2 ? 65536 : CBYTES - 131072;

		c[i] = next_data();
		T_EQ(c[i].c_cmd, DVK_CMD_COPYIN_DATA);
		T_EQ(c[i].c_len, n);
		T_EQ(c[i].c_vcopy.v_bytes, n);
		T_EQ(c[i].c_rcode, 0);
		T_EQ(c[i].c_src, v.src);
		T_EQ(c[i].c_dst, RSRV);
		T_EQ(c[i].c_dnode, RNODE);
		T_EQ(c[i].c_vcopy.v_rqtr, ep_of(SRV_NR));
		T_EQ(c[i].c_vcopy.v_rnode, 0);
		T_EQ(c[i].c_vcopy.v_dnode, RNODE);
		T_EQ(c[i].c_vcopy.v_saddr, (unsigned long)cbuf + off);
		T_EQ(c[i].c_vcopy.v_daddr, 0x500000 + off);
		T_EQ(c[i].c_id, c[0].c_id);
		T_EQ(c[i].c_flags, i == 2 ? DVK_CMDF_LAST : 0);
		T_TRUE(is_pattern(payload, off, n, 7));
		off += n;
	}
	T_EQ(dvk_get2rmt_T(&a, payload, DVK_TIMEOUT_NOWAIT), EDVSTIMEDOUT);	/* all sent */
	T_TRUE(t_wait_flags(T_DC, HOLD_NR, DVK_ONCOPY));
	/* Node 1 acks the last chunk (a middle one is only progress). */
	a = from1(DVK_CMD_COPYIN_ACK, RSRV, c[1].c_vcopy.v_rqtr, c[1].c_id);
	a.c_vcopy = c[1].c_vcopy;
	T_EQ(dvk_put2lcl(&a, NULL), 0);
	T_TRUE(t_wait_flags(T_DC, HOLD_NR, DVK_ONCOPY));
	a.c_vcopy = c[2].c_vcopy;
	T_EQ(dvk_put2lcl(&a, NULL), 0);
	T_EQ(t_join(rp), 0);
	T_EQ(dvk_put2lcl(&a, NULL), EDVSACKDST);	/* the requester is gone */
	/* An error acknowledged for any chunk is the copy's result. */
	v.bytes = 1000;
	v.want = EDVSPROCSTS;
	rp = t_fork(requester, &v);
	c[0] = next_data();
	T_EQ(c[0].c_len, 1000);
	a = from1(DVK_CMD_COPYIN_ACK, RSRV, c[0].c_vcopy.v_rqtr, c[0].c_id);
	a.c_rcode = EDVSPROCSTS;
	T_EQ(dvk_put2lcl(&a, NULL), 0);
	T_EQ(t_join(rp), 0);
	release(HOLD_NR, hp, 1);
	t_down();
}

/*
 * Remote source, local destination (the requester itself): a COPYOUT
 * request to node 1, whose data comes back as COPYIN_DATA and is written
 * straight into the requester's memory, with no ack back to node 1.
 */
static void copy_from_remote(void)
{
	struct vc v = { RSRV, 0x600000, DVK_SELF, (unsigned long)cbuf, CBYTES, CBYTES, 9 };
	struct dvk_cmd c, d;
	size_t off = 0;
	pid_t rp;

	up_with_node1();
	rp = t_fork(requester, &v);
	c = next_cmd();
	T_EQ(c.c_cmd, DVK_CMD_COPYOUT_RQST);
	T_EQ(c.c_src, ep_of(SRV_NR));
	T_EQ(c.c_dst, RSRV);
	T_EQ(c.c_len, 0);
	T_EQ(c.c_vcopy.v_src, RSRV);
	T_EQ(c.c_vcopy.v_dst, ep_of(SRV_NR));
	T_EQ(c.c_vcopy.v_rqtr, ep_of(SRV_NR));
	T_EQ(c.c_vcopy.v_rnode, 0);
	T_EQ(c.c_vcopy.v_dnode, 0);
	T_EQ(c.c_vcopy.v_saddr, 0x600000);
	T_EQ(c.c_vcopy.v_daddr, (unsigned long)cbuf);
	T_EQ(c.c_vcopy.v_bytes, CBYTES);
	while (off < CBYTES) {
		size_t n = CBYTES - off < 40000 ? CBYTES - off : 40000;

		d = from1(DVK_CMD_COPYIN_DATA, RSRV, c.c_vcopy.v_dst, c.c_id);
		d.c_vcopy = c.c_vcopy;
		d.c_vcopy.v_saddr += off;
		d.c_vcopy.v_daddr += off;
		d.c_vcopy.v_bytes = d.c_len = n;
		fill(payload, off, n, 9);
		T_EQ(dvk_put2lcl(&d, payload), 0);
		off += n;
	}
	T_EQ(t_join(rp), 0);
	T_EQ(dvk_get2rmt_T(&d, payload, DVK_TIMEOUT_NOWAIT), EDVSTIMEDOUT);	/* no ack out */
	T_EQ(dvk_put2lcl(&d, payload), EDVSACKDST);	/* late data: written nowhere */
	/* Node 1 refusing the request ends the copy with its error. */
	v.want = EDVSSRCDIED;
	v.check_seed = -1;
	rp = t_fork(requester, &v);
	c = next_cmd();
	d = from1(DVK_CMD_COPYOUT_DATA, RSRV, c.c_src, c.c_id);
	d.c_rcode = EDVSSRCDIED;
	T_EQ(dvk_put2lcl(&d, NULL), 0);
	T_EQ(t_join(rp), 0);
	/* Losing the link wakes a requester waiting for data. */
	v.want = EDVSNOTCONN;
	rp = t_fork(requester, &v);
	c = next_cmd();
	T_EQ(dvk_proxy_conn(RNODE, DVK_DISCONNECT_RPROXY), 0);
	T_EQ(t_join(rp), 0);
	t_down();
}

/*
 * Both parties remote: on one node a COPYLCL request answered by one ack;
 * on two nodes a COPYRMT request to the source's node, acknowledged from
 * the destination's node.
 */
static void copy_between_remotes(void)
{
	struct vc v = { RSRV, 0x1000, RSRV2, 0x2000, 5000, 5000, -1 };
	struct dvk_cmd c, a;
	pid_t rp;

	up_with_node1();
	T_TRUE(dvk_rmtbind(T_DC, "rsrv2", RSRV2, RNODE) == RSRV2);
	rp = t_fork(requester, &v);
	c = next_cmd();
	T_EQ(c.c_cmd, DVK_CMD_COPYLCL_RQST);
	T_EQ(c.c_dnode, RNODE);
	T_EQ(c.c_vcopy.v_dnode, RNODE);
	T_EQ(c.c_vcopy.v_dst, RSRV2);
	a = from1(DVK_CMD_COPYLCL_RQST | DVK_CMD_ACK, RSRV, c.c_src, c.c_id);
	a.c_vcopy = c.c_vcopy;
	T_EQ(dvk_put2lcl(&a, NULL), 0);
	T_EQ(t_join(rp), 0);
	/* A third node behind the same pair. */
	T_EQ(dvk_node_up("node2", NODE2, RNODE), NODE2);
	T_EQ(dvk_add_node(T_DC, NODE2), 0);
	T_TRUE(dvk_rmtbind(T_DC, "r2", RNODE2_EP, NODE2) == RNODE2_EP);
	v.dst = RNODE2_EP;
	rp = t_fork(requester, &v);
	c = next_cmd();
	T_EQ(c.c_cmd, DVK_CMD_COPYRMT_RQST);
	T_EQ(c.c_dnode, RNODE);
	T_EQ(c.c_vcopy.v_dnode, NODE2);
	a = from1(DVK_CMD_COPYIN_ACK, RNODE2_EP, c.c_src, c.c_id);
	a.c_snode = NODE2;
	a.c_vcopy = c.c_vcopy;
	a.c_vcopy.v_bytes = 3000;
	T_EQ(dvk_put2lcl(&a, NULL), 0);		/* 3000 of 5000 */
	T_TRUE(t_wait_flags(T_DC, SRV_NR, DVK_ONCOPY));
	a.c_vcopy.v_daddr += 3000;			/* the last piece */
	a.c_vcopy.v_bytes = 2000;
	T_EQ(dvk_put2lcl(&a, NULL), 0);
	T_EQ(t_join(rp), 0);
	/* The destination's node going down ends the copy. */
	v.want = EDVSNODEFREE;
	rp = t_fork(requester, &v);
	c = next_cmd();
	T_EQ(dvk_node_down(NODE2), 0);
	T_EQ(t_join(rp), 0);
	t_down();
}

/*
 * Node 1's requester copies between local processes (COPYLCL), streams a
 * local source to itself (COPYOUT), writes a chunk into a local process
 * (COPYIN_DATA); refusals are acknowledged with the reason.
 */
static void copies_for_remote_requester(void)
{
	struct holder s = { HOLD_NR, 3, -1 }, d = { HOLD2_NR, -1, 3 };
	struct dvk_cmd c, a;
	size_t off = 0;
	pid_t sp, dp;

	up_with_node1();
	sp = t_fork(holder, &s);
	dp = t_fork(holder, &d);
	T_TRUE(t_wait_flags(T_DC, HOLD_NR, DVK_RECEIVING));
	T_TRUE(t_wait_flags(T_DC, HOLD2_NR, DVK_RECEIVING));
	c = from1(DVK_CMD_COPYLCL_RQST, RCLI, ep_of(HOLD_NR), 31);
	c.c_vcopy = (struct dvk_vcopy){ .v_src = ep_of(HOLD_NR), .v_dst = ep_of(HOLD2_NR),
		.v_rqtr = RCLI, .v_rnode = RNODE, .v_dnode = 0, .v_saddr = (unsigned long)cbuf,
		.v_daddr = (unsigned long)cbuf, .v_bytes = CBYTES };
	T_EQ(dvk_put2lcl(&c, NULL), 0);
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_COPYLCL_RQST | DVK_CMD_ACK);
	T_EQ(a.c_rcode, 0);
	T_EQ(a.c_id, 31);
	T_EQ(a.c_src, ep_of(HOLD_NR));
	T_EQ(a.c_dst, RCLI);
	T_EQ(a.c_dnode, RNODE);
	T_EQ(a.c_vcopy.v_bytes, CBYTES);
	release(HOLD2_NR, dp, 2);		/* it checks it got the pattern */
	/* COPYOUT: the local source streams back to node 1. */
	c.c_cmd = DVK_CMD_COPYOUT_RQST;
	c.c_id = 32;
	c.c_vcopy.v_dst = RCLI;
	c.c_vcopy.v_dnode = RNODE;
	c.c_vcopy.v_daddr = 0x700000;
	T_EQ(dvk_put2lcl(&c, NULL), 0);
	while (off < CBYTES) {
		a = next_data();
		T_EQ(a.c_cmd, DVK_CMD_COPYIN_DATA);
		T_EQ(a.c_id, 32);
		T_EQ(a.c_rcode, 0);
		T_EQ(a.c_vcopy.v_rnode, RNODE);
		T_EQ(a.c_vcopy.v_daddr, 0x700000 + off);
		T_TRUE(is_pattern(payload, off, a.c_len, 3));
		off += a.c_len;
	}
	T_EQ(off, CBYTES);
	/* Refused: a bad request, then a destination that is not receiving. */
	c.c_vcopy.v_dnode = 0;				/* COPYOUT must go to the requester's node */
	T_EQ(dvk_put2lcl(&c, NULL), EDVSBADVALUE);
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_COPYOUT_DATA);
	T_EQ(a.c_rcode, EDVSBADVALUE);
	T_TRUE(dvk_bind(T_DC, HOLD2_NR) > 0);		/* bound, not receiving */
	c = from1(DVK_CMD_COPYIN_DATA, RSRV, ep_of(HOLD2_NR), 33);
	c.c_vcopy = (struct dvk_vcopy){ .v_src = RSRV, .v_dst = ep_of(HOLD2_NR), .v_rqtr = RCLI,
		.v_rnode = RNODE, .v_dnode = 0, .v_daddr = (unsigned long)cbuf, .v_bytes = 100 };
	c.c_len = 100;
	T_EQ(dvk_put2lcl(&c, payload), EDVSPROCSTS);
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_COPYIN_ACK);
	T_EQ(a.c_rcode, EDVSPROCSTS);
	T_EQ(a.c_dst, RCLI);
	T_EQ(dvk_unbind(T_DC, DVK_SELF), 0);
	/* COPYIN_DATA into a receiving process, acknowledged to node 1. */
	d.want = -1;
	dp = t_fork(holder, &d);
	T_TRUE(t_wait_flags(T_DC, HOLD2_NR, DVK_RECEIVING));
	c.c_dst = c.c_vcopy.v_dst = ep_of(HOLD2_NR);
	T_EQ(dvk_put2lcl(&c, payload), 0);		/* written, not the last: no ack */
	T_EQ(dvk_get2rmt_T(&a, payload, DVK_TIMEOUT_NOWAIT), EDVSTIMEDOUT);
	c.c_flags = DVK_CMDF_LAST;
	c.c_vcopy.v_daddr += 100;
	T_EQ(dvk_put2lcl(&c, payload), 0);
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_COPYIN_ACK);
	T_EQ(a.c_rcode, 0);
	T_EQ(a.c_id, 33);
	T_EQ(a.c_vcopy.v_daddr, (unsigned long)cbuf + 100);
	T_EQ(a.c_vcopy.v_bytes, 100);
	c.c_flags = 2;					/* no such flag */
	T_EQ(dvk_put2lcl(&c, payload), EDVSBADREQUEST);
	release(HOLD2_NR, dp, 3);
	release(HOLD_NR, sp, 4);
	t_down();
}

/* ---- Relaying (put2rmt) -------------------------------------------- */

/* Pair 2's sender proxy: takes what node 1 sent for node 2 through us. */
static int pair2_sender(void *arg)
{
	struct dvk_cmd c;

	(void)arg;
	C_EQ(t_sync_wait(), true);			/* pair 2 is bound and connected */
	C_EQ(dvk_get2rmt_T(&c, payload, 2000), 0);
	C_EQ(c.c_cmd, DVK_CMD_SEND_MSG);
	C_EQ(c.c_snode, RNODE);				/* unchanged: still node 1's */
	C_EQ(c.c_dnode, NODE2);
	C_EQ(c.c_src, RCLI);
	C_EQ(c.c_dst, RNODE2_EP);
	C_EQ(c.c_id, 41);
	C_EQ(c.c_msg.m_type, 77);
	C_EQ(dvk_get2rmt_T(&c, payload, 2000), 0);
	C_EQ(c.c_cmd, DVK_CMD_COPYIN_DATA);
	C_EQ(c.c_len, 3000);
	C_EQ(c.c_flags, DVK_CMDF_LAST);
	C_EQ(is_pattern(payload, 0, 3000, 5), true);
	return 0;
}

/*
 * A command from node 1 for node 2, which another pair serves here, goes
 * to that pair's sender unchanged, data included; one that would go back
 * where it came from is refused and answered.
 */
static void relay_to_third_node(void)
{
	struct dvk_cmd c, a;
	pid_t px2;

	up_with_node1();
	t_sync_init();
	px2 = t_fork(pair2_sender, NULL);
	T_EQ(dvk_proxies_bind("px2", NODE2, px2, px2, 65536), NODE2);
	T_EQ(dvk_node_up("node2", NODE2, NODE2), NODE2);
	T_EQ(dvk_add_node(T_DC, NODE2), 0);
	T_EQ(dvk_proxy_conn(NODE2, DVK_CONNECT_SPROXY), 0);
	t_sync_post();
	c = from1(DVK_CMD_SEND_MSG, RCLI, RNODE2_EP, 41);
	c.c_dnode = NODE2;
	c.c_msg.m_type = 77;
	T_EQ(dvk_put2lcl(&c, NULL), 0);
	c = from1(DVK_CMD_COPYIN_DATA, RCLI, RNODE2_EP, 42);
	c.c_dnode = NODE2;
	c.c_flags = DVK_CMDF_LAST;
	c.c_vcopy = (struct dvk_vcopy){ .v_src = RCLI, .v_dst = RNODE2_EP, .v_rqtr = RCLI,
		.v_rnode = RNODE, .v_dnode = NODE2, .v_bytes = 3000 };
	c.c_len = 3000;
	fill(payload, 0, 3000, 5);
	T_EQ(dvk_put2lcl(&c, payload), 0);
	T_EQ(t_join(px2), 0);
	/* Node 3 is behind node 1's own pair: no way on but back. */
	T_EQ(dvk_node_up("node3", 3, RNODE), 3);
	T_EQ(dvk_add_node(T_DC, 3), 0);
	c = from1(DVK_CMD_SNDREC_MSG, RCLI, DVK_ENDPOINT(1, 40), 43);
	c.c_dnode = 3;
	T_EQ(dvk_put2lcl(&c, NULL), EDVSBADNODEID);
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_SNDREC_ACK);
	T_EQ(a.c_snode, 3);
	T_EQ(a.c_rcode, EDVSBADNODEID);
	T_EQ(a.c_id, 43);
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
	T_RUN(copy_to_remote);
	T_RUN(copy_from_remote);
	T_RUN(copy_between_remotes);
	T_RUN(copies_for_remote_requester);
	T_RUN(relay_to_third_node);
	return t_summary();
}
