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
#define RCLI		DVK_ENDPOINT(1, 20)	/* a system process there, registered here */
#define RUSR		DVK_ENDPOINT(1, 100)	/* a client there, in a user slot (autobound) */
#define RSYS		DVK_ENDPOINT(1, 5)	/* a system process there */
#define CLI_NR		2			/* local client slot */
#define SRV_NR		3			/* local server slot */

/* Node 0 with DC0, this process the (connected) pair serving node 1. */
static void up_with_node1(void)
{
	t_up_with_pair(RNODE);
	T_TRUE(dvk_rmtbind(T_DC, "rsrv", RSRV, RNODE) == RSRV);
	T_TRUE(dvk_rmtbind(T_DC, "rcli", RCLI, RNODE) == RCLI);
}

/* A command as node 1 would send it. */
static struct dvk_cmd from1(unsigned int cmd, int src, int dst, unsigned long long id)
{
	return t_cmd_from(RNODE, cmd, src, dst, id);
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
	C_EQ(m.m_source, RUSR);
	C_EQ(m.m_u.m1.i1, 41);
	if (reply) {
		m.m_type = 200;
		C_EQ(dvk_reply_T(RUSR, &m, 5000), 0);
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
	c = from1(DVK_CMD_SNDREC_MSG, RUSR, srv_ep(), 77);
	c.c_msg.m_u.m1.i1 = 41;
	T_EQ(dvk_put2lcl(&c, NULL), 0);
	T_EQ(dvk_getprocinfo(T_DC, DVK_EP_NR(RUSR), &p), 0);	/* bound on the fly */
	T_EQ(p.p_endpoint, RUSR);
	T_EQ(p.p_nodeid, RNODE);
	T_TRUE(p.p_rts_flags & DVK_REMOTE);
	T_TRUE(!strcmp(p.p_name, "rclient"));
	r = next_cmd();
	T_EQ(r.c_cmd, DVK_CMD_REPLY_MSG);
	T_EQ(r.c_id, 77);			/* the request's: it answers that call */
	T_EQ(r.c_src, srv_ep());
	T_EQ(r.c_dst, RUSR);
	T_EQ(r.c_msg.m_type, 200);
	T_EQ(r.c_msg.m_source, srv_ep());
	T_EQ(t_join(pid), 0);		/* its reply did not wait for node 1 */
	t_down();
}

/* Slot 12 of node 1, registered by its number (the original's way). */
#define RNUM		12

static int client_by_number(void *arg)
{
	struct dvk_message m = { .m_type = 100 };

	(void)arg;
	C_EQ(dvk_bind(T_DC, CLI_NR) > 0, 1);
	C_EQ(dvk_sendrec_T(RNUM, &m, 5000), 0);
	C_EQ(m.m_source, RNUM);
	C_EQ(m.m_type, 301);
	return 0;
}

static int server_from_number(void *arg)
{
	struct dvk_message m;

	(void)arg;
	C_EQ(dvk_bind(T_DC, SRV_NR) > 0, 1);
	C_EQ(dvk_receive(DVK_ANY, &m), 0);
	C_EQ(m.m_source, RNUM);
	return 0;
}

/*
 * A remote slot registered by number stands for whatever binding that slot
 * has on its node: frames to it carry the number, frames from any
 * generation of it are it (no rebind, so a caller waiting on it keeps
 * waiting for the right reply), and messages from it carry the number.
 */
static void registered_by_number(void)
{
	struct dvk_cmd c, r;
	struct proc_usr p;
	pid_t pid;

	up_with_node1();
	T_EQ(dvk_rmtbind(T_DC, "task", -3, RNODE), EDVSENDPOINT);	/* not a task slot */
	T_EQ(dvk_rmtbind(T_DC, "rnum", RNUM, RNODE), RNUM);
	pid = t_fork(client_by_number, NULL);
	c = next_cmd();
	T_EQ(c.c_cmd, DVK_CMD_SNDREC_MSG);
	T_EQ(c.c_dst, RNUM);				/* node 1 resolves the number */
	r = from1(DVK_CMD_REPLY_MSG, DVK_ENDPOINT(3, RNUM), c.c_src, c.c_id);
	r.c_msg.m_type = 301;
	T_EQ(dvk_put2lcl(&r, NULL), 0);
	T_EQ(t_join(pid), 0);
	T_EQ(dvk_getprocinfo(T_DC, RNUM, &p), 0);
	T_EQ(p.p_endpoint, RNUM);			/* still the registration by number */
	T_TRUE(!strcmp(p.p_name, "rnum"));
	/* Another generation of it sends to a local server: it is the same slot. */
	pid = t_fork(server_from_number, NULL);
	T_TRUE(t_wait_flags(T_DC, SRV_NR, DVK_RECEIVING));
	c = from1(DVK_CMD_SEND_MSG, DVK_ENDPOINT(4, RNUM), srv_ep(), 78);
	T_EQ(dvk_put2lcl(&c, NULL), 0);
	T_EQ(t_join(pid), 0);
	r = next_cmd();
	T_EQ(r.c_cmd, DVK_CMD_SEND_ACK);
	T_EQ(r.c_rcode, 0);
	T_EQ(dvk_getprocinfo(T_DC, RNUM, &p), 0);
	T_EQ(p.p_endpoint, RNUM);
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
	c = from1(DVK_CMD_COPYIN_RQST, RCLI, RSRV, 4);		/* a grant naming nobody */
	T_EQ(dvk_put2lcl(&c, NULL), EDVSBADVALUE);
	c = from1(DVK_CMD_SEND_MSG, RCLI, RSRV, 4);
	c.c_dcid = 7;
	T_EQ(dvk_put2lcl(&c, NULL), EDVSDCNOTRUN);
	a = next_cmd();				/* no such DC here: answered all the same */
	T_EQ(a.c_cmd, DVK_CMD_SEND_ACK);
	T_EQ(a.c_rcode, EDVSDCNOTRUN);
	T_EQ(a.c_dst, RCLI);
	c = from1(DVK_CMD_SEND_ACK, RSRV, RCLI, 12345);
	T_EQ(dvk_put2lcl(&c, NULL), EDVSACKDST);			/* RCLI is not local */
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
	T_EQ(dvk_proxy_conn(RNODE, DVK_DISCONNECT_RPROXY), 0);
	T_EQ(dvk_send_T(RSRV, &m, 100), EDVSNOTCONN);	/* half a link: nothing sent */
	T_EQ(dvk_get2rmt_T(&c, NULL, DVK_TIMEOUT_NOWAIT), EDVSTIMEDOUT);
	T_EQ(dvk_proxy_conn(RNODE, DVK_CONNECT_RPROXY), 0);
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
	T_EQ(dvk_proxy_conn(RNODE, DVK_CONNECT_RPROXY), 0);
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
	c = from1(DVK_CMD_SNDREC_MSG, RUSR, srv_ep(), 61);
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

/*
 * A requester in slot SRV_NR (a system slot): one vcopy, result checked;
 * check_seed: its cbuf must then hold that pattern, or (UNTOUCHED) zeroes.
 */
#define UNTOUCHED	(-2)
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
	if (v->check_seed == UNTOUCHED) {
		for (size_t i = 0; i < CBYTES; i++)
			if (cbuf[i])
				C_EQ(i, CBYTES);	/* the first byte written */
	}
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
	/* First the grant to the destination's node, then the request to the source's. */
	c = next_cmd();
	T_EQ(c.c_cmd, DVK_CMD_COPYIN_RQST);
	T_EQ(c.c_dnode, NODE2);
	T_EQ(c.c_dst, RNODE2_EP);
	T_EQ(c.c_rcode, RNODE);				/* the stream's node */
	T_EQ(c.c_vcopy.v_dnode, NODE2);
	T_EQ(c.c_vcopy.v_bytes, 5000);
	a = from1(DVK_CMD_COPYIN_RQST | DVK_CMD_ACK, RNODE2_EP, c.c_src, c.c_id);
	a.c_snode = NODE2;
	a.c_vcopy = c.c_vcopy;
	T_EQ(dvk_put2lcl(&a, NULL), 0);
	T_EQ(dvk_put2lcl(&a, NULL), EDVSACKSRC);	/* granted already: nobody waits for it */
	c = next_cmd();
	T_EQ(c.c_cmd, DVK_CMD_COPYRMT_RQST);
	T_EQ(c.c_dnode, RNODE);
	T_EQ(c.c_dst, RSRV);
	T_EQ(c.c_rcode, 0);
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
	/* The destination's node refusing the grant ends the copy with its error. */
	v.want = EDVSPROCSTS;
	rp = t_fork(requester, &v);
	c = next_cmd();
	T_EQ(c.c_cmd, DVK_CMD_COPYIN_RQST);
	a = from1(DVK_CMD_COPYIN_RQST | DVK_CMD_ACK, RNODE2_EP, c.c_src, c.c_id);
	a.c_snode = NODE2;
	a.c_vcopy = c.c_vcopy;
	a.c_rcode = EDVSPROCSTS;
	T_EQ(dvk_put2lcl(&a, NULL), 0);
	T_EQ(t_join(rp), 0);
	T_EQ(dvk_get2rmt_T(&c, NULL, DVK_TIMEOUT_NOWAIT), EDVSTIMEDOUT);	/* S's node never asked */
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

/* ---- Trust: node 1 acts only as its own endpoints, with their rights here ---- */

#define RFREE_SYS	DVK_ENDPOINT(1, 7)	/* a free system slot here */
#define RFREE_TASK	DVK_ENDPOINT(1, -5)	/* a free task slot here */
#define RNOBODY		DVK_ENDPOINT(1, 30)	/* a user slot nobody registered */
#define USER_CALLS	((1ULL << DVK_SENDREC) | (1ULL << DVK_UNBIND) | (1ULL << DVK_GETEP) | \
			 (1ULL << DVK_WAIT4BIND))

enum { RF_RIGHTS, RF_COPY, RF_QUOTA, RF_QUEUE };

/* Node @nodeid's count of one kind in /proc/dvs/refused (0 without a row; -1: no file). */
static long refused_by(int nodeid, int kind)
{
	FILE *f = fopen("/proc/dvs/refused", "r");
	char line[160];
	long v[4], got = 0;
	int node;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%d %ld %ld %ld %ld", &node, &v[0], &v[1], &v[2], &v[3]) == 5 &&
		    node == nodeid)
			got = v[kind];
	fclose(f);
	return got;
}

