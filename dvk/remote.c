// SPDX-License-Identifier: GPL-2.0
/*
 * IPC with endpoints on other nodes, through the proxies.
 *
 * A local caller's remote send or sendrec becomes a struct dvk_rcmd on
 * its own stack, queued on the pair that serves the remote node; the
 * caller blocks as for a local call. A reply or notify is queued in a
 * command of its own and never blocks, as locally. The sender proxy takes
 * commands with get2rmt; the receiver proxy hands the other node's
 * commands in with put2lcl, which plays them against the local slots:
 *
 *   SEND_MSG    delivered (or queued) to the destination through the
 *               remote sender's slot here; SEND_ACK once it is taken;
 *   SNDREC_MSG  the same; the answer is the destination's REPLY_MSG, or a
 *               SNDREC_ACK carrying an error;
 *   REPLY_MSG   completes the local sendrec whose id it carries; acknowledged
 *               only if refused;
 *   NTFY_MSG    posts a notification; no acknowledgement;
 *   COPY*       remote vcopy (rcopy.c);
 *   *_ACK       completes the local call with that transaction id (c_id).
 *
 * Every rejected request is answered with its acknowledgement carrying the
 * error, so the remote caller never waits for nothing. Losing a link or a
 * node wakes every local caller waiting on it (dvk_rmt_flush()).
 *
 * Trust (docs/abi.md, "Trust between nodes"): a command from node N acts
 * only as an endpoint registered here as N's, in a DC N is a member of
 * here, with the rights recorded here for it, checked as for a local call.
 * A sender unknown here is registered on the fly (autobind) only in a user
 * slot, with user rights, within a per-node quota (dvk.autobind_quota) that
 * always leaves a quarter of the DC's user slots to local binds; a node's
 * autobound slots are released when its link goes down. The answers queued
 * towards a node are bounded (DVK_RMT_QUEUE_MAX): a node that stops
 * reading them loses its link.
 *
 * Locking: dc->lock, then dvk_net_lock for the pairs' queues. An owned
 * command leaves its queue (under dvk_net_lock) before its caller returns.
 */
#include <linux/export.h>
#include <linux/moduleparam.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <dvk/dvk_kernel.h>
#include "dvk_internal.h"
#include "dvk_trace.h"

static atomic64_t dvk_rmt_ids = ATOMIC64_INIT(0);

/*
 * dvk.ko's autobind_quota; a built-in core's is dvkipc.autobind_quota (a
 * built-in "dvk." prefix would take /sys/module/dvk from the ioctl door's
 * module).
 */
#ifndef MODULE
#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "dvkipc."
#endif
unsigned int dvk_autobind_quota = 32;
module_param_named(autobind_quota, dvk_autobind_quota, uint, 0644);
MODULE_PARM_DESC(autobind_quota,
		 "slots a remote node's unknown endpoints may take on the fly, per node and DC (default 32)");

/* A new transaction id, echoed by the answers to the command. */
u64 dvk_rmt_new_id(void)
{
	return atomic64_inc_return(&dvk_rmt_ids);
}

/* struct dvk_rmsg objects alive: /proc/dvs/info's rmsgs, for the tests' leak checks. */
static atomic_t dvk_rmsgs_live = ATOMIC_INIT(0);

/* A zeroed remote message or answer; @gfp as for kzalloc(). */
struct dvk_rmsg *dvk_rmsg_alloc(gfp_t gfp)
{
	struct dvk_rmsg *rm = kzalloc(sizeof(*rm), gfp);

	if (rm)
		atomic_inc(&dvk_rmsgs_live);
	return rm;
}

/* Free @rm (NULL is fine). */
void dvk_rmsg_free(struct dvk_rmsg *rm)
{
	if (rm) {
		atomic_dec(&dvk_rmsgs_live);
		kfree(rm);
	}
}

int dvk_rmsgs(void)
{
	return atomic_read(&dvk_rmsgs_live);
}

/*
 * Free a command nobody owns (an rmsg's ack, or a copy stream). Safe under
 * spinlocks: a stream's memory reference is dropped asynchronously.
 */
void dvk_rmt_free(struct dvk_rcmd *rc)
{
	if (rc->mm)
		mmput_async(rc->mm);
	kfree(rc->data);
	dvk_rmsg_free(container_of(rc, struct dvk_rmsg, ack));
}

/*
 * The pair that carries commands to @nodeid for DC @dc, or an error:
 * EDVSNOPROXY (not attached), EDVSNODCNODE (not in the DC), EDVSNOTCONN
 * (its link is not up both ways: a request whose answer cannot come back
 * is not sent). dc->lock held.
 */
int dvk_rmt_route_locked(struct dvk_dc *dc, int nodeid, int *pxid)
{
	int ret = 0;

	if (nodeid < 0 || nodeid >= DVK_MAX_NODES)
		return EDVSBADNODEID;
	spin_lock(&dvk_net_lock);
	if (!(dvk_nodes[nodeid].usr.n_flags & DVK_NODE_ATTACHED))
		ret = EDVSNOPROXY;
	else if (!(dc->usr.dc_nodes & BIT(nodeid)))
		ret = EDVSNODCNODE;
	else if ((dvk_nodes[nodeid].usr.n_flags & (DVK_NODE_SCONNECTED | DVK_NODE_RCONNECTED)) !=
		 (DVK_NODE_SCONNECTED | DVK_NODE_RCONNECTED))
		ret = EDVSNOTCONN;
	else
		*pxid = dvk_nodes[nodeid].pxid;
	spin_unlock(&dvk_net_lock);
	return ret;
}

