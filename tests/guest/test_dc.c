// SPDX-License-Identifier: GPL-2.0
/*
 * DCs, binding and privileges through the syscall door: dc_init/dc_end/
 * getdcinfo, bind in its forms, generations and stale endpoints, unbind,
 * wait4bind, getep, getprocinfo, getpriv/setpriv, the DC owner's rights,
 * /proc/dvs/<DC>/ and process exit.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <dvk/libdvk.h>
#include "test_util.h"

const char *t_prog = "test_dc";

static void dc_lifecycle(void)
{
	struct dc_usr d, u = t_dc0;

	T_EQ(dvk_dvs_init(0, NULL), 0);
	T_EQ(dvk_dc_init(&t_dc0), 0);
	T_EQ(dvk_getdcinfo(T_DC, &d), 0);
	T_EQ(d.dc_dcid, 0);
	T_EQ(d.dc_flags, DVK_DC_RUNNING);
	T_EQ(d.dc_nr_procs, 221);
	T_EQ(d.dc_nr_tasks, 35);
	T_EQ(d.dc_nr_sysprocs, 64);
	T_EQ(d.dc_nodes, 1);			/* the local node, 0 */
	T_EQ(d.dc_pid, getpid());
	T_TRUE(!strcmp(d.dc_name, "DC0"));
	T_TRUE(t_file_has("/proc/dvs/DC0/info", "dcid=0\nflags=0\nnr_procs=221\nnr_tasks=35\n"));
	T_TRUE(t_file_has("/proc/dvs/DC0/info", "dc_name=DC0\n"));
	T_TRUE(t_file_has("/proc/dvs/DC0/procs", "DC pnr -endp-"));
	/* E: attached and connected both ways (the original's 6 was its bug). */
	T_TRUE(t_file_has("/proc/dvs/nodes", "\n 0     E      -1        0        0 "
				"-------------------------------X node0\n"));

	T_EQ(dvk_dc_init(&t_dc0), EDVSRSCBUSY);		/* id in use */
	u.dc_dcid = 1;
	T_EQ(dvk_dc_init(&u), EDVSRSCBUSY);			/* name in use */
	strcpy(u.dc_name, "DC1");
	T_EQ(dvk_dc_init(&u), 0);
	T_EQ(dvk_dc_end(1), 0);
	T_EQ(dvk_dc_end(1), EDVSDCNOTRUN);
	T_EQ(dvk_getdcinfo(1, &d), EDVSDCNOTRUN);
	T_EQ(t_file_has("/proc/dvs/DC1/info", "dcid"), false);
	T_EQ(dvk_dc_end(32), EDVSBADDCID);
	T_EQ(dvk_dc_end(-1), EDVSBADDCID);
	T_EQ(dvk_getdcinfo(-1, &d), EDVSNOTBIND);	/* "my DC" while unbound */
	T_EQ(dvk_dvs_end(), 0);
	T_EQ(dvk_getdcinfo(0, &d), EDVSDVSINIT);
	T_EQ(dvk_dc_init(&t_dc0), EDVSDVSINIT);
}

struct dc_case {
	const char *what;
	void (*mutate)(struct dc_usr *u);
	int want;
};

static void id_neg(struct dc_usr *u) { u->dc_dcid = -1; }
static void id_big(struct dc_usr *u) { u->dc_dcid = 32; }
static void procs_big(struct dc_usr *u) { u->dc_nr_procs = 222; }	/* > DVS's 221 */
static void procs0(struct dc_usr *u) { u->dc_nr_procs = 0; }
static void tasks_big(struct dc_usr *u) { u->dc_nr_tasks = 36; }
static void sys_small(struct dc_usr *u) { u->dc_nr_sysprocs = u->dc_nr_tasks; }
static void sys_big(struct dc_usr *u) { u->dc_nr_sysprocs = 65; }
static void nodes0(struct dc_usr *u) { u->dc_nr_nodes = 0; }
static void no_name(struct dc_usr *u) { u->dc_name[0] = 0; }
static void long_name(struct dc_usr *u) { memset(u->dc_name, 'x', sizeof(u->dc_name)); }
static void bad_name(struct dc_usr *u) { strcpy(u->dc_name, "DC 0"); }
static void proc_name(struct dc_usr *u) { strcpy(u->dc_name, "nodes"); }

