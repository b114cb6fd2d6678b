// SPDX-License-Identifier: GPL-2.0
/*
 * Rendezvous IPC between the slots of one DC: send, receive, sendrec,
 * notify, rcvrqst, reply, wakeup.
 *
 * Messages never cross address spaces here: a sender's message is copied
 * into the kernel before the call touches any state, a receiver's is
 * copied out after, and in between a message moves from one struct
 * dvk_wait to another under dc->lock. A blocked call that is interrupted
 * or times out removes every trace of itself before it returns, so the
 * same call can simply be made again.
 */
#include <linux/bitmap.h>
#include <linux/export.h>
#include <linux/jiffies.h>
#include <linux/sched/signal.h>
#include <linux/timekeeping.h>
#include <dvk/dvk_kernel.h>
#include "dvk_internal.h"
#define CREATE_TRACE_POINTS
#include "dvk_trace.h"

/**
 * dvk_wake_locked() - complete the call @p is blocked in, if any.
 * @p: the slot; its dc->lock is held.
 * @rcode: the call's result.
 */
void dvk_wake_locked(struct dvk_proc *p, int rcode)
{
	struct dvk_wait *w = p->wait;

	if (!w)
		return;
	p->wait = NULL;
	w->rcode = rcode;
	/* Pairs with the acquire in dvk_block_locked(). */
	smp_store_release(&w->done, true);
	wake_up_process(w->task);
}

/**
 * dvk_timeout() - a call's timeout argument in jiffies.
 * @ms: DVK_TIMEOUT_FOREVER (-1), DVK_TIMEOUT_NOWAIT (0) or milliseconds;
 *	anything beyond INT_MAX ms waits forever too.
 * @jiffies: set to the wait, MAX_SCHEDULE_TIMEOUT for ever.
 *
 * Return: 0, or EDVSBADVALUE for a negative value other than -1.
 */
int dvk_timeout(long ms, long *jiffies)
{
	if (ms < DVK_TIMEOUT_FOREVER)
		return EDVSBADVALUE;
	*jiffies = ms == DVK_TIMEOUT_FOREVER || ms > INT_MAX ? MAX_SCHEDULE_TIMEOUT :
		   (long)msecs_to_jiffies((unsigned int)ms);
	return 0;
}

/**
 * dvk_block_locked() - sleep until the call is completed, a signal arrives
 * or the timeout expires. dc->lock is held on entry and on return.
 * @dc: the caller's DC.
 * @p: the caller's slot.
 * @w: the wait object (its msg already set up by the caller).
 * @t: jiffies left (MAX_SCHEDULE_TIMEOUT for ever); updated.
 * @killable: only a fatal signal ends the wait.
 *
 * Return: w->rcode when the call was completed (w->done), else EDVSINTR
 * or EDVSTIMEDOUT, and the caller must then undo its queueing.
 */
int dvk_block_locked(struct dvk_dc *dc, struct dvk_proc *p, struct dvk_wait *w, long *t,
		     bool killable)
{
	w->task = current;
	w->done = false;
	p->wait = w;
	spin_unlock(&dc->lock);
	for (;;) {
		set_current_state(killable ? TASK_KILLABLE : TASK_INTERRUPTIBLE);
		/* Pairs with the release in dvk_wake_locked(): rcode is set first. */
		if (smp_load_acquire(&w->done) || !*t ||
		    (killable ? fatal_signal_pending(current) : signal_pending(current)))
			break;
		*t = schedule_timeout(*t);
	}
	__set_current_state(TASK_RUNNING);
	spin_lock(&dc->lock);
	if (w->done)
		return w->rcode;
	p->wait = NULL;
	return *t ? EDVSINTR : EDVSTIMEDOUT;
}