/* The payload bytes a queued command holds in kernel memory (a relayed chunk). */
static unsigned long dvk_rcmd_bytes(const struct dvk_rcmd *rc)
{
	return rc->data ? rc->cmd.c_len : 0;
}

/*
 * Pair @px's queue is full of answers its peer does not take: take the
 * link down now (both ways, the queue dropped); the callers waiting on its
 * nodes are woken, and their autobound slots released, by its drop_work.
 * dvk_net_lock held.
 */
static void dvk_rmt_overflow_locked(struct dvk_pair *px, int nodeid)
{
	dvk_refused(nodeid, DVK_RF_QUEUE);
	px->usr.px_flags &= ~(DVK_PX_SCONNECTED | DVK_PX_RCONNECTED);
	dvk_pair_sync_nodes_locked(px);
	dvk_rmt_drop_queue_locked(px);
	wake_up_all(&px->wq);
	queue_work(dvk_wq, &px->drop_work);
}

/*
 * Queue @rc on pair @pxid and wake its sender proxy; dvk_net_lock held.
 * The route is checked again under the lock: the link may have gone
 * since dvk_rmt_route_locked(). A command nobody waits for counts against
 * the pair's bound; overflowing it takes the link down.
 * Return: 0, EDVSNOTCONN, or EDVSNOSPC (the queue was full: the link is down).
 */
int dvk_rmt_queue_net_locked(struct dvk_rcmd *rc, int pxid)
{
	struct dvk_pair *px = &dvk_pairs[pxid];
	struct dvk_node *n = &dvk_nodes[rc->cmd.c_dnode];
	unsigned long bytes = dvk_rcmd_bytes(rc);

	if (!(px->usr.px_flags & DVK_PX_SCONNECTED) || n->pxid != pxid ||
	    !(n->usr.n_flags & DVK_NODE_ATTACHED))
		return EDVSNOTCONN;
	if (!rc->owned) {
		if (px->nanswers >= DVK_RMT_QUEUE_MAX ||
		    px->nbytes + bytes > DVK_RMT_QUEUE_BYTES) {
			dvk_rmt_overflow_locked(px, rc->cmd.c_dnode);
			return EDVSNOSPC;
		}
		px->nanswers++;
		px->nbytes += bytes;
	}
	rc->queued = true;
	rc->px = px;
	list_add_tail(&rc->link, &px->outq);
	wake_up(&px->wq);
	return 0;
}

/* Take @rc off its queue if it is still there; dvk_net_lock held. */
static void dvk_rmt_unqueue_net_locked(struct dvk_rcmd *rc)
{
	if (rc->queued) {
		list_del_init(&rc->link);
		rc->queued = false;
		if (!rc->owned) {
			rc->px->nanswers--;
			rc->px->nbytes -= dvk_rcmd_bytes(rc);
		}
	}
}

/* A command header from this node, in DC @dc, to @dnode. */
void dvk_rmt_cmd(struct dvk_cmd *c, struct dvk_dc *dc, u32 code, s32 src, s32 dst,
			int dnode, u64 id)
{
	memset(c, 0, sizeof(*c));
	c->c_cmd = code;
	c->c_dcid = dc->usr.dc_dcid;
	c->c_src = src;
	c->c_dst = dst;
	c->c_snode = dvk_dvs.usr.d_nodeid;
	c->c_dnode = dnode;
	c->c_id = id;
}

/*
 * Send the acknowledgement @rm carries for request @req (as received) with
 * result @rcode; @rm then belongs to the queue, or is freed if the node
 * cannot be reached. NTFY_MSG has no acknowledgement. dc->lock held.
 */
static void dvk_rmt_ack_locked(struct dvk_dc *dc, struct dvk_rmsg *rm, const struct dvk_cmd *c,
			       int rcode)
{
	struct dvk_cmd req = *c;	/* @c may be @rm's own copy of the request */
	int pxid, dropped;

	if (req.c_cmd == DVK_CMD_NTFY_MSG || dvk_rmt_route_locked(dc, req.c_snode, &pxid)) {
		dvk_rmsg_free(rm);
		return;
	}
	dvk_rmt_cmd(&rm->ack.cmd, dc, req.c_cmd | DVK_CMD_ACK, req.c_dst, req.c_src,
		    req.c_snode, req.c_id);
	rm->ack.cmd.c_rcode = rcode;
	rm->ack.owned = false;
	spin_lock(&dvk_net_lock);
	dropped = dvk_rmt_queue_net_locked(&rm->ack, pxid);
	spin_unlock(&dvk_net_lock);
	if (dropped)
		dvk_rmsg_free(rm);	/* the link went meanwhile: nobody to tell */
}

/*
 * Remote slot @q's queued message was taken by a local receive: a send is
 * acknowledged now; a sendrec now waits for the receiver's reply.
 */
void dvk_rmt_taken_locked(struct dvk_proc *q)
{
	struct dvk_rmsg *rm = q->rmsg;

	if (!(q->usr.p_rts_flags & DVK_RECEIVING)) {
		q->rmsg = NULL;
		dvk_rmt_ack_locked(q->dc, rm, &rm->ack.cmd, 0);
	}
	/* For a sendrec, rm stays: its error ack if the receiver dies first. */
}

/*
 * Cancel what @p has to do with remote calls, as it is unbound: its own
 * call's command leaves the queue; a remote slot's pending message is
 * dropped, and its remote caller told @why. Called by dvk_unbind_locked()
 * before it wakes anyone.
 */
