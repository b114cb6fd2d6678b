// SPDX-License-Identifier: GPL-2.0
/*
 * The DVS bridge, guest side: /dev/umlXX (XX = this node's id, from
 * dvs.node=) carries proxy frames between this UML guest and its host's
 * dvs-proxy, over a SOCK_SEQPACKET socket next to the instance's mconsole
 * socket (~/.uml/<umid>/dvsbr) or at dvs.bridge=PATH.
 *
 *   write()  one frame, whole; its prefix is checked (dvk_frame_len()) and a
 *            bad one refused with EINVAL, the reason in the kernel log.
 *            Blocks while the host side is full (back pressure; EAGAIN with
 *            O_NONBLOCK); ENOTCONN while the link is down.
 *   read()   one frame, whole (EMSGSIZE, frame kept, if the buffer is too
 *            small); blocks while none is queued; ENOTCONN once for every
 *            lost link, after the frames that came before the loss.
 *   poll()   POLLIN: a frame or a link loss to read; POLLOUT: the link is up
 *            and the host side has room.
 *
 * The link exists while the device is open: the guest connects every half
 * second until the host proxy listens, and again after a loss once the
 * reader has been told of it (so a new link's frames never come before the
 * old link's ENOTCONN); closing the device drops it. One process holds the
 * device at a time (EBUSY).
 *
 * Locking: br->wmutex (writers; the socket's teardown), then br->lock
 * (everything else; taken in the socket's IRQ handlers).
 */
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <dvk/dvk_frame.h>
#include <irq_kern.h>
#include <os.h>
#include "dvsbridge.h"

#define DVSBR_RXQ_MAX		64		/* frames queued before the host is held back */
#define DVSBR_RETRY		(HZ / 2)

struct dvsbr_frame {
	struct list_head link;
	int len;
	unsigned char data[];
};

static struct dvsbr {
	spinlock_t lock;
	struct mutex wmutex;
	int fd, rirq, wirq;
	bool open, up, lost, writable, stalled, waiting_said;
	struct list_head rxq;
	int nrx;
	struct dvsbr_frame *spare;	/* a whole frame's room, for when GFP_ATOMIC fails */
	wait_queue_head_t rwait, wwait;
	struct delayed_work connect_work;
	struct work_struct drop_work;
	char path[256];
	char name[8];
	int node;
	struct miscdevice misc;
} dvsbr = {
	.lock = __SPIN_LOCK_UNLOCKED(dvsbr.lock),
	.wmutex = __MUTEX_INITIALIZER(dvsbr.wmutex),
	.fd = -1,
	.node = -1,
	.rxq = LIST_HEAD_INIT(dvsbr.rxq),
	.rwait = __WAIT_QUEUE_HEAD_INITIALIZER(dvsbr.rwait),
	.wwait = __WAIT_QUEUE_HEAD_INITIALIZER(dvsbr.wwait),
};

static int __init dvsbr_node_setup(char *s)
{
	if (kstrtoint(s, 10, &dvsbr.node) || dvsbr.node < 0 || dvsbr.node >= DVK_MAX_NODES)
		dvsbr.node = -1;
	return 0;	/* dvs.node= is the init's too */
}
__setup("dvs.node=", dvsbr_node_setup);

static int __init dvsbr_path_setup(char *s)
{
	strscpy(dvsbr.path, s, sizeof(dvsbr.path));
	return 1;
}
__setup("dvs.bridge=", dvsbr_path_setup);

/* The link is gone (@why): tell the reader, free the writers. br->lock held. */
static void dvsbr_lost_locked(struct dvsbr *br, const char *why)
{
	if (!br->up)
		return;
	br->up = false;
	br->lost = true;
	pr_info("dvsbridge: link to the host lost (%s)\n", why);
	wake_up_interruptible(&br->rwait);
	wake_up_interruptible(&br->wwait);
	schedule_work(&br->drop_work);
}

