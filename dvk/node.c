// SPDX-License-Identifier: GPL-2.0
/*
 * Remote nodes and the proxy pairs that link this node to them:
 * proxies_bind/unbind, proxy_conn, node_up/down, add/del node to a DC,
 * getnodeinfo, getproxyinfo; and the teardown when a proxy dies.
 *
 * A pair is two user processes (sender, receiver) that move commands
 * between this DVK and the remote nodes the pair serves. The pair's index
 * is its proxy id. A proxy task that exits, however it dies, takes its
 * pair down: the nodes it served are detached, their remote endpoints
 * unbound in every DC.
 *
 * Locking: dvk_dvs.rwsem (write) serialises the management calls;
 * dvk_net_lock (spinlock, inside dc->lock) guards nodes and pairs. The
 * exit work (bind.c) takes a pair down under dvk_net_lock alone: it must
 * never take dvk_dvs.rwsem, which a flusher's caller may hold.
 */
#include <linux/capability.h>
#include <linux/export.h>
#include <linux/pid.h>
#include <linux/ratelimit.h>
#include <linux/rcupdate.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <dvk/dvk_kernel.h>
#include "dvk_internal.h"

DEFINE_SPINLOCK(dvk_net_lock);
struct dvk_node dvk_nodes[DVK_MAX_NODES];
struct dvk_pair dvk_pairs[DVK_MAX_NODES];

/* Pairs bound: the exit probe looks at the pairs only when some are. */
static atomic_t dvk_pairs_bound = ATOMIC_INIT(0);

static bool dvk_node_id_ok(int nodeid)
{
	return nodeid >= 0 && nodeid < dvk_dvs.usr.d_nr_nodes;
}

/* Management calls: CAP_SYS_ADMIN and an initialised DVS; rwsem taken. */
static long dvk_net_enter(void)
{
	if (!capable(CAP_SYS_ADMIN))
		return EDVSPERM;
	down_write(&dvk_dvs.rwsem);
	if (!dvk_dvs.initialized) {
		up_write(&dvk_dvs.rwsem);
		return EDVSDVSINIT;
	}
	return 0;
}

/* dvk_rmt_unbind_nodes() in one DC; dc->lock held. */
static void dvk_unbind_nodes_dc_locked(struct dvk_dc *dc, u32 nodes, bool autobound_only, int why)
{
	int nr;

	for (nr = -dc->usr.dc_nr_tasks; nr < dc->usr.dc_nr_procs; nr++) {
		struct dvk_proc *p = dvk_slot(dc, nr);

		if ((p->usr.p_rts_flags & DVK_REMOTE) && (nodes & BIT(p->usr.p_nodeid)) &&
		    (p->autobound || !autobound_only))
			dvk_unbind_locked(p, why);
	}
}

/**
 * dvk_rmt_unbind_nodes() - unbind, in every DC, the remote slots of @nodes.
 * @nodes: one bit per node.
 * @autobound_only: only the slots put2lcl registered on the fly (a link
 *	went down: a node that comes back registers them again, one that does
 *	not leaves them to others); else every one (the nodes are forgotten).
 * @forget: also end the nodes' membership of every DC.
 * @why: what their waiters get.
 *
 * Never sleeps; looks at every slot, so only for links and nodes going away.
 */
void dvk_rmt_unbind_nodes(u32 nodes, bool autobound_only, bool forget, int why)
{
	int i;

	for (i = 0; i < DVK_MAX_DCS; i++) {
		struct dvk_dc *dc = dvk_dc_get(i);

		if (!dc)
			continue;
		spin_lock(&dc->lock);
		if (forget)
			dc->usr.dc_nodes &= ~nodes;
		dvk_unbind_nodes_dc_locked(dc, nodes, autobound_only, why);
		spin_unlock(&dc->lock);
		dvk_dc_put(dc);
	}
}

/* Detach every node in @map; dvk_net_lock held. Returns the map detached. */
static u32 dvk_nodes_detach_locked(u32 map)
{
	int n;

	for (n = 0; n < DVK_MAX_NODES; n++) {
		if (!(map & BIT(n)))
			continue;
		memset(&dvk_nodes[n].usr, 0, sizeof(dvk_nodes[n].usr));
		dvk_nodes[n].usr.n_nodeid = n;
		dvk_nodes[n].usr.n_proxies = -1;
		dvk_pairs[dvk_nodes[n].pxid].usr.px_nodes &= ~BIT(n);
		dvk_nodes[n].pxid = -1;
	}
	return map;
}