static long refused(int kind)
{
	return refused_by(RNODE, kind);
}

static bool slot_free(int nr)
{
	struct proc_usr p;

	return dvk_getprocinfo(T_DC, nr, &p) == 0 && (p.p_rts_flags & DVK_SLOT_FREE);
}

/*
 * A free system or task slot is never registered on the fly; an autobound
 * user slot may only sendrec; an administrator's registration keeps its
 * own limits (ipc_to). Every refusal is answered, counted, and leaves no
 * registration behind.
 */
static void untrusted_sources(void)
{
	struct dvk_message m;
	struct priv_usr pv;
	struct dvk_cmd c, a;
	struct proc_usr p;

	up_with_node1();
	T_EQ(refused(RF_RIGHTS), 0);
	T_TRUE(dvk_bind(T_DC, SRV_NR) > 0);		/* this process: a local server */
	c = from1(DVK_CMD_SEND_MSG, RFREE_SYS, srv_ep(), 1);
	T_EQ(dvk_put2lcl(&c, NULL), EDVSPERM);
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_SEND_ACK);
	T_EQ(a.c_rcode, EDVSPERM);
	T_EQ(a.c_dst, RFREE_SYS);
	c = from1(DVK_CMD_NTFY_MSG, RFREE_SYS, srv_ep(), 2);
	T_EQ(dvk_put2lcl(&c, NULL), EDVSPERM);		/* a notify has no answer */
	c = from1(DVK_CMD_SNDREC_MSG, RFREE_TASK, srv_ep(), 3);
	T_EQ(dvk_put2lcl(&c, NULL), EDVSPERM);
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_SNDREC_ACK);
	T_EQ(a.c_rcode, EDVSPERM);
	T_TRUE(slot_free(DVK_EP_NR(RFREE_SYS)));
	T_TRUE(slot_free(DVK_EP_NR(RFREE_TASK)));
	/* A user slot: a user binding's calls only. */
	c = from1(DVK_CMD_SEND_MSG, RUSR, srv_ep(), 4);
	T_EQ(dvk_put2lcl(&c, NULL), EDVSBADCALL);
	a = next_cmd();
	T_EQ(a.c_rcode, EDVSBADCALL);
	T_TRUE(slot_free(DVK_EP_NR(RUSR)));		/* refused: not registered either */
	c = from1(DVK_CMD_SNDREC_MSG, RUSR, srv_ep(), 5);
	T_EQ(dvk_put2lcl(&c, NULL), 0);
	T_EQ(dvk_receive_T(DVK_ANY, &m, 1000), 0);
	T_EQ(m.m_source, RUSR);
	T_EQ(dvk_getpriv(T_DC, RUSR, &pv), 0);
	T_EQ(pv.priv_level, DVK_USER_PRIV);
	T_EQ(pv.priv_dvk_allowed, USER_CALLS);
	T_EQ(pv.priv_id, t_dc0.dc_nr_sysprocs);
	c = from1(DVK_CMD_SEND_MSG, RUSR, srv_ep(), 6);
	T_EQ(dvk_put2lcl(&c, NULL), EDVSBADCALL);
	a = next_cmd();
	T_EQ(a.c_rcode, EDVSBADCALL);
	c = from1(DVK_CMD_NTFY_MSG, RUSR, srv_ep(), 7);
	T_EQ(dvk_put2lcl(&c, NULL), EDVSBADCALL);
	c = from1(DVK_CMD_REPLY_MSG, RUSR, srv_ep(), 8);
	T_EQ(dvk_put2lcl(&c, NULL), EDVSBADCALL);
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_REPLY_ACK);
	T_EQ(a.c_rcode, EDVSBADCALL);
	T_EQ(dvk_getprocinfo(T_DC, DVK_EP_NR(RUSR), &p), 0);
	T_EQ(p.p_rts_flags, DVK_REMOTE | DVK_RECEIVING);	/* still waiting for our reply */
	m.m_type = 9;
	T_EQ(dvk_reply_T(RUSR, &m, 1000), 0);
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_REPLY_MSG);
	T_EQ(a.c_id, 5);
	/* The administrator's registration: its ipc_to holds for node 1 too. */
	T_EQ(dvk_getpriv(T_DC, RCLI, &pv), 0);
	pv.priv_ipc_to[0] &= ~(1ULL << (SRV_NR + t_dc0.dc_nr_tasks));
	T_EQ(dvk_setpriv(T_DC, RCLI, &pv), 0);
	c = from1(DVK_CMD_SEND_MSG, RCLI, srv_ep(), 10);
	T_EQ(dvk_put2lcl(&c, NULL), EDVSTRAPDENIED);
	a = next_cmd();
	T_EQ(a.c_rcode, EDVSTRAPDENIED);
	T_EQ(dvk_receive_T(DVK_ANY, &m, DVK_TIMEOUT_NOWAIT), EDVSAGAIN);	/* nothing came in */
	T_EQ(refused(RF_RIGHTS), 8);
	T_EQ(refused(RF_COPY), 0);
	T_TRUE(t_file_has("/proc/dvs/refused", "node rights copy quota queue"));
	T_EQ(dvk_unbind(T_DC, DVK_SELF), 0);
	t_down();
	T_EQ(t_live_rmsgs(), 0);				/* nothing left behind */
}

