// SPDX-License-Identifier: GPL-2.0
/*
 * Rendezvous IPC in one DC: send/receive in both orders, sendrec/rcvrqst/
 * reply, source selection, every bad endpoint, timeouts, signals and retry,
 * peers killed in each blocking state, notify coalescing, wakeup, bad
 * pointers, and dc_end with blocked processes.
 *
 * Slots: servers 1 and 2 and client 3 are system slots; 100 is a user slot.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <dvk/libdvk.h>
#include "test_util.h"

const char *t_prog = "test_ipc";

#define SRV	1
#define SRV2	2
#define CLI	3
#define USR	100

static int child_sleep(void *arg);

static struct dvk_message msg(int type, long payload)
{
	struct dvk_message m;

	memset(&m, 0, sizeof(m));
	m.m_type = type;
	m.m_u.m4.l1 = payload;
	m.m_u.m4.l7 = ~payload;
	return m;
}

/* Children get their endpoint from wait4bind; the parent binds them. */
static int child_receive_any(void *arg)
{
	struct dvk_message m;
	int cli = *(int *)arg;

	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	C_EQ(dvk_receive_T(DVK_ANY, &m, 5000), 0);
	C_EQ(m.m_source, cli);
	C_EQ(m.m_type, 7);
	C_EQ(m.m_u.m4.l1, 0x1234567890L);
	C_EQ(m.m_u.m4.l7, ~0x1234567890L);
	return 0;
}

static void send_receive_both_orders(void)
{
	struct dvk_message m = msg(7, 0x1234567890L);
	int cli, srv;
	pid_t pid;

	t_up();
	cli = dvk_bind(T_DC, CLI);
	/* Receiver first: the message goes straight into its wait. */
	pid = t_fork(child_receive_any, &cli);
	srv = dvk_lclbind(T_DC, pid, SRV);
	T_TRUE(t_wait_flags(T_DC, SRV, DVK_RECEIVING));
	T_EQ(dvk_send_T(srv, &m, 5000), 0);
	T_EQ(t_join(pid), 0);
	/* Sender first: it queues until the receiver comes. */
	T_TRUE(t_wait_free(T_DC, SRV));
	pid = t_fork(child_receive_any, &cli);
	usleep(20000);
	srv = dvk_lclbind(T_DC, pid, SRV);
	T_EQ(dvk_send_T(srv, &m, 5000), 0);
	T_EQ(t_join(pid), 0);
	struct proc_usr p;
	T_EQ(dvk_getprocinfo(T_DC, CLI, &p), 0);
	T_EQ(p.p_lclsent, 2);
	T_TRUE(t_file_has("/proc/dvs/DC0/stats", "--lsnt--"));
	t_down();
}

/* A server: answer n requests with type+1 and payload*2, via rcvrqst. */
static int child_server(void *arg)
{
	int n = *(int *)arg;
	struct dvk_message m;

	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	for (int i = 0; i < n; i++) {
		C_EQ(dvk_rcvrqst_T(&m, 5000), 0);
		int from = m.m_source;
		m.m_type++;
		m.m_u.m4.l1 *= 2;
		C_EQ(dvk_reply_T(from, &m, 0), 0);
	}
	return 0;
}

static int child_user_client(void *arg)
{
	int srv = *(int *)arg;
	struct dvk_message m = msg(10, 21);

	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	C_EQ(dvk_sendrec_T(srv, &m, 5000), 0);
	C_EQ(m.m_type, 11);
	C_EQ(m.m_u.m4.l1, 42);
	C_EQ(m.m_source, srv);
	/* A user slot may only sendrec. */
	C_EQ(dvk_send_T(srv, &m, 0), EDVSBADCALL);
	C_EQ(dvk_receive_T(DVK_ANY, &m, 0), EDVSBADCALL);
	C_EQ(dvk_notify(srv), EDVSBADCALL);
	C_EQ(dvk_vcopy(DVK_SELF, &m, srv, &m, 8), EDVSBADCALL);
	return 0;
}

/*
 * A server that takes one request and answers it late, once its client has
 * given up (its sendrec timed out) and is in a receive from this server.
 */
static int child_late_server(void *arg)
{
	int cli = *(int *)arg;
	struct dvk_message m;

	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	C_EQ(dvk_receive_T(DVK_ANY, &m, 5000), 0);
	C_EQ(m.m_source, cli);
	usleep(800 * 1000);	/* the client's sendrec gives up at 200 ms */
	C_EQ(t_wait_flags(T_DC, CLI, DVK_RECEIVING), 1);
	/* A receive from us is not a sendrec waiting for our reply. */
	C_EQ(dvk_reply_T(cli, &m, 0), EDVSPROCSTS);
	return 0;
}

