// SPDX-License-Identifier: GPL-2.0
/*
 * Binding processes to slots: bind, unbind, wait4bind, getep, getprocinfo;
 * the task -> slot hash every call starts with; and the exit hook that
 * unbinds a process however it dies.
 *
 * The exit hook is a probe on the sched_process_exit tracepoint, found
 * with for_each_kernel_tracepoint(): no kernel patch, no kallsyms, and the
 * same code serves the built-in core and dvk.ko. Tracepoint probes run
 * with preemption disabled, where PREEMPT_RT's sleeping spinlocks may not
 * be taken: the probe only finds, under RCU, the slot or pair an exit
 * concerns and queues it; the exit work unbinds it in process context.
 * Every call flushes that work first (dvk_exits_flush()), so no caller
 * that has reaped a process sees its binding.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/export.h>
#include <linux/hashtable.h>
#include <linux/jiffies.h>
#include <linux/llist.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <dvk/dvk_kernel.h>
#include "dvk_internal.h"

static DEFINE_HASHTABLE(dvk_bindings, 8);
/* Slots the exit probe queued, and how many queueings the work still owes. */
static LLIST_HEAD(dvk_exit_slots);
static atomic_t dvk_exits_pending = ATOMIC_INIT(0);
static DEFINE_SPINLOCK(dvk_bind_lock);
/* Woken on every bind, for wait4bind(SELF) by a not yet bound process. */
static DECLARE_WAIT_QUEUE_HEAD(dvk_bind_wq);

/* The slot bound to exactly @task, with a DC reference; NULL if none. */
static struct dvk_proc *dvk_lookup(struct task_struct *task, struct dvk_dc **dcp)
{
	struct dvk_proc *p;

	rcu_read_lock();
	hash_for_each_possible_rcu(dvk_bindings, p, bind_node, (unsigned long)task) {
		if (READ_ONCE(p->task) == task && kref_get_unless_zero(&p->dc->kref)) {
			*dcp = p->dc;
			rcu_read_unlock();
			return p;
		}
	}
	rcu_read_unlock();
	return NULL;
}

/**
 * dvk_caller() - the slot a task makes its calls from.
 * @task: usually current.
 * @dcp: set to the slot's DC, with a reference the caller must put.
 *
 * A thread bound on its own uses its own slot; any other thread uses its
 * process's. The binding may change until dc->lock is taken: callers
 * re-check p->task under it.
 *
 * Return: the slot, or NULL when neither the thread nor its process is bound.
 */
struct dvk_proc *dvk_caller(struct task_struct *task, struct dvk_dc **dcp)
{
	struct dvk_proc *p = dvk_lookup(task, dcp);

	if (!p && task->group_leader != task)
		p = dvk_lookup(task->group_leader, dcp);
	return p;
}

/* Is @p still bound to @task (or to its process)? dc->lock held. */
bool dvk_still_caller(struct dvk_proc *p, struct task_struct *task)
{
	return p->task == task || p->task == task->group_leader;
}

/**
 * dvk_unbind_locked() - free a slot, telling everyone who waits on it.
 * @p: a bound (local or remote) slot; its dc->lock is held.
 * @why: the result of the slot's own blocked call, if any.
 *
 * Senders queued on @p get EDVSDSTDIED, receivers waiting for a message
 * from @p get EDVSSRCDIED, notifications @p left pending elsewhere are
 * dropped, and wait4bind waiters re-check. Never sleeps.
 */
