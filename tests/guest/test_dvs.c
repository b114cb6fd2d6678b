// SPDX-License-Identifier: GPL-2.0
/*
 * DVS-level calls through whichever door the run uses: dvs_init, dvs_end,
 * getdvsinfo, their every bad argument, bad pointers, and bad call
 * encodings of both doors (system call and /dev/dvk ioctls).
 * Runs as root, with the DVS not initialised on entry.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <dvk/libdvk.h>
#include "test_util.h"

const char *t_prog = "test_dvs";

static struct dvs_usr cluster1(void)
{
	struct dvs_usr d = DVK_DVS_DEFAULTS;

	strcpy(d.d_name, "DVS_CLUSTER1");
	return d;
}

/* The system call door, bypassing the library's checks. */
static long raw(unsigned int call, int first, void *ptr)
{
	long r = syscall(DVK_SYSCALL_NR, call, first, 0UL, 0UL, ptr, 0L);

	return r < 0 ? -errno : r;
}

/* An ioctl on /dev/dvk with any command, bypassing the library. */
static long raw_ioctl(unsigned long cmd, void *arg)
{
	int fd = open(DVK_DEV_PATH, O_RDWR | O_CLOEXEC);
	long r;

	if (fd < 0)
		return -errno;
	r = ioctl(fd, cmd, arg);
	r = r < 0 ? -errno : r;
	close(fd);
	return r;
}

/* /proc/dvs/info's flags line for the expected doors, plus @more. */
static const char *flags_line(unsigned int more)
{
	static char line[32];

	snprintf(line, sizeof(line), "\nflags=%X\n", t_doors() | more);
	return line;
}

static void expect_uninitialised(void)
{
	struct dvs_usr d;

	T_EQ(dvk_getdvsinfo(&d), EDVSDVSINIT);
	T_EQ(d.d_nodeid, -1);
	T_EQ(d.d_flags, t_doors());
	T_TRUE(t_file_has("/proc/dvs/info", flags_line(0)));
}

static void init_info_end_roundtrip(void)
{
	struct dvs_usr in = cluster1(), d;

	expect_uninitialised();
	T_EQ(dvk_dvs_init(1, &in), 1);
	T_EQ(dvk_getdvsinfo(&d), 1);
	T_TRUE(!strcmp(d.d_name, "DVS_CLUSTER1"));
	T_EQ(d.d_nodeid, 1);
	T_EQ(d.d_nr_dcs, 32);
	T_EQ(d.d_nr_nodes, 32);
	T_EQ(d.d_nr_procs, 221);
	T_EQ(d.d_nr_tasks, 35);
	T_EQ(d.d_nr_sysprocs, 64);
	T_EQ(d.d_max_copybuf, 65536);
	T_EQ(d.d_max_copylen, 1048576);
	T_EQ(d.d_version, DVK_VERSION);
	T_EQ(d.d_flags, t_doors() | DVS_INITIALIZED);
	T_TRUE(d.d_size_proc > 0);
	T_TRUE(t_file_has("/proc/dvs/info", "name=DVS_CLUSTER1\nnodeid=1\n"));
	T_TRUE(t_file_has("/proc/dvs/info", flags_line(DVS_INITIALIZED)));
	T_TRUE(t_file_has("/proc/dvs/info", "\nmax_nr_procs=221\nmax_nr_tasks=35\nmax_sys_procs=64\n"));
	T_TRUE(t_file_has("/proc/dvs/info", "\nmax_copy_buf=65536\nmax_copy_len=1048576\n"));
	T_TRUE(t_file_has("/proc/dvs/info", t_doors() & DVS_IPC ? "\nsyscall=500\n" : "\nsyscall=-1\n"));
	T_EQ(dvk_dvs_end(), 0);
	expect_uninitialised();
	/* And again: end really returned the DVS to its initial state. */
	T_EQ(dvk_dvs_init(3, NULL), 3);
	T_EQ(dvk_getdvsinfo(&d), 3);
	T_TRUE(!strcmp(d.d_name, "DVS_IPC"));
	T_EQ(dvk_dvs_end(), 0);
}

static void custom_limits(void)
{
	struct dvs_usr in = cluster1(), d;

	in.d_nr_nodes = 4;
	in.d_nr_procs = 100;
	in.d_nr_tasks = 10;
	in.d_nr_sysprocs = 20;
	in.d_max_copybuf = 4096;
	in.d_max_copylen = 8192;
	T_EQ(dvk_dvs_init(3, &in), 3);
	T_EQ(dvk_getdvsinfo(&d), 3);
	T_EQ(d.d_nr_nodes, 4);
	T_EQ(d.d_nr_procs, 100);
	T_EQ(d.d_nr_tasks, 10);
	T_EQ(d.d_nr_sysprocs, 20);
	T_EQ(d.d_max_copybuf, 4096);
	T_EQ(d.d_max_copylen, 8192);
	T_TRUE(t_file_has("/proc/dvs/info", "\nnr_nodes=4\n"));
	T_EQ(dvk_dvs_end(), 0);
}