/* A COPYOUT request for @rqtr reading the holder in slot HOLD_NR: refused with @want. */
static void copyout_refused(int rqtr, int id, int want)
{
	struct dvk_cmd c = from1(DVK_CMD_COPYOUT_RQST, rqtr, ep_of(HOLD_NR), id), a;

	c.c_vcopy = (struct dvk_vcopy){ .v_src = ep_of(HOLD_NR), .v_dst = rqtr, .v_rqtr = rqtr,
		.v_rnode = RNODE, .v_dnode = RNODE, .v_saddr = (unsigned long)cbuf,
		.v_daddr = 0x700000, .v_bytes = 64 };
	T_EQ(dvk_put2lcl(&c, NULL), want);
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_COPYOUT_DATA);
	T_EQ(a.c_rcode, want);
	T_EQ(a.c_id, id);
	T_EQ(dvk_get2rmt_T(&a, payload, DVK_TIMEOUT_NOWAIT), EDVSTIMEDOUT);	/* no data out */
}

/* A COPYIN_DATA chunk from @snode for requester @rqtr of node 1, into the holder. */
static struct dvk_cmd chunk_in(int snode, int rqtr, int id, size_t off, size_t n)
{
	struct dvk_cmd c = from1(DVK_CMD_COPYIN_DATA, RSRV, ep_of(HOLD_NR), id);