/* Nodes @map are gone: wake their callers with @err, forget them. */
static void dvk_nodes_forget(u32 map, int err)
{
	dvk_rmt_flush(map, err);
	dvk_rmt_unbind_nodes(map, false, true, EDVSNODEFREE);
}

/*
 * Take pair @px down: detach its nodes, drop its tasks. dvk_net_lock held;
 * returns the nodes to forget once the lock is dropped.
 */
static u32 dvk_pair_unbind_locked(struct dvk_pair *px)
{
	u32 map = dvk_nodes_detach_locked(px->usr.px_nodes);
	int i;

	for (i = 0; i < 2; i++) {
		if (px->task[i])
			put_task_struct(px->task[i]);
		WRITE_ONCE(px->task[i], NULL);
	}
	/* Acks and notifications die here; callers' commands with the flush. */
	dvk_rmt_drop_queue_locked(px);
	wake_up_all(&px->wq);
	memset(&px->usr, 0, sizeof(px->usr));
	px->usr.px_id = px - dvk_pairs;
	atomic_dec(&dvk_pairs_bound);
	return map;
}

/**
 * dvk_proxy_exit_mark() - the exit probe's part for a proxy task: mark its
 * pair for dvk_proxies_exited().
 * @task: the exiting task.
 *
 * Atomic context, takes no lock (on PREEMPT_RT a spinlock would sleep).
 * Looks at the (at most DVK_MAX_NODES) pairs only while some are bound.
 * Return: true when @task is a proxy of some pair.
 */
bool dvk_proxy_exit_mark(struct task_struct *task)
{
	int i;

	if (!atomic_read(&dvk_pairs_bound))
		return false;
	for (i = 0; i < DVK_MAX_NODES; i++) {
		if (READ_ONCE(dvk_pairs[i].task[0]) == task || READ_ONCE(dvk_pairs[i].task[1]) == task) {
			WRITE_ONCE(dvk_pairs[i].exiting, 1);
			return true;
		}
	}
	return false;
}

/*
 * The nodes of @map not attached again since their pair went down: the
 * exit work forgets nodes without dvk_dvs.rwsem, so a node_up may have
 * come in between.
 */
static u32 dvk_nodes_still_detached(u32 map)
{
	int n;

	spin_lock(&dvk_net_lock);
	for (n = 0; n < DVK_MAX_NODES; n++)
		if ((map & BIT(n)) && (dvk_nodes[n].usr.n_flags & DVK_NODE_ATTACHED))
			map &= ~BIT(n);
	spin_unlock(&dvk_net_lock);
	return map;
}

/* Has a proxy task of @px exited (PF_EXITING)? dvk_net_lock held. */
static bool dvk_pair_task_gone_locked(const struct dvk_pair *px)
{
	return (px->task[0] && (px->task[0]->flags & PF_EXITING)) ||
	       (px->task[1] && (px->task[1]->flags & PF_EXITING));
}

/**
 * dvk_proxies_exited() - take down every pair a proxy task of which has
 * exited (marked by dvk_proxy_exit_mark()): its nodes are detached and
 * their callers woken with EDVSNOTCONN. Process context (the exit work).
 */
void dvk_proxies_exited(void)
{
	int i;

	for (i = 0; i < DVK_MAX_NODES; i++) {
		struct dvk_pair *px = &dvk_pairs[i];
		u32 map = 0;

		/* Fully ordered: a mark made after this is seen with its PF_EXITING. */
		if (!xchg(&px->exiting, 0))
			continue;
		spin_lock(&dvk_net_lock);
		if ((px->usr.px_flags & DVK_PX_INUSE) && dvk_pair_task_gone_locked(px)) {
			pr_info("dvk: proxy %s (pair %d) exited: its nodes are detached\n",
				px->usr.px_name, px->usr.px_id);
			map = dvk_pair_unbind_locked(px);
		}
		spin_unlock(&dvk_net_lock);
		dvk_nodes_forget(dvk_nodes_still_detached(map), EDVSNOTCONN);
	}
}

