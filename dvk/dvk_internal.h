/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DVK core's private declarations, shared by its files and its doors.
 *
 * Locking, outermost first:
 *   dvk_dvs.rwsem   (sleeping) management calls hold it for write, lookups
 *                   of the DC table for read; never held while a caller
 *                   blocks in IPC.
 *   dc->lock        (spinlock) every slot of one DC: flags, queues,
 *                   bindings, waiters. Never two DCs' locks at once.
 *   dvk_bind_lock   (spinlock) the task -> slot hash; readers use RCU.
 *   dvk_net_lock    (spinlock) nodes and proxy pairs (node.c); taken
 *                   inside dc->lock, never around it.
 * Nothing sleeps under a spinlock: messages are copied in before and out
 * after, and a blocked caller sleeps on a struct dvk_wait on its own stack
 * with dc->lock dropped.
 */
#ifndef _DVK_INTERNAL_H
#define _DVK_INTERNAL_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <dvk/dvk_abi.h>

struct dvk_dc;

/**
 * struct dvk_dvs - the node's one DVS instance.
 * @rwsem: protects every field below.
 * @usr: the limits, name and node id in force (valid when @initialized).
 * @initialized: dvs_init succeeded and dvs_end has not run since.
 * @doors: DVS_IPC and/or DVS_IOCTL, set by the doors as they open.
 * @dcs: the DCs by id; readers without @rwsem use RCU and a kref.
 * @dc_gen: per DC id, the highest generation an ended instance of it handed
 *	out since dvs_init: a new instance's slots go on from there, so no
 *	endpoint of the old one names a process of the new one.
 */
struct dvk_dvs {
	struct rw_semaphore rwsem;
	struct dvs_usr usr;
	bool initialized;
	unsigned int doors;
	struct dvk_dc __rcu *dcs[DVK_MAX_DCS];
	u16 dc_gen[DVK_MAX_DCS];
};

extern struct dvk_dvs dvk_dvs;
extern struct workqueue_struct *dvk_wq;

/**
 * struct dvk_wait - one blocked call, on the caller's stack.
 * @task: the sleeping task, woken by wake_up_process().
 * @done: set (under dc->lock) when the call completed; @rcode is its result.
 * @rcode: 0 or a negative EDVS code.
 * @msg: the message being sent (sender) or the one delivered (receiver).
 * @no_notify: waiting for a message only (sendrec's reply, rcvrqst): a
 *	notification stays pending instead of completing the call.
 *
 * Whoever completes a wait does so under dc->lock, and the sleeper takes
 * that lock before it returns, so the object outlives every access to it.
 */
struct dvk_wait {
	struct task_struct *task;
	bool done;
	bool no_notify;
	bool awaits_reply;	/* a local sendrec: only it takes a reply */
	int rcode;
	struct dvk_message msg;
};

struct dvk_priv {
	s32 id;			/* system index, or nr_sysprocs for user slots */
	s32 warn;
	s32 level;
	u64 ipc_to[2];		/* DVK_MAX_SYSPROCS bits */
	u64 allowed;		/* one bit per call */
};

/**
 * struct dvk_proc - one slot of a DC.
 * @usr: what getprocinfo and /proc show; holds the state flags too.
 * @dc: the DC this slot belongs to.
 * @task: the bound local task (reference held), NULL when free or remote.
 * @gen: generation of the current (or last) binding.
 * @priv: privileges of the binding.
 * @senders: slots blocked sending to this one, oldest first.
 * @send_link: this slot's link in its destination's @senders.
 * @rcv_waiters: slots blocked receiving from this one by endpoint.
 * @rcv_link: this slot's link in its source's @rcv_waiters.
 * @wait: the caller's wait object while it blocks in a call, else NULL.
 * @notify_pending: one bit per source system index with a notify pending.
 * @notify_arg: per source system index, the OR of the pending values
 *	(system slots only: only they receive notifications).
 * @bind_node: entry in the task -> slot hash.
 * @unbind_rcu: RCU state when @bind_node last left the hash.
 * @unbind_gp: set until a grace period after that has been waited for: a
 *	new binding waits first, so lockless readers never follow a reused node.
 * @rcmd: the command of the remote call the slot's caller is blocked in
 *	(on the caller's stack), else NULL.
 * @rmt_link: in the DC's @rmt_waiters while @rcmd is set.
 * @rmsg: a remote slot's message on its way to a local one, kept (for the
 *	error acknowledgement) until a sendrec's reply is sent.
 * @autobound: a remote slot registered on the fly by put2lcl (user rights,
 *	counted in the DC's @autobound), not by this node's administrator.
 * @grant: a remote requester's announced COPYRMT stream into a local
 *	party (rcopy.c); @grant.id is 0 when there is none.
 * @migr_until: while DVK_MIGRATING, when an uncommitted migration is
 *	rolled back (jiffies; migrate.c).
 * @exit_node: in the exit work's list while @exit_queued (bind.c).
 * @exit_queued: bit 0: the exit probe queued this slot for its unbind.
 * @trace_copy: while the dvk_copy event is on, the copy stream from another
 *	node being written into this slot: its id, requester and source node,
 *	and its bytes so far (rcopy.c).
 */