void dvk_unbind_locked(struct dvk_proc *p, int why)
{
	struct dvk_dc *dc = p->dc;
	struct dvk_proc *q, *tmp;
	int idx = p->usr.p_nr + dc->usr.dc_nr_tasks;
	struct task_struct *task = p->task;

	if (p->autobound) {
		dc->autobound[p->usr.p_nodeid]--;
		p->autobound = false;
	}
	p->grant.id = 0;
	dvk_rmt_unbind_locked(p, why);
	list_for_each_entry_safe(q, tmp, &p->senders, send_link) {
		list_del_init(&q->send_link);
		q->usr.p_rts_flags &= ~(DVK_SENDING | DVK_RECEIVING);
		q->usr.p_sendto = DVK_NONE;
		q->usr.p_getfrom = DVK_NONE;
		dvk_rmt_peer_gone_locked(q, EDVSDSTDIED);
		dvk_wake_locked(q, EDVSDSTDIED);
	}
	list_for_each_entry_safe(q, tmp, &p->rcv_waiters, rcv_link) {
		list_del_init(&q->rcv_link);
		q->usr.p_rts_flags &= ~DVK_RECEIVING;
		q->usr.p_getfrom = DVK_NONE;
		dvk_rmt_peer_gone_locked(q, EDVSSRCDIED);
		dvk_wake_locked(q, EDVSSRCDIED);
	}
	list_del_init(&p->send_link);
	list_del_init(&p->rcv_link);
	if (p->wait)
		dvk_wake_locked(p, why);
	if (dvk_is_sysproc(dc, p->usr.p_nr)) {
		int i, nslots = dc->usr.dc_nr_sysprocs;

		for (i = 0; i < nslots; i++) {
			if (test_and_clear_bit(idx, dc->procs[i].notify_pending))
				dc->procs[i].notify_arg[idx] = 0;
		}
	}
	bitmap_zero(p->notify_pending, DVK_MAX_SYSPROCS);
	if (p->notify_arg)
		memset(p->notify_arg, 0, dc->usr.dc_nr_sysprocs * sizeof(*p->notify_arg));

	if (task) {
		spin_lock(&dvk_bind_lock);
		hash_del_rcu(&p->bind_node);
		spin_unlock(&dvk_bind_lock);
		p->unbind_rcu = get_state_synchronize_rcu();
		p->unbind_gp = true;
		WRITE_ONCE(p->task, NULL);
		put_task_struct(task);
	}
	p->usr.p_rts_flags = DVK_SLOT_FREE;
	p->usr.p_misc_flags = 0;
	p->usr.p_lpid = -1;
	p->usr.p_vpid = -1;
	p->usr.p_nodeid = -1;
	p->usr.p_getfrom = DVK_NONE;
	p->usr.p_sendto = DVK_NONE;
	memset(p->usr.p_name, 0, sizeof(p->usr.p_name));
	/* Keep p_endpoint: getprocinfo shows the last binding's endpoint. */
	wake_up_all(&dc->bind_wq);
}

/* What every new binding starts with; dc->lock held. */
static void dvk_bound_locked(struct dvk_proc *p)
{
	p->usr.p_getfrom = DVK_NONE;
	p->usr.p_sendto = DVK_NONE;
	p->usr.p_lclsent = p->usr.p_rmtsent = p->usr.p_lclcopy = p->usr.p_rmtcopy = 0;
	dvk_priv_default(p->dc, p);
	wake_up_all(&p->dc->bind_wq);
	wake_up_all(&dvk_bind_wq);
}

/**
 * dvk_bind_remote_locked() - register remote endpoint @ep of node @nodeid
 * in the free slot @p (rmtbind, and put2lcl's autobind); dc->lock held.
 * @p: a free slot.
 * @ep: the remote endpoint, generation included.
 * @nodeid: its node.
 * @name: its name.
 */
void dvk_bind_remote_locked(struct dvk_proc *p, s32 ep, int nodeid, const char *name)
{
	p->gen = DVK_EP_GEN(ep);
	p->usr.p_endpoint = ep;
	p->usr.p_nodeid = nodeid;
	p->usr.p_rts_flags = DVK_REMOTE;
	strscpy(p->usr.p_name, name, sizeof(p->usr.p_name));
	dvk_bound_locked(p);
}

/* Has @t, bound to a slot, gone: a thread bound alone, or its process's last thread? */
static bool dvk_task_gone(struct task_struct *t)
{
	return (t->flags & PF_EXITING) &&
	       (t != t->group_leader || !atomic_read(&t->signal->live));
}

/*
 * The exit work: unbind the slots the probe queued, take down the pairs
 * whose proxy exited. Counts off only the queueings seen before it took
 * the list, so dvk_exits_flush() never returns with one of those undone.
 */
static void dvk_exit_work_fn(struct work_struct *work)
{
	int seen = atomic_read(&dvk_exits_pending);
	struct llist_node *list = llist_del_all(&dvk_exit_slots);
	struct dvk_proc *p, *tmp;

	dvk_proxies_exited();
	llist_for_each_entry_safe(p, tmp, list, exit_node) {
		struct dvk_dc *dc = p->dc;

		spin_lock(&dc->lock);
		clear_bit(0, &p->exit_queued);
		smp_mb__after_atomic();	/* a probe that found the bit set: its PF_EXITING is seen */
		if (p->task && dvk_task_gone(p->task))
			dvk_unbind_locked(p, EDVSNOTBIND);
		spin_unlock(&dc->lock);
		dvk_dc_put(dc);
	}
	atomic_sub(seen, &dvk_exits_pending);
}
static DECLARE_WORK(dvk_exit_work, dvk_exit_work_fn);

