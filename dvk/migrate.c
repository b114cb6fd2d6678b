// SPDX-License-Identifier: GPL-2.0
/*
 * MIGRATE (call 30, the original's): an endpoint moves from node A to node
 * B while its clients keep calling it. Every node of the DC runs start,
 * then commit or rollback, for the endpoint (`dvs migrate` runs each;
 * docs/abi.md, "Migration"):
 *   start     marks the slot DVK_MIGRATING: calls towards it wait here
 *             (dvk_migr_wait()), and a request another node sends to it is
 *             refused before delivery with EDVSMIGRATE, which that node's
 *             kernel replays. On A the process must be idle: owing no
 *             reply, no senders queued, in no copy.
 *   commit    A: the slot becomes a remote slot of B, same endpoint (the
 *             old process's blocked call ends with EDVSNOTBIND); B: the new
 *             process takes the slot, same endpoint; elsewhere the slot's
 *             node becomes B. Waiters then replay towards the new place.
 *   rollback  ends the migration where it was.
 * A migration not committed in migrate_timeout_ms is rolled back by the
 * first caller that finds it expired: a lost orchestrator never leaves
 * callers waiting.
 */
#include <linux/capability.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include "dvk_internal.h"

/* As autobind_quota (remote.c): dvk.migrate_timeout_ms, or dvkipc.* built in. */
#ifndef MODULE
#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "dvkipc."
#endif
static unsigned int dvk_migrate_ms = 30000;
module_param_named(migrate_timeout_ms, dvk_migrate_ms, uint, 0644);
MODULE_PARM_DESC(migrate_timeout_ms,
		 "a migration not committed this long (ms) after its start is rolled back");

/* Pause before replaying a call another node refused with EDVSMIGRATE. */
#define DVK_MIGR_PAUSE_MS	20

/**
 * dvk_migr_expired_locked() - roll back slot @p's migration if it is past
 * its time (the slow half of dvk_migrating_locked()). dc->lock held.
 * @p: a slot marked DVK_MIGRATING.
 *
 * Return: true when it was rolled back here.
 */
bool dvk_migr_expired_locked(struct dvk_proc *p)
{
	if (time_before(jiffies, p->migr_until))
		return false;
	p->usr.p_rts_flags &= ~DVK_MIGRATING;
	pr_notice("dvk: %s: endpoint %d: migration not committed in %u ms, rolled back\n",
		  p->dc->usr.dc_name, p->usr.p_endpoint, READ_ONCE(dvk_migrate_ms));
	wake_up_all(&p->dc->bind_wq);
	return true;
}

/**
 * dvk_migr_wait() - before a call towards @q is made again: wait while @q
 * migrates here, or (another node refused it first) pause briefly.
 * @dc: @q's DC, locked on entry and unlocked on return; the caller keeps
 *	its reference.
 * @q: the slot the call goes to.
 * @t: the call's remaining timeout in jiffies (MAX_SCHEDULE_TIMEOUT: none),
 *	reduced by the time waited.
 *
 * Return: 0 (make the call again), EDVSAGAIN (NOWAIT), EDVSTIMEDOUT,
 * EDVSINTR.
 */
int dvk_migr_wait(struct dvk_dc *dc, struct dvk_proc *q, long *t)
{
	bool migrating = dvk_migrating_locked(q);
	unsigned long start = jiffies;
	long wait = migrating ? (long)(q->migr_until - start) + 1 :
				msecs_to_jiffies(DVK_MIGR_PAUSE_MS);

	spin_unlock(&dc->lock);
	if (!*t)
		return EDVSAGAIN;
	if (*t != MAX_SCHEDULE_TIMEOUT && *t < wait)
		wait = *t;
	if (migrating)
		wait_event_interruptible_timeout(dc->bind_wq,
						 !(READ_ONCE(q->usr.p_rts_flags) & DVK_MIGRATING),
						 wait);
	else
		schedule_timeout_interruptible(wait);
	if (signal_pending(current))
		return EDVSINTR;
	if (*t != MAX_SCHEDULE_TIMEOUT) {
		long spent = (long)(jiffies - start);

		*t = spent >= *t ? 0 : *t - spent;
		if (!*t)
			return EDVSTIMEDOUT;
	}
	return 0;
}