struct dvk_proc {
	struct proc_usr usr;
	struct dvk_dc *dc;
	struct task_struct *task;
	u16 gen;
	struct dvk_priv priv;
	struct list_head senders;
	struct list_head send_link;
	struct list_head rcv_waiters;
	struct list_head rcv_link;
	struct dvk_wait *wait;
	DECLARE_BITMAP(notify_pending, DVK_MAX_SYSPROCS);
	u64 *notify_arg;
	struct hlist_node bind_node;
	unsigned long unbind_rcu;
	bool unbind_gp;
	struct dvk_rcmd *rcmd;
	struct list_head rmt_link;
	struct dvk_rmsg *rmsg;
	bool autobound;
	struct dvk_grant {
		u64 id;
		s32 dst;
		int snode;
		u64 daddr;
		u64 len;
	} grant;
	unsigned long migr_until;
	struct llist_node exit_node;
	unsigned long exit_queued;
	struct dvk_trace_copy {
		u64 id;
		u64 bytes;
		s32 rqtr;
		int snode;
	} trace_copy;
};

/**
 * struct dvk_dc - a distributed container on this node.
 * @kref: one reference for the DVS table, one per caller using it.
 * @lock: every slot of the DC (see the lock order above).
 * @usr: the DC's descriptor.
 * @owner: may bind its own processes to user slots without CAP_SYS_ADMIN.
 * @pid_ns: the creator's pid namespace, where bind looks pids up.
 * @running: false from the start of dc_end.
 * @procs: nr_tasks + nr_procs slots; slot number nr is at index nr + nr_tasks.
 * @notify_args: the system slots' @notify_arg arrays, in one block.
 * @bind_wq: woken on every bind and unbind, for wait4bind.
 * @rmt_waiters: slots blocked in a remote call (their @rmt_link).
 * @autobound: per node, the slots put2lcl registered on the fly for it.
 * @proc_dir: /proc/dvs/<name>.
 * @free_work: frees the DC after an RCU grace period.
 */
struct dvk_dc {
	struct kref kref;
	spinlock_t lock;
	struct dc_usr usr;
	kuid_t owner;
	struct pid_namespace *pid_ns;
	bool running;
	struct dvk_proc *procs;
	u64 *notify_args;
	wait_queue_head_t bind_wq;
	struct list_head rmt_waiters;
	u16 autobound[DVK_MAX_NODES];
	struct proc_dir_entry *proc_dir;
	struct rcu_work free_work;
};

/* Why put2lcl refused a command from a node (the counters of /proc/dvs/refused). */
enum dvk_refusal {
	DVK_RF_RIGHTS,		/* outside the source's rights here (slot kind, calls, ipc_to) */
	DVK_RF_COPY,		/* a copy this node cannot justify, data out of range or unasked */
	DVK_RF_QUOTA,		/* no autobind room left for the node in the DC */
	DVK_RF_QUEUE,		/* an answer towards the node found its queue full */
	DVK_RF_NR
};

/**
 * struct dvk_node - a remote node (the local one has no record).
 * @usr: what getnodeinfo shows (n_dcs is computed when read).
 * @pxid: the pair serving it while attached, else -1.
 * @refused: commands from it refused, by enum dvk_refusal; kept from
 *	dvs_init to dvs_end, across node_down.
 */