	c.c_snode = snode;
	c.c_vcopy = (struct dvk_vcopy){ .v_src = RSRV, .v_dst = ep_of(HOLD_NR), .v_rqtr = rqtr,
		.v_rnode = RNODE, .v_dnode = 0, .v_saddr = 0x800000 + off,
		.v_daddr = (unsigned long)cbuf + off, .v_bytes = n };
	c.c_len = n;
	return c;
}

/* This process (slot SRV_NR) reads the holder's cbuf into @out with its own vcopy. */
static void read_holder(unsigned char *out)
{
	T_EQ(dvk_vcopy(ep_of(HOLD_NR), cbuf, DVK_SELF, out, CBYTES), CBYTES);
}

static unsigned char seen[CBYTES];

/*
 * Copies a party's node cannot justify are refused before any byte moves:
 * requesters not registered here, with a user's rights, without VCOPY or
 * ipc_to; a COPYRMT stream nobody granted, or outside its grant; data for a
 * local requester outside the range it asked for.
 */
static void unjustified_copies(void)
{
	struct holder h = { HOLD_NR, 7, -1 };
	struct vc v = { RSRV, 0x600000, DVK_SELF, (unsigned long)cbuf, 1000, EDVSBADVALUE,
			UNTOUCHED };
	struct dvk_message m;
	struct priv_usr pv, keep;
	struct dvk_cmd c, a;
	pid_t hp, rp;

	up_with_node1();
	hp = t_fork(holder, &h);
	T_TRUE(t_wait_flags(T_DC, HOLD_NR, DVK_RECEIVING));
	T_TRUE(dvk_bind(T_DC, SRV_NR) > 0);
	/* Reading the holder's memory. */
	copyout_refused(RNOBODY, 1, EDVSNOTBIND);
	c = from1(DVK_CMD_SNDREC_MSG, RUSR, srv_ep(), 2);	/* RUSR: autobound, a user */
	T_EQ(dvk_put2lcl(&c, NULL), 0);
	T_EQ(dvk_receive_T(DVK_ANY, &m, 1000), 0);
	copyout_refused(RUSR, 3, EDVSBADCALL);
	T_EQ(dvk_getpriv(T_DC, RCLI, &keep), 0);
	pv = keep;
	pv.priv_dvk_allowed &= ~(1ULL << DVK_VCOPY);
	T_EQ(dvk_setpriv(T_DC, RCLI, &pv), 0);
	copyout_refused(RCLI, 4, EDVSBADCALL);
	pv = keep;
	pv.priv_ipc_to[0] &= ~(1ULL << (HOLD_NR + t_dc0.dc_nr_tasks));
	T_EQ(dvk_setpriv(T_DC, RCLI, &pv), 0);
	copyout_refused(RCLI, 5, EDVSTRAPDENIED);
	T_EQ(dvk_setpriv(T_DC, RCLI, &keep), 0);
	/* Writing into it. */
	fill(payload, 0, 100, 8);
	c = chunk_in(RNODE, RNOBODY, 6, 0, 100);
	c.c_flags = DVK_CMDF_LAST;
	T_EQ(dvk_put2lcl(&c, payload), EDVSNOTBIND);
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_COPYIN_ACK);
	T_EQ(a.c_rcode, EDVSNOTBIND);
	/* A stream from node 2 (a COPYRMT) that node 1 did not grant. */
	T_EQ(dvk_node_up("node2", NODE2, RNODE), NODE2);
	T_EQ(dvk_add_node(T_DC, NODE2), 0);
	c = chunk_in(NODE2, RCLI, 7, 0, 100);
	T_EQ(dvk_put2lcl(&c, payload), EDVSBADVALUE);
	a = next_cmd();
	T_EQ(a.c_rcode, EDVSBADVALUE);
	read_holder(seen);
	T_TRUE(is_pattern(seen, 0, CBYTES, 7));		/* not a byte written so far */
	/* Granted by node 1: 100 bytes from node 2; inside they land, outside not. */
	c = from1(DVK_CMD_COPYIN_RQST, RCLI, ep_of(HOLD_NR), 8);
	c.c_rcode = NODE2;
	c.c_vcopy = chunk_in(NODE2, RCLI, 8, 0, 100).c_vcopy;
	T_EQ(dvk_put2lcl(&c, NULL), 0);
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_COPYIN_RQST | DVK_CMD_ACK);
	T_EQ(a.c_rcode, 0);
	T_EQ(a.c_id, 8);
	c = chunk_in(NODE2, RCLI, 8, 0, 60);
	T_EQ(dvk_put2lcl(&c, payload), 0);
	c = chunk_in(NODE2, RCLI, 9, 60, 40);		/* another copy's id */
	T_EQ(dvk_put2lcl(&c, payload + 60), EDVSBADVALUE);
	a = next_cmd();
	T_EQ(a.c_rcode, EDVSBADVALUE);
	c = chunk_in(NODE2, RCLI, 8, 60, 41);		/* one byte past the grant */
	T_EQ(dvk_put2lcl(&c, payload + 60), EDVSBADVALUE);
	a = next_cmd();
	T_EQ(a.c_rcode, EDVSBADVALUE);
	c = chunk_in(NODE2, RCLI, 8, 60, 40);		/* the grant ended with that error */
	c.c_flags = DVK_CMDF_LAST;
	T_EQ(dvk_put2lcl(&c, payload + 60), EDVSBADVALUE);
	a = next_cmd();
	T_EQ(a.c_rcode, EDVSBADVALUE);
	read_holder(seen);
	T_TRUE(is_pattern(seen, 0, 60, 8));
	T_TRUE(is_pattern(seen + 60, 60, CBYTES - 60, 7));
	T_EQ(dvk_reply_T(RUSR, &m, 1000), 0);
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_REPLY_MSG);
	T_EQ(dvk_unbind(T_DC, DVK_SELF), 0);
	/* A local requester's COPYOUT: data only where it asked for it. */
	rp = t_fork(requester, &v);
	c = next_cmd();
	T_EQ(c.c_cmd, DVK_CMD_COPYOUT_RQST);
	a = from1(DVK_CMD_COPYIN_DATA, RSRV, c.c_vcopy.v_dst, c.c_id);
	a.c_vcopy = c.c_vcopy;
	a.c_vcopy.v_daddr += 1000;			/* just past its buffer's range */
	a.c_vcopy.v_bytes = a.c_len = 8;
	T_EQ(dvk_put2lcl(&a, payload), EDVSBADVALUE);
	T_EQ(t_join(rp), 0);				/* its copy failed, its memory untouched */
	T_EQ(dvk_put2lcl(&a, payload), EDVSACKDST);	/* nobody asked for it (any more) */
	T_EQ(dvk_get2rmt_T(&a, payload, DVK_TIMEOUT_NOWAIT), EDVSTIMEDOUT);
	T_EQ(refused(RF_COPY), 7);		/* 4 requests, 1 chunk, 2 for our requester */
	T_EQ(refused_by(NODE2, RF_COPY), 4);	/* its chunks outside a grant */
	release(HOLD_NR, hp, 11);
	t_down();
	T_EQ(t_live_rmsgs(), 0);
}

