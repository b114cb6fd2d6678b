// SPDX-License-Identifier: GPL-2.0
/*
 * Nodes and proxy pairs: proxies_bind/unbind, proxy_conn, node_up/down,
 * add/del node, getnodeinfo, getproxyinfo, /proc/dvs/nodes and
 * the files in /proc/dvs/proxies, and a pair taken down by its proxy's death.
 * The "proxies" here are children that only sleep: no command moves yet.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <dvk/libdvk.h>
#include "test_util.h"

const char *t_prog = "test_node";

/* A stand-in proxy: a child that sleeps until killed. */
static pid_t sleeper(void)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	if (pid < 0)
		t_fail(__FILE__, __LINE__, "fork failed");
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static int nobody(void)
{
	return setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534);
}

static void bind_errors(void)
{
	pid_t s = sleeper(), r = sleeper(), other = sleeper();
	struct proxies_usr px;

	T_EQ(dvk_proxies_bind("px1", 1, s, r, 65536), EDVSDVSINIT);
	t_up();
	T_EQ(dvk_proxies_bind("px1", -1, s, r, 65536), EDVSPROXYID);
	T_EQ(dvk_proxies_bind("px1", 32, s, r, 65536), EDVSPROXYID);
	T_EQ(dvk_proxies_bind("", 1, s, r, 65536), EDVSNAMESIZE);
	T_EQ(dvk_proxies_bind("a/b", 1, s, r, 65536), EDVSBADVALUE);
	T_EQ(dvk_proxies_bind("px1", 1, s, r, 0), EDVS2BIG);
	T_EQ(dvk_proxies_bind("px1", 1, s, r, 65537), EDVS2BIG);
	T_EQ(dvk_proxies_bind("px1", 1, 0, r, 65536), EDVSBADPID);
	T_EQ(dvk_proxies_bind("px1", 1, s, 999999, 65536), EDVSBADPID);
	T_EQ(dvk_getproxyinfo(1, &px), EDVSPROXYFREE);
	T_EQ(dvk_proxies_bind("px1", 1, s, r, 4096), 1);
	T_EQ(dvk_proxies_bind("px1", 1, other, other, 4096), EDVSRSCBUSY);	/* pair in use */
	T_EQ(dvk_proxies_bind("px2", 2, s, other, 4096), EDVSRSCBUSY);	/* s is a proxy */
	T_EQ(dvk_proxies_bind("px2", 2, other, other, 4096), 2);		/* one task, both roles */
	T_EQ(dvk_getproxyinfo(1, &px), 1);
	T_EQ(px.px_id, 1);
	T_EQ(px.px_flags, DVK_PX_INUSE);
	T_EQ(px.px_maxbytes, 4096);
	T_EQ(px.px_nodes, 0);
	T_EQ(px.px_spid, s);
	T_EQ(px.px_rpid, r);
	T_TRUE(!strcmp(px.px_name, "px1"));
	T_EQ(dvk_getproxyinfo(32, &px), EDVSPROXYID);
	T_TRUE(t_file_has("/proc/dvs/proxies/info", "Proxies Flags Sender Receiver --Proxies_Name-"));
	T_TRUE(t_file_has("/proc/dvs/proxies/procs", " 1 SEND "));
	T_TRUE(t_file_has("/proc/dvs/proxies/procs", " 1 RECV "));
	T_EQ(dvk_proxies_unbind(1), 0);
	T_EQ(dvk_proxies_unbind(1), EDVSPROXYFREE);
	T_EQ(dvk_proxies_unbind(40), EDVSPROXYID);
	/* The tasks are free again. */
	T_EQ(dvk_proxies_bind("px1", 1, s, r, 65536), 1);
	t_down();
	T_EQ(dvk_getproxyinfo(1, &px), EDVSDVSINIT);
	reap(s);
	reap(r);
	reap(other);
}

/* An unprivileged proxy may report its own link, and nothing else. */
static int child_own_conn(void *arg)
{
	int pxid = *(int *)arg;

	C_EQ(t_sync_wait(), true);		/* until it is the pair's sender */
	C_EQ(nobody(), 0);
	C_EQ(dvk_proxy_conn(pxid, DVK_CONNECT_SPROXY), 0);	/* it is the sender */
	C_EQ(dvk_proxy_conn(pxid, DVK_CONNECT_RPROXY), EDVSPERM);
	C_EQ(dvk_proxies_bind("x", 3, getpid(), getpid(), 10), EDVSPERM);
	C_EQ(dvk_proxies_unbind(pxid), EDVSPERM);
	C_EQ(dvk_node_up("x", 3, pxid), EDVSPERM);
	C_EQ(dvk_node_down(1), EDVSPERM);
	C_EQ(dvk_add_node(T_DC, 1), EDVSPERM);
	C_EQ(dvk_del_node(T_DC, 1), EDVSPERM);
	return 0;
}