/**
 * dvk_exits_flush() - finish the unbinds of exited processes already
 * queued. Called first by every call through a door (dvk_do_call()) and
 * every /proc/dvs read, holding no lock (the work must never wait for one
 * a flusher may hold; the in-kernel API's callers do not flush): a caller that has
 * reaped a dead process (waitpid) never finds it bound afterwards; a
 * pthread_join()ed thread may still be, for a moment (its joiner is woken
 * before the thread's exit probe runs). Sleeps only while exits are pending.
 */
void dvk_exits_flush(void)
{
	if (atomic_read(&dvk_exits_pending)) {
		/* A probe may have counted its exit but not queued the work yet. */
		queue_work(dvk_wq, &dvk_exit_work);
		flush_work(&dvk_exit_work);
	}
}

/* The slot bound to exactly @task; rcu_read_lock held, no reference taken. */
static struct dvk_proc *dvk_lookup_rcu(struct task_struct *task)
{
	struct dvk_proc *p;

	hash_for_each_possible_rcu(dvk_bindings, p, bind_node, (unsigned long)task)
		if (READ_ONCE(p->task) == task)
			return p;
	return NULL;
}

/*
 * Queue slot @p for the exit work, once; the DC reference keeps the slot
 * for the work (a dying DC unbinds it itself). rcu_read_lock held.
 */
static bool dvk_exit_queue_rcu(struct dvk_proc *p)
{
	if (!p || test_and_set_bit(0, &p->exit_queued))
		return false;
	if (!kref_get_unless_zero(&p->dc->kref)) {
		clear_bit(0, &p->exit_queued);
		return false;
	}
	llist_add(&p->exit_node, &dvk_exit_slots);
	return true;
}

/*
 * The sched_process_exit probe: runs in the dying task, preemption
 * disabled: no lock is taken here (see the top of this file). A thread's
 * own binding goes with the thread; its process's binding (held by the
 * group leader) with the process's last thread, whichever exits last: a
 * leader that calls pthread_exit() leaves its process bound. do_exit() has
 * counted the thread out of signal->live by now.
 */
static void dvk_exit_probe(void *data, struct task_struct *task)
{
	struct task_struct *leader = task->group_leader;
	bool group_dead = !atomic_read(&task->signal->live);
	bool queued;

	/* PF_EXITING is set: pairs with the barriers in the binds. */
	smp_mb();
	queued = dvk_proxy_exit_mark(task);
	rcu_read_lock();
	if (task != leader || group_dead)
		queued |= dvk_exit_queue_rcu(dvk_lookup_rcu(task));
	/* The process's last thread: its binding too (the thread may have its own). */
	if (task != leader && group_dead)
		queued |= dvk_exit_queue_rcu(dvk_lookup_rcu(leader));
	if (queued) {
		/* After the adds and the pair's mark: the work that counts it sees them. */
		smp_mb__before_atomic();
		atomic_inc(&dvk_exits_pending);
	}
	rcu_read_unlock();
	if (queued)
		queue_work(dvk_wq, &dvk_exit_work);
}

static struct tracepoint *dvk_exit_tp;

static void dvk_find_exit_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_exit"))
		dvk_exit_tp = tp;
}

/**
 * dvk_exit_hook_init() - unbind processes when they exit.
 *
 * Return: 0, or EDVSNOSYS when the kernel has no sched_process_exit
 * tracepoint (CONFIG_TRACEPOINTS off).
 */
int dvk_exit_hook_init(void)
{
	int ret;

	for_each_kernel_tracepoint(dvk_find_exit_tp, NULL);
	if (!dvk_exit_tp) {
		pr_err("dvk: no sched_process_exit tracepoint (needs CONFIG_TRACEPOINTS)\n");
		return EDVSNOSYS;
	}
	ret = tracepoint_probe_register(dvk_exit_tp, dvk_exit_probe, NULL);
	if (ret) {
		pr_err("dvk: cannot hook process exit (%d)\n", ret);
		return EDVSNOSYS;
	}
	return 0;
}