/* Reset every node and pair record (core start, and dvs_end). */
static void dvk_net_reset_locked(void)
{
	int i, j;

	for (i = 0; i < DVK_MAX_NODES; i++) {
		for (j = 0; j < DVK_RF_NR; j++)
			atomic_long_set(&dvk_nodes[i].refused[j], 0);
		memset(&dvk_nodes[i].usr, 0, sizeof(dvk_nodes[i].usr));
		dvk_nodes[i].usr.n_nodeid = i;
		dvk_nodes[i].usr.n_proxies = -1;
		dvk_nodes[i].pxid = -1;
		memset(&dvk_pairs[i].usr, 0, sizeof(dvk_pairs[i].usr));
		dvk_pairs[i].usr.px_id = i;
	}
}

void dvk_net_init(void)
{
	int i;

	for (i = 0; i < DVK_MAX_NODES; i++) {
		INIT_LIST_HEAD(&dvk_pairs[i].outq);
		init_waitqueue_head(&dvk_pairs[i].wq);
		INIT_WORK(&dvk_pairs[i].drop_work, dvk_link_drop_work);
	}
	spin_lock(&dvk_net_lock);
	dvk_net_reset_locked();
	spin_unlock(&dvk_net_lock);
}

/**
 * dvk_net_end_all() - unbind every pair, detach every node (dvs_end).
 * dvk_dvs.rwsem held for write; the DCs are ended after this.
 */
void dvk_net_end_all(void)
{
	int i;

	spin_lock(&dvk_net_lock);
	for (i = 0; i < DVK_MAX_NODES; i++)
		if (dvk_pairs[i].usr.px_flags & DVK_PX_INUSE)
			dvk_pair_unbind_locked(&dvk_pairs[i]);
	dvk_net_reset_locked();
	spin_unlock(&dvk_net_lock);
}

/* The task @pid names in the caller's pid namespace, with a reference. */
static struct task_struct *dvk_proxy_task(int pid)
{
	struct task_struct *t;

	if (pid <= 0)
		return NULL;
	rcu_read_lock();
	t = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (t)
		get_task_struct(t);
	rcu_read_unlock();
	return t;
}

/**
 * dvk_proxies_bind() - register a proxy pair.
 * @pxid: the pair's id, in [0, nr_nodes).
 * @spid: the sender proxy's pid (in the caller's pid namespace).
 * @rpid: the receiver proxy's pid; may equal @spid (one process, two roles).
 * @name: the pair's name (1..15 characters).
 * @maxbytes: the largest payload it moves, 1..DVK_CMD_MAXPAYLOAD.
 *
 * Needs CAP_SYS_ADMIN. The pair serves no node until node_up.
 *
 * Return: @pxid, or EDVSPERM, EDVSDVSINIT, EDVSPROXYID, EDVSNAMESIZE,
 * EDVSBADVALUE (name), EDVS2BIG (maxbytes), EDVSBADPID, EDVSRSCBUSY (the
 * pair, or one of the tasks, is already a proxy).
 */
long dvk_proxies_bind(int pxid, int spid, int rpid, const char *name, int maxbytes)
{
	struct task_struct *t[2] = { NULL, NULL };
	struct dvk_pair *px;
	long ret;
	int i;

	ret = dvk_name_check(name);
	if (ret)
		return ret;
	if (maxbytes < 1 || maxbytes > DVK_CMD_MAXPAYLOAD)
		return EDVS2BIG;
	ret = dvk_net_enter();
	if (ret)
		return ret;
	ret = EDVSPROXYID;
	if (!dvk_node_id_ok(pxid))
		goto out;
	ret = EDVSBADPID;
	t[0] = dvk_proxy_task(spid);
	t[1] = dvk_proxy_task(rpid);
	if (!t[0] || !t[1])
		goto out;
	px = &dvk_pairs[pxid];
	spin_lock(&dvk_net_lock);
	ret = EDVSRSCBUSY;
	if (px->usr.px_flags & DVK_PX_INUSE)
		goto out_unlock;
	for (i = 0; i < DVK_MAX_NODES; i++)
		if (dvk_pairs[i].task[0] == t[0] || dvk_pairs[i].task[1] == t[0] ||
		    dvk_pairs[i].task[0] == t[1] || dvk_pairs[i].task[1] == t[1])
			goto out_unlock;
	px->usr.px_flags = DVK_PX_INUSE;
	px->usr.px_maxbytes = maxbytes;
	px->usr.px_nodes = 0;
	px->usr.px_spid = spid;
	px->usr.px_rpid = rpid;
	strscpy(px->usr.px_name, name, sizeof(px->usr.px_name));
	WRITE_ONCE(px->task[0], t[0]);
	WRITE_ONCE(px->task[1], t[1]);
	atomic_inc(&dvk_pairs_bound);
	/*
	 * A task past its exit probe would never take the pair down: check
	 * after publishing (pairs with the barrier in the exit probe, which
	 * then marks the pair), on our own references.
	 */
	smp_mb();
	if ((t[0]->flags & PF_EXITING) || (t[1]->flags & PF_EXITING)) {
		t[0] = t[1] = NULL;	/* the unbind drops the pair's references */
		dvk_pair_unbind_locked(px);
		ret = EDVSBADPID;
	} else {
		t[0] = t[1] = NULL;	/* the pair owns the references now */
		ret = pxid;
	}
	spin_unlock(&dvk_net_lock);
	goto out;

out_unlock:
	spin_unlock(&dvk_net_lock);
out:
	up_write(&dvk_dvs.rwsem);
	for (i = 0; i < 2; i++)
		if (t[i])
			put_task_struct(t[i]);
	return ret;
}
EXPORT_SYMBOL_GPL(dvk_proxies_bind);