/* A late reply answers nothing: not a later receive from the replier. */
static void late_reply_refused(void)
{
	struct dvk_message m = msg(1, 7);
	int srv, cli;
	pid_t s;

	t_up();
	cli = dvk_bind(T_DC, CLI);
	s = t_fork(child_late_server, &cli);
	srv = dvk_lclbind(T_DC, s, SRV);
	T_TRUE(t_wait_flags(T_DC, SRV, DVK_RECEIVING));
	T_EQ(dvk_sendrec_T(srv, &m, 200), EDVSTIMEDOUT);
	/* Nothing comes: the receive ends when the server, refused, exits. */
	T_EQ(dvk_receive_T(srv, &m, 5000), EDVSSRCDIED);
	T_EQ(t_join(s), 0);
	t_down();
}

static void sendrec_reply(void)
{
	int n = 4, srv, cli;
	struct dvk_message m;
	pid_t s, u;

	t_up();
	cli = dvk_bind(T_DC, CLI);
	s = t_fork(child_server, &n);
	srv = dvk_lclbind(T_DC, s, SRV);
	/* NOWAIT: refused while the server is busy, else the reply is awaited. */
	pid_t busy = t_fork(child_sleep, NULL);
	int busy_ep = dvk_lclbind(T_DC, busy, SRV2);
	m = msg(1, 50);
	T_EQ(dvk_sendrec_T(busy_ep, &m, DVK_TIMEOUT_NOWAIT), EDVSAGAIN);
	kill(busy, SIGKILL);
	T_EQ(t_join_signal(busy), SIGKILL);
	T_TRUE(t_wait_flags(T_DC, SRV, DVK_RECEIVING));
	T_EQ(dvk_sendrec_T(srv, &m, DVK_TIMEOUT_NOWAIT), 0);
	T_EQ(m.m_u.m4.l1, 100);
	/* A system client, twice. */
	for (int i = 0; i < 2; i++) {
		m = msg(1, 100 + i);
		T_EQ(dvk_sendrec_T(srv, &m, 5000), 0);
		T_EQ(m.m_type, 2);
		T_EQ(m.m_u.m4.l1, 200 + 2 * i);
	}
	/* And a user-slot client. */
	u = t_fork(child_user_client, &srv);
	T_TRUE(dvk_lclbind(T_DC, u, USR) > 0);
	T_EQ(t_join(u), 0);
	T_EQ(t_join(s), 0);
	/* reply to itself, and to a process not waiting for our reply */
	m = msg(1, 1);
	T_EQ(dvk_reply_T(cli, &m, 0), EDVSBADDEST);
	T_TRUE(t_wait_free(T_DC, SRV2));
	s = t_fork(child_sleep, NULL);
	srv = dvk_lclbind(T_DC, s, SRV2);
	T_EQ(dvk_reply_T(srv, &m, 0), EDVSPROCSTS);
	kill(s, SIGKILL);
	T_EQ(t_join_signal(s), SIGKILL);
	t_down();
}

/* A is slot 4 and B slot 5, both in their first generation. */
static int child_two_receives(void *arg)
{
	int eps[2] = { DVK_ENDPOINT(1, 4), DVK_ENDPOINT(1, 5) };
	struct dvk_message m;

	(void)arg;
	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	usleep(100000);		/* let A and B queue */
	C_EQ(dvk_receive_T(eps[1], &m, 5000), 0);	/* B first, though A queued first */
	C_EQ(m.m_source, eps[1]);
	C_EQ(dvk_receive_T(DVK_ANY, &m, 5000), 0);
	C_EQ(m.m_source, eps[0]);
	C_EQ(dvk_receive_T(DVK_ANY, &m, 0), EDVSAGAIN);
	return 0;
}

static int child_send_to(void *arg)
{
	int dst = *(int *)arg;
	struct dvk_message m = msg(5, 5);

	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	C_EQ(dvk_send_T(dst, &m, 5000), 0);
	return 0;
}

static void receive_from_one_source(void)
{
	int eps[2], srv;
	pid_t s, a, b;

	t_up();
	T_TRUE(dvk_bind(T_DC, 10) > 0);
	s = t_fork(child_two_receives, NULL);
	/* Bind the server before A and B exist so they can address it. */
	srv = dvk_lclbind(T_DC, s, SRV);
	a = t_fork(child_send_to, &srv);
	eps[0] = dvk_lclbind(T_DC, a, 4);
	T_TRUE(t_wait_flags(T_DC, 4, DVK_SENDING));
	b = t_fork(child_send_to, &srv);
	eps[1] = dvk_lclbind(T_DC, b, 5);
	T_EQ(eps[0], DVK_ENDPOINT(1, 4));
	T_EQ(eps[1], DVK_ENDPOINT(1, 5));
	T_EQ(t_join(a), 0);
	T_EQ(t_join(b), 0);
	T_EQ(t_join(s), 0);
	t_down();
}