/**
 * dvk_ep_lookup_locked() - the slot an endpoint names.
 * @dc: the DC, locked.
 * @ep: the endpoint.
 * @pp: set to the slot on success.
 * @dead_err: the result when the slot is free (its process died).
 *
 * A bare slot number (generation 0) names whatever binding the slot has;
 * callers keep the slot's own p_endpoint, never @ep, from then on. A remote
 * slot registered by its number (rmtbind of a slot number: p_endpoint of
 * generation 0) stands for whatever binding that slot has on its node, so
 * any generation names it.
 *
 * Return: 0, EDVSRANGE (no such slot), @dead_err, or EDVSENDPOINT (a
 * stale endpoint: the slot is bound with another generation).
 */
int dvk_ep_lookup_locked(struct dvk_dc *dc, s32 ep, struct dvk_proc **pp, int dead_err)
{
	int nr = DVK_EP_NR(ep);
	struct dvk_proc *p;

	if (!dvk_ep_ok(dc, ep))
		return EDVSRANGE;
	p = dvk_slot(dc, nr);
	if (p->usr.p_rts_flags & DVK_SLOT_FREE)
		return dead_err;
	if (DVK_EP_GEN(ep) && DVK_EP_GEN(p->usr.p_endpoint) && p->usr.p_endpoint != ep)
		return EDVSENDPOINT;
	*pp = p;
	return 0;
}

/* Calls that may sleep holding the slot's wait and queue links. */
static bool dvk_call_blocks(int call)
{
	return call == DVK_SEND || call == DVK_RECEIVE || call == DVK_SENDREC ||
	       call == DVK_RCVRQST || call == DVK_VCOPY;
}

/*
 * Every IPC call starts here: the caller's slot, locked, after the checks
 * common to all calls. On success dc->lock is held and *dcp referenced.
 * A slot has one blocking call in progress at a time: threads sharing a
 * binding get EDVSBUSY while another of them is blocked (each thread may
 * bind a slot of its own with tbind instead); reply, notify and wakeup,
 * which never block, stay open to them.
 */
struct dvk_proc *dvk_ipc_enter(int call, struct dvk_dc **dcp, int *err)
{
	struct dvk_proc *p;
	struct dvk_dc *dc;

	*err = EDVSDVSINIT;
	if (!READ_ONCE(dvk_dvs.initialized))
		return NULL;
	*err = EDVSNOTBIND;
	p = dvk_caller(current, &dc);
	if (!p)
		return NULL;
	spin_lock(&dc->lock);
	if (!dvk_still_caller(p, current))
		*err = EDVSNOTBIND;
	else if (!dc->running)
		*err = EDVSDCNOTRUN;
	else if (!dvk_call_allowed(p, call))
		*err = EDVSBADCALL;
	else if (dvk_call_blocks(call) &&
		 (p->wait || (p->usr.p_rts_flags & (DVK_SENDING | DVK_RECEIVING | DVK_ONCOPY))))
		*err = EDVSBUSY;	/* another thread of the binding is in a call */
	else {
		*dcp = dc;
		return p;
	}
	spin_unlock(&dc->lock);
	dvk_dc_put(dc);
	return NULL;
}

long dvk_ipc_leave(struct dvk_dc *dc, long ret)
{
	spin_unlock(&dc->lock);
	dvk_dc_put(dc);
	return ret;
}

/* Would @dst take a message from @from right now? */
bool dvk_takes_from(const struct dvk_proc *dst, s32 from)
{
	u32 f = dst->usr.p_rts_flags;

	return (f & DVK_RECEIVING) && !(f & DVK_SENDING) &&
	       (dst->usr.p_getfrom == DVK_ANY || dst->usr.p_getfrom == from);
}

/* Hand @m to a receiver blocked in receive/sendrec; it returns 0. */
void dvk_deliver_locked(struct dvk_proc *dst, const struct dvk_message *m)
{
	dst->wait->msg = *m;
	dst->usr.p_rts_flags &= ~DVK_RECEIVING;
	dst->usr.p_getfrom = DVK_NONE;
	list_del_init(&dst->rcv_link);
	dvk_wake_locked(dst, 0);
}

