// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libdvk: door selection and the DVS-level calls.
 *
 * The door is process-wide state on purpose: DVK calls are made on behalf
 * of the calling process (its binding lives in the kernel), so a handle
 * per call site would add nothing but a way to pass the wrong one.
 */
#include <errno.h>
#include <stdatomic.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <dvk/libdvk.h>

static _Atomic int dvk_door_open;	/* 0 = not chosen yet */

static long dvk_ipc_raw(unsigned int call, int first, unsigned long second,
			unsigned long third, void *ptr, long fifth)
{
	long r = syscall(DVK_SYSCALL_NR, call, first, second, third, ptr, fifth);

	return r < 0 ? -errno : r;
}

/**
 * dvk_open() - choose the door for this process.
 *
 * Return: DVS_IPC when the kernel has the dvkipc system call, else
 * EDVSNODEV (no DVK in this kernel: build the guest with DVKIPC).
 */
int dvk_open(void)
{
	struct dvs_usr d;
	long r;

	if (atomic_load(&dvk_door_open))
		return atomic_load(&dvk_door_open);
	r = dvk_ipc_raw(DVK_CALL_ENCODE(DVK_GETDVSINFO), 0, 0, 0, &d, 0);
	if (r == -ENOSYS)
		return EDVSNODEV;
	atomic_store(&dvk_door_open, DVS_IPC);
	return DVS_IPC;
}

int dvk_door(void)
{
	return atomic_load(&dvk_door_open);
}

void dvk_close(void)
{
	atomic_store(&dvk_door_open, 0);
}

long dvk_call(int n, int first, unsigned long second, unsigned long third,
	      void *ptr, long fifth)
{
	int door = dvk_open();

	if (door < 0)
		return door;
	if (n < 0 || n >= DVK_NR_CALLS)
		return EDVSNOSYS;
	return dvk_ipc_raw(DVK_CALL_ENCODE((unsigned int)n), first, second, third, ptr, fifth);
}

int dvk_dvs_init(int nodeid, const struct dvs_usr *params)
{
	return (int)dvk_call(DVK_DVSINIT, nodeid, 0, 0, (void *)params, 0);
}

int dvk_dvs_end(void)
{
	return (int)dvk_call(DVK_DVSEND, 0, 0, 0, NULL, 0);
}

int dvk_getdvsinfo(struct dvs_usr *out)
{
	return (int)dvk_call(DVK_GETDVSINFO, 0, 0, 0, out, 0);
}
