// SPDX-License-Identifier: GPL-2.0
/*
 * vcopy: copy bytes from one endpoint's memory to another's, on behalf of
 * a requester that may be either of them or a third process.
 *
 * Whoever runs the copy does it from its own context: the other party's
 * pages are pinned (pin_user_pages_remote) a batch at a time and copied
 * to or from the caller's memory directly, as process_vm_readv does. Only
 * a copy between two other processes goes through a kernel buffer.
 */
#include <linux/export.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <dvk/dvk_kernel.h>
#include "dvk_internal.h"
#include "dvk_trace.h"

/* Pages pinned per round: 16 on the stack, up to 512 (4 KiB of pointers) for big copies. */
#define DVK_PIN_SMALL	16
#define DVK_PIN_BIG	512

static long dvk_pin(struct mm_struct *mm, unsigned long addr, int n, bool write,
		    struct page **pages)
{
	int locked = 1;
	long got;

	mmap_read_lock(mm);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	got = pin_user_pages_remote(mm, addr, n, write ? FOLL_WRITE : 0, pages, &locked);
#else
	got = pin_user_pages_remote(mm, addr, n, write ? FOLL_WRITE : 0, pages, NULL, &locked);
#endif
	if (locked)
		mmap_read_unlock(mm);
	return got;
}

/**
 * dvk_mm_rw() - copy between another process's memory and the caller's.
 * @mm: the other process's address space.
 * @raddr: address in @mm.
 * @ubuf: the caller's user buffer, or NULL to use @kbuf.
 * @kbuf: a kernel buffer (when @ubuf is NULL).
 * @len: bytes.
 * @to_mm: true to write into @mm, false to read from it.
 *
 * Return: 0 or EDVSFAULT (a page of either side is not accessible). A
 * failed copy has written a prefix of the destination, up to the first
 * byte it could not read or write, and nothing else.
 */
int dvk_mm_rw(struct mm_struct *mm, unsigned long raddr, void __user *ubuf, void *kbuf,
	      size_t len, bool to_mm)
{
	struct page *small[DVK_PIN_SMALL], **pages = small;
	unsigned long total = DIV_ROUND_UP(offset_in_page(raddr) + len, PAGE_SIZE);
	int batch = DVK_PIN_SMALL, ret = 0;

	if (total > DVK_PIN_SMALL) {
		batch = min_t(unsigned long, total, DVK_PIN_BIG);
		pages = kmalloc_array(batch, sizeof(*pages), GFP_KERNEL);
		if (!pages) {
			pages = small;
			batch = DVK_PIN_SMALL;
		}
	}
	while (len && !ret) {
		unsigned long off = offset_in_page(raddr);
		int n = min_t(unsigned long, DIV_ROUND_UP(off + len, PAGE_SIZE), batch);
		long got = dvk_pin(mm, raddr - off, n, to_mm, pages);
		int i, fail = 0;

		if (got <= 0) {
			ret = EDVSFAULT;
			break;
		}
		for (i = 0; i < got && len && !fail; i++) {
			size_t c = min_t(size_t, PAGE_SIZE - off, len);
			char *k = kmap_local_page(pages[i]);

			/*
			 * Not copy_from_user(): it zeroes what it could not read,
			 * and a failed copy writes nothing that the source did not
			 * hold (only a prefix of the copy, up to the fault).
			 */
			if (ubuf && to_mm)
				fail = !access_ok(ubuf, c) || __copy_from_user(k + off, ubuf, c);
			else if (ubuf)
				fail = copy_to_user(ubuf, k + off, c);
			else if (to_mm)
				memcpy(k + off, kbuf, c);
			else
				memcpy(kbuf, k + off, c);
			kunmap_local(k);
			raddr += c;
			len -= c;
			off = 0;
			if (ubuf)
				ubuf += c;
			else
				kbuf += c;
		}
		unpin_user_pages_dirty_lock(pages, got, to_mm);
		if (fail)
			ret = EDVSFAULT;
	}
	if (pages != small)
		kfree(pages);
	return ret;
}

/*
 * Copy between the caller's own memory at @addr and @mm's at @raddr. A
 * kernel thread's own memory is its kernel buffers (door 3).
 */
static int dvk_self_rw(struct mm_struct *mm, unsigned long raddr, unsigned long addr,
		       size_t len, bool to_mm)
{
	if (current->flags & PF_KTHREAD)
		return dvk_mm_rw(mm, raddr, NULL, (void *)addr, len, to_mm);
	return dvk_mm_rw(mm, raddr, (void __user *)addr, NULL, len, to_mm);
}

/*
 * Copy @len bytes; a NULL mm stands for the caller's own memory. @chunk is
 * the DVS copy buffer size, the bounce size for a third-party copy.
 */
