// SPDX-License-Identifier: GPL-2.0
/*
 * dvs-bench: the local DVK against Linux baselines, in one kernel and run.
 *
 * Round trips of 64-byte messages: DVK sendrec (server in receive/reply),
 * pipe, Unix socket and SysV message queue ping-pong; notify round trips;
 * vcopy throughput against process_vm_readv for 4 KiB, 64 KiB and 1 MiB.
 * Each figure is the median of REPS runs; each DVK figure is printed as a
 * ratio to its baseline (time ratio for latencies, speed ratio for copies).
 * Needs root (it creates its own DVS and DC when none is running).
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <dvk/libdvk.h>

#define REPS	5
#define DC	9
#define MSG	64

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static void die(const char *what, long code)
{
	fprintf(stderr, "dvs-bench: %s failed: %ld %s\n", what, code,
		code < 0 && dvk_errname((int)code) ? dvk_errname((int)code) : strerror(errno));
	exit(1);
}

/* Wait until slot @nr is blocked receiving; return its endpoint. */
static int wait_receiving(int nr)
{
	struct proc_usr p;

	for (int i = 0; i < 2000; i++) {
		if (dvk_getprocinfo(DC, nr, &p) == 0 && (p.p_rts_flags & DVK_RECEIVING))
			return p.p_endpoint;
		usleep(1000);
	}
	die("waiting for the peer", -1);
	return -1;
}

/* ---- round trips -------------------------------------------------------- */

static double rt_dvk(int n)
{
	struct dvk_message m;
	int srv, ret;
	double t0;
	pid_t pid = fork();

	if (pid == 0) {
		if (dvk_bind(DC, 1) < 0)
			_exit(1);
		for (;;) {
			if (dvk_receive(DVK_ANY, &m) < 0)
				_exit(1);
			dvk_reply_T(m.m_source, &m, 0);
		}
	}
	if (dvk_bind(DC, 2) < 0)
		die("bind", -1);
	srv = wait_receiving(1);
	memset(&m, 0, sizeof(m));
	t0 = now_s();
	for (int i = 0; i < n; i++)
		if ((ret = dvk_sendrec(srv, &m)) < 0)
			die("sendrec", ret);
	t0 = now_s() - t0;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	dvk_unbind(DC, DVK_SELF);
	return t0 / n;
}

/* Ping-pong over two byte streams (pipes or a socketpair). */
static double rt_fds(int n, int wr, int rd, int peer_rd, int peer_wr)
{
	char buf[MSG] = { 0 };
	double t0;
	pid_t pid = fork();

	if (pid == 0) {
		for (int i = 0; i < n; i++)
			if (read(peer_rd, buf, MSG) != MSG || write(peer_wr, buf, MSG) != MSG)
				_exit(1);
		_exit(0);
	}
	t0 = now_s();
	for (int i = 0; i < n; i++)
		if (write(wr, buf, MSG) != MSG || read(rd, buf, MSG) != MSG)
			die("ping-pong", -1);
	t0 = now_s() - t0;
	waitpid(pid, NULL, 0);
	return t0 / n;
}

static double rt_pipe(int n)
{
	int a[2], b[2];
	double r;

	if (pipe(a) || pipe(b))
		die("pipe", -1);
	r = rt_fds(n, a[1], b[0], a[0], b[1]);
	close(a[0]), close(a[1]), close(b[0]), close(b[1]);
	return r;
}

static double rt_unix(int n)
{
	int sv[2];
	double r;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die("socketpair", -1);
	r = rt_fds(n, sv[0], sv[0], sv[1], sv[1]);
	close(sv[0]), close(sv[1]);
	return r;
}

struct sysv_msg {
	long mtype;
	char text[MSG];
};