struct dvk_node {
	struct node_usr usr;
	int pxid;
	atomic_long_t refused[DVK_RF_NR];
};

/**
 * struct dvk_pair - a proxy pair: the sender and receiver proxy tasks
 * (task[0], task[1], referenced while bound) serving some remote nodes.
 * @outq: commands for the sender proxy (struct dvk_rcmd), oldest first.
 * @wq: the sender proxy waits here in get2rmt.
 * @nanswers: commands on @outq nobody waits for (acks, replies, notifies,
 *	copy streams, relayed commands): at most DVK_RMT_QUEUE_MAX.
 * @nbytes: relayed payload bytes on @outq: at most DVK_RMT_QUEUE_BYTES.
 * @drop_work: takes the link down when @outq overflowed (dvk_wq).
 * @exiting: one of @task exits: the exit work takes the pair down.
 */
struct dvk_pair {
	struct proxies_usr usr;
	struct task_struct *task[2];
	struct list_head outq;
	wait_queue_head_t wq;
	unsigned int nanswers;
	unsigned long nbytes;
	struct work_struct drop_work;
	int exiting;
};

/*
 * What a remote node can make this node queue towards it without reading
 * (its answers, relays): a peer that stops reading loses its link instead
 * of this node's memory.
 */
#define DVK_RMT_QUEUE_MAX	1024
#define DVK_RMT_QUEUE_BYTES	(8UL << 20)

/**
 * struct dvk_rcmd - a command queued for a sender proxy.
 * @link: in the pair's outq while @queued.
 * @px: the pair whose outq it was last queued on.
 * @cmd: what get2rmt hands out.
 * @queued: on the outq (get2rmt has not taken it yet).
 * @owned: part of a blocked caller's call (on its stack); else the
 *	@ack of a struct dvk_rmsg, freed once sent or dropped.
 * @progress: a copy's answer arrived since the caller last looked.
 * @nodes: the nodes whose loss ends the caller's wait (one bit each).
 * @mm: for a copy stream (COPYIN_DATA chunks), the source's memory
 *	(a reference held); NULL for a single command.
 * @data: a relayed COPYIN_DATA's payload (c_len bytes, kmalloc'd), else NULL.
 * @off: a stream's bytes handed out so far.
 * @len: the copy's (or the stream's) length.
 */
struct dvk_rcmd {
	struct list_head link;
	struct dvk_pair *px;
	struct dvk_cmd cmd;
	bool queued;
	bool owned;
	bool progress;
	u32 nodes;
	struct mm_struct *mm;
	void *data;
	u64 off;
	u64 len;
};

/* A remote sender's message, and the acknowledgement it will be sent. */
struct dvk_rmsg {
	struct dvk_rcmd ack;
	struct dvk_message msg;
};

/* dvs.c: DVS-level state and calls (pure checks are exposed for KUnit). */
int dvk_name_check(const char *name);
int dvk_dvs_check(const struct dvs_usr *p);
int dvk_call_decode(unsigned int call, unsigned int *nr);
void dvk_dvs_snapshot(struct dvs_usr *out);
void dvk_door_set(unsigned int door, bool open);
long dvk_dvs_teardown(void);
int dvk_core_init(void);
void dvk_core_exit(void);

/* dc.c */
int dvk_dc_check(const struct dc_usr *u, const struct dvs_usr *dvs);
struct dvk_dc *dvk_dc_alloc(const struct dc_usr *u, int nodeid);
struct dvk_dc *dvk_dc_get(int dcid);
int dvk_dc_find(int dcid, bool self_ok, struct dvk_dc **dcp);
void dvk_dc_put(struct dvk_dc *dc);
void dvk_dcs_end_all(void);
int dvk_dcs_allocated(void);
static inline bool dvk_nr_ok(const struct dvk_dc *dc, int nr)
{
	return nr >= -dc->usr.dc_nr_tasks && nr < dc->usr.dc_nr_procs;
}
/*
 * An endpoint that can name a slot of @dc: slot in range, generation
 * 0..max. Generation 0 (the bare slot number) names the slot's current
 * binding, as endpoints do in the original (docs/abi.md, "Addressing").
 */