static void bad_endpoints(void)
{
	struct dvk_message m = msg(1, 1);
	int me;

	t_up();
	me = dvk_bind(T_DC, SRV);
	T_EQ(dvk_send_T(me, &m, 0), EDVSBADDEST);		/* itself */
	T_EQ(dvk_send_T(DVK_SELF, &m, 0), EDVSBADDEST);
	T_EQ(dvk_send_T(DVK_ANY, &m, 0), EDVSBADDEST);
	T_EQ(dvk_send_T(DVK_NONE, &m, 0), EDVSBADDEST);
	T_EQ(dvk_sendrec_T(me, &m, 0), EDVSBADDEST);
	T_EQ(dvk_send_T(DVK_ENDPOINT(1, 50), &m, 0), EDVSDSTDIED);	/* free slot */
	T_EQ(dvk_send_T(DVK_ENDPOINT(1, 221), &m, 0), EDVSRANGE);
	T_EQ(dvk_send_T(DVK_ENDPOINT(1, -36), &m, 0), EDVSRANGE);
	T_EQ(dvk_send_T(50, &m, 0), EDVSDSTDIED);		/* a free slot by number */
	T_EQ(dvk_send_T(SRV, &m, 0), EDVSBADDEST);		/* itself by slot number */
	T_EQ(dvk_send_T(DVK_ENDPOINT(2, SRV), &m, 0), EDVSENDPOINT);	/* other generation */
	T_EQ(dvk_receive_T(me, &m, 0), EDVSENDPOINT);
	T_EQ(dvk_receive_T(DVK_NONE, &m, 0), EDVSENDPOINT);
	T_EQ(dvk_receive_T(DVK_SELF, &m, 0), EDVSENDPOINT);
	T_EQ(dvk_receive_T(DVK_ENDPOINT(1, 60), &m, 0), EDVSSRCDIED);
	T_EQ(dvk_notify(DVK_ANY), EDVSBADDEST);
	T_EQ(dvk_notify(DVK_ENDPOINT(1, 60)), EDVSDSTDIED);
	t_down();
	T_EQ(dvk_send_T(me, &m, 0), EDVSDVSINIT);
	T_EQ(dvk_dvs_init(0, NULL), 0);
	T_EQ(dvk_send_T(me, &m, 0), EDVSNOTBIND);
	T_EQ(dvk_dvs_end(), 0);
}

static void timeouts_leave_nothing(void)
{
	struct dvk_message m = msg(3, 3);
	struct proc_usr p;
	long t0;
	int srv;

	t_up();
	T_TRUE(dvk_bind(T_DC, CLI) > 0);
	T_EQ(dvk_receive_T(DVK_ANY, &m, DVK_TIMEOUT_NOWAIT), EDVSAGAIN);
	t0 = t_now_ms();
	T_EQ(dvk_receive_T(DVK_ANY, &m, 100), EDVSTIMEDOUT);
	T_TRUE(t_now_ms() - t0 >= 90);
	T_EQ(dvk_getprocinfo(T_DC, CLI, &p), 0);
	T_EQ(p.p_rts_flags, 0);
	T_EQ(p.p_getfrom, DVK_NONE);

	/* A server that is not receiving: the send times out... */
	pid_t s = t_fork(child_sleep, NULL);
	srv = dvk_lclbind(T_DC, s, SRV);
	T_EQ(dvk_send_T(srv, &m, DVK_TIMEOUT_NOWAIT), EDVSAGAIN);
	T_EQ(dvk_send_T(srv, &m, 100), EDVSTIMEDOUT);
	T_EQ(dvk_getprocinfo(T_DC, CLI, &p), 0);
	T_EQ(p.p_rts_flags, 0);				/* ...and leaves no trace */
	T_EQ(p.p_sendto, DVK_NONE);
	kill(s, SIGKILL);
	T_EQ(t_join_signal(s), SIGKILL);
	t_down();
}

static volatile sig_atomic_t got_usr1;
static void on_usr1(int sig) { (void)sig; got_usr1 = 1; }

static int child_interrupted_receive(void *arg)
{
	struct sigaction sa = { .sa_handler = on_usr1 };	/* no SA_RESTART */
	struct dvk_message m;
	struct proc_usr p;

	sigaction(SIGUSR1, &sa, NULL);
	int me = dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000);
	C_EQ(me > 0, 1);
	C_EQ(dvk_receive_T(DVK_ANY, &m, DVK_TIMEOUT_FOREVER), EDVSINTR);
	C_EQ(got_usr1, 1);
	(void)arg;
	t_sync_post();				/* tell the parent */
	C_EQ(dvk_getprocinfo(T_DC, SRV, &p), 0);
	C_EQ(p.p_rts_flags, 0);
	/* The same call again works. */
	C_EQ(dvk_receive_T(DVK_ANY, &m, 5000), 0);
	C_EQ(m.m_type, 9);
	return 0;
}

static int child_interrupted_send(void *arg)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct dvk_message m = msg(9, 9);
	int dst = *(int *)arg;

	sigaction(SIGUSR1, &sa, NULL);
	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	C_EQ(dvk_send_T(dst, &m, DVK_TIMEOUT_FOREVER), EDVSINTR);
	t_sync_post();				/* tell the parent */
	C_EQ(dvk_send_T(dst, &m, 5000), 0);
	return 0;
}

