// SPDX-License-Identifier: GPL-2.0
/*
 * Door 1: the dvkipc() system call, the DVK entered as a variant of SysV
 * IPC. Arguments arrive in registers with the ipc() layout
 * (call, first, second, third, ptr, fifth); each handler below unpacks the
 * ones its call uses, copies user memory in, and calls the core.
 */
#include <linux/init.h>
#include <linux/nospec.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>
#include <dvk/dvk_kernel.h>
#include "dvk_internal.h"

typedef long (*dvk_ipc_fn)(int first, unsigned long second, unsigned long third,
			   void __user *ptr, long fifth);

/* dvs_init(first = nodeid, ptr = struct dvs_usr * or NULL) */
static long dvk_ipc_dvs_init(int first, unsigned long second, unsigned long third,
			     void __user *ptr, long fifth)
{
	struct dvs_usr p;

	if (!ptr)
		return dvk_dvs_init(first, NULL);
	if (copy_from_user(&p, ptr, sizeof(p)))
		return EDVSFAULT;
	return dvk_dvs_init(first, &p);
}

static long dvk_ipc_dvs_end(int first, unsigned long second, unsigned long third,
			    void __user *ptr, long fifth)
{
	return dvk_dvs_end();
}

/* getdvsinfo(ptr = struct dvs_usr *) */
static long dvk_ipc_getdvsinfo(int first, unsigned long second, unsigned long third,
			       void __user *ptr, long fifth)
{
	struct dvs_usr d;
	long ret = dvk_getdvsinfo(&d);

	if (copy_to_user(ptr, &d, sizeof(d)))
		return EDVSFAULT;
	return ret;
}

static const dvk_ipc_fn dvk_ipc_calls[DVK_NR_CALLS] = {
	[DVK_DVSINIT]		= dvk_ipc_dvs_init,
	[DVK_DVSEND]		= dvk_ipc_dvs_end,
	[DVK_GETDVSINFO]	= dvk_ipc_getdvsinfo,
};

/* Declared here, not in syscalls.h: the patch stays one table line. */
asmlinkage long sys_dvkipc(unsigned int call, int first, unsigned long second,
			   unsigned long third, void __user *ptr, long fifth);

SYSCALL_DEFINE6(dvkipc, unsigned int, call, int, first, unsigned long, second,
		unsigned long, third, void __user *, ptr, long, fifth)
{
	unsigned int nr;
	dvk_ipc_fn fn;
	int ret;

	ret = dvk_call_decode(call, &nr);
	if (ret)
		return ret;
	fn = dvk_ipc_calls[array_index_nospec(nr, DVK_NR_CALLS)];
	if (!fn)
		return EDVSNOSYS;
	return fn(first, second, third, ptr, fifth);
}

static int __init dvk_ipc_door_init(void)
{
	int ret = dvk_procfs_init();

	if (ret) {
		pr_err("dvk: cannot create /proc/dvs (%d)\n", ret);
		return ret;
	}
	dvk_door_set(DVS_IPC, true);
	pr_info("dvk: DVK IPC door open (syscall %d, ABI %d)\n", DVK_SYSCALL_NR, DVK_VERSION);
	return 0;
}
device_initcall(dvk_ipc_door_init);