static double rt_sysv(int n)
{
	int q1 = msgget(IPC_PRIVATE, 0600), q2 = msgget(IPC_PRIVATE, 0600);
	struct sysv_msg m = { .mtype = 1 };
	double t0;
	pid_t pid;

	if (q1 < 0 || q2 < 0)
		die("msgget", -1);
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < n; i++)
			if (msgrcv(q1, &m, MSG, 0, 0) != MSG || msgsnd(q2, &m, MSG, 0))
				_exit(1);
		_exit(0);
	}
	t0 = now_s();
	for (int i = 0; i < n; i++)
		if (msgsnd(q1, &m, MSG, 0) || msgrcv(q2, &m, MSG, 0, 0) != MSG)
			die("msgsnd/msgrcv", -1);
	t0 = now_s() - t0;
	waitpid(pid, NULL, 0);
	msgctl(q1, IPC_RMID, NULL);
	msgctl(q2, IPC_RMID, NULL);
	return t0 / n;
}

/* Notify ping-pong between two system slots: one notify each way per round. */
static double rt_notify(int n)
{
	int a = dvk_bind(DC, 3), b, ret;
	struct dvk_message m;
	double t0;
	pid_t pid;

	if (a < 0)
		die("bind", a);
	pid = fork();
	if (pid == 0) {
		if (dvk_bind(DC, 4) < 0)
			_exit(1);
		for (int i = 0; i < n; i++)
			if (dvk_receive(a, &m) < 0 || dvk_notify(a) < 0)
				_exit(1);
		pause();	/* exiting would drop our last, pending notify */
		_exit(0);
	}
	b = wait_receiving(4);
	t0 = now_s();
	for (int i = 0; i < n; i++) {
		if ((ret = dvk_notify(b)) < 0)
			die("notify", ret);
		if ((ret = dvk_receive(b, &m)) < 0)
			die("receive of a notify", ret);
	}
	t0 = now_s() - t0;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	dvk_unbind(DC, DVK_SELF);
	return t0 / n;
}

/* ---- copies ------------------------------------------------------------- */

/*
 * A client blocked in sendrec offers a buffer; we (the server) read it n
 * times with vcopy and n times with process_vm_readv. Returns bytes/s.
 */
static void copy_speeds(size_t size, int n, double *dvk, double *pvr)
{
	char *mine = malloc(size);
	int srv = dvk_bind(DC, 5);
	struct dvk_message m;
	double t0;
	pid_t pid;

	if (!mine || srv < 0)
		die("bind", srv);
	pid = fork();
	if (pid == 0) {
		char *buf = malloc(size);

		memset(buf, 0x5a, size);
		if (dvk_bind(DC, 101) < 0)
			_exit(1);
		memset(&m, 0, sizeof(m));
		m.m_u.m1.p1 = (uintptr_t)buf;
		_exit(dvk_sendrec(srv, &m) < 0);
	}
	if (dvk_receive(DVK_ANY, &m) < 0)
		die("receive", -1);
	void *addr = (void *)(uintptr_t)m.m_u.m1.p1;
	int cli = m.m_source;
	struct iovec lv = { mine, size }, rv = { addr, size };

	/* Fault our buffer in and warm both paths before timing either. */
	memset(mine, 0, size);
	if (dvk_vcopy(cli, addr, DVK_SELF, mine, (long)size) != (long)size ||
	    process_vm_readv(pid, &lv, 1, &rv, 1, 0) != (ssize_t)size)
		die("warm-up copy", -1);
	t0 = now_s();
	for (int i = 0; i < n; i++)
		if (dvk_vcopy(cli, addr, DVK_SELF, mine, (long)size) != (long)size)
			die("vcopy", -1);
	*dvk = size * (double)n / (now_s() - t0);
	t0 = now_s();
	for (int i = 0; i < n; i++)
		if (process_vm_readv(pid, &lv, 1, &rv, 1, 0) != (ssize_t)size)
			die("process_vm_readv", -1);
	*pvr = size * (double)n / (now_s() - t0);
	memset(&m, 0, sizeof(m));
	dvk_reply(cli, &m);
	waitpid(pid, NULL, 0);
	dvk_unbind(DC, DVK_SELF);
	free(mine);
}