/* Build the notify message from system index @idx to @p, clearing it. */
void dvk_build_notify_locked(struct dvk_proc *p, int idx, struct dvk_message *m)
{
	struct dvk_dc *dc = p->dc;
	struct dvk_proc *src = &dc->procs[idx];
	struct timespec64 ts;

	ktime_get_real_ts64(&ts);
	memset(m, 0, sizeof(*m));
	m->m_source = (src->usr.p_rts_flags & DVK_SLOT_FREE) ? src->usr.p_nr : src->usr.p_endpoint;
	m->m_type = DVK_NOTIFY_FROM(idx);
	m->m_u.m9.i1 = src->usr.p_nr;
	m->m_u.m9.l1 = p->notify_arg[idx];
	m->m_u.m9.sec = ts.tv_sec;
	m->m_u.m9.nsec = ts.tv_nsec;
	p->notify_arg[idx] = 0;
	clear_bit(idx, p->notify_pending);
	/* Every notify message built is handed to @p: by receive, or now. */
	trace_dvk_msg(dc, DVK_TRACE_NOTIFY, src, p, m);
}

/*
 * The bound slot @ep names, for a call made by @p: lookup errors as
 * dvk_ep_lookup_locked() with @dead_err, @self_err when it is @p itself
 * (a NULL @p allows that), @rmt_err when it is a remote registration
 * (0: remote slots are fine).
 */
static int dvk_peer_locked(struct dvk_dc *dc, struct dvk_proc *p, s32 ep, int dead_err,
			   int self_err, int rmt_err, struct dvk_proc **qp)
{
	struct dvk_proc *q;
	int ret = dvk_ep_lookup_locked(dc, ep, &q, dead_err);

	if (ret)
		return ret;
	if (q == p)
		return self_err;
	if (rmt_err && (q->usr.p_rts_flags & DVK_REMOTE))
		return rmt_err;
	*qp = q;
	return 0;
}

/* Validate a destination of send, sendrec or reply. */
static int dvk_dst_locked(struct dvk_dc *dc, struct dvk_proc *p, s32 ep, struct dvk_proc **dstp)
{
	struct dvk_proc *dst;
	int ret;

	if (ep == DVK_ANY || ep == DVK_NONE || ep == DVK_SELF)
		return EDVSBADDEST;
	ret = dvk_peer_locked(dc, p, ep, EDVSDSTDIED, EDVSBADDEST, 0, &dst);
	if (ret)
		return ret;
	if (!dvk_ipc_allowed(p, dst))
		return EDVSTRAPDENIED;
	*dstp = dst;
	return 0;
}

void dvk_undo_locked(struct dvk_proc *p)
{
	list_del_init(&p->send_link);
	list_del_init(&p->rcv_link);
	p->usr.p_rts_flags &= ~(DVK_SENDING | DVK_RECEIVING);
	p->usr.p_sendto = DVK_NONE;
	p->usr.p_getfrom = DVK_NONE;
}

/*
 * Would @p wait for ever sending to @dst? As MINIX's deadlock(): follow
 * whom each process waits for, from @dst on (a sender its destination, a
 * receiver its source); coming back to @p closes a cycle of any length.
 * A receiver taking from ANY ends the chain, and so does @dst receiving
 * from @p (that is the rendezvous). Only this node's view of remote slots
 * is seen. At most one step per slot. dc->lock held.
 */
static bool dvk_deadlock_locked(struct dvk_dc *dc, struct dvk_proc *p, struct dvk_proc *dst)
{
	int hops = dc->usr.dc_nr_tasks + dc->usr.dc_nr_procs;
	struct dvk_proc *xp = dst;
	s32 next;

	while (hops--) {
		u32 f = xp->usr.p_rts_flags;

		if (f & DVK_SENDING) {
			next = xp->usr.p_sendto;
		} else if (f & DVK_RECEIVING) {
			next = xp->usr.p_getfrom;
			if (next == DVK_ANY || (xp == dst && next == p->usr.p_endpoint))
				return false;
		} else {
			return false;
		}
		if (next == p->usr.p_endpoint)
			return true;
		if (dvk_ep_lookup_locked(dc, next, &xp, EDVSDSTDIED))
			return false;
	}
	return false;
}