void dvk_exit_hook_exit(void)
{
	tracepoint_probe_unregister(dvk_exit_tp, dvk_exit_probe, NULL);
	tracepoint_synchronize_unregister();
	flush_work(&dvk_exit_work);
}

/* The task a bind names: @pid in the DC's namespace, or the caller. */
struct task_struct *dvk_bind_target(struct dvk_dc *dc, int oper, int pid)
{
	struct task_struct *t;

	if (oper == DVK_SELF_BIND) {
		if (pid > 0 && pid != task_tgid_nr_ns(current, dc->pid_ns) &&
		    pid == task_pid_nr_ns(current, dc->pid_ns))
			t = current;		/* this thread alone (tbind) */
		else if (pid <= 0 || pid == task_tgid_nr_ns(current, dc->pid_ns))
			t = current->group_leader;
		else
			return ERR_PTR(EDVSBADPID);
		get_task_struct(t);
		return t;
	}
	if (pid <= 0)
		return ERR_PTR(EDVSBADPID);
	rcu_read_lock();
	t = pid_task(find_pid_ns(pid, dc->pid_ns), PIDTYPE_PID);
	if (t)
		get_task_struct(t);
	rcu_read_unlock();
	return t ? t : ERR_PTR(EDVSBADPID);
}

/* May a non-admin caller (un)bind slot @p? Only the owner, for its own tasks on user slots. */
static bool dvk_owner_may(struct dvk_dc *dc, struct dvk_proc *p)
{
	bool ok;

	if (!p->task || dvk_is_sysproc(dc, p->usr.p_nr) || !uid_eq(current_euid(), dc->owner))
		return false;
	rcu_read_lock();
	ok = uid_eq(__task_cred(p->task)->euid, dc->owner);
	rcu_read_unlock();
	return ok;
}

/* May the caller bind @target to slot @nr of @dc? (design D6) */
static bool dvk_may_bind(struct dvk_dc *dc, struct task_struct *target, int nr)
{
	bool ok;

	if (capable(CAP_SYS_ADMIN))
		return true;
	if (dvk_is_sysproc(dc, nr) || !uid_eq(current_euid(), dc->owner))
		return false;
	rcu_read_lock();
	ok = uid_eq(__task_cred(target)->euid, dc->owner);
	rcu_read_unlock();
	return ok;
}

/**
 * dvk_slot_grace_unlock() - slot @p was unbound a moment ago: let lockless
 * lookups finish with its hash node before a new binding reuses it.
 * @dc: @p's DC, locked on entry, unlocked on return (the caller relocks
 *	and checks the slot again).
 * @p: the slot, @p->unbind_gp set.
 */
void dvk_slot_grace_unlock(struct dvk_dc *dc, struct dvk_proc *p)
{
	unsigned long cookie = p->unbind_rcu;

	spin_unlock(&dc->lock);
	cond_synchronize_rcu(cookie);
	spin_lock(&dc->lock);
	if (p->unbind_rcu == cookie)	/* else unbound again meanwhile: wait again */
		p->unbind_gp = false;
	spin_unlock(&dc->lock);
}

/* Is @target bound to some slot? Under the binding hash's lock. */
static bool dvk_task_bound(struct task_struct *target)
{
	struct dvk_proc *other;
	bool bound = false;

	spin_lock(&dvk_bind_lock);
	hash_for_each_possible(dvk_bindings, other, bind_node, (unsigned long)target)
		bound |= other->task == target;
	spin_unlock(&dvk_bind_lock);
	return bound;
}

/*
 * Bind local task @target to the free slot @p with generation @gen; the
 * slot takes over the reference to @target on success. dc->lock held, and
 * no grace period pending on @p (@p->unbind_gp clear).
 * Return: 0, EDVSBUSY (@target is bound already), EDVSBADPID (exiting).
 */