void dvk_rmt_unbind_locked(struct dvk_proc *p, int why)
{
	dvk_rmt_peer_gone_locked(p, why);
	if (p->rcmd) {
		spin_lock(&dvk_net_lock);
		dvk_rmt_unqueue_net_locked(p->rcmd);
		spin_unlock(&dvk_net_lock);
		list_del_init(&p->rmt_link);
		p->rcmd = NULL;
	}
	dvk_rmsg_free(p->rmsg);
	p->rmsg = NULL;
}

/*
 * Remote slot @q waited on local slot @p, which is going away: its remote
 * caller gets the error now (dvk_unbind_locked() on @p's queues).
 */
void dvk_rmt_peer_gone_locked(struct dvk_proc *q, int err)
{
	struct dvk_rmsg *rm = q->rmsg;

	if (!rm)
		return;
	q->rmsg = NULL;
	dvk_rmt_ack_locked(q->dc, rm, &rm->ack.cmd, err);
}

/* Leave a remote call: the command off its queue, the slot off the list. */
void dvk_rmt_leave_locked(struct dvk_proc *p, struct dvk_rcmd *rc)
{
	spin_lock(&dvk_net_lock);
	dvk_rmt_unqueue_net_locked(rc);
	spin_unlock(&dvk_net_lock);
	if (p->rcmd == rc) {
		list_del_init(&p->rmt_link);
		p->rcmd = NULL;
	}
}

/*
 * Queue @rc (filled in) for node @dnode through @pxid and block until its
 * answer: an ack, or for a sendrec the reply. Before the proxy takes the
 * command any signal cancels it; after, a sendrec only ends for a fatal
 * signal or the timeout (the other node may be serving it already). A
 * copy's timeout runs from its last acknowledgement.
 */
int dvk_rmt_call_locked(struct dvk_dc *dc, struct dvk_proc *p, struct dvk_rcmd *rc,
			struct dvk_wait *w, int pxid, bool rec, long *t, bool *unsent)
{
	bool killable = false, cancelled = false;
	long period = *t;
	int ret;

	rc->owned = true;
	rc->nodes |= BIT(rc->cmd.c_dnode);
	spin_lock(&dvk_net_lock);
	ret = dvk_rmt_queue_net_locked(rc, pxid);
	spin_unlock(&dvk_net_lock);
	*unsent = true;
	if (ret)
		return ret;
	p->rcmd = rc;
	list_add_tail(&p->rmt_link, &dc->rmt_waiters);
	for (;;) {
		ret = dvk_block_locked(dc, p, w, t, killable);
		if (!w->done && ret == EDVSTIMEDOUT && READ_ONCE(rc->progress)) {
			WRITE_ONCE(rc->progress, false);
			*t = period;
			continue;
		}
		if (w->done || ret != EDVSINTR || !rec || killable || fatal_signal_pending(current))
			break;
		/* Not sent yet: cancel it, in one step with the test. */
		spin_lock(&dvk_net_lock);
		cancelled = rc->queued;
		dvk_rmt_unqueue_net_locked(rc);
		spin_unlock(&dvk_net_lock);
		if (cancelled)
			break;
		killable = true;
	}
	spin_lock(&dvk_net_lock);
	*unsent = cancelled || rc->queued;
	spin_unlock(&dvk_net_lock);
	dvk_rmt_leave_locked(p, rc);
	return ret;
}

/**
 * dvk_rmt_send_locked() - send or sendrec from local @p to remote @dst.
 * @dc: the DC, locked.
 * @p: the caller's slot.
 * @dst: a remote slot.
 * @rec: sendrec (else send).
 * @m: the message (m_source set); for sendrec the reply on success.
 * @t: the timeout in jiffies; a remote send cannot be NOWAIT (EDVSAGAIN).
 *
 * Return: as the local calls, plus EDVSNOPROXY, EDVSNODCNODE, EDVSNOTCONN
 * (the link went down meanwhile) and whatever the other node answered.
 */
long dvk_rmt_send_locked(struct dvk_dc *dc, struct dvk_proc *p, struct dvk_proc *dst, bool rec,
			 struct dvk_message *m, long *t)
{
	struct dvk_wait w = { .no_notify = rec };
	struct dvk_rcmd rc = {};
	bool unsent;
	int pxid, ret;

	ret = dvk_rmt_route_locked(dc, dst->usr.p_nodeid, &pxid);
	if (ret)
		return ret;
	if (!*t)
		return EDVSAGAIN;
	dvk_rmt_cmd(&rc.cmd, dc, rec ? DVK_CMD_SNDREC_MSG : DVK_CMD_SEND_MSG, p->usr.p_endpoint,
		    dst->usr.p_endpoint, dst->usr.p_nodeid, dvk_rmt_new_id());
	rc.cmd.c_msg = *m;
	p->usr.p_rts_flags |= DVK_SENDING | (rec ? DVK_RECEIVING : 0);
	p->usr.p_sendto = dst->usr.p_endpoint;
	if (rec)
		p->usr.p_getfrom = dst->usr.p_endpoint;
	ret = dvk_rmt_call_locked(dc, p, &rc, &w, pxid, rec, t, &unsent);
	if (!w.done)
		dvk_undo_locked(p);
	else if (rec && ret == 0)
		*m = w.msg;
	if (w.done && ret == 0)
		p->usr.p_rmtsent++;
	return ret;
}

/**
 * dvk_rmt_reply_locked() - reply from local @p to remote @dst. Like a local
 * reply it never blocks: the reply is queued for the proxy and the call
 * returns. If it cannot be delivered (the client went, the link broke),
 * the client's own node ends the client's sendrec with the error.
 * @dc: the DC, locked.
 * @p: the caller's slot.
 * @dst: a remote slot whose sendrec to @p is awaiting the reply.
 * @m: the reply (m_source set).
 *
 * Return: 0, EDVSPROCSTS (@dst is not waiting for @p), or the route errors
 * of dvk_rmt_send_locked().
 */
