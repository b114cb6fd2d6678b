// SPDX-License-Identifier: GPL-2.0
/*
 * vcopy with a source or destination on another node.
 *
 * The requester R is always local; the source S and destination D may each
 * be here or elsewhere. Whoever holds S's memory streams it to D's node as
 * COPYIN_DATA chunks (up to the pair's px_maxbytes each); the sender proxy
 * reads every chunk straight out of S's memory in get2rmt and the
 * receiver proxy on D's node writes it straight into D's in put2lcl. Chunks
 * are not stop-and-wait: the whole stream is queued at once. D's node
 * acknowledges to R's node (COPYIN_ACK) a chunk it could not write, and the
 * last one (DVK_CMDF_LAST); over an ordered link that ack means every chunk
 * before it was written. R checks the last chunk ends where its copy does.
 *
 *   S here,   D remote          R streams to D's node      (COPYIN_DATA)
 *   S remote, D here            COPYOUT_RQST to S's node, which streams back
 *   S, D on one remote node     COPYLCL_RQST: that node copies, then acks
 *   S, D on two remote nodes    COPYIN_RQST to D's node (the grant: expect
 *                               this stream from S's node), then, once D's
 *                               node agreed, COPYRMT_RQST to S's node, which
 *                               streams to D's node, which acks to R's node
 *
 * A rejected request, or a chunk that cannot be written, is answered with
 * its ack carrying the error; R's call ends at the first error.
 *
 * Trust: a party's node touches a local party only when it can justify the
 * copy itself, under the local vcopy rules: R is registered here as a
 * remote binding of its own node, with VCOPY among its calls and ipc_to
 * reaching the party, and the party is blocked receiving. A command about
 * R comes from R's node (checked), except a COPYRMT stream, which comes from
 * S's node and is taken only inside what R's node granted first. Data for
 * a local requester lands only inside the range it asked for.
 *
 * Locking: as remote.c. dc->lock is dropped around the memory copies;
 * everything is looked up again afterwards.
 */
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <dvk/dvk_kernel.h>
#include "dvk_internal.h"
#include "dvk_trace.h"

/* A remote copy fails when no acknowledgement came for this long. */
#define DVK_RCOPY_STALL		(30 * HZ)

/* The local requester waiting in copy @id, answered from node @from. */
static int dvk_rcopy_waiter_locked(struct dvk_dc *dc, s32 rqtr, u64 id, int from,
				   struct dvk_proc **pp)
{
	struct dvk_proc *p;

	if (dvk_ep_lookup_locked(dc, rqtr, &p, EDVSACKDST) || (p->usr.p_rts_flags & DVK_REMOTE))
		return EDVSACKDST;
	if (!p->rcmd || p->rcmd->cmd.c_id != id || !dvk_is_copy_cmd(p->rcmd->cmd.c_cmd) ||
	    !(p->rcmd->nodes & BIT(from)))
		return EDVSACKSRC;	/* nobody waits for it (any more) */
	*pp = p;
	return 0;
}

/*
 * D's node agreed to a COPYRMT stream (the grant): ask S's node for it.
 * Return: 0, or the route error (the copy then ends with it).
 */
static int dvk_rcopy_rmt_start_locked(struct dvk_dc *dc, struct dvk_rcmd *rc)
{
	int snode = rc->cmd.c_rcode, pxid, ret;

	ret = dvk_rmt_route_locked(dc, snode, &pxid);
	if (ret)
		return ret;
	rc->cmd.c_cmd = DVK_CMD_COPYRMT_RQST;
	rc->cmd.c_dst = rc->cmd.c_vcopy.v_src;
	rc->cmd.c_dnode = snode;
	rc->cmd.c_rcode = 0;
	rc->nodes |= BIT(snode);
	spin_lock(&dvk_net_lock);
	ret = dvk_rmt_queue_net_locked(rc, pxid);
	spin_unlock(&dvk_net_lock);
	return ret;
}