static const struct dc_case dc_cases[] = {
	{ "dcid -1", id_neg, EDVSBADDCID }, { "dcid 32", id_big, EDVSBADDCID },
	{ "procs > DVS", procs_big, EDVSBADRANGE }, { "0 procs", procs0, EDVSBADRANGE },
	{ "tasks > DVS", tasks_big, EDVSBADRANGE }, { "sysprocs <= tasks", sys_small, EDVSBADRANGE },
	{ "sysprocs > DVS", sys_big, EDVSBADRANGE }, { "0 nodes", nodes0, EDVSBADRANGE },
	{ "empty name", no_name, EDVSNAMESIZE }, { "16-char name", long_name, EDVSNAMESIZE },
	{ "name with space", bad_name, EDVSBADVALUE },
	{ "name of a /proc/dvs file", proc_name, EDVSBADVALUE },
};

static void dc_bad_args(void)
{
	struct dc_usr d;

	T_EQ(dvk_dvs_init(0, NULL), 0);
	for (size_t i = 0; i < sizeof(dc_cases) / sizeof(dc_cases[0]); i++) {
		struct dc_usr u = t_dc0;
		int got;

		dc_cases[i].mutate(&u);
		got = dvk_dc_init(&u);
		if (got != dc_cases[i].want)
			t_fail(__FILE__, __LINE__, "%s: dc_init = %d, expected %d", dc_cases[i].what,
			       got, dc_cases[i].want);
	}
	for (int i = 0; i < 32; i++)
		T_EQ(dvk_getdcinfo(i, &d), EDVSDCNOTRUN);	/* nothing was created */
	T_EQ(dvk_dc_init(NULL), EDVSFAULT);
	T_EQ(dvk_dvs_end(), 0);
}

static void bind_generations(void)
{
	struct proc_usr p;
	int ep, ep2;

	t_up();
	ep = dvk_bind(T_DC, 5);
	T_EQ(ep, DVK_ENDPOINT(1, 5));
	T_EQ(DVK_EP_NR(ep), 5);
	T_EQ(dvk_getprocinfo(T_DC, 5, &p), 0);
	T_EQ(p.p_endpoint, ep);
	T_EQ(p.p_lpid, getpid());
	T_EQ(p.p_nodeid, 0);
	T_EQ(p.p_rts_flags, 0);
	T_TRUE(!strcmp(p.p_name, "test_dc"));
	T_EQ(dvk_getep(getpid()), ep);
	T_EQ(dvk_bind(T_DC, 6), EDVSBUSY);		/* already bound */
	T_TRUE(t_file_has("/proc/dvs/DC0/procs", " test_dc\n"));
	T_EQ(dvk_unbind(T_DC, DVK_SELF), 0);
	T_EQ(dvk_getprocinfo(T_DC, 5, &p), 0);
	T_EQ(p.p_rts_flags, DVK_SLOT_FREE);
	T_EQ(dvk_getep(getpid()), EDVSNOTBIND);
	ep2 = dvk_bind(T_DC, 5);
	T_EQ(ep2, DVK_ENDPOINT(2, 5));			/* the generation moved on */
	struct priv_usr pr;
	T_EQ(dvk_getpriv(T_DC, ep, &pr), EDVSENDPOINT);	/* the old endpoint is stale */
	T_EQ(dvk_getpriv(T_DC, ep2, &pr), 0);
	T_EQ(dvk_unbind(T_DC, ep), EDVSENDPOINT);
	T_EQ(dvk_unbind(T_DC, ep2), 0);
	T_EQ(dvk_unbind(T_DC, ep2), EDVSNOTBIND);
	/* Across a DC's end and a new DC of the same id too (issue 12, finding 2). */
	T_TRUE(dvk_bind(T_DC, 5) == DVK_ENDPOINT(3, 5));
	T_EQ(dvk_dc_end(T_DC), 0);
	T_EQ(dvk_dc_init(&t_dc0), 0);
	T_EQ(dvk_getpriv(T_DC, DVK_ENDPOINT(3, 5), &pr), EDVSNOTBIND);	/* free */
	T_EQ(dvk_bind(T_DC, 5), DVK_ENDPOINT(4, 5));
	T_EQ(dvk_getpriv(T_DC, DVK_ENDPOINT(3, 5), &pr), EDVSENDPOINT);
	t_down();
}