static void signals_and_retry(void)
{
	struct dvk_message m = msg(9, 9);
	int srv, me;
	pid_t s, c;

	t_up();
	me = dvk_bind(T_DC, CLI);
	t_sync_init();
	s = t_fork(child_interrupted_receive, &me);
	srv = dvk_lclbind(T_DC, s, SRV);
	T_TRUE(t_wait_flags(T_DC, SRV, DVK_RECEIVING));
	kill(s, SIGUSR1);
	T_TRUE(t_sync_wait());				/* its receive returned EINTR */
	T_TRUE(t_wait_flags(T_DC, SRV, DVK_RECEIVING));	/* receiving again */
	T_EQ(dvk_send_T(srv, &m, 5000), 0);
	T_EQ(t_join(s), 0);

	/* A blocked sender interrupted, then retrying. */
	t_sync_init();
	c = t_fork(child_interrupted_send, &me);
	T_TRUE(dvk_lclbind(T_DC, c, 4) > 0);
	T_TRUE(t_wait_flags(T_DC, 4, DVK_SENDING));
	kill(c, SIGUSR1);
	T_TRUE(t_sync_wait());				/* its send returned EINTR */
	T_EQ(dvk_receive_T(DVK_ANY, &m, 5000), 0);	/* then the retried send */
	T_EQ(m.m_type, 9);
	T_EQ(dvk_receive_T(DVK_ANY, &m, 0), EDVSAGAIN);	/* exactly one message */
	T_EQ(t_join(c), 0);
	t_down();
}

static int child_block(void *arg)
{
	int how = ((int *)arg)[0], peer = ((int *)arg)[1];
	struct dvk_message m = msg(1, 1);

	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	switch (how) {
	case 0: return -dvk_receive_T(peer, &m, 10000);
	case 1: return -dvk_send_T(peer, &m, 10000);
	default: return -dvk_sendrec_T(peer, &m, 10000);
	}
}

static int child_sleep(void *arg)
{
	(void)arg;
	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	pause();
	return 0;
}

static int child_take_request(void *arg)
{
	struct dvk_message m;

	(void)arg;
	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	C_EQ(dvk_receive_T(DVK_ANY, &m, 5000), 0);
	pause();		/* never replies; killed by the test */
	return 0;
}

/*
 * Each blocking state, and the peer killed with SIGKILL: the blocked side
 * gets the documented error at once (its exit code is -error).
 */
struct kill_case {
	const char *what;
	int (*victim)(void *);
	int how;		/* child_block: 0 receive, 1 send, 2 sendrec */
	unsigned int set, clear;	/* the waiter's state to wait for */
	int want;
};

static const struct kill_case kill_cases[] = {
	{ "receive from it", child_sleep, 0, DVK_RECEIVING, 0, EDVSSRCDIED },
	{ "send to it", child_sleep, 1, DVK_SENDING, 0, EDVSDSTDIED },
	{ "sendrec, queued", child_sleep, 2, DVK_SENDING | DVK_RECEIVING, 0, EDVSDSTDIED },
	{ "sendrec, request taken", child_take_request, 2, DVK_RECEIVING, DVK_SENDING, EDVSSRCDIED },
};

static void killed_peers(void)
{
	struct proc_usr p;
	int arg[2];
	pid_t victim, waiter;

	t_up();
	T_TRUE(dvk_bind(T_DC, 10) > 0);
	for (size_t i = 0; i < sizeof(kill_cases) / sizeof(kill_cases[0]); i++) {
		const struct kill_case *c = &kill_cases[i];

		victim = t_fork(c->victim, NULL);
		arg[0] = c->how;
		arg[1] = dvk_lclbind(T_DC, victim, SRV);
		waiter = t_fork(child_block, arg);
		T_TRUE(dvk_lclbind(T_DC, waiter, CLI) > 0);
		if (!t_wait_state(T_DC, CLI, c->set, c->clear))
			t_fail(__FILE__, __LINE__, "%s: the waiter never blocked", c->what);
		kill(victim, SIGKILL);
		if (t_join(waiter) != -c->want)
			t_fail(__FILE__, __LINE__, "%s: the waiter did not get %s", c->what,
			       dvk_errname(c->want));
		T_EQ(t_join_signal(victim), SIGKILL);
		T_TRUE(t_wait_free(T_DC, SRV) && t_wait_free(T_DC, CLI));
	}

	/* The waiting side killed instead: the server's slot is untouched. */
	victim = t_fork(child_sleep, NULL);
	arg[0] = 1, arg[1] = dvk_lclbind(T_DC, victim, SRV);
	waiter = t_fork(child_block, arg);
	T_TRUE(dvk_lclbind(T_DC, waiter, CLI) > 0);
	T_TRUE(t_wait_flags(T_DC, CLI, DVK_SENDING));
	kill(waiter, SIGKILL);
	T_EQ(t_join_signal(waiter), SIGKILL);
	T_TRUE(t_wait_free(T_DC, CLI));
	T_EQ(dvk_getprocinfo(T_DC, SRV, &p), 0);
	T_EQ(p.p_rts_flags, 0);
	kill(victim, SIGKILL);
	T_EQ(t_join_signal(victim), SIGKILL);
	t_down();
}