/* autobind_quota of whichever core runs: a module's, or a built-in one's. */
static bool set_quota(int n)
{
	static const char *const paths[] = { "/sys/module/dvk/parameters/autobind_quota",
					     "/sys/module/dvkipc/parameters/autobind_quota" };

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		FILE *f = fopen(paths[i], "w");

		if (!f)
			continue;
		fprintf(f, "%d\n", n);
		return fclose(f) == 0;
	}
	return false;
}

static int bind_user_slot(void *arg)
{
	C_EQ(dvk_bind(T_DC, *(int *)arg) > 0, 1);
	return 0;
}

/* node 1's sendrec from user slot @nr to our server: registers @nr on the fly. */
static int sendrec_from(int nr)
{
	struct dvk_cmd c = from1(DVK_CMD_SNDREC_MSG, DVK_ENDPOINT(1, nr), srv_ep(), 1000 + nr);

	return dvk_put2lcl(&c, NULL);
}

/*
 * Node 1 may register at most autobind_quota endpoints on the fly in a DC,
 * and never the last quarter of its user slots; they go when its link goes.
 */
static void autobind_quota(void)
{
	int first = t_dc0.dc_nr_sysprocs - t_dc0.dc_nr_tasks;	/* the first user slot */
	int room = (t_dc0.dc_nr_procs - first) - (t_dc0.dc_nr_procs - first) / 4;
	int nr, local = t_dc0.dc_nr_procs - 1;
	struct dvk_cmd a;

	up_with_node1();
	T_TRUE(dvk_bind(T_DC, SRV_NR) > 0);		/* a server that never receives */
	for (nr = first; nr < first + 32; nr++)
		T_EQ(sendrec_from(nr), 0);
	T_EQ(sendrec_from(nr), EDVSNOSPC);		/* the default quota: 32 */
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_SNDREC_ACK);
	T_EQ(a.c_rcode, EDVSNOSPC);
	T_TRUE(slot_free(nr));
	T_EQ(refused(RF_QUOTA), 1);
	T_TRUE(set_quota(100000));
	for (; nr < first + room; nr++)
		T_EQ(sendrec_from(nr), 0);
	T_EQ(sendrec_from(nr), EDVSNOSPC);		/* the last quarter stays local */
	a = next_cmd();
	T_EQ(a.c_rcode, EDVSNOSPC);
	T_EQ(refused(RF_QUOTA), 2);
	T_EQ(t_join(t_fork(bind_user_slot, &local)), 0);
	T_TRUE(set_quota(32));
	/* The link goes down: node 1's autobound slots are released, its registered ones stay. */
	T_EQ(dvk_proxy_conn(RNODE, DVK_DISCONNECT_SPROXY), 0);
	for (nr = first; nr < first + room; nr++)
		if (!slot_free(nr))
			T_EQ(nr, -1);				/* the first one still bound */
	T_TRUE(!slot_free(DVK_EP_NR(RSRV)));
	T_EQ(dvk_unbind(T_DC, DVK_SELF), 0);
	t_down();
	T_EQ(t_live_rmsgs(), 0);
}