static int dvk_bind_task_locked(struct dvk_proc *p, struct task_struct *target, int oper,
				u16 gen)
{
	struct dvk_dc *dc = p->dc;
	struct dvk_proc *other;

	/* Re-check under the lock: a racing bind of the same task. */
	spin_lock(&dvk_bind_lock);
	hash_for_each_possible(dvk_bindings, other, bind_node, (unsigned long)target) {
		if (other->task == target) {
			spin_unlock(&dvk_bind_lock);
			return EDVSBUSY;
		}
	}
	p->task = target;
	hash_add_rcu(dvk_bindings, &p->bind_node, (unsigned long)target);
	/*
	 * A task past its exit probe would stay bound forever. The probe
	 * runs after PF_EXITING with a barrier before its lookup: either it
	 * sees this entry, or we see the flag.
	 */
	smp_mb();
	if (target->flags & PF_EXITING) {
		hash_del_rcu(&p->bind_node);
		p->unbind_rcu = get_state_synchronize_rcu();
		p->unbind_gp = true;
		p->task = NULL;
		spin_unlock(&dvk_bind_lock);
		return EDVSBADPID;
	}
	spin_unlock(&dvk_bind_lock);
	p->gen = gen;
	p->usr.p_endpoint = DVK_ENDPOINT(p->gen, p->usr.p_nr);
	p->usr.p_nodeid = dvk_dvs.usr.d_nodeid;
	p->usr.p_lpid = task_pid_nr(p->task);
	p->usr.p_vpid = task_pid_nr_ns(p->task, dc->pid_ns);
	p->usr.p_misc_flags = (p->task == p->task->group_leader ? 0 : DVK_MIS_THREAD) |
			      (oper == DVK_REPLICA_BIND ? DVK_MIS_REPLICATED : 0) |
			      (oper == DVK_USERMODE_BIND ? DVK_MIS_USERMODE : 0);
	get_task_comm(p->usr.p_name, p->task);
	p->usr.p_rts_flags &= ~DVK_SLOT_FREE;
	dvk_bound_locked(p);
	return 0;
}

/**
 * dvk_migr_bind_locked() - MIGRATE commit on the endpoint's new node: local
 * task @target takes remote slot @p's place with the same endpoint; the
 * slot takes over the reference to @target on success. dc->lock held, no
 * grace period pending on @p.
 * @p: the slot, a remote registration (of the node the endpoint leaves).
 * @target: the process that now holds the endpoint here.
 * @ep: the endpoint, generation >= 1 (it keeps its generation).
 *
 * Return: 0, or EDVSBUSY / EDVSBADPID, the registration then unchanged.
 */
int dvk_migr_bind_locked(struct dvk_proc *p, struct task_struct *target, s32 ep)
{
	struct dvk_priv priv = p->priv;
	s32 old_ep = p->usr.p_endpoint;
	u32 flags = p->usr.p_rts_flags, misc = p->usr.p_misc_flags;
	int node = p->usr.p_nodeid, ret;
	bool autobound = p->autobound;
	char name[DVK_NAME_LEN];

	/* What would fail the bind, checked before the registration goes. */
	if (target->flags & PF_EXITING)
		return EDVSBADPID;
	if (dvk_task_bound(target))
		return EDVSBUSY;
	strscpy(name, p->usr.p_name, sizeof(name));
	dvk_unbind_locked(p, EDVSNOTBIND);
	ret = dvk_bind_task_locked(p, target, DVK_LCL_BIND, DVK_EP_GEN(ep));
	if (ret) {			/* a race with its exit: as it was */
		dvk_bind_remote_locked(p, old_ep, node, name);
		p->priv = priv;
		p->usr.p_rts_flags = flags;
		p->usr.p_misc_flags = misc;
		if (autobound) {
			p->autobound = true;
			p->dc->autobound[node]++;
		}
	}
	return ret;
}

/**
 * dvk_bind() - bind a process (or thread) to a slot, or register a remote one.
 * @oper: DVK_SELF_BIND, DVK_LCL_BIND or DVK_RMT_BIND; as the original's
 *	(reference §1 BIND), DVK_REPLICA_BIND and DVK_USERMODE_BIND are
 *	local binds marked DVK_MIS_REPLICATED or DVK_MIS_USERMODE (neither
 *	takes a slot already in use, unlike the original's). DVK_BKUP_BIND
 *	(a local backup process behind a remote primary) is not built.
 * @dcid: the DC.
 * @pid: for LCL_BIND the process in the DC's namespace; for SELF_BIND 0,
 *	 the caller's pid (its process) or its thread id (that thread alone).
 * @ep: the slot number, or an endpoint of it; for RMT_BIND the remote
 *	endpoint itself, generation included.
 * @nodeid: DVK_LOCALNODE (or the local id) for local binds; the remote
 *	    node for RMT_BIND.
 * @name: for RMT_BIND, the remote process's name (kernel copy), else NULL.
 *
 * Binding a local process needs CAP_SYS_ADMIN, except that the DC's owner
 * may bind its own processes to user slots. A remote registration only
 * records where the endpoint lives (so scripts may register before their
 * proxy is up); whether its node is attached, in the DC and linked is
 * checked by every call to it (EDVSNOPROXY, EDVSNODCNODE, EDVSNOTCONN).
 *
 * Return: the new endpoint, or EDVSDVSINIT, EDVSBINDTYPE, EDVSBADDCID,
 * EDVSDCNOTRUN, EDVSBADPROC, EDVSBADNODEID, EDVSENDPOINT, EDVSBADPID,
 * EDVSPERM, EDVSSLOTUSED, EDVSBUSY (the process is bound already).
 */