/**
 * dvk_migr_replay() - may a call another node refused with EDVSMIGRATE be
 * made again? For migrate_timeout_ms from the first refusal, not longer.
 * @until: the call's deadline for replays in jiffies, 0 before the first.
 *
 * Return: true to replay, false to give the caller EDVSMIGRATE.
 */
bool dvk_migr_replay(unsigned long *until)
{
	if (!*until)
		*until = jiffies + msecs_to_jiffies(READ_ONCE(dvk_migrate_ms)) + 1;
	return time_before(jiffies, *until);
}

/*
 * May local slot @p leave now? Not while it is in a call of its own towards
 * another (sending, a remote call, or waiting for one source: a sendrec's
 * reply), nor while it owes a reply, has requests queued or is in a copy:
 * those are served here first. Receiving from ANY, or in no call, is idle.
 */
static int dvk_migr_idle_locked(struct dvk_proc *p)
{
	u32 f = p->usr.p_rts_flags;

	if ((f & DVK_SENDING) || p->rcmd ||
	    ((f & DVK_RECEIVING) && p->usr.p_getfrom != DVK_ANY))
		return EDVSPROCSTS;
	if (!list_empty(&p->senders) || !list_empty(&p->rcv_waiters) || (f & DVK_ONCOPY))
		return EDVSBUSY;
	return 0;
}

/* start: the slot, local or remote, enters its migration. */
static int dvk_migr_start_locked(struct dvk_proc *p)
{
	u32 f = p->usr.p_rts_flags;

	if (dvk_migrating_locked(p))
		return EDVSMIGRATE;
	if (!(f & DVK_REMOTE)) {
		int ret = dvk_migr_idle_locked(p);

		if (ret)
			return ret;
		if (p->task->flags & PF_KTHREAD)
			return EDVSPERM;
	}
	p->usr.p_rts_flags |= DVK_MIGRATING;
	p->migr_until = jiffies + msecs_to_jiffies(READ_ONCE(dvk_migrate_ms));
	return 0;
}

/*
 * commit on this node: the endpoint's place is node @nodeid from now on.
 * The old node must still be migrating (its idle process leaves); the new
 * node and the others take a remote slot migrating or not, so that once the
 * old node has committed no expiry elsewhere can strand the endpoint.
 * @ep: the endpoint as the caller named it (a full one is needed on the
 * new node when the slot is registered there by number).
 */
static int dvk_migr_commit_locked(struct dvk_dc *dc, struct dvk_proc *p, s32 ep, int nodeid,
				  int local, struct task_struct **target)
{
	if (nodeid == local) {
		int ret;

		/* B: the new process takes the slot, with a full endpoint. */
		if (!(p->usr.p_rts_flags & DVK_REMOTE))
			return EDVSLCLPROC;
		if (!DVK_EP_GEN(ep))
			ep = p->usr.p_endpoint;
		if (!DVK_EP_GEN(ep))
			return EDVSENDPOINT;
		ret = dvk_migr_bind_locked(p, *target, ep);
		if (!ret)
			*target = NULL;
		return ret;
	}
	if (!(p->usr.p_rts_flags & DVK_REMOTE)) {
		/* A: the idle process leaves; the slot stands for it on @nodeid. */
		struct dvk_priv priv = p->priv;
		s32 ep = p->usr.p_endpoint;
		char name[DVK_NAME_LEN];
		int ret;

		if (!dvk_migrating_locked(p))
			return EDVSPROCSTS;
		ret = dvk_migr_idle_locked(p);
		if (ret)
			return ret;
		strscpy(name, p->usr.p_name, sizeof(name));
		dvk_unbind_locked(p, EDVSNOTBIND);
		dvk_bind_remote_locked(p, ep, nodeid, name);
		p->priv = priv;
		p->usr.p_misc_flags |= DVK_MIS_MIGRATED;
		return 0;
	}
	/* Another node's slot moves to a third. */
	if (p->autobound) {
		dc->autobound[p->usr.p_nodeid]--;
		dc->autobound[nodeid]++;
	}
	p->usr.p_nodeid = nodeid;
	p->usr.p_rts_flags &= ~DVK_MIGRATING;
	p->usr.p_misc_flags &= ~DVK_MIS_MIGRATED;
	wake_up_all(&dc->bind_wq);
	return 0;
}