/**
 * dvk_proxies_unbind() - take a pair down: its nodes are detached and
 * their remote endpoints unbound in every DC.
 * @pxid: the pair.
 *
 * Return: 0, or EDVSPERM, EDVSDVSINIT, EDVSPROXYID, EDVSPROXYFREE.
 */
long dvk_proxies_unbind(int pxid)
{
	u32 map = 0;
	long ret = dvk_net_enter();

	if (ret)
		return ret;
	if (!dvk_node_id_ok(pxid)) {
		ret = EDVSPROXYID;
		goto out;
	}
	spin_lock(&dvk_net_lock);
	if (dvk_pairs[pxid].usr.px_flags & DVK_PX_INUSE)
		map = dvk_pair_unbind_locked(&dvk_pairs[pxid]);
	else
		ret = EDVSPROXYFREE;
	spin_unlock(&dvk_net_lock);
	dvk_nodes_forget(map, EDVSNOTCONN);
out:
	up_write(&dvk_dvs.rwsem);
	return ret;
}
EXPORT_SYMBOL_GPL(dvk_proxies_unbind);

/* Mirror a pair's connection flags on the nodes it serves; net lock held. */
void dvk_pair_sync_nodes_locked(struct dvk_pair *px)
{
	int n;

	for (n = 0; n < DVK_MAX_NODES; n++) {
		u32 *f = &dvk_nodes[n].usr.n_flags;

		if (!(px->usr.px_nodes & BIT(n)))
			continue;
		*f &= ~(DVK_NODE_SCONNECTED | DVK_NODE_RCONNECTED);
		if (px->usr.px_flags & DVK_PX_SCONNECTED)
			*f |= DVK_NODE_SCONNECTED;
		if (px->usr.px_flags & DVK_PX_RCONNECTED)
			*f |= DVK_NODE_RCONNECTED;
	}
}

/**
 * dvk_proxy_conn() - a proxy reports its link up or down.
 * @pxid: the pair.
 * @status: DVK_CONNECT_SPROXY, DVK_CONNECT_RPROXY, DVK_DISCONNECT_SPROXY
 *	or DVK_DISCONNECT_RPROXY.
 *
 * Allowed to the pair's own sender (S statuses) and receiver (R statuses),
 * and to CAP_SYS_ADMIN. The nodes the pair serves show the same state.
 * A disconnect wakes every local caller waiting on those nodes with
 * EDVSNOTCONN; what the sender still had to send is dropped.
 *
 * Return: 0, or EDVSBADVALUE, EDVSDVSINIT, EDVSPROXYID, EDVSPROXYFREE, EDVSPERM.
 */