long dvk_rmt_reply_locked(struct dvk_dc *dc, struct dvk_proc *p, struct dvk_proc *dst,
			  const struct dvk_message *m)
{
	struct dvk_rmsg *rm;
	struct dvk_cmd req;
	int pxid, ret;

	if (!(dst->usr.p_rts_flags & DVK_RECEIVING) || (dst->usr.p_rts_flags & DVK_SENDING) ||
	    dst->usr.p_getfrom != p->usr.p_endpoint)
		return EDVSPROCSTS;
	ret = dvk_rmt_route_locked(dc, dst->usr.p_nodeid, &pxid);
	if (ret)
		return ret;
	/*
	 * The request's record, kept for an error ack, carries the reply now,
	 * with the request's id: the client takes only the reply to its call.
	 */
	rm = dst->rmsg;
	if (!rm)
		return EDVSPROCSTS;
	req = rm->ack.cmd;
	dvk_rmt_cmd(&rm->ack.cmd, dc, DVK_CMD_REPLY_MSG, p->usr.p_endpoint, dst->usr.p_endpoint,
		    dst->usr.p_nodeid, req.c_id);
	rm->ack.cmd.c_msg = *m;
	rm->ack.owned = false;
	spin_lock(&dvk_net_lock);
	ret = dvk_rmt_queue_net_locked(&rm->ack, pxid);
	spin_unlock(&dvk_net_lock);
	if (ret) {
		rm->ack.cmd = req;	/* @dst still waits: the reply may be repeated */
		return ret;
	}
	dst->rmsg = NULL;
	dvk_undo_locked(dst);
	p->usr.p_rmtsent++;
	return 0;
}

/**
 * dvk_rmt_notify_locked() - post a notification from local @p to remote
 * @dst. Does not wait: the command is queued and the call returns.
 * @dc: the DC, locked.
 * @p: the caller's (system) slot.
 * @dst: a remote slot.
 * @value: as for dvk_notify().
 *
 * Return: 0, EDVSNOMEM, or the route errors of dvk_rmt_send_locked().
 */
long dvk_rmt_notify_locked(struct dvk_dc *dc, struct dvk_proc *p, struct dvk_proc *dst, int value)
{
	struct dvk_rmsg *rm;
	int pxid, ret;

	ret = dvk_rmt_route_locked(dc, dst->usr.p_nodeid, &pxid);
	if (ret)
		return ret;
	rm = dvk_rmsg_alloc(GFP_ATOMIC);
	if (!rm)
		return EDVSNOMEM;
	dvk_rmt_cmd(&rm->ack.cmd, dc, DVK_CMD_NTFY_MSG, p->usr.p_endpoint, dst->usr.p_endpoint,
		    dst->usr.p_nodeid, dvk_rmt_new_id());
	rm->ack.cmd.c_rcode = value;
	rm->ack.owned = false;
	spin_lock(&dvk_net_lock);
	ret = dvk_rmt_queue_net_locked(&rm->ack, pxid);
	spin_unlock(&dvk_net_lock);
	if (ret) {
		dvk_rmsg_free(rm);
		return ret;
	}
	p->usr.p_rmtsent++;
	return 0;
}

/**
 * dvk_rmt_flush() - wake every local caller waiting on a call to one of
 * @nodes with @err (a link or node went down).
 * @nodes: one bit per node.
 * @err: EDVSNOTCONN for a lost link, EDVSNODEFREE for a detached node.
 */
void dvk_rmt_flush(u32 nodes, int err)
{
	int i;

	for (i = 0; i < DVK_MAX_DCS && nodes; i++) {
		struct dvk_dc *dc = dvk_dc_get(i);

		if (!dc)
			continue;
		spin_lock(&dc->lock);
		dvk_rmt_flush_dc_locked(dc, nodes, err);
		spin_unlock(&dc->lock);
		dvk_dc_put(dc);
	}
}

/* dvk_rmt_flush() for one DC; dc->lock held. */
void dvk_rmt_flush_dc_locked(struct dvk_dc *dc, u32 nodes, int err)
{
	struct dvk_proc *p, *tmp;

	list_for_each_entry_safe(p, tmp, &dc->rmt_waiters, rmt_link) {
		if (!(nodes & p->rcmd->nodes))
			continue;
		dvk_rmt_leave_locked(p, p->rcmd);
		dvk_undo_locked(p);
		dvk_wake_locked(p, err);
	}
}

/*
 * Drop a pair's queue when its link or its proxies go: acknowledgements,
 * notifications and copy streams are freed; callers' own commands (and
 * streams) are only unlinked (their callers, now killable only, are woken
 * by the dvk_rmt_flush() that follows). dvk_net_lock held.
 */
void dvk_rmt_drop_queue_locked(struct dvk_pair *px)
{
	struct dvk_rcmd *rc, *tmp;

	list_for_each_entry_safe(rc, tmp, &px->outq, link) {
		dvk_rmt_unqueue_net_locked(rc);
		if (!rc->owned)
			dvk_rmt_free(rc);
	}
}

/**
 * dvk_rmt_dc_lock() - the DC of command @c from another node, locked and
 * referenced in *@dcp, if it runs here with @c's source node in it.
 * @c: the command.
 * @dcp: the DC.
 *
 * Return: 0, or EDVSBADDCID, EDVSDCNOTRUN, EDVSNODCNODE (nothing held).
 */