int dvk_copy(struct mm_struct *smm, unsigned long saddr, struct mm_struct *dmm,
	     unsigned long daddr, size_t len, size_t chunk)
{
	void *buf;
	int ret = 0;

	if (!smm)
		return dvk_self_rw(dmm, daddr, saddr, len, true);
	if (!dmm)
		return dvk_self_rw(smm, saddr, daddr, len, false);
	buf = kvmalloc(min(len, chunk), GFP_KERNEL);
	if (!buf)
		return EDVSNOMEM;
	while (len && !ret) {
		size_t c = min(len, chunk);

		if (fatal_signal_pending(current))
			ret = EDVSINTR;
		else
			ret = dvk_mm_rw(smm, saddr, NULL, buf, c, false) ?:
			      dvk_mm_rw(dmm, daddr, NULL, buf, c, true);
		saddr += c;
		daddr += c;
		len -= c;
	}
	kvfree(buf);
	return ret;
}

/**
 * dvk_get_mm() - the memory of the process a binding's task stands for.
 * @task: a bound task: a thread, or the group leader holding its process's
 *	binding, which may have gone ahead with pthread_exit().
 *
 * Return: a reference to its mm (mmput() it), or NULL when no thread of it
 * has one any more (or it is a kernel thread).
 */
struct mm_struct *dvk_get_mm(struct task_struct *task)
{
	struct mm_struct *mm = get_task_mm(task);
	struct task_struct *t;

	if (mm || task != task->group_leader)
		return mm;
	rcu_read_lock();
	for_each_thread(task, t) {
		mm = get_task_mm(t);
		if (mm)
			break;
	}
	rcu_read_unlock();
	return mm;
}

/**
 * dvk_copy_unmark_locked() - after a copy, clear the ONCOPY marks set on its
 * source and destination, on the bindings that are still there. dc->lock held.
 * @src: the source's slot.
 * @sep: its endpoint when the copy started.
 * @dst: the destination's slot.
 * @dep: its endpoint when the copy started.
 * @ret: the copy's result.
 *
 * Return: @ret, or if it is 0, EDVSSRCDIED / EDVSDSTDIED for a party that
 * went meanwhile.
 */
int dvk_copy_unmark_locked(struct dvk_proc *src, s32 sep, struct dvk_proc *dst, s32 dep, int ret)
{
	if (src->usr.p_endpoint == sep && !(src->usr.p_rts_flags & DVK_SLOT_FREE))
		src->usr.p_rts_flags &= ~DVK_ONCOPY;
	else if (!ret)
		ret = EDVSSRCDIED;
	if (dst->usr.p_endpoint == dep && !(dst->usr.p_rts_flags & DVK_SLOT_FREE))
		dst->usr.p_rts_flags &= ~DVK_ONCOPY;
	else if (!ret)
		ret = EDVSDSTDIED;
	return ret;
}

/*
 * A party of a vcopy: the caller, a blocked other local process, or a
 * remote endpoint not already in a copy.
 */
static int dvk_party_locked(struct dvk_dc *dc, struct dvk_proc *rq, s32 ep, int dead,
			    struct dvk_proc **pp)
{
	struct dvk_proc *p;
	int ret;

	if (ep == DVK_SELF) {
		*pp = rq;
		return 0;
	}
	if (ep == DVK_ANY || ep == DVK_NONE)
		return EDVSENDPOINT;
	ret = dvk_ep_lookup_locked(dc, ep, &p, dead);
	if (ret)
		return ret;
	if (!dvk_ipc_allowed(rq, p))
		return EDVSTRAPDENIED;
	if (p->usr.p_rts_flags & DVK_REMOTE) {
		if (p->usr.p_rts_flags & DVK_ONCOPY)
			return EDVSBUSY;
		*pp = p;
		return 0;
	}
	if (p != rq && !(p->usr.p_rts_flags & DVK_RECEIVING))
		return EDVSPROCSTS;
	if (p->usr.p_rts_flags & DVK_ONCOPY)
		return EDVSBUSY;
	/* A kernel thread's buffers are reachable from its own context only. */
	if (p != rq && (p->task->flags & PF_KTHREAD))
		return EDVSPERM;
	*pp = p;
	return 0;
}

/**
 * dvk_vcopy() - copy @bytes from @src_ep's memory at @saddr to @dst_ep's at
 * @daddr, requested by the caller.
 * @src_ep: the source endpoint, or DVK_SELF.
 * @saddr: source address in its memory.
 * @dst_ep: the destination endpoint, or DVK_SELF.
 * @daddr: destination address.
 * @bytes: 0 .. the DVS's max_copylen.
 *
 * The requester must be a system slot allowed to IPC to both parties;
 * each party other than the requester must be blocked receiving (the
 * MINIX pattern: a server copies to or from a client waiting in sendrec).
 * Source and destination must differ. A kernel thread (door 3) copies
 * between its kernel buffers and another endpoint's user memory; as the
 * other party of someone else's copy it gets EDVSPERM. Either party may
 * be on another node (rcopy.c; not for a kernel-thread requester).
 *
 * Return: the bytes copied, or EDVSRANGE (size), EDVSENDPOINT (same
 * endpoint twice, ANY, NONE, stale), EDVSSRCDIED, EDVSDSTDIED,
 * EDVSPROCSTS, EDVSBUSY (already in a copy), EDVSTRAPDENIED, EDVSPERM
 * (same process on both sides, or another's kernel thread), EDVSFAULT,
 * EDVSINTR, the errors of dvk_rmt_vcopy_locked() for a remote party, and
 * the errors common to all calls.
 */
