// SPDX-License-Identifier: GPL-2.0
/*
 * Distributed containers on this node: dc_init, dc_end, getdcinfo, and the
 * reference counting that lets a caller keep using a DC while dc_end runs.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/export.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <dvk/dvk_kernel.h>
#include "dvk_internal.h"

/* DCs allocated and not yet freed: none may remain when the core stops. */
static atomic_t dvk_dcs_alive = ATOMIC_INIT(0);

static void dvk_dc_free(struct work_struct *work)
{
	struct dvk_dc *dc = container_of(to_rcu_work(work), struct dvk_dc, free_work);

	put_pid_ns(dc->pid_ns);
	kvfree(dc->notify_args);
	kvfree(dc->procs);
	kfree(dc);
	atomic_dec(&dvk_dcs_alive);
}

/**
 * dvk_dcs_allocated() - how many DCs are allocated and not yet freed.
 *
 * Return: the count; 0 once the core has stopped cleanly.
 */
int dvk_dcs_allocated(void)
{
	return atomic_read(&dvk_dcs_alive);
}

static void dvk_dc_release(struct kref *kref)
{
	struct dvk_dc *dc = container_of(kref, struct dvk_dc, kref);

	/* Lookups run under RCU: free only after they are all done. */
	INIT_RCU_WORK(&dc->free_work, dvk_dc_free);
	queue_rcu_work(dvk_wq, &dc->free_work);
}

/**
 * dvk_dc_get() - a running DC by id, with a reference.
 * @dcid: the DC id.
 *
 * Return: the DC (release with dvk_dc_put()), or NULL.
 */
struct dvk_dc *dvk_dc_get(int dcid)
{
	struct dvk_dc *dc;

	if (dcid < 0 || dcid >= DVK_MAX_DCS)
		return NULL;
	rcu_read_lock();
	dc = rcu_dereference(dvk_dvs.dcs[dcid]);
	if (dc && !kref_get_unless_zero(&dc->kref))
		dc = NULL;
	rcu_read_unlock();
	return dc;
}

void dvk_dc_put(struct dvk_dc *dc)
{
	kref_put(&dc->kref, dvk_dc_release);
}

/**
 * dvk_dc_find() - resolve a DC argument to a referenced DC.
 * @dcid: a DC id, or -1 for the caller's own DC when @self_ok.
 * @self_ok: whether -1 is accepted.
 * @dcp: set on success; release with dvk_dc_put().
 *
 * Return: 0, EDVSDVSINIT, EDVSNOTBIND (-1 from an unbound caller),
 * EDVSBADDCID, EDVSDCNOTRUN.
 */
int dvk_dc_find(int dcid, bool self_ok, struct dvk_dc **dcp)
{
	if (!READ_ONCE(dvk_dvs.initialized))
		return EDVSDVSINIT;
	if (dcid == -1 && self_ok)
		return dvk_caller(current, dcp) ? 0 : EDVSNOTBIND;
	if (dcid < 0 || dcid >= DVK_MAX_DCS)
		return EDVSBADDCID;
	*dcp = dvk_dc_get(dcid);
	return *dcp ? 0 : EDVSDCNOTRUN;
}

/**
 * dvk_dc_check() - validate a dc_init descriptor against the DVS limits.
 * @u: kernel copy of the caller's descriptor.
 * @dvs: the DVS limits in force.
 *
 * Return: 0, EDVSBADDCID, EDVSNAMESIZE/EDVSBADVALUE (name), EDVSBADRANGE.
 */
int dvk_dc_check(const struct dc_usr *u, const struct dvs_usr *dvs)
{
	int ret;

	if (u->dc_dcid < 0 || u->dc_dcid >= dvs->d_nr_dcs)
		return EDVSBADDCID;
	ret = dvk_name_check(u->dc_name);
	if (ret)
		return ret;
	/* A DC is a /proc/dvs directory: keep clear of the DVS-wide entries. */
	if (!strcmp(u->dc_name, "info") || !strcmp(u->dc_name, "nodes") ||
	    !strcmp(u->dc_name, "proxies"))
		return EDVSBADVALUE;
	if (u->dc_nr_procs < 1 || u->dc_nr_procs > dvs->d_nr_procs ||
	    u->dc_nr_tasks < 1 || u->dc_nr_tasks > dvs->d_nr_tasks ||
	    u->dc_nr_sysprocs <= u->dc_nr_tasks ||
	    u->dc_nr_sysprocs > dvs->d_nr_sysprocs ||
	    u->dc_nr_sysprocs >= u->dc_nr_procs + u->dc_nr_tasks ||
	    u->dc_nr_nodes < 1 || u->dc_nr_nodes > dvs->d_nr_nodes)
		return EDVSBADRANGE;
	return 0;
}