static void connect_and_attach(void)
{
	pid_t s = sleeper(), r = sleeper(), r3 = sleeper();
	struct proxies_usr px;
	struct node_usr n;
	struct dc_usr dc;
	int pxid = 1, own = 3;
	pid_t c;

	t_up();
	T_EQ(dvk_proxies_bind("px1", pxid, s, r, 65536), pxid);
	T_EQ(dvk_node_up("n1", 1, 5), EDVSPROXYFREE);
	T_EQ(dvk_node_up("n1", 0, pxid), EDVSBADNODEID);		/* the local node */
	T_EQ(dvk_node_up("n1", 32, pxid), EDVSBADNODEID);
	T_EQ(dvk_node_up("", 1, pxid), EDVSNAMESIZE);
	T_EQ(dvk_node_up("n1", 1, 40), EDVSPROXYID);
	T_EQ(dvk_getnodeinfo(1, &n), EDVSNODEFREE);
	T_EQ(dvk_node_up("n1", 1, pxid), 1);
	T_EQ(dvk_node_up("n1", 1, pxid), EDVSNODEBUSY);
	T_EQ(dvk_node_up("n2", 2, pxid), 2);			/* one pair, two nodes */
	T_EQ(dvk_getnodeinfo(1, &n), 1);
	T_EQ(n.n_flags, DVK_NODE_ATTACHED);
	T_EQ(n.n_proxies, pxid);
	T_EQ(n.n_dcs, 0);
	T_TRUE(!strcmp(n.n_name, "n1"));
	/* The link, direction by direction; the nodes follow their pair. */
	T_EQ(dvk_proxy_conn(pxid, 0), EDVSBADVALUE);
	T_EQ(dvk_proxy_conn(pxid, 5), EDVSBADVALUE);
	T_EQ(dvk_proxy_conn(7, DVK_CONNECT_SPROXY), EDVSPROXYFREE);
	t_sync_init();
	c = t_fork(child_own_conn, &own);
	T_EQ(dvk_proxies_bind("own", own, c, r3, 65536), own);
	t_sync_post();
	T_EQ(t_join(c), 0);
	T_EQ(dvk_getproxyinfo(own, &px), EDVSPROXYFREE);	/* its exit took the pair down */
	T_EQ(dvk_proxy_conn(pxid, DVK_CONNECT_SPROXY), 0);
	T_EQ(dvk_proxy_conn(pxid, DVK_CONNECT_RPROXY), 0);
	T_EQ(dvk_getnodeinfo(1, &n), 1);
	T_EQ(n.n_flags, DVK_NODE_ATTACHED | DVK_NODE_SCONNECTED | DVK_NODE_RCONNECTED);
	T_EQ(dvk_getproxyinfo(pxid, &px), pxid);
	T_EQ(px.px_flags, DVK_PX_INUSE | DVK_PX_SCONNECTED | DVK_PX_RCONNECTED);
	T_EQ(px.px_nodes, 0x6);
	T_EQ(dvk_proxy_conn(pxid, DVK_DISCONNECT_RPROXY), 0);
	T_EQ(dvk_getnodeinfo(1, &n), 1);
	T_EQ(n.n_flags, DVK_NODE_ATTACHED | DVK_NODE_SCONNECTED);
	/* DC membership. */
	T_EQ(dvk_add_node(T_DC, 3), EDVSNODEFREE);
	T_EQ(dvk_add_node(T_DC, 0), EDVSBADNODEID);
	T_EQ(dvk_add_node(5, 1), EDVSDCNOTRUN);
	T_EQ(dvk_add_node(T_DC, 1), 0);
	T_EQ(dvk_add_node(T_DC, 1), EDVSDCNODE);
	T_EQ(dvk_getdcinfo(T_DC, &dc), 0);
	T_EQ(dc.dc_nodes, 0x3);
	T_TRUE(t_file_has("/proc/dvs/DC0/info", "dc_nodes=3\n"));
	T_EQ(dvk_getnodeinfo(1, &n), 1);
	T_EQ(n.n_dcs, 1 << T_DC);
	T_TRUE(t_file_has("/proc/dvs/nodes", "\n 1     6       1        0        0 "));
	T_TRUE(t_file_has("/proc/dvs/nodes", " n1\n"));
	T_EQ(dvk_del_node(T_DC, 1), 0);
	T_EQ(dvk_del_node(T_DC, 1), EDVSDCNODE);
	T_EQ(dvk_getdcinfo(T_DC, &dc), 0);
	T_EQ(dc.dc_nodes, 0x1);
	T_EQ(dvk_proxies_unbind(pxid), 0);
	T_EQ(dvk_getnodeinfo(1, &n), EDVSNODEFREE);		/* detached with its pair */
	t_down();
	reap(s);
	reap(r);
	reap(r3);
}