static int child_bind_slot5(void *arg)
{
	(void)arg;
	C_EQ(dvk_bind(T_DC, 5), EDVSSLOTUSED);
	return 0;
}

static void bind_errors(void)
{
	t_up();
	T_EQ(dvk_bind_X(9, T_DC, 0, 1, DVK_LOCALNODE), EDVSBINDTYPE);
	T_EQ(dvk_bind(T_DC, 221), EDVSBADPROC);
	T_EQ(dvk_bind(T_DC, -36), EDVSBADPROC);
	/* Garbage is not a slot: no generation in [0, 0xffff] (issue 12, finding 5). */
	T_EQ(dvk_bind(T_DC, INT_MAX), EDVSENDPOINT);
	T_EQ(dvk_bind(T_DC, INT_MIN), EDVSENDPOINT);
	T_EQ(dvk_bind(T_DC, -32769), EDVSENDPOINT);
	T_EQ(dvk_lclbind(T_DC, getpid(), INT_MAX), EDVSENDPOINT);
	T_EQ(dvk_rmtbind(T_DC, "x", INT_MAX, 1), EDVSENDPOINT);
	T_EQ(dvk_unbind(T_DC, INT_MAX), EDVSRANGE);
	T_EQ(dvk_unbind(T_DC, -32769), EDVSRANGE);
	T_EQ(dvk_bind(5, 1), EDVSDCNOTRUN);
	T_EQ(dvk_bind(32, 1), EDVSBADDCID);
	T_EQ(dvk_bind_X(DVK_SELF_BIND, T_DC, 0, 1, 3), EDVSBADNODEID);
	T_EQ(dvk_lclbind(T_DC, 99999, 1), EDVSBADPID);
	T_EQ(dvk_bind_X(DVK_SELF_BIND, T_DC, 99999, 1, DVK_LOCALNODE), EDVSBADPID);
	T_TRUE(dvk_bind(T_DC, 5) > 0);
	T_EQ(t_join(t_fork(child_bind_slot5, NULL)), 0);
	T_EQ(dvk_bind(T_DC, -35), EDVSBUSY);
	t_down();
	T_EQ(dvk_bind(T_DC, 1), EDVSDVSINIT);
}

static int child_wait4bind(void *arg)
{
	int ep = dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 5000);

	(void)arg;
	C_EQ(DVK_EP_NR(ep), 10);
	C_EQ(dvk_getep(getpid()), ep);
	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 0), ep);	/* bound: immediate */
	return 0;
}

static int child_idle(void *arg)
{
	(void)arg;
	pause();
	return 0;
}