long dvk_vcopy(s32 src_ep, unsigned long saddr, s32 dst_ep, unsigned long daddr, long bytes)
{
	struct mm_struct *smm = NULL, *dmm = NULL;
	struct dvk_proc *rq, *src, *dst, *moving;
	long chunk, t = MAX_SCHEDULE_TIMEOUT;
	unsigned long replay_until = 0;
	int ret;
	s32 sep, dep, rep;
	struct dvk_dc *dc;
	bool remote;

again:
	rq = dvk_ipc_enter(DVK_VCOPY, &dc, &ret);
	if (!rq)
		return ret;
	ret = EDVSRANGE;
	if (bytes < 0 || bytes > READ_ONCE(dvk_dvs.usr.d_max_copylen))
		goto out;
	if (src_ep == DVK_SELF)
		src_ep = rq->usr.p_endpoint;
	if (dst_ep == DVK_SELF)
		dst_ep = rq->usr.p_endpoint;
	ret = EDVSENDPOINT;
	if (src_ep == dst_ep)
		goto out;
	ret = dvk_party_locked(dc, rq, src_ep, EDVSSRCDIED, &src);
	if (ret)
		goto out;
	ret = dvk_party_locked(dc, rq, dst_ep, EDVSDSTDIED, &dst);
	if (ret)
		goto out;
	ret = EDVSENDPOINT;		/* the same slot by endpoint and by slot number */
	if (src == dst)
		goto out;
	moving = src != rq && dvk_migrating_locked(src) ? src :
		 dst != rq && dvk_migrating_locked(dst) ? dst : NULL;
	if (moving)
		goto migrating;
	remote = (src->usr.p_rts_flags | dst->usr.p_rts_flags) & DVK_REMOTE;
	ret = EDVSPERM;
	if (remote ? current->flags & PF_KTHREAD : src->task == dst->task)
		goto out;
	if (!(src->usr.p_rts_flags & DVK_REMOTE) && (src != rq || remote)) {
		ret = EDVSSRCDIED;
		smm = dvk_get_mm(src->task);
		if (!smm)
			goto out;
	}
	if (dst != rq && !remote) {
		ret = EDVSDSTDIED;
		dmm = dvk_get_mm(dst->task);
		if (!dmm)
			goto out;
	}
	src->usr.p_rts_flags |= DVK_ONCOPY;
	dst->usr.p_rts_flags |= DVK_ONCOPY;
	rq->usr.p_rts_flags |= DVK_ONCOPY;
	sep = src->usr.p_endpoint;
	dep = dst->usr.p_endpoint;
	rep = rq->usr.p_endpoint;
	chunk = dvk_dvs.usr.d_max_copybuf;
	if (!bytes) {
		ret = 0;
	} else if (remote) {
		ret = dvk_rmt_vcopy_locked(dc, rq, src, saddr, dst, daddr, bytes, smm);
	} else {
		spin_unlock(&dc->lock);
		ret = dvk_copy(smm, saddr, dmm, daddr, bytes, chunk);
		spin_lock(&dc->lock);
	}
	ret = dvk_copy_unmark_locked(src, sep, dst, dep, ret);
	/* A remote party's copy is traced where it lands (rcopy.c). */
	if (!ret && bytes && !remote)
		trace_dvk_copy(dc, rep, dvk_dvs.usr.d_nodeid, sep, dvk_dvs.usr.d_nodeid, dep,
			       bytes);
	if (rq->usr.p_endpoint == rep && !(rq->usr.p_rts_flags & DVK_SLOT_FREE)) {
		rq->usr.p_rts_flags &= ~DVK_ONCOPY;
		if (remote)
			rq->usr.p_rmtcopy++;
		else
			rq->usr.p_lclcopy++;
	}
	/* Refused before any byte moved by a node a party is leaving. */
	if (ret == EDVSMIGRATE && dvk_migr_replay(&replay_until)) {
		moving = src->usr.p_rts_flags & DVK_REMOTE ? src : dst;
		goto migrating;
	}
	if (!ret)
		ret = bytes;
out:
	spin_unlock(&dc->lock);
	dvk_dc_put(dc);
	if (smm)
		mmput(smm);
	if (dmm)
		mmput(dmm);
	return ret;

migrating:
	/* A party migrates: wait for its new place, then copy again. */
	ret = dvk_migr_wait(dc, moving, &t);
	dvk_dc_put(dc);
	if (smm)
		mmput(smm);
	if (dmm)
		mmput(dmm);
	smm = dmm = NULL;
	if (ret)
		return ret;
	goto again;
}
EXPORT_SYMBOL_GPL(dvk_vcopy);