static void second_init_busy(void)
{
	struct dvs_usr in = cluster1(), before, after;

	T_EQ(dvk_dvs_init(2, &in), 2);
	T_EQ(dvk_getdvsinfo(&before), 2);
	strcpy(in.d_name, "OTHER");
	T_EQ(dvk_dvs_init(5, &in), EDVSDVSBUSY);
	T_EQ(dvk_dvs_init(5, NULL), EDVSDVSBUSY);
	T_EQ(dvk_getdvsinfo(&after), 2);
	T_EQ(memcmp(&before, &after, sizeof(before)), 0);
	T_EQ(dvk_dvs_end(), 0);
}

static void end_when_not_initialised(void)
{
	T_EQ(dvk_dvs_end(), EDVSDVSINIT);
	expect_uninitialised();
}

struct bad_case {
	const char *what;
	int nodeid;
	void (*mutate)(struct dvs_usr *d);
	int want;
};

static void long_name(struct dvs_usr *d) { memset(d->d_name, 'A', sizeof(d->d_name)); }
static void empty_name(struct dvs_usr *d) { d->d_name[0] = 0; }
static void slash_name(struct dvs_usr *d) { strcpy(d->d_name, "a/b"); }
static void four_nodes(struct dvs_usr *d) { d->d_nr_nodes = 4; }
static void dcs0(struct dvs_usr *d) { d->d_nr_dcs = 0; }
static void dcs33(struct dvs_usr *d) { d->d_nr_dcs = 33; }
static void nodes33(struct dvs_usr *d) { d->d_nr_nodes = 33; }
static void procs_big(struct dvs_usr *d) { d->d_nr_procs = DVK_MAX_PROCS + 1; }
static void procs0(struct dvs_usr *d) { d->d_nr_procs = 0; }
static void tasks_big(struct dvs_usr *d) { d->d_nr_tasks = DVK_MAX_TASKS + 1; }
static void tasks_neg(struct dvs_usr *d) { d->d_nr_tasks = -3; }
static void sys_le_tasks(struct dvs_usr *d) { d->d_nr_sysprocs = d->d_nr_tasks; }
static void sys_ge_all(struct dvs_usr *d) { d->d_nr_procs = 10; d->d_nr_sysprocs = 10 + d->d_nr_tasks; }
static void buf0(struct dvs_usr *d) { d->d_max_copybuf = 0; }
static void buf_big(struct dvs_usr *d) { d->d_max_copybuf = 65537; }
static void len_big(struct dvs_usr *d) { d->d_max_copylen = 1048577; }
static void len_small(struct dvs_usr *d) { d->d_max_copybuf = 4096; d->d_max_copylen = 4095; }

static const struct bad_case bad_cases[] = {
	{ "node id -1", -1, NULL, EDVSBADNODEID },
	{ "node id 32 of 32", 32, NULL, EDVSBADNODEID },
	{ "node id 4 of 4", 4, four_nodes, EDVSBADNODEID },
	{ "name of 16 chars", 0, long_name, EDVSNAMESIZE },
	{ "empty name", 0, empty_name, EDVSNAMESIZE },
	{ "name with /", 0, slash_name, EDVSBADVALUE },
	{ "0 DCs", 0, dcs0, EDVSBADRANGE },
	{ "33 DCs", 0, dcs33, EDVSBADRANGE },
	{ "33 nodes", 0, nodes33, EDVSBADRANGE },
	{ "procs over max", 0, procs_big, EDVSBADRANGE },
	{ "0 procs", 0, procs0, EDVSBADRANGE },
	{ "tasks over max", 0, tasks_big, EDVSBADRANGE },
	{ "negative tasks", 0, tasks_neg, EDVSBADRANGE },
	{ "sysprocs <= tasks", 0, sys_le_tasks, EDVSBADRANGE },
	{ "sysprocs >= procs+tasks", 0, sys_ge_all, EDVSBADRANGE },
	{ "copybuf 0", 0, buf0, EDVSBADVALUE },
	{ "copybuf 65537", 0, buf_big, EDVSBADVALUE },
	{ "copylen 1 MiB + 1", 0, len_big, EDVSBADVALUE },
	{ "copylen < copybuf", 0, len_small, EDVSBADVALUE },
};

