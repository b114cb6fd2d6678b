// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_echo.ko: a kernel thread as a DVK endpoint (door 3), for the tests.
 *
 * Loading it starts the thread "dvk_echo", which binds itself to slot
 * @nr of DC @dc (the DVS and the DC must exist) and serves requests
 * until the module is unloaded:
 *
 *   m_type DVK_ECHO_PING  the message comes back with m_type DVK_ECHO_PONG
 *                         and m1.i1 incremented;
 *   m_type DVK_ECHO_UPPER the client's buffer (m1.p1, m1.i1 bytes, at most
 *                         DVK_ECHO_MAX) is vcopied into the thread's kernel
 *                         buffer, upper-cased there and vcopied back; the
 *                         reply carries the bytes copied (or the error) in
 *                         m1.i2.
 *
 * The reply's m_type is 0 on success or a negative EDVS code.
 */
#include <linux/ctype.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <dvk/dvk_kernel.h>

#define DVK_ECHO_PING	1
#define DVK_ECHO_PONG	2
#define DVK_ECHO_UPPER	3
#define DVK_ECHO_MAX	65536

static int dc;
module_param(dc, int, 0444);
MODULE_PARM_DESC(dc, "DC to bind in");
static int nr = 5;
module_param(nr, int, 0444);
MODULE_PARM_DESC(nr, "slot to bind to (a system slot, to vcopy)");

static struct task_struct *dvk_echo_task;
static char *dvk_echo_buf;

static void dvk_echo_upper(struct dvk_message *m, char *buf)
{
	long len = m->m_u.m1.i1, got, i;

	if (len < 0 || len > DVK_ECHO_MAX) {
		m->m_u.m1.i2 = EDVSRANGE;
		return;
	}
	got = dvk_vcopy(m->m_source, m->m_u.m1.p1, DVK_SELF, (unsigned long)buf, len);
	if (got == len) {
		for (i = 0; i < len; i++)
			buf[i] = toupper(buf[i]);
		got = dvk_vcopy(DVK_SELF, (unsigned long)buf, m->m_source, m->m_u.m1.p1, len);
	}
	m->m_u.m1.i2 = got;
}

static int dvk_echo_thread(void *unused)
{
	struct dvk_message m;
	long ret;

	ret = dvk_bind(DVK_SELF_BIND, dc, 0, nr, DVK_LOCALNODE, NULL);
	if (ret < 0) {
		pr_err("dvk_echo: bind to DC %d slot %d failed (%ld)\n", dc, nr, ret);
		goto idle;
	}
	pr_info("dvk_echo: serving as endpoint %ld of DC %d\n", ret, dc);
	while (!kthread_should_stop()) {
		/* Short timeouts, so an unload never waits long. */
		ret = dvk_receive(DVK_ANY, &m, 100);
		if (ret == EDVSTIMEDOUT)
			continue;
		if (ret < 0) {
			/* kthread_stop() interrupts the wait: that is no failure. */
			if (!kthread_should_stop())
				pr_warn("dvk_echo: receive failed (%ld), stopping\n", ret);
			break;
		}
		switch (m.m_type) {
		case DVK_ECHO_PING:
			m.m_u.m1.i1++;
			m.m_type = DVK_ECHO_PONG;
			break;
		case DVK_ECHO_UPPER:
			dvk_echo_upper(&m, dvk_echo_buf);
			m.m_type = 0;
			break;
		default:
			m.m_type = EDVSBADREQUEST;
		}
		ret = dvk_reply(m.m_source, &m, 1000);
		if (ret < 0)
			pr_warn("dvk_echo: reply to %d failed (%ld)\n", m.m_source, ret);
	}
	dvk_unbind(dc, DVK_SELF);
idle:
	/* kthread_stop() expects the thread to be there until it asks. */
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static int __init dvk_echo_init(void)
{
	dvk_echo_buf = kvmalloc(DVK_ECHO_MAX, GFP_KERNEL);
	if (!dvk_echo_buf)
		return -ENOMEM;
	dvk_echo_task = kthread_run(dvk_echo_thread, NULL, "dvk_echo");
	if (IS_ERR(dvk_echo_task)) {
		kvfree(dvk_echo_buf);
		return PTR_ERR(dvk_echo_task);
	}
	return 0;
}

static void __exit dvk_echo_exit(void)
{
	kthread_stop(dvk_echo_task);
	kvfree(dvk_echo_buf);
}

module_init(dvk_echo_init);
module_exit(dvk_echo_exit);
MODULE_DESCRIPTION("DVK test: a kernel-thread echo server (door 3)");
MODULE_LICENSE("GPL");