static void lclbind_and_wait4bind(void)
{
	pid_t pid, idle;
	int ep;

	t_up();
	T_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, DVK_TIMEOUT_NOWAIT), EDVSAGAIN);
	long t0 = t_now_ms();
	T_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 100), EDVSTIMEDOUT);
	T_TRUE(t_now_ms() - t0 >= 90);

	pid = t_fork(child_wait4bind, NULL);
	usleep(50000);
	ep = dvk_lclbind(T_DC, pid, 10);
	T_EQ(DVK_EP_NR(ep), 10);
	T_EQ(t_join(pid), 0);
	T_TRUE(t_wait_free(T_DC, 10));			/* its exit unbound it */

	/* wait4bind on another endpoint: the caller must be bound. */
	T_EQ(dvk_wait4bind_T(DVK_WAIT_UNBIND, ep, 0), EDVSNOTBIND);
	T_TRUE(dvk_bind(T_DC, 1) > 0);
	idle = t_fork(child_idle, NULL);
	ep = dvk_lclbind(T_DC, idle, 11);
	T_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, ep, 0), ep);
	T_EQ(dvk_wait4bind_T(DVK_WAIT_UNBIND, ep, DVK_TIMEOUT_NOWAIT), EDVSAGAIN);
	T_EQ(dvk_wait4bind_T(DVK_WAIT_UNBIND, ep, 50), EDVSTIMEDOUT);
	kill(idle, SIGKILL);
	T_EQ(dvk_wait4bind_T(DVK_WAIT_UNBIND, ep, 2000), 0);
	T_EQ(t_join_signal(idle), SIGKILL);
	T_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, ep, 0), EDVSAGAIN);	/* free now */
	T_EQ(dvk_wait4bind_T(7, ep, 0), EDVSBADVALUE);
	t_down();
}

static void *thread_main(void *arg)
{
	int *res = arg;
	struct dvk_message m = { 0 };

	/* An unbound thread acts for its process... */
	res[0] = dvk_getep((int)getpid());
	res[1] = dvk_send_T(res[2], &m, DVK_TIMEOUT_NOWAIT);
	/* ...until it binds on its own. */
	res[3] = dvk_tbind(T_DC, 8);
	res[4] = dvk_getep((int)syscall(SYS_gettid));
	return NULL;
}

static void thread_bindings(void)
{
	pthread_t th;
	int res[5], ep;

	t_up();
	ep = dvk_bind(T_DC, 7);
	res[2] = ep;				/* sending to itself */
	T_EQ(pthread_create(&th, NULL, thread_main, res), 0);
	T_EQ(pthread_join(th, NULL), 0);
	T_EQ(res[0], ep);
	T_EQ(res[1], EDVSBADDEST);		/* the process's own endpoint */
	T_EQ(DVK_EP_NR(res[3]), 8);
	T_EQ(res[4], res[3]);
	T_TRUE(t_wait_free(T_DC, 8));		/* the thread exited: unbound */
	struct proc_usr p;
	T_EQ(dvk_getprocinfo(T_DC, 7, &p), 0);
	T_EQ(p.p_rts_flags, 0);			/* the process is still bound */
	t_down();
}

static void getep_and_procinfo(void)
{
	struct proc_usr p;
	pid_t idle;
	int ep;

	t_up();
	T_EQ(dvk_getep(getpid()), EDVSNOTBIND);		/* caller unbound */
	ep = dvk_bind(T_DC, 3);
	idle = t_fork(child_idle, NULL);
	T_EQ(dvk_getep(idle), EDVSNOTBIND);
	T_EQ(dvk_getep(0), EDVSBADPID);
	T_EQ(dvk_getep(99999), EDVSBADPID);
	int ep2 = dvk_lclbind(T_DC, idle, -2);		/* a task slot */
	T_EQ(DVK_EP_NR(ep2), -2);
	T_TRUE(ep2 > 0);
	T_EQ(dvk_getep(idle), ep2);
	T_EQ(dvk_getprocinfo(T_DC, -2, &p), 0);
	T_EQ(p.p_lpid, idle);
	T_EQ(dvk_getprocinfo(-1, 3, &p), 0);		/* -1: the caller's DC */
	T_EQ(p.p_endpoint, ep);
	T_EQ(dvk_getprocinfo(T_DC, 221, &p), EDVSBADPROC);
	T_EQ(dvk_getprocinfo(T_DC, -36, &p), EDVSBADPROC);
	T_EQ(dvk_getprocinfo(3, 0, &p), EDVSDCNOTRUN);
	T_EQ(dvk_getprocinfo(T_DC, 0, NULL), EDVSFAULT);
	kill(idle, SIGKILL);
	T_EQ(t_join_signal(idle), SIGKILL);
	T_TRUE(t_wait_free(T_DC, -2));
	t_down();
}