/*
 * An answer (command code @req, without DVK_CMD_ACK) for the local
 * requester of copy @id: an error ends its copy; success ends it when @v
 * (the answered piece) ends where the copy does, and is progress
 * otherwise; a granted COPYRMT goes on to the source's node.
 */
static int dvk_rcopy_done_locked(struct dvk_dc *dc, u32 req, s32 rqtr, u64 id, int from,
				 int rcode, const struct dvk_vcopy *v)
{
	struct dvk_rcmd *rc;
	struct dvk_proc *p;
	int ret;

	ret = dvk_rcopy_waiter_locked(dc, rqtr, id, from, &p);
	if (ret)
		return ret;
	rc = p->rcmd;
	if ((rc->cmd.c_cmd == DVK_CMD_COPYIN_RQST) != (req == DVK_CMD_COPYIN_RQST))
		return EDVSACKSRC;	/* not the answer this phase waits for */
	if (rcode > 0)
		rcode = EDVSBADVALUE;
	if (!rcode && req == DVK_CMD_COPYIN_RQST) {
		rcode = dvk_rcopy_rmt_start_locked(dc, rc);
		if (!rcode)
			return 0;
	} else if (!rcode) {
		WRITE_ONCE(rc->progress, true);
		if (v->v_daddr + v->v_bytes != rc->cmd.c_vcopy.v_daddr + rc->len)
			return 0;
	}
	dvk_rmt_leave_locked(p, rc);
	dvk_wake_locked(p, rcode);
	return 0;
}

/*
 * Answer copy command @c (as received) with @rcode: directly when its
 * requester is on this node, else with @c's ack to the requester's node,
 * built in @rm (consumed either way). The ack echoes @c's range. dc->lock
 * held.
 */
static void dvk_rcopy_answer_locked(struct dvk_dc *dc, struct dvk_rmsg *rm,
				    const struct dvk_cmd *c, int rcode)
{
	const struct dvk_vcopy *v = &c->c_vcopy;
	int pxid, dropped;

	if (v->v_rnode == dvk_dvs.usr.d_nodeid) {
		dvk_rmsg_free(rm);
		dvk_rcopy_done_locked(dc, c->c_cmd & ~DVK_CMD_ACK, v->v_rqtr, c->c_id, c->c_snode,
				      rcode, v);
		return;
	}
	if (dvk_rmt_route_locked(dc, v->v_rnode, &pxid)) {
		dvk_rmsg_free(rm);
		return;
	}
	dvk_rmt_cmd(&rm->ack.cmd, dc, c->c_cmd | DVK_CMD_ACK, c->c_dst, v->v_rqtr, v->v_rnode,
		    c->c_id);
	rm->ack.cmd.c_rcode = rcode;
	rm->ack.cmd.c_vcopy = *v;
	rm->ack.owned = false;
	spin_lock(&dvk_net_lock);
	dropped = dvk_rmt_queue_net_locked(&rm->ack, pxid);
	spin_unlock(&dvk_net_lock);
	if (dropped)
		dvk_rmsg_free(rm);
}

/**
 * dvk_rcopy_rqtr_locked() - may remote requester @rqtr of node @rnode copy
 * to or from local @party? As a local vcopy would be checked: @rqtr is
 * registered here as @rnode's, its calls include VCOPY and its ipc_to
 * reaches @party. Refusals are counted against @rnode. dc->lock held.
 * @dc: the DC.
 * @rqtr: the requester's endpoint.
 * @rnode: its node, as the command says (the command's source node, or
 *	the node that granted a COPYRMT).
 * @party: a local party of the copy.
 * @rqp: the requester's slot, on success.
 *
 * Return: 0, or EDVSNOTBIND (not registered here as @rnode's), EDVSBADCALL,
 * EDVSTRAPDENIED.
 */
int dvk_rcopy_rqtr_locked(struct dvk_dc *dc, s32 rqtr, int rnode, struct dvk_proc *party,
			  struct dvk_proc **rqp)
{
	struct dvk_proc *r;
	int ret = EDVSNOTBIND;