static int child_notified(void *arg)
{
	int src = *(int *)arg;
	struct dvk_message m;

	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	C_EQ(t_sync_wait(), 1);		/* the three notifies are in */
	C_EQ(dvk_receive_T(DVK_ANY, &m, 1000), 0);
	C_EQ(m.m_source, src);
	C_EQ(m.m_type, DVK_NOTIFY_FROM(CLI + 35));
	C_EQ(DVK_IS_NOTIFY(m.m_type), 1);
	C_EQ(m.m_u.m9.i1, CLI);
	C_EQ(m.m_u.m9.l1, (1 << 2) | (1 << 5));		/* coalesced values */
	C_EQ(m.m_u.m9.sec > 0, 1);
	C_EQ(dvk_receive_T(DVK_ANY, &m, 0), EDVSAGAIN);	/* one message for three */
	/* A receiver already waiting gets a notify at once. */
	C_EQ(dvk_receive_T(src, &m, 5000), 0);
	C_EQ(m.m_type, DVK_NOTIFY_FROM(CLI + 35));
	C_EQ(m.m_u.m9.l1, 0);
	return 0;
}

static void notify_coalesces(void)
{
	int me, srv, usr;
	pid_t s, u;

	t_up();
	me = dvk_bind(T_DC, CLI);
	t_sync_init();
	s = t_fork(child_notified, &me);
	srv = dvk_lclbind(T_DC, s, SRV);
	T_EQ(dvk_notify_X(DVK_SELF, srv, 2), 0);
	T_EQ(dvk_notify_X(DVK_SELF, srv, 5), 0);
	T_EQ(dvk_notify_X(CLI, srv, -1), 0);
	t_sync_post();
	T_EQ(dvk_notify_X(SRV2, srv, -1), EDVSBADSRCDST);	/* on behalf of another */
	T_EQ(dvk_notify_X(DVK_SELF, srv, 64), EDVSBADVALUE);
	T_TRUE(t_wait_flags(T_DC, SRV, DVK_RECEIVING));
	usleep(20000);
	T_EQ(dvk_notify(srv), 0);
	T_EQ(t_join(s), 0);
	/* Only system slots receive notifications. */
	u = t_fork(child_sleep, NULL);
	usr = dvk_lclbind(T_DC, u, USR);
	T_EQ(dvk_notify(usr), EDVSTRAPDENIED);
	kill(u, SIGKILL);
	T_EQ(t_join_signal(u), SIGKILL);
	t_down();
}

/* An "interrupt" from a root process that need not be bound. */
static int child_hw_notified(void *arg)
{
	struct dvk_message m;

	(void)arg;
	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	C_EQ(dvk_receive_T(DVK_ANY, &m, 5000), 0);
	C_EQ(m.m_source, DVK_HARDWARE);
	C_EQ(m.m_type, DVK_NOTIFY_FROM(DVK_HARDWARE + 35));
	return 0;
}

static void hardware_notify(void)
{
	int srv, usr;
	pid_t s, u;

	t_up();				/* this process stays unbound */
	s = t_fork(child_hw_notified, NULL);
	srv = dvk_lclbind(T_DC, s, SRV);
	u = t_fork(child_sleep, NULL);
	usr = dvk_lclbind(T_DC, u, USR);
	T_EQ(dvk_notify_X(DVK_HARDWARE, srv, 5), EDVSDCNOTRUN);	/* value = dcid */
	T_EQ(dvk_notify_X(DVK_HARDWARE, srv, 32), EDVSBADDCID);
	T_EQ(dvk_notify_X(DVK_HARDWARE, usr, T_DC), EDVSTRAPDENIED);
	T_EQ(dvk_notify_X(DVK_HARDWARE, DVK_ENDPOINT(1, 60), T_DC), EDVSDSTDIED);
	T_EQ(dvk_notify_X(DVK_HARDWARE, srv, T_DC), 0);
	T_EQ(t_join(s), 0);
	kill(u, SIGKILL);
	T_EQ(t_join_signal(u), SIGKILL);
	t_down();
}

/* receive(from A) must not take a notification from B (the original's bug). */
static int child_receive_from(void *arg)
{
	int *eps = arg;
	struct dvk_message m;

	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	C_EQ(t_sync_wait(), 1);
	C_EQ(dvk_receive_T(eps[0], &m, 0), EDVSAGAIN);	/* B's notify is pending */
	C_EQ(dvk_receive_T(DVK_ANY, &m, 0), 0);
	C_EQ(m.m_source, eps[1]);
	return 0;
}

static void notify_respects_source(void)
{
	int eps[2], srv;
	pid_t s, a;

	t_up();
	eps[1] = dvk_bind(T_DC, CLI);			/* B: us */
	a = t_fork(child_sleep, NULL);
	eps[0] = dvk_lclbind(T_DC, a, 4);		/* A: idle */
	t_sync_init();
	s = t_fork(child_receive_from, eps);
	srv = dvk_lclbind(T_DC, s, SRV);
	T_EQ(dvk_notify(srv), 0);
	t_sync_post();
	T_EQ(t_join(s), 0);
	kill(a, SIGKILL);
	T_EQ(t_join_signal(a), SIGKILL);
	t_down();
}