long dvk_bind(int oper, int dcid, int pid, s32 ep, int nodeid, const char *name)
{
	struct task_struct *target = NULL;
	struct dvk_dc *dc, *odc;
	struct dvk_proc *p, *other;
	int nr = DVK_EP_NR(ep), local;
	bool rmt;
	long ret;

	if (!READ_ONCE(dvk_dvs.initialized))
		return EDVSDVSINIT;
	if (oper < DVK_SELF_BIND || oper > DVK_USERMODE_BIND || oper == DVK_BKUP_BIND)
		return EDVSBINDTYPE;
	rmt = oper == DVK_RMT_BIND;
	ret = dvk_dc_find(dcid, false, &dc);
	if (ret)
		return ret;
	local = dvk_dvs.usr.d_nodeid;

	/* A slot number (generation 0) or an endpoint of it; nothing else. */
	ret = EDVSENDPOINT;
	if (DVK_EP_GEN(ep) < 0 || DVK_EP_GEN(ep) > DVK_EP_GEN_MAX)
		goto out_put;
	ret = EDVSBADPROC;
	if (!dvk_nr_ok(dc, nr))
		goto out_put;
	if (rmt) {
		ret = EDVSPERM;
		if (!capable(CAP_SYS_ADMIN))
			goto out_put;
		ret = EDVSBADNODEID;
		if (nodeid < 0 || nodeid >= dvk_dvs.usr.d_nr_nodes || nodeid == local)
			goto out_put;
		/* By number, a task slot would return a negative "endpoint". */
		ret = EDVSENDPOINT;
		if (DVK_EP_GEN(ep) == 0 && nr < 0)
			goto out_put;
	} else {
		ret = EDVSBADNODEID;
		if (nodeid != DVK_LOCALNODE && nodeid != local)
			goto out_put;
		target = dvk_bind_target(dc, oper, pid);
		if (IS_ERR(target)) {
			ret = PTR_ERR(target);
			target = NULL;
			goto out_put;
		}
		ret = EDVSPERM;
		if (!dvk_may_bind(dc, target, nr))
			goto out_put;
		ret = EDVSBUSY;
		other = dvk_lookup(target, &odc);
		if (other) {
			dvk_dc_put(odc);
			goto out_put;
		}
	}

	p = dvk_slot(dc, nr);
relock:
	spin_lock(&dc->lock);
	ret = EDVSDCNOTRUN;
	if (!dc->running)
		goto out_unlock;
	ret = EDVSSLOTUSED;
	if (!(p->usr.p_rts_flags & DVK_SLOT_FREE))
		goto out_unlock;
	if (target && p->unbind_gp) {
		dvk_slot_grace_unlock(dc, p);
		goto relock;
	}
	if (target) {
		ret = dvk_bind_task_locked(p, target, oper, DVK_EP_NEXT_GEN(p->gen));
		if (ret)
			goto out_unlock;
		target = NULL;		/* the slot owns the reference now */
	} else {
		dvk_bind_remote_locked(p, ep, nodeid, name);
	}
	ret = p->usr.p_endpoint;
	spin_unlock(&dc->lock);
	dvk_dc_put(dc);
	return ret;

out_unlock:
	spin_unlock(&dc->lock);
out_put:
	if (target)
		put_task_struct(target);
	dvk_dc_put(dc);
	return ret;
}
EXPORT_SYMBOL_GPL(dvk_bind);