int dvk_rmt_dc_lock(const struct dvk_cmd *c, struct dvk_dc **dcp)
{
	struct dvk_dc *dc;
	int ret;

	ret = dvk_dc_find(c->c_dcid, false, &dc);
	if (ret)
		return ret;
	spin_lock(&dc->lock);
	if (!dc->running)
		ret = EDVSDCNOTRUN;
	else if (!(dc->usr.dc_nodes & BIT(c->c_snode)))
		ret = EDVSNODCNODE;
	if (ret) {
		spin_unlock(&dc->lock);
		dvk_dc_put(dc);
		return ret;
	}
	*dcp = dc;
	return 0;
}

/* The pair whose sender (@role 0) or receiver (1) the caller is. */
static struct dvk_pair *dvk_proxy_of(struct task_struct *task, int role)
{
	int i;

	for (i = 0; i < DVK_MAX_NODES; i++) {
		struct task_struct *t = READ_ONCE(dvk_pairs[i].task[role]);

		if (t && (t == task || t == task->group_leader))
			return &dvk_pairs[i];
	}
	return NULL;
}

/*
 * Take @rc's next piece for @px into @out: a single command leaves the
 * queue; a copy stream hands out its next chunk (of at most px_maxbytes)
 * and goes to the back of the queue until its last one, so other commands
 * are not held up behind a long copy. Return the source memory to read the
 * chunk from (a reference for the caller), or NULL. dvk_net_lock held.
 */
static struct mm_struct *dvk_rmt_take_net_locked(struct dvk_pair *px, struct dvk_rcmd *rc,
						 struct dvk_cmd *out)
{
	u64 n;

	*out = rc->cmd;
	if (!rc->mm) {
		dvk_rmt_unqueue_net_locked(rc);
		return NULL;
	}
	n = min_t(u64, rc->len - rc->off, px->usr.px_maxbytes);
	out->c_len = n;
	out->c_vcopy.v_bytes = n;
	out->c_vcopy.v_saddr += rc->off;
	out->c_vcopy.v_daddr += rc->off;
	rc->off += n;
	WRITE_ONCE(rc->progress, true);	/* the requester's stall timer: its data moves */
	if (rc->off < rc->len) {
		list_move_tail(&rc->link, &px->outq);
	} else {
		out->c_flags |= DVK_CMDF_LAST;
		dvk_rmt_unqueue_net_locked(rc);
	}
	mmget(rc->mm);
	return rc->mm;
}

/**
 * dvk_get2rmt() - the sender proxy takes the next command for its nodes.
 * @out: the command.
 * @payload: where a copy chunk's c_len bytes of data go: room for the
 *	pair's px_maxbytes (may be NULL until a copy is queued).
 * @timeout_ms: DVK_TIMEOUT_FOREVER, DVK_TIMEOUT_NOWAIT or milliseconds.
 *
 * A chunk whose source cannot be read (or whose @payload cannot be
 * written) still goes out, with c_rcode EDVSFAULT, so that its copy ends
 * with that error instead of waiting.
 *
 * Return: 0, or EDVSBADPROXY (not a sender proxy), EDVSNOTCONN (its link
 * is not connected), EDVSTIMEDOUT (nothing to send: time for a
 * heartbeat), EDVSINTR, EDVSBADVALUE (timeout), EDVSFAULT (a copy chunk is
 * next and @payload is NULL; it stays queued).
 */
long dvk_get2rmt(struct dvk_cmd *out, void __user *payload, long timeout_ms)
{
	struct dvk_pair *px = dvk_proxy_of(current, 0);
	struct mm_struct *mm = NULL;
	struct dvk_rcmd *rc = NULL;
	DEFINE_WAIT(wait);
	long t, ret;

	ret = dvk_timeout(timeout_ms, &t);
	if (ret)
		return ret;
	if (!px)
		return EDVSBADPROXY;
	spin_lock(&dvk_net_lock);
	for (;;) {
		ret = 0;
		if (!(px->usr.px_flags & DVK_PX_INUSE) ||
		    (px->task[0] != current && px->task[0] != current->group_leader))
			ret = EDVSBADPROXY;
		else if (!(px->usr.px_flags & DVK_PX_SCONNECTED))
			ret = EDVSNOTCONN;
		else if (!list_empty(&px->outq))
			rc = list_first_entry(&px->outq, struct dvk_rcmd, link);
		else if (!t)
			ret = EDVSTIMEDOUT;
		else if (signal_pending(current))
			ret = EDVSINTR;
		if (ret || rc)
			break;
		prepare_to_wait(&px->wq, &wait, TASK_INTERRUPTIBLE);
		spin_unlock(&dvk_net_lock);
		t = schedule_timeout(t);
		finish_wait(&px->wq, &wait);
		spin_lock(&dvk_net_lock);
	}
	if (rc && (rc->mm || rc->data) && !payload) {
		rc = NULL;
		ret = EDVSFAULT;
	}
	if (rc) {
		struct dvk_node *n = &dvk_nodes[rc->cmd.c_dnode];

		mm = dvk_rmt_take_net_locked(px, rc, out);
		if (!rc->data)	/* a relayed command keeps its first timestamp */
			out->c_timestamp = ktime_get_real_ns();
		if (n->pxid == px - dvk_pairs) {
			n->usr.n_pxsent++;
			n->usr.n_stimestamp = out->c_timestamp;
		}
		if (rc->owned || rc->queued)
			rc = NULL;	/* not ours to free */
	}
	spin_unlock(&dvk_net_lock);
	if (mm) {
		if (dvk_mm_rw(mm, out->c_vcopy.v_saddr, payload, NULL, out->c_len, false))
			out->c_rcode = EDVSFAULT;
		mmput(mm);
	}
	if (rc && rc->data && copy_to_user(payload, rc->data, out->c_len))
		out->c_rcode = EDVSFAULT;	/* a relayed chunk */
	if (rc)
		dvk_rmt_free(rc);
	return ret;
}
EXPORT_SYMBOL_GPL(dvk_get2rmt);