static int child_woken(void *arg)
{
	struct dvk_message m;

	(void)arg;
	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	C_EQ(dvk_receive_T(DVK_ANY, &m, 5000), EDVSWOKENUP);
	C_EQ(t_sync_wait(), 1);			/* a second wakeup is left pending */
	C_EQ(dvk_rcvrqst_T(&m, 5000), EDVSWOKENUP);
	C_EQ(dvk_receive_T(DVK_ANY, &m, 0), EDVSAGAIN);
	return 0;
}

static void wakeup(void)
{
	struct dc_usr dc1 = t_dc0;
	int srv, me;
	pid_t s;

	dc1.dc_dcid = 1;
	strcpy(dc1.dc_name, "DC1");
	t_up();
	me = dvk_bind(T_DC, CLI);
	t_sync_init();
	s = t_fork(child_woken, NULL);
	srv = dvk_lclbind(T_DC, s, SRV);
	T_TRUE(t_wait_flags(T_DC, SRV, DVK_RECEIVING));
	T_EQ(dvk_wakeup(T_DC, srv), 0);
	T_TRUE(t_wait_state(T_DC, SRV, 0, DVK_RECEIVING));	/* it returned */
	T_EQ(dvk_wakeup(T_DC, srv), EDVSPROCRUN);
	t_sync_post();
	T_EQ(dvk_wakeup(T_DC, me), EDVSBADPROC);
	T_EQ(dvk_wakeup(1, srv), EDVSDCNOTRUN);		/* no DC 1 */
	T_EQ(dvk_dc_init(&dc1), 0);
	T_EQ(dvk_wakeup(1, srv), EDVSBADDCID);		/* not the caller's DC */
	T_EQ(dvk_dc_end(1), 0);
	T_EQ(t_join(s), 0);
	t_down();
}

static void bad_pointers(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *ro = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct proc_usr p;
	int srv, n = 1;
	pid_t s;

	t_up();
	T_TRUE(dvk_bind(T_DC, CLI) > 0);
	T_EQ(dvk_receive_T(DVK_ANY, NULL, 0), EDVSFAULT);
	T_EQ(dvk_receive_T(DVK_ANY, (void *)ro, 0), EDVSFAULT);
	T_EQ(dvk_getprocinfo(T_DC, CLI, &p), 0);
	T_EQ(p.p_rts_flags, 0);
	s = t_fork(child_server, &n);
	srv = dvk_lclbind(T_DC, s, SRV);
	T_EQ(dvk_send_T(srv, NULL, 0), EDVSFAULT);
	T_EQ(dvk_send_T(srv, (void *)1, 0), EDVSFAULT);
	/* sendrec with a read-only buffer fails before the request leaves. */
	T_EQ(dvk_sendrec_T(srv, (void *)ro, 1000), EDVSFAULT);
	/* A failed call leaves the caller's buffer exactly as it was. */
	struct dvk_message m = msg(1, 4), before;
	m.m_source = 0x12345678;
	before = m;
	T_EQ(dvk_sendrec_T(DVK_ENDPOINT(1, 60), &m, 0), EDVSDSTDIED);
	T_EQ(memcmp(&m, &before, sizeof(m)), 0);
	T_EQ(dvk_receive_T(DVK_ANY, &m, 0), EDVSAGAIN);
	T_EQ(memcmp(&m, &before, sizeof(m)), 0);
	m = msg(1, 4);
	T_EQ(dvk_sendrec_T(srv, &m, 5000), 0);		/* the server saw only this */
	T_EQ(m.m_u.m4.l1, 8);
	T_EQ(t_join(s), 0);
	munmap(ro, page);
	t_down();
}

static int child_blocked_forever(void *arg)
{
	int src = arg ? *(int *)arg : DVK_ANY;
	struct dvk_message m;

	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	/* From ANY or from a peer that dc_end unbinds too: either way DCNOTRUN. */
	C_EQ(dvk_receive_T(src, &m, DVK_TIMEOUT_FOREVER), EDVSDCNOTRUN);
	C_EQ(dvk_receive_T(DVK_ANY, &m, 0), EDVSNOTBIND);
	return 0;
}

/* Review fixes: one blocking call per binding, notifies vs replies, signals, timeouts. */
static void *thread_receive(void *arg)
{
	struct dvk_message m;

	*(int *)arg = dvk_receive_T(DVK_ANY, &m, 5000);
	return NULL;
}

/*
 * A cycle of waiting processes of any length, closed by a call, gets
 * EDVSLOCKED at once, as in MINIX (issue 12, finding 4): a child at slot
 * arg[0] sendrecs slot arg[1] and expects arg[2].
 */
static int child_chain(void *arg)
{
	const int *a = arg;
	struct dvk_message m = { .m_type = 1 };

	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	C_EQ(dvk_sendrec_T(DVK_ENDPOINT(1, a[1]), &m, 1500), a[2]);
	return 0;
}