/* send and sendrec; for sendrec @m receives the reply. */
static long dvk_do_send(int call, s32 dst_ep, struct dvk_message *m, long timeout_ms)
{
	bool rec = call == DVK_SENDREC;
	struct dvk_proc *p, *dst;
	struct dvk_wait w = { .no_notify = rec, .awaits_reply = rec };
	bool killable;
	struct dvk_dc *dc;
	unsigned long replay_until = 0;
	long t;
	int ret;

	ret = dvk_timeout(timeout_ms, &t);
	if (ret)
		return ret;
again:
	p = dvk_ipc_enter(call, &dc, &ret);
	if (!p)
		return ret;
	ret = dvk_dst_locked(dc, p, dst_ep, &dst);
	if (ret)
		return dvk_ipc_leave(dc, ret);
	if (dvk_migrating_locked(dst))
		goto migrating;
	if (dvk_deadlock_locked(dc, p, dst))
		return dvk_ipc_leave(dc, EDVSLOCKED);

	w.msg = *m;
	w.msg.m_source = p->usr.p_endpoint;
	if (dst->usr.p_rts_flags & DVK_REMOTE) {
		ret = dvk_rmt_send_locked(dc, p, dst, rec, &w.msg, &t);
		/* Refused before delivery by a node the endpoint is leaving. */
		if (ret == EDVSMIGRATE && dvk_migr_replay(&replay_until))
			goto migrating;
		if (rec && ret == 0)
			*m = w.msg;
		return dvk_ipc_leave(dc, ret);
	}
	if (!dvk_takes_from(dst, p->usr.p_endpoint)) {
		if (timeout_ms == DVK_TIMEOUT_NOWAIT)
			return dvk_ipc_leave(dc, EDVSAGAIN);
		p->usr.p_rts_flags |= DVK_SENDING | (rec ? DVK_RECEIVING : 0);
		p->usr.p_sendto = dst->usr.p_endpoint;
		if (rec)
			p->usr.p_getfrom = dst->usr.p_endpoint;
		list_add_tail(&p->send_link, &dst->senders);
	} else {
		dvk_deliver_locked(dst, &w.msg);
		trace_dvk_msg(dc, rec ? DVK_TRACE_SENDREC : DVK_TRACE_SEND, p, dst, &w.msg);
		p->usr.p_lclsent++;
		if (!rec)
			return dvk_ipc_leave(dc, 0);
		/* Delivered: now wait for the reply. */
		p->usr.p_rts_flags |= DVK_RECEIVING;
		p->usr.p_getfrom = dst->usr.p_endpoint;
		list_add_tail(&p->rcv_link, &dst->rcv_waiters);
		/* NOWAIT covers the send; once delivered, the reply is awaited. */
		if (timeout_ms == DVK_TIMEOUT_NOWAIT)
			t = MAX_SCHEDULE_TIMEOUT;
	}
	/*
	 * Once the server has the request, only a fatal signal or the timeout
	 * ends a sendrec: an interrupted one would be retried and the server
	 * would see the request twice. Other signals are handled on return.
	 */
	killable = rec && !(p->usr.p_rts_flags & DVK_SENDING);
	for (;;) {
		ret = dvk_block_locked(dc, p, &w, &t, killable);
		if (w.done || ret != EDVSINTR || !rec || killable ||
		    (p->usr.p_rts_flags & DVK_SENDING) || fatal_signal_pending(current))
			break;
		killable = true;	/* the request was taken while we slept */
	}
	if (!w.done)
		dvk_undo_locked(p);
	else if (rec && ret == 0)
		*m = w.msg;
	return dvk_ipc_leave(dc, ret);

migrating:
	/* The destination migrates: wait for its new place, then call again. */
	ret = dvk_migr_wait(dc, dst, &t);
	dvk_dc_put(dc);
	if (ret)
		return ret;
	goto again;
}

