// SPDX-License-Identifier: GPL-2.0
/*
 * dvk.ko: the DVK for a kernel without DVKIPC, entered through /dev/dvk.
 *
 * On a kernel with DVKIPC built in (seed objective 3) the module carries
 * no core of its own: it opens the ioctl door over the built-in core, and
 * unloading it closes that door only.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <dvk/dvk_kernel.h>
#include "dvk_internal.h"
#include "ioctl_door.h"

/* Whether this module carries the core (it does unless DVKIPC is built in). */
#define DVK_MOD_CORE	(!IS_BUILTIN(CONFIG_DVKIPC))

static int __init dvk_mod_init(void)
{
	int ret;

	if (DVK_MOD_CORE) {
		ret = dvk_core_init();
		if (ret)
			return ret;
	}
	ret = dvk_ioctl_door_open();
	if (ret) {
		if (DVK_MOD_CORE)
			dvk_core_exit();
		return ret;
	}
	pr_info("dvk: DVK IOCTL door open (%s, ABI %d)\n",
		DVK_MOD_CORE ? "core in dvk.ko" : "over the built-in core", DVK_VERSION);
	return 0;
}

static void __exit dvk_mod_exit(void)
{
	dvk_ioctl_door_close();
	if (DVK_MOD_CORE)
		dvk_core_exit();
	pr_info("dvk: DVK IOCTL door closed\n");
}

module_init(dvk_mod_init);
module_exit(dvk_mod_exit);
MODULE_DESCRIPTION("Distributed Virtualization Kernel: rendezvous IPC for DVS nodes");
MODULE_LICENSE("GPL");