static void deadlock_cycles(void)
{
	int b_args[3] = { CLI, SRV, 0 }, a_args[3] = { SRV2, CLI, EDVSDSTDIED };
	struct dvk_message m = { .m_type = 2 };
	int me;
	pid_t a, b;

	t_up();
	me = dvk_bind(T_DC, SRV);
	/* B (CLI) -> us, then A (SRV2) -> B: our sendrec to A closes A -> B -> us. */
	b = t_fork(child_chain, b_args);
	T_TRUE(dvk_lclbind(T_DC, b, CLI) > 0);
	T_TRUE(t_wait_flags(T_DC, CLI, DVK_SENDING));
	T_EQ(dvk_sendrec_T(DVK_ENDPOINT(1, CLI), &m, 1000), EDVSLOCKED);	/* the 2-cycle */
	a = t_fork(child_chain, a_args);
	T_TRUE(dvk_lclbind(T_DC, a, SRV2) > 0);
	T_TRUE(t_wait_flags(T_DC, SRV2, DVK_SENDING));
	T_EQ(dvk_sendrec_T(DVK_ENDPOINT(1, SRV2), &m, 1000), EDVSLOCKED);
	T_EQ(dvk_send_T(DVK_ENDPOINT(1, SRV2), &m, 1000), EDVSLOCKED);
	/* Nothing was left behind: B's request is still ours to take and answer. */
	T_EQ(dvk_receive_T(DVK_ENDPOINT(1, CLI), &m, 1000), 0);
	T_EQ(m.m_type, 1);
	T_EQ(dvk_reply_T(DVK_ENDPOINT(1, CLI), &m, 0), 0);
	T_EQ(t_join(b), 0);
	T_EQ(t_join(a), 0);			/* B never received: gone, A is told */
	(void)me;
	t_down();
}

/* Notify to oneself is allowed (docs/abi.md): it never blocks. */
static void notify_self(void)
{
	struct dvk_message m;
	int me;

	t_up();
	me = dvk_bind(T_DC, SRV);
	T_EQ(dvk_notify_X(DVK_SELF, DVK_SELF, 3), 0);
	T_EQ(dvk_notify_X(DVK_SELF, me, 4), 0);
	T_EQ(dvk_receive_T(DVK_ANY, &m, 0), 0);
	T_EQ(m.m_source, me);
	T_EQ(m.m_u.m9.l1, (1 << 3) | (1 << 4));
	T_EQ(dvk_receive_T(DVK_ANY, &m, 0), EDVSAGAIN);
	t_down();
}

static void threads_share_a_binding(void)
{
	struct dvk_message m = msg(1, 1);
	int me, res = 1, srv;
	pthread_t th;
	pid_t s;

	t_up();
	me = dvk_bind(T_DC, SRV);
	T_EQ(pthread_create(&th, NULL, thread_receive, &res), 0);
	T_TRUE(t_wait_flags(T_DC, SRV, DVK_RECEIVING));
	T_EQ(dvk_receive_T(DVK_ANY, &m, 0), EDVSBUSY);	/* the slot's call is in use */
	s = t_fork(child_sleep, NULL);
	srv = dvk_lclbind(T_DC, s, SRV2);
	T_EQ(dvk_sendrec_T(srv, &m, 0), EDVSBUSY);
	T_EQ(dvk_notify(me), 0);				/* never blocks: allowed */
	T_EQ(pthread_join(th, NULL), 0);
	T_EQ(res, 0);						/* the notify woke the thread */
	kill(s, SIGKILL);
	T_EQ(t_join_signal(s), SIGKILL);
	t_down();
}

/* Server: take a request, notify the client, then reply. */
static int child_notify_then_reply(void *arg)
{
	struct dvk_message m;

	(void)arg;
	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	C_EQ(dvk_receive_T(DVK_ANY, &m, 5000), 0);
	C_EQ(dvk_notify(m.m_source), 0);
	usleep(50000);
	m.m_type = 77;
	C_EQ(dvk_reply_T(m.m_source, &m, 0), 0);
	pause();	/* exiting would drop the pending notify before the check */
	return 0;
}

static void notify_is_not_a_reply(void)
{
	struct dvk_message m = msg(1, 1);
	int srv;
	pid_t s;

	t_up();
	T_TRUE(dvk_bind(T_DC, CLI) > 0);
	s = t_fork(child_notify_then_reply, NULL);
	srv = dvk_lclbind(T_DC, s, SRV);
	T_TRUE(t_wait_flags(T_DC, SRV, DVK_RECEIVING));
	T_EQ(dvk_sendrec_T(srv, &m, 5000), 0);
	T_EQ(m.m_type, 77);					/* the reply, not the notify */
	T_EQ(dvk_receive_T(DVK_ANY, &m, 0), 0);		/* the notify waited */
	T_EQ(DVK_IS_NOTIFY(m.m_type), 1);
	T_EQ(m.m_source, srv);
	kill(s, SIGKILL);
	T_EQ(t_join_signal(s), SIGKILL);
	t_down();
}

static int child_rcvrqst(void *arg)
{
	struct dvk_message m;

	(void)arg;
	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	C_EQ(dvk_rcvrqst_T(&m, 5000), 0);
	C_EQ(m.m_type, 5);					/* the request, not the notify */
	C_EQ(dvk_receive_T(DVK_ANY, &m, 0), 0);
	C_EQ(DVK_IS_NOTIFY(m.m_type), 1);
	return 0;
}