/**
 * dvk_send() - send a message and wait until the receiver has taken it.
 * @dst_ep: the destination endpoint.
 * @m: the message (kernel copy); m_source is set by the DVK.
 * @timeout_ms: DVK_TIMEOUT_FOREVER, DVK_TIMEOUT_NOWAIT or milliseconds.
 *
 * Return: 0, or EDVSDVSINIT, EDVSNOTBIND, EDVSDCNOTRUN, EDVSBADCALL,
 * EDVSBADDEST (ANY, NONE, SELF or itself), EDVSRANGE, EDVSENDPOINT,
 * EDVSDSTDIED, EDVSNOPROXY, EDVSTRAPDENIED, EDVSLOCKED, EDVSAGAIN,
 * EDVSTIMEDOUT, EDVSINTR.
 */
long dvk_send(s32 dst_ep, const struct dvk_message *m, long timeout_ms)
{
	struct dvk_message tmp = *m;

	return dvk_do_send(DVK_SEND, dst_ep, &tmp, timeout_ms);
}
EXPORT_SYMBOL_GPL(dvk_send);

/**
 * dvk_sendrec() - send a request and wait for the reply, in one call.
 * @ep: the server's endpoint.
 * @m: the request on entry, the reply on success.
 * @timeout_ms: as for dvk_send(), covering request and reply; with
 *	DVK_TIMEOUT_NOWAIT it fails with EDVSAGAIN unless the server is
 *	receiving, and once the request is delivered waits for the reply.
 *
 * Return: as dvk_send(), plus EDVSSRCDIED when the server dies before it
 * replies.
 */
long dvk_sendrec(s32 ep, struct dvk_message *m, long timeout_ms)
{
	return dvk_do_send(DVK_SENDREC, ep, m, timeout_ms);
}
EXPORT_SYMBOL_GPL(dvk_sendrec);

/* receive and rcvrqst: @requests_only skips notifications. */
static long dvk_do_receive(int call, s32 src_ep, struct dvk_message *m, long timeout_ms)
{
	struct dvk_proc *p, *src = NULL, *q;
	struct dvk_wait w = { .no_notify = call == DVK_RCVRQST };
	struct dvk_dc *dc;
	long t;
	int ret, idx;

	ret = dvk_timeout(timeout_ms, &t);
	if (ret)
		return ret;
	p = dvk_ipc_enter(call, &dc, &ret);
	if (!p)
		return ret;
	if (src_ep != DVK_ANY) {
		if (src_ep == DVK_NONE || src_ep == DVK_SELF)
			return dvk_ipc_leave(dc, EDVSENDPOINT);
		ret = dvk_peer_locked(dc, p, src_ep, EDVSSRCDIED, EDVSENDPOINT, 0, &src);
		if (ret)
			return dvk_ipc_leave(dc, ret);
	} else if (p->usr.p_misc_flags & DVK_MIS_WOKENUP) {
		p->usr.p_misc_flags &= ~DVK_MIS_WOKENUP;
		return dvk_ipc_leave(dc, EDVSWOKENUP);
	}

	/* Pending notifications first, from the requested source only. */
	if (call == DVK_RECEIVE) {
		idx = -1;
		if (!src)
			idx = find_first_bit(p->notify_pending, dc->usr.dc_nr_sysprocs);
		else if (dvk_is_sysproc(dc, src->usr.p_nr))
			idx = src->usr.p_nr + dc->usr.dc_nr_tasks;
		if (idx >= 0 && idx < dc->usr.dc_nr_sysprocs && test_bit(idx, p->notify_pending)) {
			dvk_build_notify_locked(p, idx, m);
			return dvk_ipc_leave(dc, 0);
		}
	}

	list_for_each_entry(q, &p->senders, send_link) {
		if (src && q != src)
			continue;
		list_del_init(&q->send_link);
		q->usr.p_rts_flags &= ~DVK_SENDING;
		q->usr.p_sendto = DVK_NONE;
		if (q->usr.p_rts_flags & DVK_REMOTE) {	/* through the proxies */
			*m = q->rmsg->msg;
			dvk_rmt_taken_locked(q);
		} else {
			*m = q->wait->msg;
			q->usr.p_lclsent++;
		}
		trace_dvk_msg(dc, q->usr.p_rts_flags & DVK_RECEIVING ? DVK_TRACE_SENDREC :
			      DVK_TRACE_SEND, q, p, m);
		if (q->usr.p_rts_flags & DVK_RECEIVING)	/* sendrec: awaits our reply */
			list_add_tail(&q->rcv_link, &p->rcv_waiters);
		else
			dvk_wake_locked(q, 0);
		return dvk_ipc_leave(dc, 0);
	}

	if (timeout_ms == DVK_TIMEOUT_NOWAIT)
		return dvk_ipc_leave(dc, EDVSAGAIN);
	p->usr.p_rts_flags |= DVK_RECEIVING;
	p->usr.p_getfrom = src ? src->usr.p_endpoint : DVK_ANY;
	if (src)
		list_add_tail(&p->rcv_link, &src->rcv_waiters);
	ret = dvk_block_locked(dc, p, &w, &t, false);
	if (!w.done)
		dvk_undo_locked(p);
	else if (ret == 0)
		*m = w.msg;
	return dvk_ipc_leave(dc, ret);
}

