// SPDX-License-Identifier: GPL-2.0
/*
 * A program in the original DVK's style, through <dvk/compat.h> (issue
 * 13): processes addressed by slot number in every call, the original's
 * results (bind and getep return the slot, node_up and proxies_bind 0,
 * getproxyinfo with two slot descriptors), replica bind, wakeup from an
 * unbound root process, unbind with a timeout. Beside them, the endpoints
 * bind gives through libdvk keep failing when stale (docs/abi.md,
 * "Addressing").
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <dvk/compat.h>
#include "test_util.h"

const char *t_prog = "test_compat";

#define SERVER	16
#define ME	15

static char buf[64];

/* Slot 16: answer each request with its m_source (as seen here) in m1_i1. */
static int server(void *arg)
{
	message m;

	(void)arg;
	C_EQ(dvk_bind(T_DC, SERVER), SERVER);
	t_sync_post();
	for (;;) {
		strcpy(buf, "server's bytes");
		if (dvk_receive(ANY, &m) < 0)
			return 1;
		if (m.m_type == NOTIFY_FROM(ME + NR_TASKS))
			continue;
		m.m1_i1 = m.m_source;
		m.m1_p1 = buf;
		/* A plain send is answered with a send, a sendrec with a reply. */
		if ((m.m_type == 2 ? dvk_send(m.m_source, &m) : dvk_reply(m.m_source, &m)) < 0)
			return 2;
	}
}

static void slot_addressing(void)
{
	struct dvk_message native;
	priv_usr_t priv;
	proc_usr_t p;
	message m;
	char got[64] = "";
	pid_t srv;

	t_up();
	T_EQ(dvk_bind(T_DC, ME), ME);			/* the slot, as in the original */
	T_EQ(dvk_getep(getpid()), ME);
	T_EQ(dvk_getprocinfo(T_DC, ME, &p), 0);
	T_EQ(p.p_endpoint, ME);
	t_sync_init();
	srv = t_fork(server, NULL);
	T_TRUE(t_sync_wait());
	T_EQ(dvk_wait4bindep_T(SERVER, 100), SERVER);
	T_TRUE(t_wait_flags(T_DC, SERVER, DVK_RECEIVING));
	memset(&m, 0, sizeof(m));
	m.m_type = 1;
	T_EQ(dvk_sendrec(SERVER, &m), 0);
	T_EQ(m.m_source, SERVER);
	T_EQ(m.m1_i1, ME);				/* the server saw our slot number */
	T_TRUE(t_wait_flags(T_DC, SERVER, DVK_RECEIVING));
	T_EQ(dvk_vcopy(SERVER, m.m1_p1, SELF, got, 15), 15);
	T_TRUE(!strcmp(got, "server's bytes"));
	T_EQ(dvk_vcopy(SELF, "mine", SERVER, m.m1_p1, 5), 5);
	T_EQ(dvk_vcopy(SERVER, m.m1_p1, SERVER, buf, 5), EDVSENDPOINT);
	T_EQ(dvk_notify(SERVER), 0);
	T_EQ(dvk_getpriv(T_DC, SERVER, &priv), 0);
	T_EQ(dvk_setpriv(T_DC, SERVER, &priv), 0);
	memset(&m, 0, sizeof(m));
	m.m_type = 2;
	T_EQ(dvk_send(SERVER, &m), 0);			/* a request without a reply read */
	T_EQ(dvk_receive(SERVER, &m), 0);		/* ... read here */
	T_EQ(m.m_source, SERVER);
	T_EQ(dvk_unbind(T_DC, SERVER), 0);		/* the server is sent SIGTERM */
	T_EQ(t_join_signal(srv), SIGTERM);
	T_EQ(dvk_getprocinfo(T_DC, SERVER, &p), 0);
	T_EQ(p.p_rts_flags, DVK_SLOT_FREE);
	T_EQ(dvk_sendrec(SERVER, &m), EDVSDSTDIED);	/* a free slot */

	/* A remote slot by number; its calls and unbind. */
	T_EQ(dvk_rmtbind(T_DC, "rmt", 5, 1), 5);
	T_EQ(dvk_getprocinfo(T_DC, 5, &p), 0);
	T_EQ(p.p_endpoint, 5);
	T_EQ(p.p_nodeid, 1);
	T_EQ(dvk_unbind(T_DC, 5), 0);

	/* libdvk's endpoints keep their generation: a stale one fails. */
	T_EQ((dvk_unbind)(T_DC, DVK_SELF), 0);
	int ep1 = (dvk_bind_X)(SELF_BIND, T_DC, 0, ME, LOCALNODE);
	T_EQ((dvk_unbind)(T_DC, DVK_SELF), 0);
	int ep2 = (dvk_bind_X)(SELF_BIND, T_DC, 0, ME, LOCALNODE);
	T_TRUE(ep1 > ME && ep2 > ep1);
	T_EQ((dvk_getpriv)(T_DC, ep1, &priv), EDVSENDPOINT);
	T_EQ((dvk_getpriv)(T_DC, ep2, &priv), 0);
	T_EQ((dvk_getpriv)(T_DC, ME, &priv), 0);	/* the slot: its binding now */
	memset(&native, 0, sizeof(native));
	T_EQ((dvk_send_T)(ep1, &native, 0), EDVSENDPOINT);
	t_down();
}