/*
 * Room for one more autobound slot of node @node in @dc: at most the quota
 * per node, and never the last quarter of the DC's user slots, which stay
 * for local binds. dc->lock held.
 */
static bool dvk_autobind_room_locked(const struct dvk_dc *dc, int node)
{
	int user = dc->usr.dc_nr_procs + dc->usr.dc_nr_tasks - dc->usr.dc_nr_sysprocs;
	int i, all = 0;

	if (dc->autobound[node] >= READ_ONCE(dvk_autobind_quota))
		return false;
	for (i = 0; i < DVK_MAX_NODES; i++)
		all += dc->autobound[i];
	return all + 1 <= user - user / 4;
}

/*
 * Register @ep of @node anew in remote slot @q, which holds an older
 * binding of the same slot there (that one is gone over there): waiters on
 * the old endpoint get EDVSENDPOINT; the rights recorded here for the slot
 * stay. dc->lock held.
 */
static void dvk_rmt_rebind_locked(struct dvk_dc *dc, struct dvk_proc *q, s32 ep, int node)
{
	struct dvk_priv priv = q->priv;
	bool autobound = q->autobound;
	char name[DVK_NAME_LEN];

	strscpy(name, q->usr.p_name, sizeof(name));
	dvk_unbind_locked(q, EDVSENDPOINT);
	dvk_bind_remote_locked(q, ep, node, name);
	q->priv = priv;
	if (autobound) {
		q->autobound = true;
		dc->autobound[node]++;
	}
}

/*
 * The remote slot here for @c's source, making call @call: a slot
 * registered as @c's node's, or a free user slot registered on the fly
 * (autobind, *@fresh set) when a user binding may make @call and the node
 * has quota left. dc->lock held.
 *
 * Return: 0, EDVSRANGE, EDVSLCLPROC (a local process's slot), EDVSNONODE
 * (another node's), EDVSPERM (a free system or task slot: only this node's
 * administrator registers those, with rmtbind), EDVSBADCALL (a user
 * binding may not make @call), EDVSNOSPC (no quota left).
 */
static int dvk_rmt_source_locked(struct dvk_dc *dc, const struct dvk_cmd *c, int call,
				 struct dvk_proc **qp, bool *fresh)
{
	int nr = DVK_EP_NR(c->c_src), node = c->c_snode;
	struct dvk_proc *q;

	*fresh = false;
	/* A source names one binding: never a bare slot number. */
	if (!dvk_ep_ok(dc, c->c_src) || DVK_EP_GEN(c->c_src) < 1)
		return EDVSRANGE;
	q = dvk_slot(dc, nr);
	if (!(q->usr.p_rts_flags & DVK_SLOT_FREE)) {
		if (!(q->usr.p_rts_flags & DVK_REMOTE))
			return EDVSLCLPROC;
		if (q->usr.p_nodeid != node)
			return EDVSNONODE;
		/* Registered by number: any binding of the slot there is it. */
		if (q->usr.p_endpoint != c->c_src && DVK_EP_GEN(q->usr.p_endpoint))
			dvk_rmt_rebind_locked(dc, q, c->c_src, node);
		*qp = q;
		return 0;
	}
	if (dvk_is_sysproc(dc, nr)) {
		dvk_refused(node, DVK_RF_RIGHTS);
		return EDVSPERM;
	}
	if (!dvk_autobind_allows(dc, nr, call)) {
		dvk_refused(node, DVK_RF_RIGHTS);
		return EDVSBADCALL;
	}
	if (!dvk_autobind_room_locked(dc, node)) {
		dvk_refused(node, DVK_RF_QUOTA);
		return EDVSNOSPC;
	}
	dvk_bind_remote_locked(q, c->c_src, node, "rclient");
	q->autobound = true;
	dc->autobound[node]++;
	*fresh = true;
	*qp = q;
	return 0;
}

/* SEND_MSG and SNDREC_MSG from remote @q to local @dst. */
static int dvk_rmt_put_msg_locked(struct dvk_proc *q, struct dvk_proc *dst,
				  const struct dvk_cmd *c, struct dvk_rmsg **rmp)
{
	bool rec = c->c_cmd == DVK_CMD_SNDREC_MSG;
	struct dvk_rmsg *rm = *rmp;

	/*
	 * A process makes one call at a time: a new one from @q means its last
	 * one ended over there (timeout, signal). Withdraw what is left here.
	 */
	if (q->rmsg || (q->usr.p_rts_flags & (DVK_SENDING | DVK_RECEIVING))) {
		dvk_undo_locked(q);
		dvk_rmsg_free(q->rmsg);
		q->rmsg = NULL;
	}
	rm->msg = c->c_msg;
	rm->msg.m_source = q->usr.p_endpoint;
	rm->ack.cmd = *c;		/* the request, for its acknowledgement */
	*rmp = NULL;
	q->usr.p_rmtsent++;
	if (dvk_takes_from(dst, q->usr.p_endpoint)) {
		dvk_deliver_locked(dst, &rm->msg);
		trace_dvk_msg(q->dc, rec ? DVK_TRACE_SENDREC : DVK_TRACE_SEND, q, dst, &rm->msg);
		if (!rec) {
			dvk_rmt_ack_locked(q->dc, rm, c, 0);
			return 0;
		}
		q->rmsg = rm;
		q->usr.p_rts_flags |= DVK_RECEIVING;
		q->usr.p_getfrom = dst->usr.p_endpoint;
		list_add_tail(&q->rcv_link, &dst->rcv_waiters);
		return 0;
	}
	q->rmsg = rm;
	q->usr.p_rts_flags |= DVK_SENDING | (rec ? DVK_RECEIVING : 0);
	q->usr.p_sendto = dst->usr.p_endpoint;
	if (rec)
		q->usr.p_getfrom = dst->usr.p_endpoint;
	list_add_tail(&q->send_link, &dst->senders);
	return 0;
}