/* Take the host's frames off the socket while there is room. br->lock held. */
static void dvsbr_drain_locked(struct dvsbr *br)
{
	bool got = false;

	while (br->up && !br->stalled) {
		struct dvsbr_frame *f;
		int n;

		if (br->nrx >= DVSBR_RXQ_MAX) {
			br->stalled = true;	/* the socket fills: the host waits */
			break;
		}
		n = dvsbr_user_peek(br->fd);
		if (n == -EAGAIN)
			break;
		if (n <= 0 || n > DVK_FRAME_MAX) {
			dvsbr_lost_locked(br, n == 0 ? "the host closed it" :
					  n > 0 ? "a frame too big from the host" : "receive failed");
			break;
		}
		f = kmalloc(struct_size(f, data, n), GFP_ATOMIC | __GFP_NOWARN);
		if (!f) {
			f = br->spare;		/* the reader makes another */
			br->spare = NULL;
		}
		if (!f) {
			br->stalled = true;	/* the reader tries again */
			break;
		}
		f->len = dvsbr_user_recv(br->fd, f->data, n);
		if (f->len != n) {
			if (is_vmalloc_addr(f))
				br->spare = f;	/* no vfree() here, with the lock held */
			else
				kfree(f);
			dvsbr_lost_locked(br, "receive failed");
			break;
		}
		list_add_tail(&f->link, &br->rxq);
		br->nrx++;
		got = true;
	}
	if (got)
		wake_up_interruptible(&br->rwait);
}

static irqreturn_t dvsbr_rx_irq(int irq, void *dev)
{
	struct dvsbr *br = dev;
	unsigned long flags;

	spin_lock_irqsave(&br->lock, flags);
	dvsbr_drain_locked(br);
	spin_unlock_irqrestore(&br->lock, flags);
	return IRQ_HANDLED;
}

static irqreturn_t dvsbr_tx_irq(int irq, void *dev)
{
	struct dvsbr *br = dev;
	unsigned long flags;

	spin_lock_irqsave(&br->lock, flags);
	br->writable = true;
	spin_unlock_irqrestore(&br->lock, flags);
	wake_up_interruptible(&br->wwait);
	return IRQ_HANDLED;
}

/* Close the socket of a lost or closed link. Process context. */
static void dvsbr_close_fd(struct dvsbr *br)
{
	int fd;

	mutex_lock(&br->wmutex);
	spin_lock_irq(&br->lock);
	fd = br->fd;
	br->fd = -1;
	br->up = false;
	spin_unlock_irq(&br->lock);
	if (fd >= 0) {
		um_free_irq(br->rirq, br);
		um_free_irq(br->wirq, br);
		dvsbr_user_close(fd);
	}
	mutex_unlock(&br->wmutex);
}

static void dvsbr_drop_work(struct work_struct *work)
{
	struct dvsbr *br = container_of(work, struct dvsbr, drop_work);

	dvsbr_close_fd(br);
	spin_lock_irq(&br->lock);
	if (br->open)
		schedule_delayed_work(&br->connect_work, DVSBR_RETRY);
	spin_unlock_irq(&br->lock);
}

static void dvsbr_connect_work(struct work_struct *work)
{
	struct dvsbr *br = container_of(to_delayed_work(work), struct dvsbr, connect_work);
	int fd, rirq, wirq;

	spin_lock_irq(&br->lock);
	if (!br->open || br->fd >= 0 || br->lost) {
		spin_unlock_irq(&br->lock);
		return;		/* dvsbr_read() calls again once the loss is read */
	}
	spin_unlock_irq(&br->lock);
	fd = dvsbr_user_connect(br->path);
	if (fd < 0) {
		if (!br->waiting_said)
			pr_info("dvsbridge: waiting for the host proxy at %s (%d)\n", br->path, fd);
		br->waiting_said = true;
		goto retry;
	}
	rirq = um_request_irq(UM_IRQ_ALLOC, fd, IRQ_READ, dvsbr_rx_irq, 0, "dvsbridge", br);
	if (rirq < 0)
		goto close;
	wirq = um_request_irq(UM_IRQ_ALLOC, fd, IRQ_WRITE, dvsbr_tx_irq, 0, "dvsbridge-tx", br);
	if (wirq < 0) {
		um_free_irq(rirq, br);
		goto close;
	}
	spin_lock_irq(&br->lock);
	br->fd = fd;
	br->rirq = rirq;
	br->wirq = wirq;
	br->up = true;
	br->writable = true;
	br->stalled = false;
	br->waiting_said = false;
	dvsbr_drain_locked(br);		/* what came before the IRQs were there */
	spin_unlock_irq(&br->lock);
	pr_info("dvsbridge: /dev/%s linked to the host at %s\n", br->name, br->path);
	wake_up_interruptible(&br->wwait);
	return;
close:
	pr_warn("dvsbridge: no IRQ for the host socket\n");
	dvsbr_user_close(fd);
retry:
	if (READ_ONCE(br->open))
		schedule_delayed_work(&br->connect_work, DVSBR_RETRY);
}