	if (DVK_EP_GEN(rqtr) >= 1 && !dvk_ep_lookup_locked(dc, rqtr, &r, EDVSNOTBIND) &&
	    (r->usr.p_rts_flags & DVK_REMOTE) && r->usr.p_nodeid == rnode) {
		ret = 0;
		if (!dvk_call_allowed(r, DVK_VCOPY))
			ret = EDVSBADCALL;
		else if (!dvk_ipc_allowed(r, party))
			ret = EDVSTRAPDENIED;
	}
	if (ret) {
		dvk_refused(rnode, DVK_RF_COPY);
		return ret;
	}
	*rqp = r;
	return 0;
}

/*
 * A local party here of copy @v, requested from node @v->v_rnode: bound,
 * blocked receiving, not in another copy made here (unless @busy_ok), a
 * user process, and reachable by the requester's rights here
 * (dvk_rcopy_rqtr_locked()).
 */
static int dvk_rcopy_party_check_locked(struct dvk_dc *dc, const struct dvk_vcopy *v, s32 ep,
					int dead, bool busy_ok, struct dvk_proc **pp)
{
	struct dvk_proc *p, *r;
	int ret;

	ret = dvk_ep_lookup_locked(dc, ep, &p, dead);
	if (ret)
		return ret;
	if (dvk_migrating_locked(p) || (p->usr.p_misc_flags & DVK_MIS_MIGRATED))
		return EDVSMIGRATE;	/* nothing copied: the requester's node replays */
	if (p->usr.p_rts_flags & DVK_REMOTE)
		return EDVSRMTPROC;
	ret = dvk_rcopy_rqtr_locked(dc, v->v_rqtr, v->v_rnode, p, &r);
	if (ret)
		return ret;
	if (!(p->usr.p_rts_flags & DVK_RECEIVING))
		return EDVSPROCSTS;
	if ((p->usr.p_rts_flags & DVK_ONCOPY) && !busy_ok)
		return EDVSBUSY;
	if (p->task->flags & PF_KTHREAD)
		return EDVSPERM;
	*pp = p;
	return 0;
}

/* dvk_rcopy_party_check_locked(), and the party's memory referenced in *@mmp. */
static int dvk_rcopy_party_locked(struct dvk_dc *dc, const struct dvk_vcopy *v, s32 ep, int dead,
				  struct dvk_proc **pp, struct mm_struct **mmp)
{
	int ret = dvk_rcopy_party_check_locked(dc, v, ep, dead, false, pp);

	if (ret)
		return ret;
	*mmp = dvk_get_mm((*pp)->task);
	return *mmp ? 0 : dead;
}

/* COPYLCL_RQST: both parties are here; copy through a kernel buffer. */
static int dvk_rcopy_local_locked(struct dvk_dc *dc, struct dvk_proc *src,
				  struct mm_struct *smm, struct dvk_proc *dst,
				  struct mm_struct *dmm, const struct dvk_vcopy *v)
{
	s32 sep = src->usr.p_endpoint, dep = dst->usr.p_endpoint;
	int ret;

	if (src->task == dst->task)
		return EDVSPERM;
	src->usr.p_rts_flags |= DVK_ONCOPY;
	dst->usr.p_rts_flags |= DVK_ONCOPY;
	spin_unlock(&dc->lock);
	ret = dvk_copy(smm, v->v_saddr, dmm, v->v_daddr, v->v_bytes,
		       READ_ONCE(dvk_dvs.usr.d_max_copybuf));
	spin_lock(&dc->lock);
	ret = dvk_copy_unmark_locked(src, sep, dst, dep, ret);
	if (!ret)
		trace_dvk_copy(dc, v->v_rqtr, v->v_rnode, sep, dvk_dvs.usr.d_nodeid, dep,
			       v->v_bytes);
	return ret;
}