/* The local call a remote request stands for, checked against the source's rights. */
static int dvk_rmt_call_of(u32 req)
{
	switch (req) {
	case DVK_CMD_SEND_MSG:
		return DVK_SEND;
	case DVK_CMD_SNDREC_MSG:
		return DVK_SENDREC;
	case DVK_CMD_REPLY_MSG:
		return DVK_REPLY;
	case DVK_CMD_NTFY_MSG:
		return DVK_NOTIFY;
	}
	return -1;
}

/*
 * Request @c from remote slot @q, making call @call, played against local
 * slots with @q's rights as recorded here, as the same call from a local
 * process would be.
 */
static int dvk_rmt_play_locked(struct dvk_dc *dc, const struct dvk_cmd *c, struct dvk_proc *q,
			       int call, struct dvk_rmsg **rmp)
{
	struct dvk_proc *dst;
	int ret;

	if (!dvk_call_allowed(q, call)) {
		dvk_refused(c->c_snode, DVK_RF_RIGHTS);
		return EDVSBADCALL;
	}
	ret = dvk_ep_lookup_locked(dc, c->c_dst, &dst, EDVSDSTDIED);
	if (ret)
		return ret;
	/* Not delivered: the sender's node replays it towards the new place. */
	if ((c->c_cmd == DVK_CMD_SEND_MSG || c->c_cmd == DVK_CMD_SNDREC_MSG) &&
	    (dvk_migrating_locked(dst) || (dst->usr.p_misc_flags & DVK_MIS_MIGRATED)))
		return EDVSMIGRATE;
	if (dst->usr.p_rts_flags & DVK_REMOTE)
		return EDVSRMTPROC;	/* relaying is the bridge's business */
	if (!dvk_ipc_allowed(q, dst)) {
		dvk_refused(c->c_snode, DVK_RF_RIGHTS);
		return EDVSTRAPDENIED;
	}

	switch (c->c_cmd) {
	case DVK_CMD_SEND_MSG:
	case DVK_CMD_SNDREC_MSG:
		return dvk_rmt_put_msg_locked(q, dst, c, rmp);
	case DVK_CMD_REPLY_MSG:
		/*
		 * Only the reply a local sendrec to @q, already sent, waits for.
		 * Not acknowledged when taken (the replier does not wait); a
		 * refused one is (dvk_put2lcl()).
		 */
		if (!dst->rcmd || dst->rcmd->cmd.c_cmd != DVK_CMD_SNDREC_MSG ||
		    dst->rcmd->cmd.c_id != c->c_id ||
		    dst->usr.p_getfrom != q->usr.p_endpoint || READ_ONCE(dst->rcmd->queued))
			return EDVSPROCSTS;	/* not for this call: a late reply to an earlier one */
		dvk_rmt_leave_locked(dst, dst->rcmd);
		dst->usr.p_rts_flags &= ~DVK_SENDING;
		dst->usr.p_sendto = DVK_NONE;
		{
			struct dvk_message m = c->c_msg;

			m.m_source = q->usr.p_endpoint;
			dvk_deliver_locked(dst, &m);
			trace_dvk_msg(dc, DVK_TRACE_REPLY, q, dst, &m);
		}
		q->usr.p_rmtsent++;
		return 0;
	case DVK_CMD_NTFY_MSG:
		if (!dvk_is_sysproc(dc, q->usr.p_nr) || !dvk_is_sysproc(dc, dst->usr.p_nr)) {
			dvk_refused(c->c_snode, DVK_RF_RIGHTS);
			return EDVSTRAPDENIED;
		}
		if (c->c_rcode < -1 || c->c_rcode > 63)
			return EDVSBADVALUE;
		q->usr.p_rmtsent++;
		dvk_notify_locked(dst, q->usr.p_nr + dc->usr.dc_nr_tasks, q->usr.p_endpoint,
				  c->c_rcode);
		return 0;
	}
	return EDVSBADREQUEST;
}

/* A request from the other node; a refused one leaves no autobinding behind. */
static int dvk_rmt_request_locked(struct dvk_dc *dc, const struct dvk_cmd *c,
				  struct dvk_rmsg **rmp)
{
	int call = dvk_rmt_call_of(c->c_cmd);
	struct dvk_proc *q;
	bool fresh;
	int ret;

	if (call < 0)
		return EDVSBADREQUEST;
	ret = dvk_rmt_source_locked(dc, c, call, &q, &fresh);
	if (ret)
		return ret;
	ret = dvk_rmt_play_locked(dc, c, q, call, rmp);
	if (ret && fresh)
		dvk_unbind_locked(q, EDVSNOTBIND);
	return ret;
}