/* The local node as getnodeinfo and /proc/dvs/nodes show it. */
static void local_node(void)
{
	struct node_usr n;

	t_up();
	T_EQ(dvk_getnodeinfo(0, &n), 0);
	T_EQ(n.n_flags, DVK_NODE_ATTACHED | DVK_NODE_SCONNECTED | DVK_NODE_RCONNECTED);
	T_EQ(n.n_proxies, -1);
	T_EQ(n.n_dcs, 1 << T_DC);
	T_TRUE(!strcmp(n.n_name, "node0"));
	T_TRUE(t_file_has("/proc/dvs/nodes", "\n 0     E      -1        0        0 "));
	T_EQ(dvk_getnodeinfo(-1, &n), EDVSBADNODEID);
	T_EQ(dvk_getnodeinfo(32, &n), EDVSBADNODEID);
	t_down();
}

/* A DC spans at most dc_nr_nodes nodes (the local one counts). */
static void dc_node_limit(void)
{
	struct dc_usr small = t_dc0;
	pid_t s = sleeper();

	t_up();
	small.dc_dcid = 1;
	small.dc_nr_nodes = 1;
	strcpy(small.dc_name, "small");
	T_EQ(dvk_dc_init(&small), 0);
	T_EQ(dvk_proxies_bind("px1", 1, s, s, 65536), 1);
	T_EQ(dvk_node_up("n1", 1, 1), 1);
	T_EQ(dvk_add_node(1, 1), EDVSRSCBUSY);
	T_EQ(dvk_add_node(T_DC, 1), 0);
	t_down();
	reap(s);
}

/* A node's endpoints go with it: del_node, node_down, and its pair's death. */
static void endpoints_follow_the_node(void)
{
	struct proxies_usr px;
	struct proc_usr p;
	struct node_usr n;
	pid_t s = sleeper(), r = sleeper();

	t_up();
	T_EQ(dvk_proxies_bind("px1", 1, s, r, 65536), 1);
	T_EQ(dvk_node_up("n1", 1, 1), 1);
	T_EQ(dvk_add_node(T_DC, 1), 0);
	T_TRUE(dvk_rmtbind(T_DC, "far", DVK_ENDPOINT(1, 30), 1) > 0);
	T_EQ(dvk_del_node(T_DC, 1), 0);			/* leaving the DC */
	T_EQ(dvk_getprocinfo(T_DC, 30, &p), 0);
	T_EQ(p.p_rts_flags, DVK_SLOT_FREE);
	T_EQ(dvk_add_node(T_DC, 1), 0);
	T_TRUE(dvk_rmtbind(T_DC, "far", DVK_ENDPOINT(1, 30), 1) > 0);
	T_EQ(dvk_node_down(1), 0);				/* detached */
	T_EQ(dvk_node_down(1), EDVSNODEFREE);
	T_EQ(dvk_node_down(0), EDVSBADNODEID);
	T_EQ(dvk_getprocinfo(T_DC, 30, &p), 0);
	T_EQ(p.p_rts_flags, DVK_SLOT_FREE);
	T_EQ(dvk_getnodeinfo(1, &n), EDVSNODEFREE);
	/* The pair serves the node again; then its receiver is killed. */
	T_EQ(dvk_node_up("n1", 1, 1), 1);
	T_EQ(dvk_add_node(T_DC, 1), 0);
	T_TRUE(dvk_rmtbind(T_DC, "far", DVK_ENDPOINT(1, 30), 1) > 0);
	reap(r);
	T_EQ(dvk_getproxyinfo(1, &px), EDVSPROXYFREE);
	T_EQ(dvk_getnodeinfo(1, &n), EDVSNODEFREE);
	T_EQ(dvk_getprocinfo(T_DC, 30, &p), 0);
	T_EQ(p.p_rts_flags, DVK_SLOT_FREE);
	T_TRUE(!t_file_has("/proc/dvs/nodes", " n1\n"));
	/* The surviving sender can be bound again in a new pair. */
	r = sleeper();
	T_EQ(dvk_proxies_bind("px1", 1, s, r, 65536), 1);
	t_down();
	reap(s);
	reap(r);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	T_RUN(bind_errors);
	T_RUN(connect_and_attach);
	T_RUN(local_node);
	T_RUN(dc_node_limit);
	T_RUN(endpoints_follow_the_node);
	return t_summary();
}