/* COPYOUT/COPYLCL/COPYRMT_RQST on the source's node. */
static int dvk_rcopy_request_locked(struct dvk_dc *dc, const struct dvk_cmd *c,
				    struct dvk_rmsg *rm)
{
	const struct dvk_vcopy *v = &c->c_vcopy;
	int self = dvk_dvs.usr.d_nodeid, pxid, ret;
	struct mm_struct *smm = NULL, *dmm = NULL;
	struct dvk_proc *src, *dst;

	ret = EDVSBADVALUE;
	if (v->v_rnode != c->c_snode || v->v_rqtr != c->c_src || v->v_src != c->c_dst ||
	    !v->v_bytes || v->v_bytes > READ_ONCE(dvk_dvs.usr.d_max_copylen) ||
	    v->v_dnode < 0 || v->v_dnode >= DVK_MAX_NODES ||
	    (c->c_cmd == DVK_CMD_COPYLCL_RQST) != (v->v_dnode == self) ||
	    (c->c_cmd == DVK_CMD_COPYOUT_RQST) != (v->v_dnode == v->v_rnode))
		goto answer;
	ret = dvk_rcopy_party_locked(dc, v, v->v_src, EDVSSRCDIED, &src, &smm);
	if (ret)
		goto answer;
	if (c->c_cmd == DVK_CMD_COPYLCL_RQST) {
		ret = dvk_rcopy_party_locked(dc, v, v->v_dst, EDVSDSTDIED, &dst, &dmm);
		if (!ret)
			ret = dvk_rcopy_local_locked(dc, src, smm, dst, dmm, v);
		goto answer;
	}
	ret = dvk_rmt_route_locked(dc, v->v_dnode, &pxid);
	if (ret)
		goto answer;
	/* @rm becomes the stream of S's data to D's node. */
	dvk_rmt_cmd(&rm->ack.cmd, dc, DVK_CMD_COPYIN_DATA, v->v_src, v->v_dst, v->v_dnode, c->c_id);
	rm->ack.cmd.c_vcopy = *v;
	rm->ack.owned = false;
	rm->ack.mm = smm;
	rm->ack.len = v->v_bytes;
	spin_lock(&dvk_net_lock);
	ret = dvk_rmt_queue_net_locked(&rm->ack, pxid);
	spin_unlock(&dvk_net_lock);
	if (!ret) {
		src->usr.p_rmtcopy++;
		return 0;
	}
	rm->ack.mm = NULL;
answer:
	if (smm)
		mmput_async(smm);
	if (dmm)
		mmput_async(dmm);
	dvk_rcopy_answer_locked(dc, rm, c, ret);
	return ret;
}

/* [@addr, @addr + @len) lies inside [@start, @start + @total). */
static bool dvk_range_inside(u64 addr, u64 len, u64 start, u64 total)
{
	return addr >= start && len <= total && addr - start <= total - len;
}

/*
 * COPYIN_RQST on the destination's node, from the requester's: the grant
 * of a COPYRMT stream that will come from node c_rcode into local party
 * v_dst. Checked as the chunks of a stream from R's own node would be, and
 * recorded on R's registration here (one at a time; a new one replaces it).
 */
static int dvk_rcopy_grant_locked(struct dvk_dc *dc, const struct dvk_cmd *c,
				  struct dvk_rmsg *rm)
{
	const struct dvk_vcopy *v = &c->c_vcopy;
	int self = dvk_dvs.usr.d_nodeid, snode = c->c_rcode;
	struct dvk_proc *d, *r;
	int ret;

	ret = EDVSBADVALUE;
	if (v->v_rnode != c->c_snode || v->v_rqtr != c->c_src || v->v_dst != c->c_dst ||
	    v->v_dnode != self || !v->v_bytes || v->v_bytes > READ_ONCE(dvk_dvs.usr.d_max_copylen) ||
	    snode < 0 || snode >= DVK_MAX_NODES || snode == self || snode == v->v_rnode)
		goto answer;
	ret = dvk_rcopy_party_check_locked(dc, v, v->v_dst, EDVSDSTDIED, false, &d);
	if (ret)
		goto answer;
	ret = dvk_rcopy_rqtr_locked(dc, v->v_rqtr, v->v_rnode, d, &r);
	if (ret)
		goto answer;
	r->grant = (struct dvk_grant) {
		.id = c->c_id, .dst = v->v_dst, .snode = snode,
		.daddr = v->v_daddr, .len = v->v_bytes,
	};
answer:
	dvk_rcopy_answer_locked(dc, rm, c, ret);
	return ret;
}