/**
 * dvk_unbind() - free a slot: the caller's own, a remote registration, or
 * (with CAP_SYS_ADMIN, or as DC owner for a user slot) another process's.
 * @dcid: the DC.
 * @ep: the endpoint, or DVK_SELF.
 *
 * The unbound process is not signalled: a call it has blocked returns
 * EDVSNOTBIND and its next call fails the same way.
 *
 * Return: 0, or EDVSDVSINIT, EDVSBADDCID, EDVSDCNOTRUN, EDVSRANGE (no
 * such slot, or no valid endpoint), EDVSENDPOINT (stale: another
 * generation holds the slot), EDVSNOTBIND, EDVSPERM.
 */
long dvk_unbind(int dcid, s32 ep)
{
	struct dvk_dc *dc, *cdc = NULL;
	struct dvk_proc *p, *caller;
	bool admin = capable(CAP_SYS_ADMIN);
	long ret;

	if (!READ_ONCE(dvk_dvs.initialized))
		return EDVSDVSINIT;
	caller = dvk_caller(current, &cdc);
	if (ep == DVK_SELF) {
		if (!caller)
			return EDVSNOTBIND;
		if (dcid != cdc->usr.dc_dcid) {
			dvk_dc_put(cdc);
			return EDVSBADDCID;
		}
		ep = READ_ONCE(caller->usr.p_endpoint);
	}
	if (cdc)
		dvk_dc_put(cdc);
	ret = dvk_dc_find(dcid, false, &dc);
	if (ret)
		return ret;
	spin_lock(&dc->lock);
	ret = dvk_ep_lookup_locked(dc, ep, &p, EDVSNOTBIND);
	if (ret)
		goto out;
	ret = EDVSPERM;
	if (!admin && !dvk_still_caller(p, current) && !dvk_owner_may(dc, p))
		goto out;
	dvk_unbind_locked(p, EDVSNOTBIND);
	ret = 0;
out:
	spin_unlock(&dc->lock);
	dvk_dc_put(dc);
	return ret;
}
EXPORT_SYMBOL_GPL(dvk_unbind);

/* wait_event_interruptible_timeout()'s result as an EDVS code. */
static long dvk_wait_result(long r, long ok)
{
	if (r > 0)
		return ok;
	return r == 0 ? EDVSTIMEDOUT : EDVSINTR;
}

/* The endpoint bound to the caller, or 0 while unbound. */
static s32 dvk_self_ep(void)
{
	struct dvk_dc *dc;
	struct dvk_proc *p = dvk_caller(current, &dc);
	s32 ep;

	if (!p)
		return 0;
	ep = READ_ONCE(p->usr.p_endpoint);
	dvk_dc_put(dc);
	return ep;
}

/*
 * State of slot @nr as seen by wait4bind: 1 bound as @ep (a bare slot
 * number becomes the binding's endpoint), 0 free, <0 error.
 */
static int dvk_slot_state(struct dvk_dc *dc, int nr, s32 *ep)
{
	struct dvk_proc *p = dvk_slot(dc, nr);
	int st;

	spin_lock(&dc->lock);
	if (!dc->running) {
		st = EDVSDCNOTRUN;
	} else if (p->usr.p_rts_flags & DVK_SLOT_FREE) {
		st = 0;
	} else if (DVK_EP_GEN(*ep) == 0) {
		*ep = p->usr.p_endpoint;	/* a slot number: this binding */
		st = 1;
	} else {
		st = p->usr.p_endpoint == *ep ? 1 : EDVSENDPOINT;
	}
	spin_unlock(&dc->lock);
	return st;
}

/**
 * dvk_wait4bind() - wait for a binding to appear or go.
 * @oper: DVK_WAIT_BIND or DVK_WAIT_UNBIND.
 * @ep: DVK_SELF (WAIT_BIND only: until someone binds the caller), or an
 *	endpoint of the caller's DC.
 * @timeout_ms: DVK_TIMEOUT_FOREVER, DVK_TIMEOUT_NOWAIT or milliseconds.
 *
 * Return: WAIT_BIND: the endpoint; WAIT_UNBIND: 0. Errors: EDVSBADVALUE,
 * EDVSNOTBIND, EDVSRANGE (no such slot, or no valid endpoint),
 * EDVSENDPOINT (another generation holds the slot),
 * EDVSDCNOTRUN, EDVSTIMEDOUT, EDVSAGAIN (NOWAIT), EDVSINTR.
 */