static void dvsbr_flush_rxq(struct dvsbr *br)
{
	struct dvsbr_frame *f, *tmp;
	LIST_HEAD(old);

	spin_lock_irq(&br->lock);
	list_splice_init(&br->rxq, &old);
	br->nrx = 0;
	spin_unlock_irq(&br->lock);
	list_for_each_entry_safe(f, tmp, &old, link)
		kvfree(f);
}

static int dvsbr_open(struct inode *inode, struct file *file)
{
	struct dvsbr *br = &dvsbr;

	spin_lock_irq(&br->lock);
	if (br->open) {
		spin_unlock_irq(&br->lock);
		return -EBUSY;
	}
	br->open = true;
	br->lost = false;
	spin_unlock_irq(&br->lock);
	schedule_delayed_work(&br->connect_work, 0);
	return stream_open(inode, file);
}

static int dvsbr_release(struct inode *inode, struct file *file)
{
	struct dvsbr *br = &dvsbr;

	spin_lock_irq(&br->lock);
	br->open = false;
	spin_unlock_irq(&br->lock);
	cancel_delayed_work_sync(&br->connect_work);
	dvsbr_close_fd(br);		/* the host sees the link go; no IRQ after this */
	flush_work(&br->drop_work);	/* one queued before: nothing left to close */
	dvsbr_flush_rxq(br);
	return 0;
}

/* Give the receive side a whole frame's room again, and let it go on. */
static void dvsbr_refill(struct dvsbr *br)
{
	struct dvsbr_frame *spare = NULL;

	if (!READ_ONCE(br->spare))
		spare = kvmalloc(struct_size(spare, data, DVK_FRAME_MAX), GFP_KERNEL);
	spin_lock_irq(&br->lock);
	if (spare && !br->spare) {
		br->spare = spare;
		spare = NULL;
	}
	if (br->stalled && br->nrx < DVSBR_RXQ_MAX) {
		br->stalled = false;
		dvsbr_drain_locked(br);
	}
	spin_unlock_irq(&br->lock);
	kvfree(spare);
}

static ssize_t dvsbr_read(struct file *file, char __user *ubuf, size_t count, loff_t *ppos)
{
	struct dvsbr *br = &dvsbr;
	struct dvsbr_frame *f;
	int ret;

	for (;;) {
		bool starved;

		spin_lock_irq(&br->lock);
		f = list_first_entry_or_null(&br->rxq, struct dvsbr_frame, link);
		if (f) {
			if (f->len > count) {
				spin_unlock_irq(&br->lock);
				return -EMSGSIZE;
			}
			list_del(&f->link);
			br->nrx--;
			spin_unlock_irq(&br->lock);
			if (copy_to_user(ubuf, f->data, f->len)) {
				spin_lock_irq(&br->lock);
				list_add(&f->link, &br->rxq);	/* kept for the next read */
				br->nrx++;
				spin_unlock_irq(&br->lock);
				return -EFAULT;
			}
			ret = f->len;
			kvfree(f);
			dvsbr_refill(br);
			return ret;
		}
		if (br->lost) {
			br->lost = false;
			spin_unlock_irq(&br->lock);
			schedule_delayed_work(&br->connect_work, 0);
			return -ENOTCONN;
		}
		starved = br->stalled || !br->spare;
		spin_unlock_irq(&br->lock);
		if (starved) {
			dvsbr_refill(br);	/* the socket may hold frames we had no room for */
			if (!list_empty(&br->rxq))
				continue;
		}
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(br->rwait,
					     !list_empty(&br->rxq) || READ_ONCE(br->lost)))
			return -ERESTARTSYS;
	}
}