static void run_bad_cases(void)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct dvs_usr in = cluster1();
		int got;

		if (c->mutate)
			c->mutate(&in);
		got = dvk_dvs_init(c->nodeid, &in);
		if (got != c->want)
			t_fail(__FILE__, __LINE__, "%s: dvs_init = %d %s, expected %d %s", c->what,
			       got, dvk_errname(got) ? dvk_errname(got) : "", c->want,
			       dvk_errname(c->want));
	}
}

/* Every bad argument fails with its own code and changes nothing. */
static void bad_args_uninitialised(void)
{
	run_bad_cases();
	expect_uninitialised();
}

static void bad_args_initialised(void)
{
	struct dvs_usr in = cluster1(), before, after;

	T_EQ(dvk_dvs_init(7, &in), 7);
	T_EQ(dvk_getdvsinfo(&before), 7);
	run_bad_cases();
	T_EQ(dvk_getdvsinfo(&after), 7);
	T_EQ(memcmp(&before, &after, sizeof(before)), 0);
	T_EQ(dvk_dvs_end(), 0);
}

/* Run fn in a child that has dropped root; returns the child's exit code. */
static int as_nobody(int (*fn)(void))
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(100);
		_exit(fn());
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int nobody_init(void)
{
	struct dvs_usr in = cluster1();

	if (dvk_dvs_init(1, &in) != EDVSPERM)
		return 1;
	if (dvk_dvs_init(1, NULL) != EDVSPERM)
		return 2;
	return 0;
}

static int nobody_end_and_info(void)
{
	struct dvs_usr d;

	if (dvk_dvs_end() != EDVSPERM)
		return 1;
	if (dvk_getdvsinfo(&d) != 4 || strcmp(d.d_name, "DVS_CLUSTER1"))
		return 2;
	return 0;
}

static void unprivileged(void)
{
	struct dvs_usr in = cluster1();

	T_EQ(as_nobody(nobody_init), 0);
	expect_uninitialised();
	T_EQ(dvk_dvs_init(4, &in), 4);
	T_EQ(as_nobody(nobody_end_and_info), 0);
	T_EQ(dvk_getdvsinfo(&in), 4);
	T_EQ(dvk_dvs_end(), 0);
}

/* Bad user pointers give EFAULT and leave the DVS unchanged. */
static void bad_pointers(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct dvs_usr in = cluster1(), *straddle, *ro;

	T_TRUE(map != MAP_FAILED);
	T_EQ(mprotect(map + page, page, PROT_NONE), 0);
	/* A descriptor whose last bytes fall on the inaccessible page. */
	straddle = (struct dvs_usr *)(map + page - sizeof(in) / 2);
	memcpy(straddle, &in, sizeof(in) / 2);

	T_EQ(dvk_call(DVK_DVSINIT, 1, 0, 0, (void *)1, 0), EDVSFAULT);
	T_EQ(dvk_call(DVK_DVSINIT, 1, 0, 0, straddle, 0), EDVSFAULT);
	T_EQ(dvk_call(DVK_DVSINIT, 1, 0, 0, (void *)-4096L, 0), EDVSFAULT);
	expect_uninitialised();

	T_EQ(dvk_call(DVK_GETDVSINFO, 0, 0, 0, (void *)1, 0), EDVSFAULT);
	T_EQ(dvk_call(DVK_GETDVSINFO, 0, 0, 0, NULL, 0), EDVSFAULT);
	T_EQ(dvk_call(DVK_GETDVSINFO, 0, 0, 0, straddle, 0), EDVSFAULT);
	T_EQ(mprotect(map, page, PROT_READ), 0);
	ro = (struct dvs_usr *)map;
	T_EQ(dvk_call(DVK_GETDVSINFO, 0, 0, 0, ro, 0), EDVSFAULT);
	munmap(map, 2 * page);
	expect_uninitialised();
}