static void rt_row(const char *name, double (*dvk)(int), double (*base)(int), const char *bname,
		   int n)
{
	double d[REPS], b[REPS];

	for (int r = 0; r < REPS; r++) {
		d[r] = dvk(n);
		b[r] = base(n);
	}
	double dm = median(d, REPS) * 1e6, bm = median(b, REPS) * 1e6;

	printf("%-30s %9.2f us   %-12s %9.2f us   %5.2f\n", name, dm, bname, bm, dm / bm);
	printf("bench: %s dvk_us=%.3f %s_us=%.3f ratio=%.3f\n", name, dm, bname, bm, dm / bm);
}

int main(int argc, char **argv)
{
	struct dc_usr u = { .dc_dcid = DC, .dc_nr_procs = 221, .dc_nr_tasks = 35,
			    .dc_nr_sysprocs = 64, .dc_nr_nodes = 32, .dc_warn2proc = DVK_NONE,
			    .dc_name = "BENCH" };
	int made_dvs = 0, ret, scale = argc > 1 ? atoi(argv[1]) : 1;
	static const struct { size_t size; int n; } copies[] = {
		{ 4096, 4000 }, { 65536, 1000 }, { 1 << 20, 60 },
	};

	if (scale < 1)
		scale = 1;
	ret = dvk_dvs_init(0, NULL);
	if (ret >= 0)
		made_dvs = 1;
	else if (ret != EDVSDVSBUSY)
		die("dvs_init", ret);
	if ((ret = dvk_dc_init(&u)) < 0)
		die("dc_init", ret);

	printf("DVK local benchmark: medians of %d runs, all in this kernel\n", REPS);
	printf("%-30s %12s   %-12s %12s   %5s\n", "round trip (64-byte messages)", "DVK",
	       "baseline", "", "ratio");
	rt_row("sendrec (receive/reply)", rt_dvk, rt_pipe, "pipe", 2000 * scale);
	rt_row("sendrec vs Unix socket", rt_dvk, rt_unix, "unix", 2000 * scale);
	rt_row("sendrec vs SysV msg queue", rt_dvk, rt_sysv, "sysv-msg", 2000 * scale);
	rt_row("notify round trip", rt_notify, rt_pipe, "pipe", 2000 * scale);

	printf("%-30s %12s   %-12s %12s   %5s\n", "copy throughput", "vcopy",
	       "baseline", "", "ratio");
	for (size_t k = 0; k < sizeof(copies) / sizeof(copies[0]); k++) {
		double d[REPS], p[REPS];
		char name[32];

		for (int r = 0; r < REPS; r++)
			copy_speeds(copies[k].size, copies[k].n * scale, &d[r], &p[r]);
		double dm = median(d, REPS) / 1e6, pm = median(p, REPS) / 1e6;

		snprintf(name, sizeof(name), "vcopy %zu KiB", copies[k].size / 1024);
		printf("%-30s %9.1f MB/s %-12s %9.1f MB/s %5.2f\n", name, dm, "process_vm", pm,
		       dm / pm);
		printf("bench: %s dvk_MBps=%.1f pvr_MBps=%.1f ratio=%.3f\n", name, dm, pm, dm / pm);
	}
	/* Context for the round trips: what one system call costs in this kernel. */
	double sc[REPS];

	for (int r = 0; r < REPS; r++) {
		double t0 = now_s();

		for (int i = 0; i < 2000 * scale; i++)
			syscall(SYS_getppid);
		sc[r] = (now_s() - t0) / (2000 * scale);
	}
	printf("one system call (getppid)      %9.2f us: a DVK round trip is 3 calls\n"
	       "  (sendrec; receive and reply), a pipe/socket/queue round trip 4\n",
	       median(sc, REPS) * 1e6);
	printf("(round trips: ratio = DVK time / baseline time, lower is better; copies:\n"
	       " ratio = vcopy speed / process_vm_readv speed, higher is better)\n");
	dvk_dc_end(DC);
	if (made_dvs)
		dvk_dvs_end();
	return 0;
}