/* Is @buf (@len bytes, as written) one whole frame? Its fault in the log if not. */
static int dvsbr_check_frame(const unsigned char *buf, size_t len)
{
	static const char *const why[] = {
		[DVK_FRAME_EINCOMPLETE] = "shorter than a frame header",
		[DVK_FRAME_EMAGIC] = DVK_FRAME_TEXT_EMAGIC,
		[DVK_FRAME_EVERSION] = DVK_FRAME_TEXT_EVERSION,
		[DVK_FRAME_EHDRLEN] = DVK_FRAME_TEXT_EHDRLEN,
		[DVK_FRAME_EFLAGS] = DVK_FRAME_TEXT_EFLAGS,
		[DVK_FRAME_ETOOBIG] = DVK_FRAME_TEXT_ETOOBIG,
	};
	unsigned long total;
	int r = dvk_frame_len(buf, len, &total);

	if (r) {
		pr_warn_ratelimited("dvsbridge: %s wrote a bad frame: %s\n", current->comm, why[-r]);
		return -EINVAL;
	}
	if (total != len) {
		pr_warn_ratelimited("dvsbridge: %s wrote %zu bytes for a frame of %lu: one write is one frame\n",
				    current->comm, len, total);
		return -EINVAL;
	}
	return 0;
}

static ssize_t dvsbr_write(struct file *file, const char __user *ubuf, size_t count,
			   loff_t *ppos)
{
	struct dvsbr *br = &dvsbr;
	unsigned char *buf;
	ssize_t ret;

	if (count > DVK_FRAME_MAX)
		return -EMSGSIZE;
	buf = kvmalloc(count ?: 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(buf, ubuf, count))
		goto out;
	ret = dvsbr_check_frame(buf, count);
	if (ret)
		goto out;
	ret = -ERESTARTSYS;
	if (mutex_lock_interruptible(&br->wmutex))
		goto out;
	for (;;) {
		int fd, n;

		spin_lock_irq(&br->lock);
		fd = br->fd;
		if (!br->up) {
			spin_unlock_irq(&br->lock);
			ret = -ENOTCONN;
			break;
		}
		br->writable = false;
		spin_unlock_irq(&br->lock);
		n = dvsbr_user_send(fd, buf, count);
		if (n == count) {
			ret = count;
			break;
		}
		if (n != -EAGAIN) {
			spin_lock_irq(&br->lock);
			dvsbr_lost_locked(br, "send failed");
			spin_unlock_irq(&br->lock);
			ret = -ENOTCONN;
			break;
		}
		ret = -EAGAIN;
		if (file->f_flags & O_NONBLOCK)
			break;
		ret = -ERESTARTSYS;
		if (wait_event_interruptible(br->wwait, READ_ONCE(br->writable) ||
					     !READ_ONCE(br->up)))
			break;
	}
	mutex_unlock(&br->wmutex);
out:
	kvfree(buf);
	return ret;
}

static __poll_t dvsbr_poll(struct file *file, poll_table *wait)
{
	struct dvsbr *br = &dvsbr;
	__poll_t mask = 0;

	poll_wait(file, &br->rwait, wait);
	poll_wait(file, &br->wwait, wait);
	spin_lock_irq(&br->lock);
	if (!list_empty(&br->rxq) || br->lost)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (br->up && br->writable)
		mask |= EPOLLOUT | EPOLLWRNORM;
	spin_unlock_irq(&br->lock);
	return mask;
}

static const struct file_operations dvsbr_fops = {
	.owner = THIS_MODULE,
	.open = dvsbr_open,
	.release = dvsbr_release,
	.read = dvsbr_read,
	.write = dvsbr_write,
	.poll = dvsbr_poll,
};

static int __init dvsbr_init(void)
{
	struct dvsbr *br = &dvsbr;
	int err;

	if (br->node < 0) {
		pr_info("dvsbridge: no dvs.node= on the command line: no /dev/umlXX\n");
		return 0;
	}
	if (!br->path[0] && umid_file_name(DVSBR_SOCK_NAME, br->path, sizeof(br->path))) {
		pr_err("dvsbridge: no path for the host socket: give dvs.bridge=PATH\n");
		return -ENAMETOOLONG;
	}
	INIT_DELAYED_WORK(&br->connect_work, dvsbr_connect_work);
	INIT_WORK(&br->drop_work, dvsbr_drop_work);
	snprintf(br->name, sizeof(br->name), "uml%02d", br->node);
	br->misc.minor = MISC_DYNAMIC_MINOR;
	br->misc.name = br->name;
	br->misc.fops = &dvsbr_fops;
	br->misc.mode = 0600;
	err = misc_register(&br->misc);
	if (err) {
		pr_err("dvsbridge: cannot register /dev/%s: %d\n", br->name, err);
		return err;
	}
	pr_info("dvsbridge: /dev/%s, host socket %s\n", br->name, br->path);
	return 0;
}
late_initcall(dvsbr_init);