/**
 * dvk_receive() - wait for a message from one endpoint or from DVK_ANY.
 * @src_ep: the source endpoint, or DVK_ANY.
 * @m: the message, on success.
 * @timeout_ms: DVK_TIMEOUT_FOREVER, DVK_TIMEOUT_NOWAIT or milliseconds.
 *
 * A pending notification from the source (from any system slot for ANY)
 * comes first, then the oldest queued sender.
 *
 * Return: 0, or EDVSDVSINIT, EDVSNOTBIND, EDVSDCNOTRUN, EDVSBADCALL,
 * EDVSENDPOINT (NONE, SELF, itself, stale), EDVSRANGE, EDVSSRCDIED,
 * EDVSNOPROXY, EDVSWOKENUP, EDVSAGAIN, EDVSTIMEDOUT, EDVSINTR.
 */
long dvk_receive(s32 src_ep, struct dvk_message *m, long timeout_ms)
{
	return dvk_do_receive(DVK_RECEIVE, src_ep, m, timeout_ms);
}
EXPORT_SYMBOL_GPL(dvk_receive);

/**
 * dvk_rcvrqst() - a server's receive of the next request (from ANY;
 * notifications stay pending).
 * @m: the request, on success.
 * @timeout_ms: as for dvk_receive().
 *
 * Return: as dvk_receive().
 */
long dvk_rcvrqst(struct dvk_message *m, long timeout_ms)
{
	return dvk_do_receive(DVK_RCVRQST, DVK_ANY, m, timeout_ms);
}
EXPORT_SYMBOL_GPL(dvk_rcvrqst);

/**
 * dvk_reply() - answer a client blocked in sendrec with us. Never blocks:
 * a remote client's reply is queued for the proxy (a failure to deliver
 * it ends that client's sendrec on its own node).
 * @dst_ep: the client.
 * @m: the reply (kernel copy).
 * @timeout_ms: checked as for the other calls, otherwise unused (kept in
 *	the call for the original's interface).
 *
 * Return: 0, EDVSPROCSTS (the client is not waiting for our reply in a
 * sendrec: a receive from us is not, nor is a later call after its sendrec
 * timed out), or the destination errors of dvk_send().
 */