/* Unknown call numbers and other encodings are rejected, nothing else. */
static void bad_encodings(void)
{
	struct dvs_usr d;

	if (!(t_doors() & DVS_IPC)) {	/* no system call: it is not there at all */
		T_EQ(raw(DVK_CALL_ENCODE(DVK_GETDVSINFO), 0, &d), -ENOSYS);
		return;
	}
	T_EQ(raw(DVK_CALL_ENCODE(DVK_NR_CALLS), 0, &d), EDVSNOSYS);
	T_EQ(raw(DVK_CALL_ENCODE(255), 0, &d), EDVSNOSYS);
	T_EQ(raw(DVK_CALL_ENCODE(DVK_VOID), 0, &d), EDVSNOSYS);
	T_EQ(raw(DVK_GETDVSINFO << 8, 0, &d), EDVSBADVERSION);			/* version 0 */
	T_EQ(raw(2 << 16 | DVK_GETDVSINFO << 8, 0, &d), EDVSBADVERSION);
	T_EQ(raw(0xffff0000u | DVK_DVSINIT << 8, 1, NULL), EDVSBADVERSION);
	T_EQ(raw(DVK_CALL_ENCODE(DVK_DVSINIT) | 1, 1, NULL), EDVSBADVALUE);
	T_EQ(raw(DVK_GETDVSINFO, 0, &d), EDVSBADVERSION);			/* a SysV-style number */
	expect_uninitialised();
	/* The library refuses out-of-range numbers before the kernel sees them. */
	T_EQ(dvk_call(-1, 0, 0, 0, NULL, 0), EDVSNOSYS);
	T_EQ(dvk_call(DVK_NR_CALLS, 0, 0, 0, NULL, 0), EDVSNOSYS);
	/* The seed's encoding of dvs_init. */
	T_EQ(DVK_CALL_ENCODE(DVK_DVSINIT), 0x11800);
	T_EQ(raw(0x11800, 6, NULL), 6);
	T_EQ(dvk_dvs_end(), 0);
}

/* The ioctl door checks type, size, direction and number of each command. */
static void bad_ioctls(void)
{
	struct dvk_ioc_args a = { .ptr = 0 };
	struct dvs_usr d;

	if (!(t_doors() & DVS_IOCTL)) {	/* no dvk.ko: no device */
		T_EQ(raw_ioctl(DVK_IOC(DVK_GETDVSINFO), &a), -ENOENT);
		return;
	}
	a.ptr = (uintptr_t)&d;
	T_EQ(raw_ioctl(DVK_IOC(DVK_GETDVSINFO), &a), EDVSDVSINIT);
	T_EQ(a.ret, EDVSDVSINIT);				/* the result, also in ret */
	T_EQ(d.d_flags, t_doors());
	T_EQ(raw_ioctl(DVK_IOC(DVK_NR_CALLS), &a), EDVSNOSYS);
	T_EQ(a.ret, EDVSNOSYS);
	T_EQ(raw_ioctl(DVK_IOC(255), &a), EDVSNOSYS);
	T_EQ(raw_ioctl(DVK_IOC(DVK_VOID), &a), EDVSNOSYS);
	T_EQ(raw_ioctl(_IOWR('x', DVK_GETDVSINFO, struct dvk_ioc_args), &a), -ENOTTY);
	T_EQ(raw_ioctl(_IOW(DVK_IOC_MAGIC, DVK_GETDVSINFO, struct dvk_ioc_args), &a), -ENOTTY);
	T_EQ(raw_ioctl(_IOWR(DVK_IOC_MAGIC, DVK_GETDVSINFO, struct dvs_usr), &a), -ENOTTY);
	T_EQ(raw_ioctl(_IOWR(DVK_IOC_MAGIC, DVK_GETDVSINFO, int), &a), -ENOTTY);	/* the original's size */
	T_EQ(raw_ioctl(DVK_IOC(DVK_GETDVSINFO), NULL), EDVSFAULT);
	T_EQ(raw_ioctl(DVK_IOC(DVK_GETDVSINFO), (void *)1), EDVSFAULT);
	/* The five values arrive as the system call's would: dvs_init's node in first. */
	a = (struct dvk_ioc_args){ .first = 6 };
	T_EQ(raw_ioctl(DVK_IOC(DVK_DVSINIT), &a), 6);
	T_EQ(a.ret, 6);
	T_EQ(dvk_dvs_end(), 0);
	expect_uninitialised();
}

/* The library's door is the one the run asks for (DVK_DOOR), or the system call. */
static void door_is_expected(void)
{
	const char *want = getenv("DVK_DOOR");
	int door = want && !strcmp(want, "ioctl") ? DVS_IOCTL :
		   want && !strcmp(want, "ipc") ? DVS_IPC :
		   t_doors() & DVS_IPC ? DVS_IPC : DVS_IOCTL;

	T_EQ(dvk_open(), door);
	T_EQ(dvk_door(), door);
	T_TRUE(t_doors() & door);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	T_RUN(door_is_expected);
	T_RUN(init_info_end_roundtrip);
	T_RUN(custom_limits);
	T_RUN(second_init_busy);
	T_RUN(end_when_not_initialised);
	T_RUN(bad_args_uninitialised);
	T_RUN(bad_args_initialised);
	T_RUN(unprivileged);
	T_RUN(bad_pointers);
	T_RUN(bad_encodings);
	T_RUN(bad_ioctls);
	return t_summary();
}