long dvk_proxy_conn(int pxid, int status)
{
	bool sender = status == DVK_CONNECT_SPROXY || status == DVK_DISCONNECT_SPROXY;
	bool up = status == DVK_CONNECT_SPROXY || status == DVK_CONNECT_RPROXY;
	u32 bit = sender ? DVK_PX_SCONNECTED : DVK_PX_RCONNECTED;
	bool admin = capable(CAP_SYS_ADMIN);
	struct dvk_pair *px;
	u32 lost = 0;
	long ret = 0;

	if (status < DVK_CONNECT_SPROXY || status > DVK_DISCONNECT_RPROXY)
		return EDVSBADVALUE;
	down_read(&dvk_dvs.rwsem);
	if (!dvk_dvs.initialized) {
		ret = EDVSDVSINIT;
		goto out;
	}
	if (!dvk_node_id_ok(pxid)) {
		ret = EDVSPROXYID;
		goto out;
	}
	px = &dvk_pairs[pxid];
	spin_lock(&dvk_net_lock);
	if (!(px->usr.px_flags & DVK_PX_INUSE))
		ret = EDVSPROXYFREE;
	else if (!admin && px->task[sender ? 0 : 1] != current->group_leader &&
		 px->task[sender ? 0 : 1] != current)
		ret = EDVSPERM;
	else if (up)
		px->usr.px_flags |= bit;
	else
		px->usr.px_flags &= ~bit;
	if (!ret) {
		dvk_pair_sync_nodes_locked(px);
		if (!up) {
			lost = px->usr.px_nodes;
			if (sender)
				dvk_rmt_drop_queue_locked(px);
			wake_up_all(&px->wq);	/* get2rmt: EDVSNOTCONN */
		}
	}
	spin_unlock(&dvk_net_lock);
	if (lost) {
		dvk_rmt_flush(lost, EDVSNOTCONN);
		dvk_rmt_unbind_nodes(lost, true, false, EDVSNOTCONN);
	}
out:
	up_read(&dvk_dvs.rwsem);
	return ret;
}
EXPORT_SYMBOL_GPL(dvk_proxy_conn);

/**
 * dvk_link_drop_work() - finish taking down a link whose queue overflowed
 * (dvk_rmt_queue_net_locked() already marked it down and dropped the
 * queue): wake the callers waiting on its nodes with EDVSNOTCONN and
 * release the nodes' autobound slots, as a proxy's disconnect does.
 * @work: the pair's drop_work.
 */
void dvk_link_drop_work(struct work_struct *work)
{
	struct dvk_pair *px = container_of(work, struct dvk_pair, drop_work);
	u32 lost;

	down_read(&dvk_dvs.rwsem);
	spin_lock(&dvk_net_lock);
	lost = px->usr.px_nodes;
	spin_unlock(&dvk_net_lock);
	if (dvk_dvs.initialized && lost) {
		dvk_rmt_flush(lost, EDVSNOTCONN);
		dvk_rmt_unbind_nodes(lost, true, false, EDVSNOTCONN);
	}
	up_read(&dvk_dvs.rwsem);
}

static DEFINE_RATELIMIT_STATE(dvk_refused_rs, 5 * HZ, 1);

/**
 * dvk_refused() - count a command refused from @nodeid, and log a summary
 * of that node's counters at most once every 5 s (never a line per command:
 * a hostile node could otherwise flood the log).
 * @nodeid: the node it came from.
 * @why: the kind of refusal.
 */
void dvk_refused(int nodeid, enum dvk_refusal why)
{
	atomic_long_t *r;

	if (nodeid < 0 || nodeid >= DVK_MAX_NODES)
		return;
	r = dvk_nodes[nodeid].refused;
	atomic_long_inc(&r[why]);
	if (__ratelimit(&dvk_refused_rs))
		pr_notice("dvk: refused from node %d so far: rights %ld, copy %ld, quota %ld, queue %ld (/proc/dvs/refused)\n",
			  nodeid, atomic_long_read(&r[DVK_RF_RIGHTS]),
			  atomic_long_read(&r[DVK_RF_COPY]), atomic_long_read(&r[DVK_RF_QUOTA]),
			  atomic_long_read(&r[DVK_RF_QUEUE]));
}

/**
 * dvk_node_up() - attach remote node @nodeid, served by pair @pxid.
 * @name: the node's name (1..15 characters).
 * @nodeid: not the local node.
 * @pxid: a bound pair.
 *
 * Return: @nodeid, or EDVSPERM, EDVSDVSINIT, EDVSNAMESIZE, EDVSBADVALUE,
 * EDVSBADNODEID, EDVSPROXYID, EDVSPROXYFREE, EDVSNODEBUSY (attached already).
 */