static inline bool dvk_ep_ok(const struct dvk_dc *dc, s32 ep)
{
	return dvk_nr_ok(dc, DVK_EP_NR(ep)) && DVK_EP_GEN(ep) >= 0 &&
	       DVK_EP_GEN(ep) <= DVK_EP_GEN_MAX;
}
static inline struct dvk_proc *dvk_slot(struct dvk_dc *dc, int nr)
{
	return &dc->procs[nr + dc->usr.dc_nr_tasks];
}
static inline bool dvk_is_sysproc(const struct dvk_dc *dc, int nr)
{
	return nr + dc->usr.dc_nr_tasks < dc->usr.dc_nr_sysprocs;
}

/* bind.c */
struct dvk_proc *dvk_caller(struct task_struct *task, struct dvk_dc **dcp);
bool dvk_still_caller(struct dvk_proc *p, struct task_struct *task);
void dvk_unbind_locked(struct dvk_proc *p, int why);
void dvk_bind_remote_locked(struct dvk_proc *p, s32 ep, int nodeid, const char *name);
struct task_struct *dvk_bind_target(struct dvk_dc *dc, int oper, int pid);
void dvk_slot_grace_unlock(struct dvk_dc *dc, struct dvk_proc *p);
int dvk_migr_bind_locked(struct dvk_proc *p, struct task_struct *target, s32 ep);

/* migrate.c */
long dvk_migrate(int oper, int pid, int dcid, s32 ep, int nodeid);
bool dvk_migr_expired_locked(struct dvk_proc *p);
/* Is slot @p migrating (one past its time is rolled back)? dc->lock held. */
static inline bool dvk_migrating_locked(struct dvk_proc *p)
{
	return (p->usr.p_rts_flags & DVK_MIGRATING) && !dvk_migr_expired_locked(p);
}
int dvk_migr_wait(struct dvk_dc *dc, struct dvk_proc *q, long *t);
bool dvk_migr_replay(unsigned long *until);
int dvk_exit_hook_init(void);
void dvk_exit_hook_exit(void);
void dvk_exits_flush(void);

/* node.c */
extern spinlock_t dvk_net_lock;
extern struct dvk_node dvk_nodes[DVK_MAX_NODES];
extern struct dvk_pair dvk_pairs[DVK_MAX_NODES];
void dvk_net_init(void);
void dvk_net_end_all(void);
bool dvk_proxy_exit_mark(struct task_struct *task);
void dvk_proxies_exited(void);
void dvk_refused(int nodeid, enum dvk_refusal why);
void dvk_pair_sync_nodes_locked(struct dvk_pair *px);
void dvk_rmt_unbind_nodes(u32 nodes, bool autobound_only, bool forget, int why);
void dvk_link_drop_work(struct work_struct *work);

/* remote.c */
void dvk_rmt_taken_locked(struct dvk_proc *q);
void dvk_rmt_unbind_locked(struct dvk_proc *p, int why);
void dvk_rmt_peer_gone_locked(struct dvk_proc *q, int err);
void dvk_rmt_flush(u32 nodes, int err);
void dvk_rmt_flush_dc_locked(struct dvk_dc *dc, u32 nodes, int err);
void dvk_rmt_drop_queue_locked(struct dvk_pair *px);
extern unsigned int dvk_autobind_quota;
long dvk_rmt_send_locked(struct dvk_dc *dc, struct dvk_proc *p, struct dvk_proc *dst, bool rec,
			 struct dvk_message *m, long *t);
int dvk_rmt_route_locked(struct dvk_dc *dc, int nodeid, int *pxid);
int dvk_rmt_dc_lock(const struct dvk_cmd *c, struct dvk_dc **dcp);
int dvk_rmt_queue_net_locked(struct dvk_rcmd *rc, int pxid);
void dvk_rmt_cmd(struct dvk_cmd *c, struct dvk_dc *dc, u32 code, s32 src, s32 dst, int dnode,
		 u64 id);
u64 dvk_rmt_new_id(void);
void dvk_rmt_free(struct dvk_rcmd *rc);
struct dvk_rmsg *dvk_rmsg_alloc(gfp_t gfp);
void dvk_rmsg_free(struct dvk_rmsg *rm);
int dvk_rmsgs(void);
void dvk_rmt_leave_locked(struct dvk_proc *p, struct dvk_rcmd *rc);
int dvk_rmt_call_locked(struct dvk_dc *dc, struct dvk_proc *p, struct dvk_rcmd *rc,
			struct dvk_wait *w, int pxid, bool rec, long *t, bool *unsent);