long dvk_reply(s32 dst_ep, const struct dvk_message *m, long timeout_ms)
{
	struct dvk_proc *p, *dst;
	struct dvk_message r;
	struct dvk_dc *dc;
	int ret;
	long t;

	if (dvk_timeout(timeout_ms, &t))
		return EDVSBADVALUE;
	p = dvk_ipc_enter(DVK_REPLY, &dc, &ret);
	if (!p)
		return ret;
	ret = dvk_dst_locked(dc, p, dst_ep, &dst);
	if (ret)
		return dvk_ipc_leave(dc, ret);
	r = *m;
	r.m_source = p->usr.p_endpoint;
	if (dst->usr.p_rts_flags & DVK_REMOTE)
		return dvk_ipc_leave(dc, dvk_rmt_reply_locked(dc, p, dst, &r));
	/*
	 * Only a sendrec waiting for us: a receive from us is not one, and a
	 * late reply to a sendrec that timed out must not answer it.
	 */
	if (!dvk_takes_from(dst, p->usr.p_endpoint) || dst->usr.p_getfrom != p->usr.p_endpoint ||
	    !dst->wait || !dst->wait->awaits_reply)
		return dvk_ipc_leave(dc, EDVSPROCSTS);
	p->usr.p_lclsent++;
	dvk_deliver_locked(dst, &r);
	trace_dvk_msg(dc, DVK_TRACE_REPLY, p, dst, &r);
	return dvk_ipc_leave(dc, 0);
}
EXPORT_SYMBOL_GPL(dvk_reply);

/* Post a notification from system index @idx to @dst; dc->lock held. */
void dvk_notify_locked(struct dvk_proc *dst, int idx, s32 src_ep, int value)
{
	struct dvk_message m;

	if (value >= 0)
		dst->notify_arg[idx] |= BIT_ULL(value);
	set_bit(idx, dst->notify_pending);
	/* A receiver waiting for this source (or ANY) takes it now. */
	if (dvk_takes_from(dst, src_ep) && !dst->wait->no_notify) {
		dvk_build_notify_locked(dst, idx, &m);
		dvk_deliver_locked(dst, &m);
	}
}

/**
 * dvk_notify() - post a non-blocking notification to a system slot.
 * @src_nr: DVK_SELF (the caller), or DVK_HARDWARE for an "interrupt" from
 *	    a root process that need not be bound; @value is then the DC id.
 * @dst_ep: the destination, a system slot.
 * @value: -1, or a bit number 0..63 OR-ed into the notify message's
 *	   m9.l1; repeated notifications coalesce until received.
 *
 * Return: 0, or EDVSBADSRCDST (src_nr), EDVSBADVALUE, EDVSTRAPDENIED
 * (destination not a system slot, or not allowed), the destination
 * errors of dvk_send(), EDVSPERM (hardware notify without CAP_SYS_ADMIN).
 */