/**
 * dvk_migrate() - one node's part in moving endpoint @ep of DC @dcid
 * (CAP_SYS_ADMIN). Source: the original's MIGRATE call; its unknown
 * operation was EDVSNOSYS, here EDVSBADVALUE as for every bad argument.
 * @oper: DVK_MIGR_START, DVK_MIGR_COMMIT or DVK_MIGR_ROLLBACK.
 * @pid: COMMIT on the new node: the process (in the DC's pid namespace)
 *	that takes the endpoint here; ignored otherwise.
 * @dcid: the DC.
 * @ep: the endpoint, or its slot number.
 * @nodeid: COMMIT: the endpoint's new node; ignored otherwise.
 *
 * Return: 0, or EDVSDVSINIT, EDVSBADVALUE, EDVSPERM, EDVSBADDCID,
 * EDVSDCNOTRUN, the lookup errors (EDVSRANGE, EDVSENDPOINT, EDVSNOTBIND),
 * EDVSBADNODEID, EDVSBADPID; START: EDVSMIGRATE (migrating already),
 * EDVSPROCSTS (the process is in a call to another), EDVSBUSY (it owes a
 * reply, has requests queued or is in a copy: try again), EDVSPERM (a
 * kernel thread); ROLLBACK: EDVSPROCSTS (not migrating); COMMIT on the
 * old node: EDVSPROCSTS (not migrating, or its process is in a call),
 * EDVSBUSY (it owes a reply again); on the new node: EDVSLCLPROC (the
 * slot is local here already), EDVSENDPOINT (registered by number: name
 * the full endpoint), EDVSBUSY (the process is bound already),
 * EDVSBADPID (it is exiting).
 */
long dvk_migrate(int oper, int pid, int dcid, s32 ep, int nodeid)
{
	struct task_struct *target = NULL;
	struct dvk_proc *p;
	struct dvk_dc *dc;
	int local;
	long ret;

	if (!READ_ONCE(dvk_dvs.initialized))
		return EDVSDVSINIT;
	if (oper != DVK_MIGR_START && oper != DVK_MIGR_COMMIT && oper != DVK_MIGR_ROLLBACK)
		return EDVSBADVALUE;
	if (!capable(CAP_SYS_ADMIN))
		return EDVSPERM;
	ret = dvk_dc_find(dcid, false, &dc);
	if (ret)
		return ret;
	local = READ_ONCE(dvk_dvs.usr.d_nodeid);
	if (oper == DVK_MIGR_COMMIT) {
		ret = EDVSBADNODEID;
		if (nodeid < 0 || nodeid >= READ_ONCE(dvk_dvs.usr.d_nr_nodes))
			goto out_put;
		if (nodeid == local) {
			target = dvk_bind_target(dc, DVK_LCL_BIND, pid);
			if (IS_ERR(target)) {
				ret = PTR_ERR(target);
				target = NULL;
				goto out_put;
			}
		}
	}
relock:
	spin_lock(&dc->lock);
	ret = EDVSDCNOTRUN;
	if (!dc->running)
		goto out_unlock;
	ret = dvk_ep_lookup_locked(dc, ep, &p, EDVSNOTBIND);
	if (ret)
		goto out_unlock;
	switch (oper) {
	case DVK_MIGR_START:
		ret = dvk_migr_start_locked(p);
		break;
	case DVK_MIGR_ROLLBACK:
		ret = EDVSPROCSTS;
		if (!dvk_migrating_locked(p))
			break;
		p->usr.p_rts_flags &= ~DVK_MIGRATING;
		wake_up_all(&dc->bind_wq);
		ret = 0;
		break;
	case DVK_MIGR_COMMIT:
		if (target && p->unbind_gp) {
			dvk_slot_grace_unlock(dc, p);
			goto relock;
		}
		ret = dvk_migr_commit_locked(dc, p, ep, nodeid, local, &target);
		break;
	}
out_unlock:
	spin_unlock(&dc->lock);
out_put:
	if (target)
		put_task_struct(target);
	dvk_dc_put(dc);
	return ret;
}