static void privileges(void)
{
	struct priv_usr pr, np;
	int sys_ep, usr_ep;
	pid_t idle;

	t_up();
	sys_ep = dvk_bind(T_DC, 3);
	T_EQ(dvk_getpriv(T_DC, sys_ep, &pr), 0);
	T_EQ(pr.priv_id, 3 + 35);
	T_EQ(pr.priv_level, DVK_SERVER_PRIV);
	T_EQ(pr.priv_dvk_allowed, (1ULL << DVK_NR_CALLS) - 1);
	T_EQ(pr.priv_ipc_to[0], ~0ULL);
	T_EQ(pr.priv_ipc_to[1], 0);
	idle = t_fork(child_idle, NULL);
	usr_ep = dvk_lclbind(T_DC, idle, 100);
	T_EQ(dvk_getpriv(T_DC, usr_ep, &pr), 0);
	T_EQ(pr.priv_id, 64);
	T_EQ(pr.priv_level, DVK_USER_PRIV);
	T_EQ(pr.priv_dvk_allowed, 1ULL << DVK_SENDREC | 1ULL << DVK_UNBIND |
				  1ULL << DVK_GETEP | 1ULL << DVK_WAIT4BIND);

	np = pr;
	np.priv_level = 6;
	T_EQ(dvk_setpriv(T_DC, usr_ep, &np), EDVSBADVALUE);
	np = pr;
	np.priv_dvk_allowed = 1ULL << DVK_NR_CALLS;
	T_EQ(dvk_setpriv(T_DC, usr_ep, &np), EDVSBADVALUE);
	np = pr;
	np.priv_ipc_to[0] = 0;
	np.priv_ipc_to[1] = 1;			/* index 64: past nr_sysprocs */
	T_EQ(dvk_setpriv(T_DC, usr_ep, &np), EDVSBADVALUE);
	np = pr;
	np.priv_warn = 64;
	T_EQ(dvk_setpriv(T_DC, usr_ep, &np), EDVSBADPROC);
	T_EQ(dvk_getpriv(T_DC, usr_ep, &np), 0);
	T_EQ(memcmp(&np, &pr, sizeof(pr)), 0);	/* unchanged by the failures */

	np = pr;
	np.priv_level = DVK_SERVER_PRIV;
	np.priv_dvk_allowed |= 1ULL << DVK_SEND;
	np.priv_ipc_to[0] = 1ULL << (3 + 35);
	T_EQ(dvk_setpriv(T_DC, usr_ep, &np), 0);
	T_EQ(np.priv_level, DVK_SERVER_PRIV);
	T_EQ(dvk_getpriv(T_DC, usr_ep, &pr), 0);
	T_EQ(pr.priv_ipc_to[0], 1ULL << 38);
	T_EQ(dvk_getpriv(T_DC, DVK_ENDPOINT(1, 50), &pr), EDVSNOTBIND);
	T_EQ(dvk_setpriv(T_DC, usr_ep, NULL), EDVSFAULT);
	kill(idle, SIGKILL);
	T_EQ(t_join_signal(idle), SIGKILL);
	t_down();
}

static int nobody(void)
{
	return setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534);
}

static int child_owner(void *arg)
{
	int roots = *(int *)arg;	/* a root process root bound to a user slot */
	struct priv_usr pr;
	int ep;

	C_EQ(nobody(), 0);
	C_EQ(dvk_bind(T_DC, 3), EDVSPERM);		/* system slot */
	C_EQ(dvk_bind(1, 100), EDVSPERM);		/* a DC owned by root */
	ep = dvk_bind(T_DC, 100);
	C_EQ(DVK_EP_NR(ep), 100);
	C_EQ(dvk_getpriv(T_DC, ep, &pr), 0);
	C_EQ(dvk_setpriv(T_DC, ep, &pr), EDVSPERM);
	C_EQ(dvk_dc_end(T_DC), EDVSPERM);
	C_EQ(dvk_unbind(T_DC, roots), EDVSPERM);	/* not one of the owner's */
	C_EQ(dvk_unbind(T_DC, ep), 0);
	return 0;
}