static void dvk_slot_init(struct dvk_dc *dc, struct dvk_proc *p, int nr)
{
	memset(p, 0, sizeof(*p));
	p->dc = dc;
	p->usr.p_nr = nr;
	p->usr.p_dcid = dc->usr.dc_dcid;
	p->usr.p_endpoint = DVK_NONE;
	p->usr.p_rts_flags = DVK_SLOT_FREE;
	p->usr.p_lpid = -1;
	p->usr.p_vpid = -1;
	p->usr.p_nodeid = -1;
	p->usr.p_getfrom = DVK_NONE;
	p->usr.p_sendto = DVK_NONE;
	p->usr.p_waitmigr = DVK_NONE;
	p->usr.p_waitunbind = DVK_NONE;
	p->usr.p_proxy = DVK_NONE;
	INIT_LIST_HEAD(&p->senders);
	INIT_LIST_HEAD(&p->send_link);
	INIT_LIST_HEAD(&p->rcv_waiters);
	INIT_LIST_HEAD(&p->rcv_link);
	INIT_LIST_HEAD(&p->rmt_link);
	INIT_HLIST_NODE(&p->bind_node);
	if (dvk_is_sysproc(dc, nr))
		p->notify_arg = &dc->notify_args[(nr + dc->usr.dc_nr_tasks) * dc->usr.dc_nr_sysprocs];
}

/**
 * dvk_dc_alloc() - a DC with free slots, neither published nor in /proc.
 * @u: a checked descriptor (dvk_dc_check()).
 * @nodeid: the local node, the DC's first member.
 *
 * Return: the DC with one reference, or NULL when out of memory.
 */
struct dvk_dc *dvk_dc_alloc(const struct dc_usr *u, int nodeid)
{
	int nslots = u->dc_nr_tasks + u->dc_nr_procs, i;
	struct dvk_dc *dc = kzalloc(sizeof(*dc), GFP_KERNEL);

	if (!dc)
		return NULL;
	dc->procs = kvcalloc(nslots, sizeof(*dc->procs), GFP_KERNEL);
	dc->notify_args = kvcalloc(u->dc_nr_sysprocs * u->dc_nr_sysprocs, sizeof(u64), GFP_KERNEL);
	if (!dc->procs || !dc->notify_args) {
		kvfree(dc->notify_args);
		kvfree(dc->procs);
		kfree(dc);
		return NULL;
	}
	kref_init(&dc->kref);
	spin_lock_init(&dc->lock);
	init_waitqueue_head(&dc->bind_wq);
	INIT_LIST_HEAD(&dc->rmt_waiters);
	dc->usr = *u;
	dc->usr.dc_flags = DVK_DC_RUNNING;
	dc->usr.dc_nodes = BIT(nodeid);
	dc->usr.dc_pid = task_tgid_vnr(current);
	dc->owner = make_kuid(current_user_ns(), u->dc_owner);
	if (!uid_valid(dc->owner))
		dc->owner = GLOBAL_ROOT_UID;
	dc->usr.dc_owner = from_kuid_munged(current_user_ns(), dc->owner);
	dc->pid_ns = get_pid_ns(task_active_pid_ns(current));
	dc->running = true;
	for (i = 0; i < nslots; i++) {
		dvk_slot_init(dc, &dc->procs[i], i - u->dc_nr_tasks);
		dc->procs[i].gen = dvk_dvs.dc_gen[u->dc_dcid];
	}
	atomic_inc(&dvk_dcs_alive);
	return dc;
}

/**
 * dvk_dc_init() - create a DC on this node.
 * @u: the descriptor (kernel copy): id, limits, name, owner uid.
 *
 * Needs CAP_SYS_ADMIN. The caller's pid namespace becomes the DC's: bind
 * looks pids up there. The local node becomes a member.
 *
 * Return: the local node id, or EDVSPERM, EDVSDVSINIT, EDVSBADDCID,
 * EDVSNAMESIZE, EDVSBADVALUE, EDVSBADRANGE, EDVSRSCBUSY (id or name in
 * use), EDVSALLOCMEM, EDVSBADDIR.
 */