/* relay.c: commands for a third node */
long dvk_rmt_relay(struct dvk_pair *px, const struct dvk_cmd *c, const void __user *payload,
		   struct dvk_rmsg **rmp);
void dvk_rmt_refuse(struct dvk_rmsg *rm, const struct dvk_cmd *c, int pxid, int err);

/* rcopy.c: vcopy with parties on other nodes */
static inline bool dvk_is_copy_cmd(u32 req)
{
	return (req >= DVK_CMD_COPYIN_DATA && req <= DVK_CMD_COPYRMT_RQST) ||
	       req == DVK_CMD_COPYIN_RQST;
}
int dvk_rcopy_rqtr_locked(struct dvk_dc *dc, s32 rqtr, int rnode, struct dvk_proc *party,
			  struct dvk_proc **rqp);
long dvk_rmt_vcopy_locked(struct dvk_dc *dc, struct dvk_proc *rq, struct dvk_proc *src,
			  unsigned long saddr, struct dvk_proc *dst, unsigned long daddr, u32 bytes,
			  struct mm_struct *smm);
long dvk_rcopy_put_locked(struct dvk_dc *dc, const struct dvk_cmd *c, const void __user *payload,
			  struct dvk_rmsg **rmp);
long dvk_rmt_reply_locked(struct dvk_dc *dc, struct dvk_proc *p, struct dvk_proc *dst,
			  const struct dvk_message *m);
long dvk_rmt_notify_locked(struct dvk_dc *dc, struct dvk_proc *p, struct dvk_proc *dst, int value);

/* ipc.c */
struct dvk_proc *dvk_ipc_enter(int call, struct dvk_dc **dcp, int *err);
long dvk_ipc_leave(struct dvk_dc *dc, long ret);
int dvk_timeout(long ms, long *jiffies);
void dvk_wake_locked(struct dvk_proc *p, int rcode);
void dvk_notify_locked(struct dvk_proc *dst, int idx, s32 src_ep, int value);
void dvk_build_notify_locked(struct dvk_proc *p, int idx, struct dvk_message *m);
int dvk_block_locked(struct dvk_dc *dc, struct dvk_proc *p, struct dvk_wait *w, long *t,
		     bool killable);
int dvk_ep_lookup_locked(struct dvk_dc *dc, s32 ep, struct dvk_proc **pp, int dead_err);
void dvk_deliver_locked(struct dvk_proc *dst, const struct dvk_message *m);
bool dvk_takes_from(const struct dvk_proc *dst, s32 from);
void dvk_undo_locked(struct dvk_proc *p);

/* copy.c */
struct mm_struct *dvk_get_mm(struct task_struct *task);
int dvk_mm_rw(struct mm_struct *mm, unsigned long raddr, void __user *ubuf, void *kbuf,
	      size_t len, bool to_mm);
int dvk_copy(struct mm_struct *smm, unsigned long saddr, struct mm_struct *dmm,
	     unsigned long daddr, size_t len, size_t chunk);
int dvk_copy_unmark_locked(struct dvk_proc *src, s32 sep, struct dvk_proc *dst, s32 dep, int ret);

/* priv.c */
int dvk_priv_check(const struct dvk_dc *dc, const struct priv_usr *u);
void dvk_priv_default(struct dvk_dc *dc, struct dvk_proc *p);
bool dvk_call_allowed(const struct dvk_proc *p, int call);
bool dvk_autobind_allows(const struct dvk_dc *dc, int nr, int call);
bool dvk_ipc_allowed(const struct dvk_proc *from, const struct dvk_proc *to);

/* calls.c: the ipc() argument layout, shared by the user doors */
long dvk_do_call(unsigned int nr, int first, unsigned long second, unsigned long third,
		 void __user *ptr, long fifth);

/* procfs.c */
int dvk_procfs_init(void);
void dvk_procfs_exit(void);
int dvk_procfs_dc_add(struct dvk_dc *dc);
void dvk_procfs_dc_remove(struct dvk_dc *dc);

#endif /* _DVK_INTERNAL_H */