static int child_nobody_mgmt(void *arg)
{
	struct dc_usr u = t_dc0;

	(void)arg;
	C_EQ(nobody(), 0);
	u.dc_dcid = 5;
	strcpy(u.dc_name, "DC5");
	C_EQ(dvk_dc_init(&u), EDVSPERM);
	C_EQ(dvk_lclbind(T_DC, getppid(), 101), EDVSPERM);
	C_EQ(dvk_rmtbind(T_DC, "far", DVK_ENDPOINT(1, 102), 1), EDVSPERM);
	return 0;
}

static void owner_binds_without_root(void)
{
	struct dc_usr u = t_dc0;

	dvk_dvs_end();
	T_EQ(dvk_dvs_init(0, NULL), 0);
	u.dc_owner = 65534;
	T_EQ(dvk_dc_init(&u), 0);
	u = t_dc0;
	u.dc_dcid = 1;
	strcpy(u.dc_name, "DC1");
	T_EQ(dvk_dc_init(&u), 0);
	struct dc_usr d;
	T_EQ(dvk_getdcinfo(T_DC, &d), 0);
	T_EQ(d.dc_owner, 65534);
	pid_t idle = t_fork(child_idle, NULL);
	int roots = dvk_lclbind(T_DC, idle, 101);
	T_TRUE(roots > 0);
	T_EQ(t_join(t_fork(child_owner, &roots)), 0);
	kill(idle, SIGKILL);
	T_EQ(t_join_signal(idle), SIGKILL);
	T_EQ(t_join(t_fork(child_nobody_mgmt, NULL)), 0);
	t_down();
}

static void remote_registration(void)
{
	struct proc_usr p;
	int ep = DVK_ENDPOINT(3, 20);

	t_up();
	T_EQ(dvk_rmtbind(T_DC, "far", ep, 0), EDVSBADNODEID);	/* the local node */
	T_EQ(dvk_rmtbind(T_DC, "far", ep, 32), EDVSBADNODEID);
	/* By slot number (the original's way): registered as that number. */
	T_EQ(dvk_rmtbind(T_DC, "far", 20, 1), 20);
	T_EQ(dvk_getprocinfo(T_DC, 20, &p), 0);
	T_EQ(p.p_endpoint, 20);
	T_EQ(dvk_unbind(T_DC, 20), 0);
	T_EQ(dvk_rmtbind(T_DC, "far", ep, 1), ep);
	T_EQ(dvk_getprocinfo(T_DC, 20, &p), 0);
	T_EQ(p.p_rts_flags, DVK_REMOTE);
	T_EQ(p.p_nodeid, 1);
	T_EQ(p.p_lpid, -1);
	T_TRUE(!strcmp(p.p_name, "far"));
	T_TRUE(dvk_bind(T_DC, 2) > 0);
	struct dvk_message m = { 0 };
	T_EQ(dvk_send_T(ep, &m, 0), EDVSNOPROXY);		/* no proxies yet */
	T_EQ(dvk_unbind(T_DC, ep), 0);
	T_EQ(dvk_getprocinfo(T_DC, 20, &p), 0);
	T_EQ(p.p_rts_flags, DVK_SLOT_FREE);
	t_down();
}

/*
 * A process whose main thread calls pthread_exit() stays bound until its
 * last thread exits (issue 12, finding 3): the survivor sendrecs the
 * parent, which copies out of the process's memory while it waits.
 */
static char survivor_buf[64];
static int parent_ep;

static void *survivor(void *arg)
{
	struct dvk_message m = { .m_type = 7 };

	(void)arg;
	usleep(300 * 1000);			/* the main thread is gone by now */
	strcpy(survivor_buf, "still here");
	m.m_u.m1.p1 = (uint64_t)(uintptr_t)survivor_buf;
	if (dvk_getep(getpid()) <= 0 || dvk_sendrec_T(parent_ep, &m, 5000) || m.m_type != 8)
		exit(3);
	exit(0);				/* the last thread: the process unbinds */
}