long dvk_dc_init(const struct dc_usr *u)
{
	struct dvk_dc *dc, *other;
	int i, ret;

	if (!capable(CAP_SYS_ADMIN))
		return EDVSPERM;
	down_write(&dvk_dvs.rwsem);
	ret = EDVSDVSINIT;
	if (!dvk_dvs.initialized)
		goto out_unlock;
	ret = dvk_dc_check(u, &dvk_dvs.usr);
	if (ret)
		goto out_unlock;
	ret = EDVSRSCBUSY;
	if (rcu_access_pointer(dvk_dvs.dcs[u->dc_dcid]))
		goto out_unlock;
	for (i = 0; i < DVK_MAX_DCS; i++) {
		other = rcu_dereference_protected(dvk_dvs.dcs[i], lockdep_is_held(&dvk_dvs.rwsem));
		if (other && !strncmp(other->usr.dc_name, u->dc_name, DVK_NAME_LEN))
			goto out_unlock;
	}

	ret = EDVSALLOCMEM;
	dc = dvk_dc_alloc(u, dvk_dvs.usr.d_nodeid);
	if (!dc)
		goto out_unlock;
	ret = dvk_procfs_dc_add(dc);
	if (ret) {
		dvk_dc_put(dc);
		goto out_unlock;
	}
	rcu_assign_pointer(dvk_dvs.dcs[u->dc_dcid], dc);
	ret = dvk_dvs.usr.d_nodeid;
	up_write(&dvk_dvs.rwsem);
	pr_info("dvk: DC%d %s up: %d procs, %d tasks\n", u->dc_dcid, u->dc_name,
		u->dc_nr_procs, u->dc_nr_tasks);
	return ret;

out_unlock:
	up_write(&dvk_dvs.rwsem);
	return ret;
}
EXPORT_SYMBOL_GPL(dvk_dc_init);

/* Unbind everything, unpublish, drop the table's reference; rwsem held. */
static void dvk_dc_end_locked(struct dvk_dc *dc)
{
	int i, nslots = dc->usr.dc_nr_tasks + dc->usr.dc_nr_procs;
	u16 gen = dvk_dvs.dc_gen[dc->usr.dc_dcid];

	spin_lock(&dc->lock);
	dc->running = false;
	dc->usr.dc_flags = DVK_DC_FREE;
	/* Every blocked call learns why first; the unbinds then find no waiter. */
	for (i = 0; i < nslots; i++)
		dvk_wake_locked(&dc->procs[i], EDVSDCNOTRUN);
	for (i = 0; i < nslots; i++) {
		if (!(dc->procs[i].usr.p_rts_flags & DVK_SLOT_FREE))
			dvk_unbind_locked(&dc->procs[i], EDVSDCNOTRUN);
		gen = max(gen, dc->procs[i].gen);
	}
	spin_unlock(&dc->lock);
	dvk_dvs.dc_gen[dc->usr.dc_dcid] = gen;
	wake_up_all(&dc->bind_wq);
	dvk_procfs_dc_remove(dc);
	RCU_INIT_POINTER(dvk_dvs.dcs[dc->usr.dc_dcid], NULL);
	pr_info("dvk: DC%d %s ended\n", dc->usr.dc_dcid, dc->usr.dc_name);
	dvk_dc_put(dc);
}

/**
 * dvk_dc_end() - end a DC: every bound process is unbound, every blocked
 * call in it returns EDVSDCNOTRUN, and the id is free again. Bounded: it
 * waits for nobody.
 * @dcid: the DC id.
 *
 * Return: 0, EDVSPERM, EDVSDVSINIT, EDVSBADDCID, EDVSDCNOTRUN.
 */
long dvk_dc_end(int dcid)
{
	struct dvk_dc *dc;
	long ret = 0;

	if (!capable(CAP_SYS_ADMIN))
		return EDVSPERM;
	down_write(&dvk_dvs.rwsem);
	if (!dvk_dvs.initialized) {
		ret = EDVSDVSINIT;
	} else if (dcid < 0 || dcid >= dvk_dvs.usr.d_nr_dcs) {
		ret = EDVSBADDCID;
	} else {
		dc = rcu_dereference_protected(dvk_dvs.dcs[dcid], lockdep_is_held(&dvk_dvs.rwsem));
		if (dc)
			dvk_dc_end_locked(dc);
		else
			ret = EDVSDCNOTRUN;
	}
	up_write(&dvk_dvs.rwsem);
	return ret;
}
EXPORT_SYMBOL_GPL(dvk_dc_end);

/* End every DC, for dvs_end; rwsem held for write. */
void dvk_dcs_end_all(void)
{
	struct dvk_dc *dc;
	int i;

	for (i = 0; i < DVK_MAX_DCS; i++) {
		dc = rcu_dereference_protected(dvk_dvs.dcs[i], lockdep_is_held(&dvk_dvs.rwsem));
		if (dc)
			dvk_dc_end_locked(dc);
	}
}

/**
 * dvk_getdcinfo() - read a DC's descriptor.
 * @dcid: the DC id, or -1 for the caller's own DC.
 * @out: filled on success.
 *
 * Return: 0, EDVSDVSINIT, EDVSBADDCID, EDVSDCNOTRUN, EDVSNOTBIND (-1 from
 * an unbound caller).
 */
long dvk_getdcinfo(int dcid, struct dc_usr *out)
{
	struct dvk_dc *dc;
	int ret = dvk_dc_find(dcid, true, &dc);

	if (ret)
		return ret;
	spin_lock(&dc->lock);
	*out = dc->usr;
	spin_unlock(&dc->lock);
	dvk_dc_put(dc);
	return 0;
}
EXPORT_SYMBOL_GPL(dvk_getdcinfo);
