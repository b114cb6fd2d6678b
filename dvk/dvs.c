// SPDX-License-Identifier: GPL-2.0
/*
 * The DVS as a whole: dvs_init, dvs_end and getdvsinfo, and the checks that
 * decide whether their arguments are acceptable.
 */
#include <linux/capability.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <dvk/dvk_kernel.h>
#include "dvk_internal.h"

struct dvk_dvs dvk_dvs = {
	.rwsem = __RWSEM_INITIALIZER(dvk_dvs.rwsem),
	.usr = DVK_DVS_DEFAULTS,
};

/* Frees DCs after a grace period; its own, so a module exit can drain it. */
struct workqueue_struct *dvk_wq;

static bool dvk_name_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/**
 * dvk_name_check() - validate a DVS, DC or node name.
 * @name: DVK_NAME_LEN bytes, not necessarily NUL-terminated.
 *
 * Return: 0, EDVSNAMESIZE if empty or without a NUL within DVK_NAME_LEN
 * bytes, EDVSBADVALUE if it holds a character outside [A-Za-z0-9_.-]
 * (names become /proc directory names).
 */
int dvk_name_check(const char *name)
{
	size_t len = strnlen(name, DVK_NAME_LEN);
	size_t i;

	if (len == 0 || len == DVK_NAME_LEN)
		return EDVSNAMESIZE;
	for (i = 0; i < len; i++)
		if (!dvk_name_char_ok(name[i]))
			return EDVSBADVALUE;
	return 0;
}

/**
 * dvk_dvs_check() - validate the limits and name given to dvs_init.
 * @p: kernel copy of the caller's descriptor.
 *
 * Counts outside [1, maximum], or system slots not strictly between the
 * task count and the slot total, give EDVSBADRANGE; copy sizes outside
 * [1, maximum] or a copy length below the copy buffer give EDVSBADVALUE.
 *
 * Return: 0 or a negative EDVS code.
 */
int dvk_dvs_check(const struct dvs_usr *p)
{
	int ret = dvk_name_check(p->d_name);

	if (ret)
		return ret;
	if (p->d_nr_dcs < 1 || p->d_nr_dcs > DVK_MAX_DCS ||
	    p->d_nr_nodes < 1 || p->d_nr_nodes > DVK_MAX_NODES ||
	    p->d_nr_procs < 1 || p->d_nr_procs > DVK_MAX_PROCS ||
	    p->d_nr_tasks < 1 || p->d_nr_tasks > DVK_MAX_TASKS ||
	    p->d_nr_sysprocs > DVK_MAX_SYSPROCS ||
	    p->d_nr_sysprocs <= p->d_nr_tasks ||
	    p->d_nr_sysprocs >= p->d_nr_procs + p->d_nr_tasks)
		return EDVSBADRANGE;
	if (p->d_max_copybuf < 1 || p->d_max_copybuf > DVK_MAX_COPYBUF ||
	    p->d_max_copylen > DVK_MAX_COPYLEN ||
	    p->d_max_copylen < p->d_max_copybuf)
		return EDVSBADVALUE;
	return 0;
}

/**
 * dvk_call_decode() - split a dvkipc() call word into its call number.
 * @call: DVK_IPC_VERSION << 16 | n << 8.
 * @nr: set to n on success.
 *
 * Return: 0, EDVSBADVERSION for another interface version, EDVSBADVALUE
 * for a non-zero low byte, EDVSNOSYS for n >= DVK_NR_CALLS.
 */
int dvk_call_decode(unsigned int call, unsigned int *nr)
{
	if (call >> 16 != DVK_IPC_VERSION)
		return EDVSBADVERSION;
	if (call & 0xff)
		return EDVSBADVALUE;
	if (((call >> 8) & 0xff) >= DVK_NR_CALLS)
		return EDVSNOSYS;
	*nr = (call >> 8) & 0xff;
	return 0;
}

/* Fill @out from the current state; the caller holds the rwsem. */
static void dvk_dvs_fill(struct dvs_usr *out)
{
	*out = dvk_dvs.usr;
	out->d_nodeid = dvk_dvs.initialized ? dvk_dvs.usr.d_nodeid : -1;
	out->d_version = DVK_VERSION;
	out->d_flags = dvk_dvs.doors | (dvk_dvs.initialized ? DVS_INITIALIZED : 0);
	out->d_size_proc = sizeof(struct dvk_proc);
}

/**
 * dvk_dvs_snapshot() - a consistent copy of the DVS descriptor.
 * @out: filled whether or not the DVS is initialised.
 */
void dvk_dvs_snapshot(struct dvs_usr *out)
{
	down_read(&dvk_dvs.rwsem);
	dvk_dvs_fill(out);
	up_read(&dvk_dvs.rwsem);
}

/**
 * dvk_door_set() - record that a door (DVS_IPC or DVS_IOCTL) opened or closed.
 * @door: the d_flags bit of the door.
 * @open: true when it opens.
 */
void dvk_door_set(unsigned int door, bool open)
{
	down_write(&dvk_dvs.rwsem);
	if (open)
		dvk_dvs.doors |= door;
	else
		dvk_dvs.doors &= ~door;
	up_write(&dvk_dvs.rwsem);
}
EXPORT_SYMBOL_GPL(dvk_door_set);