static void rcvrqst_leaves_notifies(void)
{
	struct dvk_message m = msg(5, 5);
	int srv;
	pid_t s;

	t_up();
	T_TRUE(dvk_bind(T_DC, CLI) > 0);
	s = t_fork(child_rcvrqst, NULL);
	srv = dvk_lclbind(T_DC, s, SRV);
	T_TRUE(t_wait_flags(T_DC, SRV, DVK_RECEIVING));
	T_EQ(dvk_notify(srv), 0);
	usleep(20000);
	T_TRUE(t_wait_flags(T_DC, SRV, DVK_RECEIVING));	/* still waiting */
	T_EQ(dvk_send_T(srv, &m, 5000), 0);
	T_EQ(t_join(s), 0);
	t_down();
}

static int child_sendrec_signalled(void *arg)
{
	struct sigaction sa = { .sa_handler = on_usr1 };	/* no SA_RESTART */
	struct dvk_message m = msg(3, 3);
	int srv = *(int *)arg;

	sigaction(SIGUSR1, &sa, NULL);
	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	C_EQ(dvk_sendrec_T(srv, &m, 5000), 0);		/* not EDVSINTR: the request was taken */
	C_EQ(m.m_type, 4);
	C_EQ(got_usr1, 1);					/* handled on the way out */
	return 0;
}

static void sendrec_signal_after_request(void)
{
	struct dvk_message m;
	int srv;
	pid_t c;

	t_up();
	srv = dvk_bind(T_DC, SRV);
	c = t_fork(child_sendrec_signalled, &srv);
	T_TRUE(dvk_lclbind(T_DC, c, CLI) > 0);
	T_EQ(dvk_receive_T(DVK_ANY, &m, 5000), 0);
	kill(c, SIGUSR1);
	usleep(100000);
	T_TRUE(t_wait_flags(T_DC, CLI, DVK_RECEIVING));	/* still waiting for us */
	m.m_type = 4;
	T_EQ(dvk_reply_T(m.m_source, &m, 0), 0);
	T_EQ(t_join(c), 0);
	t_down();
}

static int child_send_later(void *arg)
{
	struct dvk_message m = msg(8, 8);

	usleep(50000);
	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000) > 0, 1);
	C_EQ(dvk_send_T(*(int *)arg, &m, 5000), 0);
	return 0;
}

static void timeout_values(void)
{
	struct dvk_message m;
	int me;
	pid_t s;

	t_up();
	me = dvk_bind(T_DC, SRV);
	T_EQ(dvk_receive_T(DVK_ANY, &m, -2), EDVSBADVALUE);
	T_EQ(dvk_send_T(me, &m, -5), EDVSBADVALUE);
	T_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, -3), EDVSBADVALUE);
	/* 2^32 ms must not wrap to "now": the message arrives first. */
	s = t_fork(child_send_later, &me);
	T_TRUE(dvk_lclbind(T_DC, s, CLI) > 0);
	T_EQ(dvk_receive_T(DVK_ANY, &m, 1L << 32), 0);
	T_EQ(m.m_type, 8);
	T_EQ(t_join(s), 0);
	t_down();
}

static void dc_end_with_bound_processes(void)
{
	pid_t kids[3];
	int first = 0;
	long t0;

	t_up();
	for (int i = 0; i < 3; i++) {
		kids[i] = t_fork(child_blocked_forever, i ? &first : NULL);
		int ep = dvk_lclbind(T_DC, kids[i], SRV + i);
		T_TRUE(ep > 0);
		if (!i)
			first = ep;
		T_TRUE(t_wait_flags(T_DC, SRV + i, DVK_RECEIVING));
	}
	t0 = t_now_ms();
	T_EQ(dvk_dc_end(T_DC), 0);
	T_TRUE(t_now_ms() - t0 < 1000);
	for (int i = 0; i < 3; i++)
		T_EQ(t_join(kids[i]), 0);
	T_EQ(t_file_has("/proc/dvs/DC0/info", "dcid"), false);
	t_down();
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	T_RUN(send_receive_both_orders);
	T_RUN(sendrec_reply);
	T_RUN(late_reply_refused);
	T_RUN(receive_from_one_source);
	T_RUN(bad_endpoints);
	T_RUN(timeouts_leave_nothing);
	T_RUN(signals_and_retry);
	T_RUN(killed_peers);
	T_RUN(notify_coalesces);
	T_RUN(notify_respects_source);
	T_RUN(hardware_notify);
	T_RUN(wakeup);
	T_RUN(bad_pointers);
	T_RUN(notify_self);
	T_RUN(deadlock_cycles);
	T_RUN(threads_share_a_binding);
	T_RUN(notify_is_not_a_reply);
	T_RUN(rcvrqst_leaves_notifies);
	T_RUN(sendrec_signal_after_request);
	T_RUN(timeout_values);
	T_RUN(dc_end_with_bound_processes);
	dvk_dvs_end();
	return t_summary();
}