long dvk_notify(int src_nr, s32 dst_ep, int value)
{
	struct dvk_proc *p, *dst;
	struct dvk_dc *dc;
	int ret;

	if (src_nr == DVK_HARDWARE) {
		if (!capable(CAP_SYS_ADMIN))
			return EDVSPERM;
		ret = dvk_dc_find(value, false, &dc);
		if (ret)
			return ret;
		spin_lock(&dc->lock);
		ret = dvk_peer_locked(dc, NULL, dst_ep, EDVSDSTDIED, 0, EDVSNOPROXY, &dst);
		if (!ret && !dvk_is_sysproc(dc, dst->usr.p_nr))
			ret = EDVSTRAPDENIED;
		if (!ret)
			dvk_notify_locked(dst, DVK_HARDWARE + dc->usr.dc_nr_tasks, DVK_HARDWARE, -1);
		return dvk_ipc_leave(dc, ret);
	}

	if (value < -1 || value > 63)
		return EDVSBADVALUE;
	p = dvk_ipc_enter(DVK_NOTIFY, &dc, &ret);
	if (!p)
		return ret;
	if (src_nr != DVK_SELF && src_nr != p->usr.p_nr)
		return dvk_ipc_leave(dc, EDVSBADSRCDST);
	if (!dvk_is_sysproc(dc, p->usr.p_nr))
		return dvk_ipc_leave(dc, EDVSBADCALL);
	if (dst_ep == DVK_SELF)
		dst_ep = p->usr.p_endpoint;
	if (dst_ep == DVK_ANY || dst_ep == DVK_NONE)
		return dvk_ipc_leave(dc, EDVSBADDEST);
	ret = dvk_peer_locked(dc, NULL, dst_ep, EDVSDSTDIED, 0, 0, &dst);
	if (ret)
		return dvk_ipc_leave(dc, ret);
	if (!dvk_is_sysproc(dc, dst->usr.p_nr) || !dvk_ipc_allowed(p, dst))
		return dvk_ipc_leave(dc, EDVSTRAPDENIED);
	if (dst->usr.p_rts_flags & DVK_REMOTE)
		return dvk_ipc_leave(dc, dvk_rmt_notify_locked(dc, p, dst, value));
	p->usr.p_lclsent++;
	dvk_notify_locked(dst, p->usr.p_nr + dc->usr.dc_nr_tasks, p->usr.p_endpoint, value);
	return dvk_ipc_leave(dc, 0);
}
EXPORT_SYMBOL_GPL(dvk_notify);

/**
 * dvk_wakeup() - make a process blocked in receive(ANY) or rcvrqst return
 * EDVSWOKENUP; if it is not blocked so, its next such call will.
 * @dcid: the caller's DC; for an unbound caller with CAP_SYS_ADMIN (the
 *	original's "wakeup from root"), any running DC.
 * @ep: the process to wake.
 *
 * Return: 0 when it was woken, EDVSPROCRUN when the wakeup was left
 * pending, or EDVSBADDCID (out of range, or not the caller's DC),
 * EDVSDCNOTRUN, EDVSNOTBIND (an unbound caller without CAP_SYS_ADMIN),
 * EDVSBADPROC (itself), EDVSRMTPROC, the lookup errors.
 */
long dvk_wakeup(int dcid, s32 ep)
{
	struct dvk_proc *p, *t;
	struct dvk_dc *dc;
	int ret;

	ret = dvk_dc_find(dcid, false, &dc);
	if (ret)
		return ret;
	dvk_dc_put(dc);
	p = dvk_ipc_enter(DVK_WAKEUPEP, &dc, &ret);
	if (!p) {
		/* An administrator wakes a process unbound, as in the original. */
		if (ret != EDVSNOTBIND || !capable(CAP_SYS_ADMIN))
			return ret;
		ret = dvk_dc_find(dcid, false, &dc);
		if (ret)
			return ret;
		spin_lock(&dc->lock);
	} else if (dcid != dc->usr.dc_dcid) {
		return dvk_ipc_leave(dc, EDVSBADDCID);
	}
	ret = dvk_peer_locked(dc, p, ep, EDVSNOTBIND, EDVSBADPROC, EDVSRMTPROC, &t);
	if (ret)
		return dvk_ipc_leave(dc, ret);
	if ((t->usr.p_rts_flags & DVK_RECEIVING) && !(t->usr.p_rts_flags & DVK_SENDING) &&
	    t->usr.p_getfrom == DVK_ANY) {
		t->usr.p_rts_flags &= ~DVK_RECEIVING;
		t->usr.p_getfrom = DVK_NONE;
		dvk_wake_locked(t, EDVSWOKENUP);
		return dvk_ipc_leave(dc, 0);
	}
	t->usr.p_misc_flags |= DVK_MIS_WOKENUP;
	return dvk_ipc_leave(dc, EDVSPROCRUN);
}
EXPORT_SYMBOL_GPL(dvk_wakeup);