/*
 * Whose chunk @c is, on the destination's node, and where it may land:
 * *@dp the local destination. For a local requester, only inside the range
 * it asked for, from the node it asked; for a remote one, a party it may
 * reach, from its own node or (COPYRMT) inside its grant. Return 0 or the
 * error the chunk is refused with.
 */
static int dvk_rcopy_data_check_locked(struct dvk_dc *dc, const struct dvk_cmd *c, bool here,
				       struct dvk_proc **dp)
{
	const struct dvk_vcopy *v = &c->c_vcopy;
	struct dvk_proc *rq, *d;
	int ret;

	if (here) {
		const struct dvk_rcmd *rc;

		ret = dvk_rcopy_waiter_locked(dc, v->v_rqtr, c->c_id, c->c_snode, &rq);
		if (ret)
			return ret;
		rc = rq->rcmd;
		if (rc->cmd.c_cmd != DVK_CMD_COPYOUT_RQST || v->v_dst != rc->cmd.c_vcopy.v_dst ||
		    c->c_src != rc->cmd.c_vcopy.v_src ||
		    !dvk_range_inside(v->v_daddr, c->c_len, rc->cmd.c_vcopy.v_daddr, rc->len)) {
			dvk_refused(c->c_snode, DVK_RF_COPY);
			return EDVSBADVALUE;
		}
		ret = dvk_ep_lookup_locked(dc, v->v_dst, &d, EDVSDSTDIED);
		if (ret)
			return ret;
		if (d != rq && !(d->usr.p_rts_flags & DVK_RECEIVING))
			return EDVSPROCSTS;
	} else {
		/* ONCOPY marks copies made here, not the streams of other nodes. */
		ret = dvk_rcopy_party_check_locked(dc, v, v->v_dst, EDVSDSTDIED, true, &d);
		if (ret)
			return ret;
		if (c->c_snode != v->v_rnode) {
			const struct dvk_grant *g;

			ret = dvk_rcopy_rqtr_locked(dc, v->v_rqtr, v->v_rnode, d, &rq);
			if (ret)
				return ret;
			g = &rq->grant;
			if (!g->id || g->id != c->c_id || g->snode != c->c_snode || g->dst != v->v_dst ||
			    !dvk_range_inside(v->v_daddr, c->c_len, g->daddr, g->len)) {
				dvk_refused(c->c_snode, DVK_RF_COPY);
				return EDVSBADVALUE;
			}
		}
	}
	if (d->task->flags & PF_KTHREAD)
		return EDVSPERM;	/* a kernel thread's memory is its own business */
	*dp = d;
	return 0;
}

/*
 * Count chunk @c, written into local @d, towards its stream's dvk_copy
 * event, which fires with the stream's last chunk: the chunks of a stream
 * come in order over one link, each with the copy's id. dc->lock held.
 */
static void dvk_rcopy_trace_chunk_locked(struct dvk_dc *dc, struct dvk_proc *d,
					 const struct dvk_cmd *c)
{
	const struct dvk_vcopy *v = &c->c_vcopy;
	struct dvk_trace_copy *tc = &d->trace_copy;

	if (tc->id != c->c_id || tc->rqtr != v->v_rqtr || tc->snode != c->c_snode)
		*tc = (struct dvk_trace_copy) {
			.id = c->c_id, .rqtr = v->v_rqtr, .snode = c->c_snode,
		};
	tc->bytes += c->c_len;
	if (c->c_flags & DVK_CMDF_LAST) {
		trace_dvk_copy(dc, v->v_rqtr, v->v_rnode, v->v_src, c->c_snode, v->v_dst,
			       tc->bytes);
		tc->id = 0;
	}
}