long dvk_wait4bind(int oper, s32 ep, long timeout_ms)
{
	struct dvk_dc *dc;
	struct dvk_proc *p;
	long r, t;
	s32 self;
	int nr, st;

	if (!READ_ONCE(dvk_dvs.initialized))
		return EDVSDVSINIT;
	if (oper != DVK_WAIT_BIND && oper != DVK_WAIT_UNBIND)
		return EDVSBADVALUE;
	if (dvk_timeout(timeout_ms, &t))
		return EDVSBADVALUE;
	if (ep == DVK_SELF) {
		if (oper != DVK_WAIT_BIND)
			return EDVSBADVALUE;
		self = dvk_self_ep();
		if (self || timeout_ms == DVK_TIMEOUT_NOWAIT)
			return self ? self : EDVSAGAIN;
		r = wait_event_interruptible_timeout(dvk_bind_wq, (self = dvk_self_ep()) != 0, t);
		return dvk_wait_result(r, self);
	}

	p = dvk_caller(current, &dc);
	if (!p)
		return EDVSNOTBIND;
	nr = DVK_EP_NR(ep);
	if (!dvk_ep_ok(dc, ep)) {
		dvk_dc_put(dc);
		return EDVSRANGE;
	}
	st = dvk_slot_state(dc, nr, &ep);
	if (oper == DVK_WAIT_BIND) {
		if (st == 0 && timeout_ms != DVK_TIMEOUT_NOWAIT) {
			r = wait_event_interruptible_timeout(dc->bind_wq,
							     (st = dvk_slot_state(dc, nr, &ep)) != 0, t);
			if (r <= 0)
				st = dvk_wait_result(r, 0);
		}
		r = st == 1 ? ep : st == 0 ? EDVSAGAIN : st;
	} else {
		if (st == 1 && timeout_ms != DVK_TIMEOUT_NOWAIT) {
			r = wait_event_interruptible_timeout(dc->bind_wq,
							     (st = dvk_slot_state(dc, nr, &ep)) != 1, t);
			if (r <= 0)
				st = dvk_wait_result(r, 0);
		}
		/* Free, or reused by another generation: the binding is gone. */
		r = st == 1 ? EDVSAGAIN : (st == 0 || st == EDVSENDPOINT) ? 0 : st;
	}
	dvk_dc_put(dc);
	return r;
}
EXPORT_SYMBOL_GPL(dvk_wait4bind);

/**
 * dvk_getep() - the endpoint of a bound process.
 * @pid: a pid in the caller's DC's namespace.
 *
 * Return: the endpoint, or EDVSNOTBIND (caller or target unbound, or in
 * another DC), EDVSBADPID (out of range, or no such process).
 */
long dvk_getep(int pid)
{
	struct dvk_dc *dc, *tdc;
	struct dvk_proc *p, *t;
	struct task_struct *task;
	long ret;

	p = dvk_caller(current, &dc);
	if (!p)
		return EDVSNOTBIND;
	ret = EDVSBADPID;
	if (pid < 1 || pid > PID_MAX_LIMIT)
		goto out;
	rcu_read_lock();
	task = pid_task(find_pid_ns(pid, dc->pid_ns), PIDTYPE_PID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task)
		goto out;
	t = dvk_caller(task, &tdc);
	put_task_struct(task);
	ret = EDVSNOTBIND;
	if (!t)
		goto out;
	if (tdc == dc)
		ret = READ_ONCE(t->usr.p_endpoint);
	dvk_dc_put(tdc);
out:
	dvk_dc_put(dc);
	return ret;
}
EXPORT_SYMBOL_GPL(dvk_getep);

/**
 * dvk_getprocinfo() - read a slot's descriptor.
 * @dcid: the DC, or -1 for the caller's.
 * @nr: the slot number.
 * @out: filled on success.
 *
 * Return: 0, EDVSDVSINIT, EDVSNOTBIND, EDVSBADDCID, EDVSDCNOTRUN, EDVSBADPROC.
 */
long dvk_getprocinfo(int dcid, int nr, struct proc_usr *out)
{
	struct dvk_dc *dc;
	long ret = dvk_dc_find(dcid, true, &dc);

	if (ret)
		return ret;
	spin_lock(&dc->lock);
	if (dvk_nr_ok(dc, nr))
		*out = dvk_slot(dc, nr)->usr;
	else
		ret = EDVSBADPROC;
	spin_unlock(&dc->lock);
	dvk_dc_put(dc);
	return ret;
}
EXPORT_SYMBOL_GPL(dvk_getprocinfo);