long dvk_node_up(const char *name, int nodeid, int pxid)
{
	struct dvk_node *n;
	long ret = dvk_name_check(name);

	if (ret)
		return ret;
	ret = dvk_net_enter();
	if (ret)
		return ret;
	if (!dvk_node_id_ok(nodeid) || nodeid == dvk_dvs.usr.d_nodeid) {
		ret = EDVSBADNODEID;
		goto out;
	}
	if (!dvk_node_id_ok(pxid)) {
		ret = EDVSPROXYID;
		goto out;
	}
	n = &dvk_nodes[nodeid];
	spin_lock(&dvk_net_lock);
	if (!(dvk_pairs[pxid].usr.px_flags & DVK_PX_INUSE)) {
		ret = EDVSPROXYFREE;
	} else if (n->usr.n_flags & DVK_NODE_ATTACHED) {
		ret = EDVSNODEBUSY;
	} else {
		n->usr.n_flags = DVK_NODE_ATTACHED;
		n->usr.n_proxies = pxid;
		n->pxid = pxid;
		strscpy(n->usr.n_name, name, sizeof(n->usr.n_name));
		dvk_pairs[pxid].usr.px_nodes |= BIT(nodeid);
		dvk_pair_sync_nodes_locked(&dvk_pairs[pxid]);
		ret = nodeid;
	}
	spin_unlock(&dvk_net_lock);
out:
	up_write(&dvk_dvs.rwsem);
	return ret;
}
EXPORT_SYMBOL_GPL(dvk_node_up);

/**
 * dvk_node_down() - detach remote node @nodeid: it leaves every DC and
 * its remote endpoints are unbound (their waiters get EDVSSRCDIED or
 * EDVSDSTDIED). Its pair stays bound.
 * @nodeid: an attached remote node.
 *
 * Return: 0, or EDVSPERM, EDVSDVSINIT, EDVSBADNODEID, EDVSNODEFREE.
 */
long dvk_node_down(int nodeid)
{
	u32 map = 0;
	long ret = dvk_net_enter();

	if (ret)
		return ret;
	if (!dvk_node_id_ok(nodeid) || nodeid == dvk_dvs.usr.d_nodeid) {
		ret = EDVSBADNODEID;
		goto out;
	}
	spin_lock(&dvk_net_lock);
	if (dvk_nodes[nodeid].usr.n_flags & DVK_NODE_ATTACHED)
		map = dvk_nodes_detach_locked(BIT(nodeid));
	else
		ret = EDVSNODEFREE;
	spin_unlock(&dvk_net_lock);
	dvk_nodes_forget(map, EDVSNODEFREE);
out:
	up_write(&dvk_dvs.rwsem);
	return ret;
}
EXPORT_SYMBOL_GPL(dvk_node_down);

/* Whether @nodeid is attached; dc->lock may be held. */
static bool dvk_node_attached(int nodeid)
{
	bool ret;

	spin_lock(&dvk_net_lock);
	ret = dvk_nodes[nodeid].usr.n_flags & DVK_NODE_ATTACHED;
	spin_unlock(&dvk_net_lock);
	return ret;
}

/* add_node and del_node on a referenced DC; dc->lock held. */
static long dvk_dc_node_locked(struct dvk_dc *dc, int nodeid, bool add)
{
	if (!dvk_node_attached(nodeid))
		return EDVSNODEFREE;
	if (!dc->running)
		return EDVSDCNOTRUN;
	if (add == !!(dc->usr.dc_nodes & BIT(nodeid)))
		return EDVSDCNODE;
	if (add) {
		if (hweight32(dc->usr.dc_nodes) >= dc->usr.dc_nr_nodes)
			return EDVSRSCBUSY;
		dc->usr.dc_nodes |= BIT(nodeid);
		return 0;
	}
	dc->usr.dc_nodes &= ~BIT(nodeid);
	dvk_rmt_flush_dc_locked(dc, BIT(nodeid), EDVSNODCNODE);
	/* A node leaving the DC takes its endpoints there with it. */
	dvk_unbind_nodes_dc_locked(dc, BIT(nodeid), false, EDVSNODCNODE);
	return 0;
}

static long dvk_dc_node(int dcid, int nodeid, bool add)
{
	struct dvk_dc *dc;
	long ret = dvk_net_enter();

	if (ret)
		return ret;
	ret = dvk_dc_find(dcid, false, &dc);
	if (ret)
		goto out;
	if (!dvk_node_id_ok(nodeid) || nodeid == dvk_dvs.usr.d_nodeid) {
		ret = EDVSBADNODEID;
	} else {
		spin_lock(&dc->lock);
		ret = dvk_dc_node_locked(dc, nodeid, add);
		spin_unlock(&dc->lock);
	}
	dvk_dc_put(dc);
out:
	up_write(&dvk_dvs.rwsem);
	return ret;
}