static int child_main_thread_exits(void *arg)
{
	pthread_t t;

	(void)arg;
	if (dvk_bind(T_DC, 13) <= 0 || pthread_create(&t, NULL, survivor, NULL))
		return 2;
	pthread_exit(NULL);
}

static void main_thread_exit_keeps_binding(void)
{
	struct dvk_message m;
	char got[64] = "";
	pid_t pid;

	t_up();
	parent_ep = dvk_bind(T_DC, 1);
	pid = t_fork(child_main_thread_exits, NULL);
	T_EQ(dvk_receive_T(DVK_ANY, &m, 5000), 0);
	T_EQ(m.m_type, 7);
	T_EQ(DVK_EP_NR(m.m_source), 13);
	T_EQ(dvk_vcopy(m.m_source, (void *)(uintptr_t)m.m_u.m1.p1, DVK_SELF, got, 11), 11);
	T_TRUE(!strcmp(got, "still here"));
	m.m_type = 8;
	T_EQ(dvk_reply_T(m.m_source, &m, 1000), 0);
	T_EQ(t_join(pid), 0);
	T_TRUE(t_wait_free(T_DC, 13));
	t_down();
}

/*
 * The process's last thread has a binding of its own: its exit frees both
 * (the thread's and the process's), and a parent that has reaped the
 * process finds both slots free at once, without waiting.
 */
static void *own_binding_last(void *arg)
{
	(void)arg;
	usleep(300 * 1000);			/* the main thread is gone by now */
	if (dvk_tbind(T_DC, 14) <= 0)
		exit(3);
	exit(0);
}

static int child_last_thread_bound(void *arg)
{
	pthread_t t;

	(void)arg;
	if (dvk_bind(T_DC, 13) <= 0 || pthread_create(&t, NULL, own_binding_last, NULL))
		return 2;
	pthread_exit(NULL);
}

static void last_thread_with_own_binding(void)
{
	struct proc_usr p;
	pid_t pid;

	t_up();
	pid = t_fork(child_last_thread_bound, NULL);
	T_EQ(t_join(pid), 0);
	T_EQ(dvk_getprocinfo(T_DC, 13, &p), 0);
	T_EQ(p.p_rts_flags & DVK_SLOT_FREE, DVK_SLOT_FREE);
	T_EQ(dvk_getprocinfo(T_DC, 14, &p), 0);
	T_EQ(p.p_rts_flags & DVK_SLOT_FREE, DVK_SLOT_FREE);
	t_down();
}

static void exit_unbinds(void)
{
	pid_t idle;
	int ep;

	t_up();
	T_TRUE(dvk_bind(T_DC, 1) > 0);
	idle = t_fork(child_idle, NULL);
	ep = dvk_lclbind(T_DC, idle, 12);
	T_TRUE(ep > 0);
	kill(idle, SIGKILL);
	T_EQ(t_join_signal(idle), SIGKILL);
	T_TRUE(t_wait_free(T_DC, 12));
	struct dvk_message m = { 0 };
	T_EQ(dvk_send_T(ep, &m, 0), EDVSDSTDIED);
	/* The slot can be bound again, with a new generation. */
	idle = t_fork(child_idle, NULL);
	T_EQ(dvk_lclbind(T_DC, idle, 12), DVK_ENDPOINT(2, 12));
	T_EQ(dvk_send_T(ep, &m, 0), EDVSENDPOINT);
	kill(idle, SIGKILL);
	T_EQ(t_join_signal(idle), SIGKILL);
	t_down();
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	T_RUN(dc_lifecycle);
	T_RUN(dc_bad_args);
	T_RUN(bind_generations);
	T_RUN(bind_errors);
	T_RUN(lclbind_and_wait4bind);
	T_RUN(thread_bindings);
	T_RUN(getep_and_procinfo);
	T_RUN(privileges);
	T_RUN(owner_binds_without_root);
	T_RUN(remote_registration);
	T_RUN(exit_unbinds);
	T_RUN(main_thread_exit_keeps_binding);
	T_RUN(last_thread_with_own_binding);
	dvk_dvs_end();
	return t_summary();
}