/* An acknowledgement: complete the local call with that transaction id. */
static int dvk_rmt_ackd_locked(struct dvk_dc *dc, const struct dvk_cmd *c)
{
	u32 req = c->c_cmd & ~DVK_CMD_ACK;
	struct dvk_proc *p;
	int ret;

	ret = dvk_ep_lookup_locked(dc, c->c_dst, &p, EDVSACKDST);
	if (ret || (p->usr.p_rts_flags & DVK_REMOTE))
		return EDVSACKDST;
	if (!p->rcmd || p->rcmd->cmd.c_id != c->c_id || p->rcmd->cmd.c_cmd != req ||
	    p->rcmd->cmd.c_dst != c->c_src || p->rcmd->cmd.c_dnode != c->c_snode)
		return EDVSACKSRC;	/* nobody waits for it (any more) */
	if (req == DVK_CMD_SNDREC_MSG && c->c_rcode == 0)
		return EDVSBADVALUE;	/* a sendrec is answered by its reply */
	dvk_rmt_leave_locked(p, p->rcmd);
	dvk_undo_locked(p);
	dvk_wake_locked(p, c->c_rcode > 0 ? EDVSBADVALUE : c->c_rcode);
	return 0;
}

/**
 * dvk_put2lcl() - the receiver proxy hands in a command from another node.
 * @c: the command (kernel copy).
 * @payload: a COPYIN_DATA chunk's c_len bytes, else unused.
 *
 * A request this node rejects is answered with its acknowledgement
 * carrying the error, which is also returned; an acknowledgement nobody
 * waits for any more (the caller timed out) returns EDVSACKSRC.
 *
 * A command for a third node is relayed to it (dvk_rmt_relay()).
 *
 * EDVSNOTCONN means this pair's own link is down, and nothing else: the
 * proxy ends the connection on it. A command that cannot go on because a
 * third node's link is down (a relay, a copy stream) returns EDVSDSTNOTRCH
 * instead; its sender is answered EDVSNOTCONN.
 *
 * Return: 0, or EDVSBADPROXY (not a receiver proxy), EDVSBADNODEID
 * (c_dnode out of range), EDVSNONODE (c_snode not served by this pair),
 * EDVSNOTCONN (this pair's link is down), EDVSDSTNOTRCH (no way on),
 * EDVSBADDCID, EDVSDCNOTRUN, EDVSNODCNODE, EDVSBADREQUEST, EDVSNOMEM, the
 * request's own errors, EDVSACKDST, EDVSACKSRC.
 */
long dvk_put2lcl(const struct dvk_cmd *c, const void __user *payload)
{
	struct dvk_pair *px = dvk_proxy_of(current, 1);
	struct dvk_rmsg *rm = NULL;
	u32 req = c->c_cmd & ~DVK_CMD_ACK;
	bool ack = c->c_cmd & DVK_CMD_ACK;
	struct dvk_dc *dc;
	long ret;

	if (!px)
		return EDVSBADPROXY;
	if (!READ_ONCE(dvk_dvs.initialized))
		return EDVSDVSINIT;
	if (c->c_dnode < 0 || c->c_dnode >= DVK_MAX_NODES)
		return EDVSBADNODEID;
	if (c->c_snode < 0 || c->c_snode >= DVK_MAX_NODES || c->c_snode == c->c_dnode)
		return EDVSNONODE;
	if (req >= DVK_NR_CMDS || (c->c_cmd & ~(DVK_CMD_ACK | 0xff)) ||
	    (c->c_flags & ~(c->c_cmd == DVK_CMD_COPYIN_DATA ? DVK_CMDF_LAST : 0)))
		return EDVSBADREQUEST;
	if (req == DVK_CMD_NONE || req == DVK_CMD_HELLO || req == DVK_CMD_SHUTDOWN)
		return EDVSBADREQUEST;
	if (c->c_cmd == DVK_CMD_COPYIN_DATA ? !c->c_len || c->c_len > DVK_CMD_MAXPAYLOAD ||
	    c->c_len != c->c_vcopy.v_bytes || !payload : c->c_len)
		return EDVSBADREQUEST;
	if (!ack) {
		rm = dvk_rmsg_alloc(GFP_KERNEL);
		if (!rm)
			return EDVSNOMEM;
	}
	spin_lock(&dvk_net_lock);
	if (dvk_nodes[c->c_snode].pxid != px - dvk_pairs ||
	    !(dvk_nodes[c->c_snode].usr.n_flags & DVK_NODE_ATTACHED))
		ret = EDVSNONODE;
	else if (!(px->usr.px_flags & DVK_PX_RCONNECTED))
		ret = EDVSNOTCONN;
	else
		ret = 0;
	if (!ret) {
		dvk_nodes[c->c_snode].usr.n_pxrcvd++;
		dvk_nodes[c->c_snode].usr.n_rtimestamp = ktime_get_real_ns();
	}
	spin_unlock(&dvk_net_lock);
	if (ret)
		goto out;
	if (c->c_dnode != READ_ONCE(dvk_dvs.usr.d_nodeid)) {
		ret = dvk_rmt_relay(px, c, payload, &rm);
		goto done;
	}
	ret = dvk_rmt_dc_lock(c, &dc);
	if (ret) {
		if (rm)
			dvk_rmt_refuse(rm, c, px - dvk_pairs, ret);	/* no DC here for it */
		rm = NULL;
		goto done;
	}
	if (dvk_is_copy_cmd(req))
		ret = dvk_rcopy_put_locked(dc, c, payload, &rm);
	else if (ack)
		ret = dvk_rmt_ackd_locked(dc, c);
	else
		ret = dvk_rmt_request_locked(dc, c, &rm);
	/* A rejected request still gets its answer. */
	if (ret && !ack && rm) {
		dvk_rmt_ack_locked(dc, rm, c, ret);
		rm = NULL;
	}
	spin_unlock(&dc->lock);
	dvk_dc_put(dc);
done:
	/* Another link's loss must not read as this one's (the proxy would cut it). */
	if (ret == EDVSNOTCONN)
		ret = EDVSDSTNOTRCH;
out:
	dvk_rmsg_free(rm);
	return ret;
}
EXPORT_SYMBOL_GPL(dvk_put2lcl);