/*
 * REPLICA_BIND and USERMODE_BIND bind the slot (the original's replica of a
 * process, and its user-mode helper), each with its mark; BKUP_BIND is not
 * built (docs/abi.md).
 */
static void replica_bind(void)
{
	proc_usr_t p;
	pid_t idle, idle2;

	t_up();
	idle = fork();
	if (idle == 0) {
		pause();
		_exit(0);
	}
	T_EQ(dvk_replbind(T_DC, idle, 17), 17);
	T_EQ(dvk_getprocinfo(T_DC, 17, &p), 0);
	T_EQ(p.p_lpid, idle);
	T_EQ(p.p_misc_flags & DVK_MIS_REPLICATED, DVK_MIS_REPLICATED);
	T_EQ(dvk_bind_X(REPLICA_BIND, T_DC, -1, 18, LOCALNODE), 18);	/* -1: myself */
	T_EQ(dvk_getep(getpid()), 18);
	T_EQ(dvk_getprocinfo(T_DC, 18, &p), 0);
	T_EQ(p.p_misc_flags & (DVK_MIS_REPLICATED | DVK_MIS_USERMODE), DVK_MIS_REPLICATED);
	/* USERMODE_BIND binds too, marked DVK_MIS_USERMODE; BKUP_BIND is not built. */
	T_EQ(dvk_umbind(T_DC, idle, 19), EDVSBUSY);		/* bound already (17) */
	idle2 = fork();
	if (idle2 == 0) {
		pause();
		_exit(0);
	}
	T_EQ(dvk_umbind(T_DC, idle2, 19), 19);
	T_EQ(dvk_getprocinfo(T_DC, 19, &p), 0);
	T_EQ(p.p_lpid, idle2);
	T_EQ(p.p_misc_flags & (DVK_MIS_REPLICATED | DVK_MIS_USERMODE), DVK_MIS_USERMODE);
	T_EQ(dvk_bind_X(BKUP_BIND, T_DC, idle2, 20, LOCALNODE), EDVSBINDTYPE);
	T_EQ(dvk_bind_X(BKUP_BIND, T_DC, idle2, 20, 1), EDVSBINDTYPE);
	kill(idle2, SIGKILL);
	T_EQ(t_join_signal(idle2), SIGKILL);
	kill(idle, SIGKILL);
	T_EQ(t_join_signal(idle), SIGKILL);
	t_down();
}

static int woken(void *arg)
{
	message m;

	(void)arg;
	C_EQ(dvk_bind(T_DC, 18), 18);
	t_sync_post();
	C_EQ(dvk_receive_T(ANY, &m, 10000), EDVSWOKENUP);
	return 0;
}