/*
 * Answers towards node 1 are bounded: when it stops taking them the link
 * goes down (callers waiting on node 1 get EDVSNOTCONN), and comes back
 * empty.
 */
static void answers_bounded(void)
{
	struct call notconn = { 1, EDVSNOTCONN, 0, -1 };
	struct proxies_usr px;
	struct dvk_cmd c, a;
	pid_t pid;
	int i;

	up_with_node1();
	pid = t_fork(client, &notconn);
	c = next_cmd();					/* its sendrec waits for node 1 */
	T_EQ(c.c_cmd, DVK_CMD_SNDREC_MSG);
	c = from1(DVK_CMD_SEND_MSG, RCLI, DVK_ENDPOINT(1, 50), 0);	/* nobody there */
	for (i = 0; i < 1024; i++) {
		c.c_id = i + 1;
		T_EQ(dvk_put2lcl(&c, NULL), EDVSDSTDIED);	/* each answered, none read */
	}
	T_EQ(refused(RF_QUEUE), 0);
	c.c_id = 2000;
	T_EQ(dvk_put2lcl(&c, NULL), EDVSDSTDIED);	/* its answer overflows: the link goes */
	T_EQ(refused(RF_QUEUE), 1);
	T_EQ(t_join(pid), 0);
	T_EQ(dvk_getproxyinfo(RNODE, &px), RNODE);
	T_EQ(px.px_flags & (DVK_PX_SCONNECTED | DVK_PX_RCONNECTED), 0);
	T_EQ(dvk_get2rmt_T(&a, NULL, 0), EDVSNOTCONN);
	T_EQ(dvk_put2lcl(&c, NULL), EDVSNOTCONN);
	T_EQ(dvk_proxy_conn(RNODE, DVK_CONNECT_SPROXY), 0);
	T_EQ(dvk_proxy_conn(RNODE, DVK_CONNECT_RPROXY), 0);
	T_EQ(dvk_get2rmt_T(&a, NULL, DVK_TIMEOUT_NOWAIT), EDVSTIMEDOUT);	/* dropped with it */
	T_EQ(dvk_put2lcl(&c, NULL), EDVSDSTDIED);
	a = next_cmd();
	T_EQ(a.c_id, 2000);
	T_EQ(t_live_rmsgs(), 0);				/* the 1024 went with the link */
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
 * where it came from is refused and answered. While node 2's link is not
 * up, a command for it is refused as unreachable (EDVSDSTNOTRCH), never
 * EDVSNOTCONN: that would tell node 1's proxy its own link is down, and it
 * would cut it (seen when a guest called another before that one's link
 * to the relaying host was up).
 */
static void relay_to_third_node(void)
{
	struct proxies_usr info;
	struct dvk_cmd c, a;
	pid_t px2;

	up_with_node1();
	t_sync_init();
	px2 = t_fork(pair2_sender, NULL);
	T_EQ(dvk_proxies_bind("px2", NODE2, px2, px2, 65536), NODE2);
	T_EQ(dvk_node_up("node2", NODE2, NODE2), NODE2);
	T_EQ(dvk_add_node(T_DC, NODE2), 0);
	c = from1(DVK_CMD_SNDREC_MSG, RCLI, RNODE2_EP, 39);
	c.c_dnode = NODE2;
	T_EQ(dvk_put2lcl(&c, NULL), EDVSDSTNOTRCH);
	a = next_cmd();
	T_EQ(a.c_cmd, DVK_CMD_SNDREC_ACK);
	T_EQ(a.c_snode, NODE2);
	T_EQ(a.c_rcode, EDVSNOTCONN);			/* the caller's answer: not connected */
	T_EQ(a.c_id, 39);
	c = from1(DVK_CMD_SEND_ACK, RCLI, RNODE2_EP, 38);
	c.c_dnode = NODE2;
	T_EQ(dvk_put2lcl(&c, NULL), EDVSDSTNOTRCH);
	T_EQ(dvk_get2rmt_T(&a, NULL, DVK_TIMEOUT_NOWAIT), EDVSTIMEDOUT);	/* an ack is not answered */
	T_EQ(dvk_getproxyinfo(RNODE, &info), RNODE);
	T_EQ(info.px_flags & (DVK_PX_SCONNECTED | DVK_PX_RCONNECTED),
	     DVK_PX_SCONNECTED | DVK_PX_RCONNECTED);	/* node 1's link stays up */
	T_EQ(dvk_proxy_conn(NODE2, DVK_CONNECT_SPROXY), 0);
	T_EQ(dvk_proxy_conn(NODE2, DVK_CONNECT_RPROXY), 0);
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
	T_RUN(registered_by_number);
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
	T_RUN(untrusted_sources);
	T_RUN(unjustified_copies);
	T_RUN(autobind_quota);
	T_RUN(answers_bounded);
	return t_summary();
}