/* COPYIN_DATA on the destination's node: write the chunk, acknowledge it. */
static int dvk_rcopy_data_locked(struct dvk_dc *dc, const struct dvk_cmd *c,
				 const void __user *payload, struct dvk_rmsg *rm)
{
	const struct dvk_vcopy *v = &c->c_vcopy;
	bool here = v->v_rnode == dvk_dvs.usr.d_nodeid;
	struct dvk_proc *d = NULL, *r;
	struct mm_struct *mm;
	int ret;

	ret = c->c_rcode > 0 ? EDVSBADVALUE : c->c_rcode;	/* the source's read failed */
	if (!ret && (v->v_dnode != dvk_dvs.usr.d_nodeid || c->c_src != v->v_src ||
		     c->c_dst != v->v_dst))
		ret = EDVSBADVALUE;
	if (!ret)
		ret = dvk_rcopy_data_check_locked(dc, c, here, &d);
	else if (here)
		ret = dvk_rcopy_waiter_locked(dc, v->v_rqtr, c->c_id, c->c_snode, &r) ?: ret;
	if (here && (ret == EDVSACKDST || ret == EDVSACKSRC)) {
		/* Nobody here asked for it (any more): write nothing, tell nobody. */
		dvk_refused(c->c_snode, DVK_RF_COPY);
		dvk_rmsg_free(rm);
		return ret;
	}
	if (!ret) {
		mm = dvk_get_mm(d->task);
		ret = EDVSDSTDIED;
		if (mm) {
			spin_unlock(&dc->lock);
			ret = dvk_mm_rw(mm, v->v_daddr, (void __user *)payload, NULL, c->c_len, true);
			mmput(mm);
			spin_lock(&dc->lock);
		}
		if (!ret && trace_dvk_copy_enabled())
			dvk_rcopy_trace_chunk_locked(dc, d, c);
	}
	/* A COPYRMT stream's grant ends with its last chunk or its first error. */
	if (!here && c->c_snode != v->v_rnode && (ret || (c->c_flags & DVK_CMDF_LAST)) &&
	    !dvk_ep_lookup_locked(dc, v->v_rqtr, &r, EDVSNOTBIND) && r->grant.id == c->c_id &&
	    r->grant.snode == c->c_snode)
		r->grant.id = 0;
	if (ret || here || (c->c_flags & DVK_CMDF_LAST))
		dvk_rcopy_answer_locked(dc, rm, c, ret);
	else
		dvk_rmsg_free(rm);
	return ret;
}

/**
 * dvk_rcopy_put_locked() - a copy command or copy ack from another node.
 * @dc: the DC, locked (dropped and retaken around memory copies).
 * @c: the command.
 * @payload: a COPYIN_DATA chunk's data (user memory of the receiver proxy).
 * @rmp: a preallocated answer for a request (taken).
 *
 * Return: 0, or the error the request was answered with, or EDVSACKDST /
 * EDVSACKSRC for an answer nobody waits for any more.
 */
long dvk_rcopy_put_locked(struct dvk_dc *dc, const struct dvk_cmd *c, const void __user *payload,
			  struct dvk_rmsg **rmp)
{
	struct dvk_rmsg *rm = *rmp;

	*rmp = NULL;
	if (c->c_cmd & DVK_CMD_ACK)
		return dvk_rcopy_done_locked(dc, c->c_cmd & ~DVK_CMD_ACK, c->c_dst, c->c_id,
					     c->c_snode, c->c_rcode, &c->c_vcopy);
	if (c->c_cmd == DVK_CMD_COPYIN_DATA)
		return dvk_rcopy_data_locked(dc, c, payload, rm);
	if (c->c_cmd == DVK_CMD_COPYIN_RQST)
		return dvk_rcopy_grant_locked(dc, c, rm);
	return dvk_rcopy_request_locked(dc, c, rm);
}

