/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DVK's trace events (tracefs: events/dvk/), what `dvs trace` records:
 *
 *   dvk_msg   a message handed to a local endpoint: a send, a sendrec's
 *             request, a notification or a reply, from this node or from
 *             another one through the proxies (put2lcl, relayed or not).
 *   dvk_copy  a vcopy whose destination is local finished writing it: a
 *             local copy, one a remote requester asked of two local
 *             parties, or the last chunk of a stream from another node.
 *
 * Both fire under dc->lock, after the fact, and only on success. Each
 * carries the CLOCK_REALTIME time it fired at (rt, ns): tracefs prints
 * its own timestamps in microseconds, and the nodes of a DVS compare
 * events by real time. docs/trace.md describes the fields.
 *
 * ipc.c defines the events (CREATE_TRACE_POINTS); its Makefiles put this
 * directory on the include path for define_trace.h.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM dvk

#if !defined(_DVK_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _DVK_TRACE_H

#include <linux/timekeeping.h>
#include <linux/tracepoint.h>
#include "dvk_internal.h"

/* dvk_msg's kind. */
#define DVK_TRACE_SEND		0
#define DVK_TRACE_SENDREC	1
#define DVK_TRACE_NOTIFY	2
#define DVK_TRACE_REPLY		3

/* The node a slot's process runs on: a remote registration's, or this one. */
#define dvk_trace_node_of(p, self)					\
	(((p)->usr.p_rts_flags & DVK_REMOTE) ? (p)->usr.p_nodeid : (self))

/**
 * dvk_msg - a message was handed to local slot @dst.
 * @dc: the DC, locked.
 * @kind: DVK_TRACE_SEND, _SENDREC, _NOTIFY or _REPLY.
 * @src: the sender's slot (local or a remote registration); for a
 *	notification, the source system slot.
 * @dst: the local receiver's slot.
 * @m: the message as delivered; m_source names the sender.
 */
TRACE_EVENT(dvk_msg,
	TP_PROTO(const struct dvk_dc *dc, int kind, const struct dvk_proc *src,
		 const struct dvk_proc *dst, const struct dvk_message *m),
	TP_ARGS(dc, kind, src, dst, m),
	TP_STRUCT__entry(
		__field(int, dc)
		__field(int, kind)
		__field(s32, src)
		__field(int, snode)
		__field(s32, dst)
		__field(int, dnode)
		__field(int, mtype)
		__field(int, node)
		__field(u64, rt)
	),
	TP_fast_assign(
		__entry->node = READ_ONCE(dvk_dvs.usr.d_nodeid);
		__entry->dc = dc->usr.dc_dcid;
		__entry->kind = kind;
		__entry->src = m->m_source;
		__entry->snode = dvk_trace_node_of(src, __entry->node);
		__entry->dst = dst->usr.p_endpoint;
		__entry->dnode = __entry->node;
		__entry->mtype = m->m_type;
		__entry->rt = ktime_get_real_ns();
	),
	TP_printk("dc=%d kind=%s src=%d snode=%d dst=%d dnode=%d mtype=%d node=%d rt=%llu",
		  __entry->dc, __print_symbolic(__entry->kind, { DVK_TRACE_SEND, "send" },
				   { DVK_TRACE_SENDREC, "sendrec" }, { DVK_TRACE_NOTIFY, "notify" },
				   { DVK_TRACE_REPLY, "reply" }),
		  __entry->src, __entry->snode, __entry->dst, __entry->dnode,
		  __entry->mtype, __entry->node, __entry->rt)
);

/**
 * dvk_copy - a vcopy finished writing @bytes into local @dst.
 * @dc: the DC, locked.
 * @rqtr: the requester's endpoint.
 * @rnode: the requester's node.
 * @src: the source endpoint.
 * @snode: the source's node.
 * @dst: the destination endpoint (on this node).
 * @bytes: the bytes written here.
 */
TRACE_EVENT(dvk_copy,
	TP_PROTO(const struct dvk_dc *dc, s32 rqtr, int rnode, s32 src, int snode, s32 dst,
		 u64 bytes),
	TP_ARGS(dc, rqtr, rnode, src, snode, dst, bytes),
	TP_STRUCT__entry(
		__field(int, dc)
		__field(s32, rqtr)
		__field(int, rnode)
		__field(s32, src)
		__field(int, snode)
		__field(s32, dst)
		__field(int, dnode)
		__field(u64, bytes)
		__field(int, node)
		__field(u64, rt)
	),
	TP_fast_assign(
		__entry->node = READ_ONCE(dvk_dvs.usr.d_nodeid);
		__entry->dc = dc->usr.dc_dcid;
		__entry->rqtr = rqtr;
		__entry->rnode = rnode;
		__entry->src = src;
		__entry->snode = snode;
		__entry->dst = dst;
		__entry->dnode = __entry->node;
		__entry->bytes = bytes;
		__entry->rt = ktime_get_real_ns();
	),
	TP_printk("dc=%d rqtr=%d rnode=%d src=%d snode=%d dst=%d dnode=%d bytes=%llu node=%d rt=%llu",
		  __entry->dc, __entry->rqtr, __entry->rnode, __entry->src, __entry->snode,
		  __entry->dst, __entry->dnode, __entry->bytes, __entry->node, __entry->rt)
);

#endif /* _DVK_TRACE_H */

/* This part must be outside the multi-read protection. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE dvk_trace
#include <trace/define_trace.h>