/**
 * dvk_add_node() - make attached remote node @nodeid a member of DC @dcid.
 * @dcid: a running DC.
 * @nodeid: an attached remote node.
 *
 * Return: 0, or EDVSPERM, EDVSDVSINIT, EDVSBADDCID, EDVSDCNOTRUN,
 * EDVSBADNODEID, EDVSNODEFREE, EDVSDCNODE (a member already),
 * EDVSRSCBUSY (the DC spans dc_nr_nodes nodes).
 */
long dvk_add_node(int dcid, int nodeid)
{
	return dvk_dc_node(dcid, nodeid, true);
}
EXPORT_SYMBOL_GPL(dvk_add_node);

/**
 * dvk_del_node() - remove remote node @nodeid from DC @dcid; its remote
 * endpoints there are unbound.
 * @dcid: a running DC.
 * @nodeid: a member node.
 *
 * Return: 0, or the errors of dvk_add_node(), EDVSDCNODE for a non-member.
 */
long dvk_del_node(int dcid, int nodeid)
{
	return dvk_dc_node(dcid, nodeid, false);
}
EXPORT_SYMBOL_GPL(dvk_del_node);

/* The DCs @nodeid (or, for the local node, this node) is a member of. */
static u32 dvk_node_dcs(int nodeid, bool local)
{
	u32 dcs = 0;
	int i;

	rcu_read_lock();
	for (i = 0; i < DVK_MAX_DCS; i++) {
		struct dvk_dc *dc = rcu_dereference(dvk_dvs.dcs[i]);

		if (dc && (local || (READ_ONCE(dc->usr.dc_nodes) & BIT(nodeid))))
			dcs |= BIT(i);
	}
	rcu_read_unlock();
	return dcs;
}

/**
 * dvk_getnodeinfo() - a node's descriptor.
 * @nodeid: the local node or an attached remote one.
 * @out: filled on success.
 *
 * Return: @nodeid, or EDVSDVSINIT, EDVSBADNODEID, EDVSNODEFREE.
 */
long dvk_getnodeinfo(int nodeid, struct node_usr *out)
{
	long ret = nodeid;

	down_read(&dvk_dvs.rwsem);
	if (!dvk_dvs.initialized) {
		ret = EDVSDVSINIT;
	} else if (!dvk_node_id_ok(nodeid)) {
		ret = EDVSBADNODEID;
	} else if (nodeid == dvk_dvs.usr.d_nodeid) {
		memset(out, 0, sizeof(*out));
		out->n_nodeid = nodeid;
		out->n_flags = DVK_NODE_ATTACHED | DVK_NODE_SCONNECTED | DVK_NODE_RCONNECTED;
		out->n_proxies = -1;
		out->n_dcs = dvk_node_dcs(nodeid, true);
		snprintf(out->n_name, sizeof(out->n_name), "node%d", nodeid);
	} else {
		spin_lock(&dvk_net_lock);
		*out = dvk_nodes[nodeid].usr;
		spin_unlock(&dvk_net_lock);
		if (out->n_flags & DVK_NODE_ATTACHED)
			out->n_dcs = dvk_node_dcs(nodeid, false);
		else
			ret = EDVSNODEFREE;
	}
	up_read(&dvk_dvs.rwsem);
	return ret;
}
EXPORT_SYMBOL_GPL(dvk_getnodeinfo);

/**
 * dvk_getproxyinfo() - a proxy pair's descriptor.
 * @pxid: a bound pair.
 * @out: filled on success.
 *
 * Return: @pxid, or EDVSDVSINIT, EDVSPROXYID, EDVSPROXYFREE.
 */
long dvk_getproxyinfo(int pxid, struct proxies_usr *out)
{
	long ret = pxid;

	down_read(&dvk_dvs.rwsem);
	if (!dvk_dvs.initialized) {
		ret = EDVSDVSINIT;
	} else if (!dvk_node_id_ok(pxid)) {
		ret = EDVSPROXYID;
	} else {
		spin_lock(&dvk_net_lock);
		*out = dvk_pairs[pxid].usr;
		spin_unlock(&dvk_net_lock);
		if (!(out->px_flags & DVK_PX_INUSE))
			ret = EDVSPROXYFREE;
	}
	up_read(&dvk_dvs.rwsem);
	return ret;
}
EXPORT_SYMBOL_GPL(dvk_getproxyinfo);