/**
 * dvk_rmt_vcopy_locked() - the requester's side of a copy with a remote
 * party: start it and wait until all of its bytes are acknowledged.
 * @dc: the DC, locked (dropped while waiting).
 * @rq: the requester (local, marked ONCOPY with both parties).
 * @src: the source slot (@rq, a local party or a remote one).
 * @saddr: source address.
 * @dst: the destination slot.
 * @daddr: destination address.
 * @bytes: 1 .. max_copylen.
 * @smm: the source's memory when it is local (a reference the caller
 *	keeps), else NULL.
 *
 * Return: 0, EDVSNOPROXY, EDVSNODCNODE, EDVSNOTCONN (a node on the way is
 * not reachable, or went down meanwhile), EDVSTIMEDOUT (no progress for
 * 30 s), EDVSINTR, or the error a party's node answered.
 */
long dvk_rmt_vcopy_locked(struct dvk_dc *dc, struct dvk_proc *rq, struct dvk_proc *src,
			  unsigned long saddr, struct dvk_proc *dst, unsigned long daddr, u32 bytes,
			  struct mm_struct *smm)
{
	int self = dvk_dvs.usr.d_nodeid, snode = self, dnode = self, to, pxid, ret;
	struct dvk_wait w = { .no_notify = true };
	struct dvk_rcmd rc = {};
	long t = DVK_RCOPY_STALL;
	bool unsent;
	u32 code;

	if (src->usr.p_rts_flags & DVK_REMOTE)
		snode = src->usr.p_nodeid;
	if (dst->usr.p_rts_flags & DVK_REMOTE)
		dnode = dst->usr.p_nodeid;
	if (snode == self)
		code = DVK_CMD_COPYIN_DATA;
	else if (dnode == self)
		code = DVK_CMD_COPYOUT_RQST;
	else if (dnode == snode)
		code = DVK_CMD_COPYLCL_RQST;
	else
		code = DVK_CMD_COPYRMT_RQST;
	to = snode == self ? dnode : snode;
	if (code == DVK_CMD_COPYRMT_RQST) {
		/* First the grant to D's node; S's node is asked once it agreed. */
		ret = dvk_rmt_route_locked(dc, snode, &pxid);
		if (ret)
			return ret;
		rc.nodes = BIT(snode);
		to = dnode;
		code = DVK_CMD_COPYIN_RQST;
	} else if (dnode != self && dnode != to) {
		ret = dvk_rmt_route_locked(dc, dnode, &pxid);
		if (ret)
			return ret;
		rc.nodes = BIT(dnode);
	}
	ret = dvk_rmt_route_locked(dc, to, &pxid);
	if (ret)
		return ret;
	if (code == DVK_CMD_COPYIN_DATA) {
		dvk_rmt_cmd(&rc.cmd, dc, code, src->usr.p_endpoint, dst->usr.p_endpoint, to,
			    dvk_rmt_new_id());
		rc.mm = smm;
	} else if (code == DVK_CMD_COPYIN_RQST) {
		dvk_rmt_cmd(&rc.cmd, dc, code, rq->usr.p_endpoint, dst->usr.p_endpoint, to,
			    dvk_rmt_new_id());
		rc.cmd.c_rcode = snode;		/* where the stream will come from */
	} else {
		dvk_rmt_cmd(&rc.cmd, dc, code, rq->usr.p_endpoint, src->usr.p_endpoint, to,
			    dvk_rmt_new_id());
	}
	rc.cmd.c_vcopy = (struct dvk_vcopy) {
		.v_src = src->usr.p_endpoint,
		.v_dst = dst->usr.p_endpoint,
		.v_rqtr = rq->usr.p_endpoint,
		.v_rnode = self,
		.v_dnode = dnode,
		.v_saddr = saddr,
		.v_daddr = daddr,
		.v_bytes = bytes,
	};
	rc.len = bytes;
	return dvk_rmt_call_locked(dc, rq, &rc, &w, pxid, false, &t, &unsent);
}
