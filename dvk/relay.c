// SPDX-License-Identifier: GPL-2.0
/*
 * Relaying (the original notes' put2rmt): a command that reaches this node
 * for a third one is queued, unchanged, for the sender proxy of that node.
 * So a UML guest linked only to its host reaches every node of its DCs
 * through the host, and two guests of one host reach each other.
 *
 * The host checks that both ends are nodes of the command's DC here and
 * that the next hop is not the link it came in on; a request it cannot pass
 * on is answered, in the unreachable node's name, with its error ack.
 *
 * Locking: as remote.c (dc->lock, then dvk_net_lock).
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <dvk/dvk_kernel.h>
#include "dvk_internal.h"

/* Who waits for an answer to @c, if anyone: its endpoint, else DVK_NONE. */
static s32 dvk_relay_asker(const struct dvk_cmd *c)
{
	if (c->c_cmd & DVK_CMD_ACK)
		return DVK_NONE;
	switch (c->c_cmd) {
	case DVK_CMD_SEND_MSG:
	case DVK_CMD_SNDREC_MSG:
	case DVK_CMD_REPLY_MSG:
		return c->c_src;
	case DVK_CMD_NTFY_MSG:
		return DVK_NONE;
	}
	/* A copy command: its requester, if on the node it came from. */
	return c->c_vcopy.v_rnode == c->c_snode ? c->c_vcopy.v_rqtr : DVK_NONE;
}

/**
 * dvk_rmt_refuse() - answer a command this node refuses, or cannot pass on,
 * with its error ack in the name of its destination node.
 * @rm: the answer's room (consumed).
 * @c: the command, as received.
 * @pxid: the pair it came in on, which takes the answer back.
 * @err: the error.
 *
 * For a command nobody waits an answer to (an ack, a notify, a copy chunk
 * whose requester is elsewhere) there is none.
 */
void dvk_rmt_refuse(struct dvk_rmsg *rm, const struct dvk_cmd *c, int pxid, int err)
{
	s32 asker = dvk_relay_asker(c);
	int dropped = 1;

	if (asker != DVK_NONE) {
		memset(&rm->ack, 0, sizeof(rm->ack));
		rm->ack.cmd = *c;
		rm->ack.cmd.c_cmd = c->c_cmd | DVK_CMD_ACK;
		rm->ack.cmd.c_flags = 0;
		rm->ack.cmd.c_len = 0;
		rm->ack.cmd.c_src = c->c_dst;
		rm->ack.cmd.c_dst = asker;
		rm->ack.cmd.c_snode = c->c_dnode;
		rm->ack.cmd.c_dnode = c->c_snode;
		rm->ack.cmd.c_rcode = err;
		spin_lock(&dvk_net_lock);
		dropped = dvk_rmt_queue_net_locked(&rm->ack, pxid);
		spin_unlock(&dvk_net_lock);
	}
	if (dropped)
		dvk_rmsg_free(rm);
}

/**
 * dvk_rmt_relay() - pass a command from another node on to a third.
 * @px: the pair it came in on (its receiver proxy is the caller).
 * @c: the command; c_dnode is not this node.
 * @payload: a COPYIN_DATA chunk's c_len bytes (the caller's memory).
 * @rmp: a preallocated answer for a request (taken), or NULL for an ack.
 *
 * Return: 0 (queued for the next hop), or EDVSBADDCID, EDVSDCNOTRUN,
 * EDVSNODCNODE (an end is not a node of the DC here), EDVSNOPROXY,
 * EDVSNOTCONN (no way on), EDVSBADNODEID (the way on is the way back),
 * EDVS2BIG (more data than the next hop takes), EDVSNOMEM, EDVSFAULT. A
 * refused request is answered too (dvk_rmt_refuse()).
 */
long dvk_rmt_relay(struct dvk_pair *px, const struct dvk_cmd *c, const void __user *payload,
		   struct dvk_rmsg **rmp)
{
	struct dvk_rmsg *rm = *rmp, *fwd;
	int pxid, back = px - dvk_pairs;
	void *data = NULL;
	struct dvk_dc *dc;
	long ret;

	*rmp = NULL;
	ret = EDVSNOMEM;
	fwd = dvk_rmsg_alloc(GFP_KERNEL);
	if (!fwd)
		goto out;
	if (c->c_len) {
		data = kmalloc(c->c_len, GFP_KERNEL);
		if (!data)
			goto out;
		ret = EDVSFAULT;
		if (copy_from_user(data, payload, c->c_len))
			goto out;
	}
	ret = dvk_rmt_dc_lock(c, &dc);
	if (ret) {
		if (rm)
			dvk_rmt_refuse(rm, c, back, ret);
		rm = NULL;
		goto out;
	}
	ret = dvk_rmt_route_locked(dc, c->c_dnode, &pxid);
	if (!ret && pxid == back)
		ret = EDVSBADNODEID;
	if (!ret && c->c_len > READ_ONCE(dvk_pairs[pxid].usr.px_maxbytes))
		ret = EDVS2BIG;		/* more than the next hop's proxy takes */
	if (!ret) {
		fwd->ack.cmd = *c;
		fwd->ack.data = data;
		spin_lock(&dvk_net_lock);
		ret = dvk_rmt_queue_net_locked(&fwd->ack, pxid);
		spin_unlock(&dvk_net_lock);
		if (!ret)
			fwd = NULL;
		else
			fwd->ack.data = NULL;
	}
	if (ret && rm) {
		dvk_rmt_refuse(rm, c, back, ret);
		rm = NULL;
	}
	spin_unlock(&dc->lock);
	dvk_dc_put(dc);
	if (!ret)
		data = NULL;
out:
	kfree(data);
	dvk_rmsg_free(fwd);
	dvk_rmsg_free(rm);
	return ret;
}