/**
 * dvk_dvs_init() - initialise the DVS on this node.
 * @nodeid: the local node id, in [0, nr_nodes).
 * @params: limits and name (kernel copy), or NULL for the defaults.
 *
 * Needs CAP_SYS_ADMIN. Everything is validated before any state changes,
 * so a failed call leaves the DVS exactly as it was.
 *
 * Return: the node id, or EDVSPERM, EDVSNAMESIZE, EDVSBADVALUE,
 * EDVSBADRANGE, EDVSBADNODEID, EDVSDVSBUSY (already initialised).
 */
long dvk_dvs_init(int nodeid, const struct dvs_usr *params)
{
	struct dvs_usr p = DVK_DVS_DEFAULTS;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return EDVSPERM;
	if (params) {
		p = *params;
		ret = dvk_dvs_check(&p);
		if (ret)
			return ret;
	}
	if (nodeid < 0 || nodeid >= p.d_nr_nodes)
		return EDVSBADNODEID;

	down_write(&dvk_dvs.rwsem);
	if (dvk_dvs.initialized) {
		up_write(&dvk_dvs.rwsem);
		return EDVSDVSBUSY;
	}
	p.d_nodeid = nodeid;
	dvk_dvs.usr = p;
	memset(dvk_dvs.dc_gen, 0, sizeof(dvk_dvs.dc_gen));
	WRITE_ONCE(dvk_dvs.initialized, true);
	up_write(&dvk_dvs.rwsem);
	pr_info("dvk: DVS %s initialised, node %d\n", p.d_name, nodeid);
	return nodeid;
}
EXPORT_SYMBOL_GPL(dvk_dvs_init);

/**
 * dvk_dvs_end() - tear down the DVS on this node.
 *
 * Needs CAP_SYS_ADMIN. Every DC is ended first (see dvk_dc_end()); the
 * limits return to their defaults.
 *
 * Return: 0, EDVSPERM, or EDVSDVSINIT when not initialised.
 */
long dvk_dvs_end(void)
{
	if (!capable(CAP_SYS_ADMIN))
		return EDVSPERM;
	return dvk_dvs_teardown();
}
EXPORT_SYMBOL_GPL(dvk_dvs_end);

/* dvs_end without the permission check: also the module's unload path. */
long dvk_dvs_teardown(void)
{
	struct dvs_usr defaults = DVK_DVS_DEFAULTS;

	down_write(&dvk_dvs.rwsem);
	if (!dvk_dvs.initialized) {
		up_write(&dvk_dvs.rwsem);
		return EDVSDVSINIT;
	}
	dvk_net_end_all();
	dvk_dcs_end_all();
	WRITE_ONCE(dvk_dvs.initialized, false);
	dvk_dvs.usr = defaults;
	up_write(&dvk_dvs.rwsem);
	pr_info("dvk: DVS ended\n");
	return 0;
}

/**
 * dvk_getdvsinfo() - read the DVS descriptor.
 * @out: filled in every case, with the defaults and d_nodeid -1 when the
 *	 DVS is not initialised (d_flags then shows only the open doors).
 *
 * Return: the local node id, or EDVSDVSINIT when not initialised.
 */
long dvk_getdvsinfo(struct dvs_usr *out)
{
	dvk_dvs_snapshot(out);
	return out->d_nodeid >= 0 ? out->d_nodeid : EDVSDVSINIT;
}
EXPORT_SYMBOL_GPL(dvk_getdvsinfo);

/**
 * dvk_core_init() - start the core: the DC workqueue, the exit hook and
 * /proc/dvs. Called once by whoever carries the core (the built-in
 * syscall door, or dvk.ko) before it opens a door.
 *
 * Return: 0 or a negative errno.
 */
int dvk_core_init(void)
{
	int ret;

	dvk_net_init();
	dvk_wq = alloc_workqueue("dvk", 0, 0);
	if (!dvk_wq)
		return -ENOMEM;
	ret = dvk_exit_hook_init();
	if (ret)
		goto err_wq;
	ret = dvk_procfs_init();
	if (ret) {
		pr_err("dvk: cannot create /proc/dvs (%d)\n", ret);
		goto err_hook;
	}
	return 0;

err_hook:
	dvk_exit_hook_exit();
err_wq:
	destroy_workqueue(dvk_wq);
	return ret;
}

/**
 * dvk_core_exit() - undo dvk_core_init() once every door is closed: end
 * the DVS (unbinding everyone), remove /proc/dvs, stop the exit hook and
 * wait until the last DC is freed, so no core code or data stays in use.
 */
void dvk_core_exit(void)
{
	dvk_dvs_teardown();
	dvk_procfs_exit();
	dvk_exit_hook_exit();
	/* DC frees are queued from RCU callbacks: let those run, then drain. */
	rcu_barrier();
	destroy_workqueue(dvk_wq);
	WARN(dvk_dcs_allocated(), "dvk: %d DCs left allocated\n", dvk_dcs_allocated());
}
