// SPDX-License-Identifier: GPL-2.0
/*
 * Door 1: the dvkipc() system call, the DVK entered as a variant of SysV
 * IPC. Arguments arrive in registers with the ipc() layout; calls.c does
 * the rest.
 */
#include <linux/init.h>
#include <linux/syscalls.h>
#include <dvk/dvk_kernel.h>
#include "dvk_internal.h"

/* Declared here, not in syscalls.h: the patch stays one table line. */
asmlinkage long sys_dvkipc(unsigned int call, int first, unsigned long second,
			   unsigned long third, void __user *ptr, long fifth);

SYSCALL_DEFINE6(dvkipc, unsigned int, call, int, first, unsigned long, second,
		unsigned long, third, void __user *, ptr, long, fifth)
{
	unsigned int nr;
	int ret;

	/* Not open if the core's init failed: no binding without the exit hook. */
	if (!(READ_ONCE(dvk_dvs.doors) & DVS_IPC))
		return EDVSNODEV;
	ret = dvk_call_decode(call, &nr);
	if (ret)
		return ret;
	return dvk_do_call(nr, first, second, third, ptr, fifth);
}

static int __init dvk_ipc_door_init(void)
{
	int ret = dvk_core_init();

	if (ret)
		return ret;
	dvk_door_set(DVS_IPC, true);
	pr_info("dvk: DVK IPC door open (syscall %d, ABI %d)\n", DVK_SYSCALL_NR, DVK_VERSION);
	return 0;
}
device_initcall(dvk_ipc_door_init);
