// SPDX-License-Identifier: GPL-2.0
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <dvk/libdvk.h>
#include "test_util.h"

static jmp_buf t_jmp;
static int t_passed, t_failed;

void t_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("  %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	longjmp(t_jmp, 1);
}

static const char *t_name(long v)
{
	const char *n = dvk_errname((int)v);

	return n ? n : "";
}

void t_check_eq(const char *file, int line, const char *expr, long got, long want)
{
	if (got != want)
		t_fail(file, line, "%s = %ld %s, expected %ld %s", expr, got, t_name(got),
		       want, t_name(want));
}

/* The children t_fork started and no t_join has reaped (this process's). */
static pid_t t_children[256];
static int t_nchildren;

static void t_forget(pid_t pid)
{
	for (int i = 0; i < t_nchildren; i++)
		if (t_children[i] == pid) {
			t_children[i] = t_children[--t_nchildren];
			return;
		}
}

/* Still ours (running, or a zombie)? Reaped by a plain waitpid, it is not. */
static bool t_is_child(pid_t pid)
{
	siginfo_t si;

	return waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0;
}

/* Forget the children reaped outside t_join (tests/guest/test_fuzz.c's). */
static void t_prune_children(void)
{
	for (int i = t_nchildren - 1; i >= 0; i--)
		if (!t_is_child(t_children[i]))
			t_children[i] = t_children[--t_nchildren];
}

/*
 * A failed case may leave children blocked in a call or looping: they are
 * killed and reaped, so the next case starts without them.
 */
static void t_kill_children(void)
{
	for (int i = 0; i < t_nchildren; i++) {
		pid_t pid = t_children[i];

		if (!t_is_child(pid))
			continue;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		printf("  killed child %d, left running by the failed case\n", (int)pid);
	}
	t_nchildren = 0;
}

void t_run(const char *name, void (*fn)(void))
{
	fflush(stdout);
	if (setjmp(t_jmp) == 0) {
		fn();
		printf("PASS: %s/%s\n", t_prog, name);
		t_passed++;
	} else {
		t_kill_children();
		printf("FAIL: %s/%s\n", t_prog, name);
		t_failed++;
	}
	fflush(stdout);
}

int t_summary(void)
{
	printf("# %s: %d passed, %d failed\n", t_prog, t_passed, t_failed);
	return t_failed ? 1 : 0;
}

bool t_file_has(const char *path, const char *needle)
{
	static char buf[1 << 16];	/* the first 64 KiB: /proc files, logs */
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return strstr(buf, needle) != NULL;
}

unsigned int t_doors(void)
{
	const char *s = getenv("DVS_DOORS");

	return s ? (unsigned int)strtoul(s, NULL, 0) : DVS_IPC;
}

#include <sys/select.h>
#include <time.h>
#include <unistd.h>

struct dc_usr t_dc0 = {
	.dc_dcid = T_DC, .dc_nr_procs = 221, .dc_nr_tasks = 35, .dc_nr_sysprocs = 64,
	.dc_nr_nodes = 32, .dc_warn2proc = DVK_NONE, .dc_name = "DC0",
};

void t_up(void)
{
	dvk_dvs_end();		/* whatever a failed case left behind */
	T_EQ(dvk_dvs_init(0, NULL), 0);
	T_EQ(dvk_dc_init(&t_dc0), 0);
}

void t_down(void)
{
	T_EQ(dvk_dvs_end(), 0);
}

void t_up_with_pair(int node)
{
	t_up();
	T_EQ(dvk_proxies_bind("px1", node, getpid(), getpid(), 65536), node);
	T_EQ(dvk_node_up("node1", node, node), node);
	T_EQ(dvk_add_node(T_DC, node), 0);
	T_EQ(dvk_proxy_conn(node, DVK_CONNECT_SPROXY), 0);
	T_EQ(dvk_proxy_conn(node, DVK_CONNECT_RPROXY), 0);
}

struct dvk_cmd t_cmd_from(int node, unsigned int cmd, int src, int dst, unsigned long long id)
{
	struct dvk_cmd c = { .c_cmd = cmd, .c_dcid = T_DC, .c_src = src, .c_dst = dst,
			     .c_snode = node, .c_dnode = 0, .c_id = id };
	return c;
}

pid_t t_fork(int (*fn)(void *), void *arg)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int rc;

		t_nchildren = 0;	/* the parent's, not ours to kill */
		rc = fn(arg);
		fflush(stdout);
		_exit(rc);
	}
	if (pid < 0)
		t_fail(__FILE__, __LINE__, "fork failed");
	if (t_nchildren == (int)(sizeof(t_children) / sizeof(t_children[0])))
		t_prune_children();
	if (t_nchildren < (int)(sizeof(t_children) / sizeof(t_children[0])))
		t_children[t_nchildren++] = pid;
	return pid;
}

int t_join(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	t_forget(pid);
	if (WIFSIGNALED(st))
		return 1000 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

int t_join_signal(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	t_forget(pid);
	if (!WIFSIGNALED(st))
		return -1;
	return WTERMSIG(st);
}

static int t_sync_fd[2] = { -1, -1 };

void t_sync_init(void)
{
	if (t_sync_fd[0] >= 0) {
		close(t_sync_fd[0]);
		close(t_sync_fd[1]);
	}
	if (pipe(t_sync_fd))
		t_fail(__FILE__, __LINE__, "pipe failed");
}

void t_sync_post(void)
{
	if (write(t_sync_fd[1], "", 1) != 1)
		t_fail(__FILE__, __LINE__, "sync write failed");
}

bool t_sync_wait(void)
{
	struct timeval tv = { .tv_sec = 5 };
	fd_set set;
	char c;

	FD_ZERO(&set);
	FD_SET(t_sync_fd[0], &set);
	return select(t_sync_fd[0] + 1, &set, NULL, NULL, &tv) == 1 && read(t_sync_fd[0], &c, 1) == 1;
}

long t_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool t_poll_slot(int dcid, int nr, unsigned int set, unsigned int clear, bool want_free)
{
	struct proc_usr u;
	long t0 = t_now_ms();

	while (t_now_ms() - t0 < 2000) {
		if (dvk_getprocinfo(dcid, nr, &u) == 0) {
			if (want_free ? (u.p_rts_flags & DVK_SLOT_FREE) != 0 :
					(u.p_rts_flags & set) == set && !(u.p_rts_flags & clear))
				return true;
		}
		usleep(1000);
	}
	return false;
}

bool t_wait_flags(int dcid, int nr, unsigned int flags)
{
	return t_poll_slot(dcid, nr, flags, 0, false);
}

bool t_wait_state(int dcid, int nr, unsigned int set, unsigned int clear)
{
	return t_poll_slot(dcid, nr, set, clear, false);
}

bool t_wait_free(int dcid, int nr)
{
	return t_poll_slot(dcid, nr, 0, 0, true);
}

int t_live_rmsgs(void)
{
	FILE *f = fopen("/proc/dvs/info", "r");
	char line[80];
	int n = -1;

	while (f && fgets(line, sizeof(line), f))
		sscanf(line, "rmsgs=%d", &n);
	if (f)
		fclose(f);
	return n;
}