/* wakeup from a root process that is not bound (the original's interrupt). */
static void wakeup_unbound_root(void)
{
	pid_t w;

	t_up();
	t_sync_init();
	w = t_fork(woken, NULL);
	T_TRUE(t_sync_wait());
	T_TRUE(t_wait_flags(T_DC, 18, DVK_RECEIVING));
	T_EQ(dvk_getep(getpid()), EDVSNOTBIND);
	T_EQ(dvk_wakeup(T_DC, 18), 0);
	T_EQ(t_join(w), 0);
	t_down();
}

/* node_up and proxies_bind return 0; getproxyinfo gives the two proxies as slots. */
static void node_and_proxy_calls(void)
{
	proc_usr_t s, r;
	int tid = (int)syscall(SYS_gettid);

	t_up();
	T_EQ(dvk_proxies_bind("px1", 1, tid, tid, 4096), 0);
	T_EQ(dvk_node_up("node1", 1, 1), 0);
	T_EQ(dvk_getproxyinfo(1, &s, &r), 0);
	T_EQ(s.p_nr, 1);
	T_EQ(s.p_lpid, tid);
	T_EQ(r.p_lpid, tid);
	T_EQ(s.p_endpoint, NONE);
	T_EQ(s.p_misc_flags & DVK_MIS_PROXY, DVK_MIS_PROXY);
	T_TRUE(!strcmp(s.p_name, "px1"));
	T_EQ(dvk_add_node(T_DC, 1), 0);
	T_EQ(dvk_delnode(T_DC, 1), 0);
	T_EQ(dvk_node_down(1), 0);
	T_EQ(dvk_proxies_unbind(1), 0);
	T_EQ(dvk_getproxyinfo(1, &s, &r), EDVSPROXYFREE);
	T_EQ(dvk_relay(SERVER, NULL), EDVSNOSYS);
	t_down();
}

static int sleeper(void *arg)
{
	(void)arg;
	if (dvk_bind(T_DC, 19) != 19)
		return 1;
	t_sync_post();
	pause();
	return 0;
}

static void term_ignored(int sig)
{
	(void)sig;
}

static int stubborn(void *arg)
{
	(void)arg;
	signal(SIGTERM, term_ignored);
	if (dvk_bind(T_DC, 19) != 19)
		return 1;
	t_sync_post();
	for (;;)
		pause();
}

/* unbind(dcid, ep, timeout): SIGTERM to the process, then wait for its unbind. */
static void unbind_with_timeout(void)
{
	pid_t c;

	t_up();
	T_EQ(dvk_bind(T_DC, ME), ME);
	t_sync_init();
	c = t_fork(sleeper, NULL);
	T_TRUE(t_sync_wait());
	T_EQ(dvk_unbind_T(T_DC, 19, 5000), 0);
	T_EQ(t_join_signal(c), SIGTERM);
	T_TRUE(t_wait_free(T_DC, 19));
	/* A process that ignores SIGTERM stays bound: the wait times out. */
	t_sync_init();
	c = t_fork(stubborn, NULL);
	T_TRUE(t_sync_wait());
	T_EQ(dvk_unbind_T(T_DC, 19, 300), EDVSTIMEDOUT);
	T_EQ(dvk_wait4bindep_T(19, 0), 19);		/* still bound */
	kill(c, SIGKILL);
	T_EQ(t_join_signal(c), SIGKILL);
	T_EQ(dvk_unbind_T(T_DC, 19, 0), EDVSNOTBIND);	/* gone */
	T_EQ(dvk_unbind_T(T_DC, SELF, 0), 0);
	t_down();
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	T_RUN(slot_addressing);
	T_RUN(replica_bind);
	T_RUN(wakeup_unbound_root);
	T_RUN(node_and_proxy_calls);
	T_RUN(unbind_with_timeout);
	return t_summary();
}
