// SPDX-License-Identifier: GPL-2.0
/*
 * Every call with the ipc() argument layout (call, first, second, third,
 * ptr, fifth), shared by the user doors: each handler unpacks the
 * arguments its call uses, copies user memory in before the core changes
 * any state, and copies results out after. The syscall door passes its
 * registers straight in; an ioctl door passes the same five values.
 */
#include <linux/export.h>
#include <linux/nospec.h>
#include <linux/uaccess.h>
#include <dvk/dvk_kernel.h>
#include "dvk_internal.h"

typedef long (*dvk_call_fn)(int first, unsigned long second, unsigned long third,
			    void __user *ptr, long fifth);

#define DVK_CALL(name)							\
	static long dvk_call_##name(int first, unsigned long second,	\
				   unsigned long third, void __user *ptr, long fifth)

/*
 * Prove a message buffer writable before the call changes any state, so a
 * message is never taken from its sender only to be lost on the way out.
 * Unlike fault_in_writeable(), which stores a zero, this reads the first
 * and the last byte (the one or two pages the buffer touches) and writes
 * each back unchanged.
 */
static int dvk_writable(void __user *ptr, size_t size)
{
	char __user *first = ptr, __user *last = first + size - 1;
	char c;

	/* Up to a page touches at most two pages: those of the first and last byte. */
	if (get_user(c, first) || put_user(c, first) || get_user(c, last) || put_user(c, last))
		return EDVSFAULT;
	return 0;
}

/* Copy a message in; calls that also write a result prove ptr writable. */
static int dvk_msg_in(struct dvk_message *m, void __user *ptr, bool out_too)
{
	if (copy_from_user(m, ptr, sizeof(*m)))
		return EDVSFAULT;
	return out_too ? dvk_writable(ptr, sizeof(*m)) : 0;
}

static long dvk_msg_out(long ret, void __user *ptr, const struct dvk_message *m)
{
	if (ret == 0 && copy_to_user(ptr, m, sizeof(*m)))
		return EDVSFAULT;
	return ret;
}

/* Copy a descriptor out when the call succeeded. */
static long dvk_desc_out(long ret, void __user *ptr, const void *d, size_t size)
{
	if (ret >= 0 && copy_to_user(ptr, d, size))
		return EDVSFAULT;
	return ret;
}

/* dvs_init(first = nodeid, ptr = struct dvs_usr * or NULL) */
DVK_CALL(dvs_init)
{
	struct dvs_usr p;

	if (!ptr)
		return dvk_dvs_init(first, NULL);
	if (copy_from_user(&p, ptr, sizeof(p)))
		return EDVSFAULT;
	return dvk_dvs_init(first, &p);
}

DVK_CALL(dvs_end)
{
	return dvk_dvs_end();
}

/* getdvsinfo(ptr = struct dvs_usr *): filled even when not initialised */
DVK_CALL(getdvsinfo)
{
	struct dvs_usr d;
	long ret = dvk_getdvsinfo(&d);

	if (copy_to_user(ptr, &d, sizeof(d)))
		return EDVSFAULT;
	return ret;
}

/* dc_init(ptr = struct dc_usr *) */
DVK_CALL(dc_init)
{
	struct dc_usr u;

	if (copy_from_user(&u, ptr, sizeof(u)))
		return EDVSFAULT;
	return dvk_dc_init(&u);
}

/* dc_end(first = dcid) */
DVK_CALL(dc_end)
{
	return dvk_dc_end(first);
}

/* getdcinfo(first = dcid or -1, ptr = struct dc_usr *) */
DVK_CALL(getdcinfo)
{
	struct dc_usr u;

	return dvk_desc_out(dvk_getdcinfo(first, &u), ptr, &u, sizeof(u));
}

/*
 * bind(first = oper, second = dcid, third = pid, or for RMT_BIND a pointer
 * to the 16-byte remote name, ptr = endpoint, fifth = nodeid)
 */
DVK_CALL(bind)
{
	char name[DVK_NAME_LEN] = "";
	int pid = (int)third;

	if (first == DVK_RMT_BIND) {
		if (copy_from_user(name, (void __user *)third, sizeof(name)))
			return EDVSFAULT;
		if (dvk_name_check(name))
			return EDVSNAMESIZE;
		pid = 0;
	}
	return dvk_bind(first, (int)second, pid, (s32)(long)ptr, (int)fifth, name);
}

/* unbind(first = dcid, second = endpoint or SELF, third = timeout) */
DVK_CALL(unbind)
{
	return dvk_unbind(first, (s32)second);
}

/* wait4bind(first = oper, second = endpoint or SELF, third = timeout ms) */
DVK_CALL(wait4bind)
{
	return dvk_wait4bind(first, (s32)second, (long)third);
}

/* getep(first = pid) */
DVK_CALL(getep)
{
	return dvk_getep(first);
}

/* getprocinfo(first = dcid or -1, second = slot number, ptr = struct proc_usr *) */
DVK_CALL(getprocinfo)
{
	struct proc_usr u;

	return dvk_desc_out(dvk_getprocinfo(first, (int)second, &u), ptr, &u, sizeof(u));
}

/* getpriv/setpriv(first = dcid, second = endpoint, ptr = struct priv_usr *) */
DVK_CALL(getpriv)
{
	struct priv_usr u;

	return dvk_desc_out(dvk_getpriv(first, (s32)second, &u), ptr, &u, sizeof(u));
}

DVK_CALL(setpriv)
{
	struct priv_usr u;

	if (copy_from_user(&u, ptr, sizeof(u)))
		return EDVSFAULT;
	return dvk_desc_out(dvk_setpriv(first, (s32)second, &u), ptr, &u, sizeof(u));
}

/* send/reply(first = endpoint, ptr = message, fifth = timeout ms) */
DVK_CALL(send)
{
	struct dvk_message m;

	return dvk_msg_in(&m, ptr, false) ?: dvk_send(first, &m, fifth);
}

DVK_CALL(reply)
{
	struct dvk_message m;

	return dvk_msg_in(&m, ptr, false) ?: dvk_reply(first, &m, fifth);
}

/* receive(first = endpoint or ANY, ptr = message, fifth = timeout ms) */
DVK_CALL(receive)
{
	struct dvk_message m;

	if (dvk_writable(ptr, sizeof(struct dvk_message)))
		return EDVSFAULT;
	return dvk_msg_out(dvk_receive(first, &m, fifth), ptr, &m);
}

/* rcvrqst(ptr = message, fifth = timeout ms) */
DVK_CALL(rcvrqst)
{
	struct dvk_message m;

	if (dvk_writable(ptr, sizeof(struct dvk_message)))
		return EDVSFAULT;
	return dvk_msg_out(dvk_rcvrqst(&m, fifth), ptr, &m);
}

/* sendrec(first = endpoint, ptr = request in, reply out, fifth = timeout ms) */
DVK_CALL(sendrec)
{
	struct dvk_message m;

	return dvk_msg_in(&m, ptr, true) ?: dvk_msg_out(dvk_sendrec(first, &m, fifth), ptr, &m);
}

/* notify(first = source slot or SELF or HARDWARE, second = endpoint, third = value) */
DVK_CALL(notify)
{
	long value = (long)third;

	if (first != DVK_HARDWARE && (value < -1 || value > 63))
		return EDVSBADVALUE;
	return dvk_notify(first, (s32)second, (int)value);
}

/* A name argument: DVK_NAME_LEN bytes at @ptr. */
static int dvk_name_in(char *name, void __user *ptr)
{
	if (copy_from_user(name, ptr, DVK_NAME_LEN))
		return EDVSFAULT;
	return 0;
}

/* proxies_bind(first = pxid, second = sender pid, third = receiver pid, ptr = name, fifth = maxbytes) */
DVK_CALL(proxies_bind)
{
	char name[DVK_NAME_LEN];

	return dvk_name_in(name, ptr) ?:
	       dvk_proxies_bind(first, (int)second, (int)third, name, (int)fifth);
}

/* proxies_unbind(first = pxid) */
DVK_CALL(proxies_unbind)
{
	return dvk_proxies_unbind(first);
}

/* proxy_conn(first = pxid, second = status) */
DVK_CALL(proxy_conn)
{
	return dvk_proxy_conn(first, (int)second);
}

/* node_up(first = nodeid, second = pxid, ptr = name) */
DVK_CALL(node_up)
{
	char name[DVK_NAME_LEN];

	return dvk_name_in(name, ptr) ?: dvk_node_up(name, first, (int)second);
}

/* node_down(first = nodeid) */
DVK_CALL(node_down)
{
	return dvk_node_down(first);
}

/* add_node(first = dcid, second = nodeid) */
DVK_CALL(add_node)
{
	return dvk_add_node(first, (int)second);
}

/* del_node(first = dcid, second = nodeid) */
DVK_CALL(del_node)
{
	return dvk_del_node(first, (int)second);
}

/* getnodeinfo(first = nodeid, ptr = struct node_usr *) */
DVK_CALL(getnodeinfo)
{
	struct node_usr u;

	return dvk_desc_out(dvk_getnodeinfo(first, &u), ptr, &u, sizeof(u));
}

/* getproxyinfo(first = pxid, ptr = struct proxies_usr *) */
DVK_CALL(getproxyinfo)
{
	struct proxies_usr u;

	return dvk_desc_out(dvk_getproxyinfo(first, &u), ptr, &u, sizeof(u));
}

/*
 * get2rmt(second = struct dvk_cmd *, third = payload buffer of the pair's
 * px_maxbytes, fifth = timeout ms): the command buffer is proven writable
 * first, so no command taken is lost.
 */
DVK_CALL(get2rmt)
{
	void __user *uc = (void __user *)second;
	struct dvk_cmd c;

	if (dvk_writable(uc, sizeof(c)))
		return EDVSFAULT;
	return dvk_desc_out(dvk_get2rmt(&c, (void __user *)third, fifth), uc, &c, sizeof(c));
}

/* put2lcl(second = struct dvk_cmd *, third = payload) */
DVK_CALL(put2lcl)
{
	struct dvk_cmd c;

	if (copy_from_user(&c, (void __user *)second, sizeof(c)))
		return EDVSFAULT;
	return dvk_put2lcl(&c, (const void __user *)third);
}

/* wakeup(first = dcid, second = endpoint) */
DVK_CALL(wakeup)
{
	return dvk_wakeup(first, (s32)second);
}

/* vcopy(first = src, second = src addr, third = dst, ptr = dst addr, fifth = bytes) */
DVK_CALL(vcopy)
{
	return dvk_vcopy(first, second, (s32)third, (unsigned long)ptr, fifth);
}

/* migrate(first = oper, second = pid, third = dcid, ptr = endpoint, fifth = node) */
DVK_CALL(migrate)
{
	return dvk_migrate(first, (int)second, (int)third, (s32)(long)ptr, fifth);
}

static const dvk_call_fn dvk_calls[DVK_NR_CALLS] = {
	[DVK_DCINIT]		= dvk_call_dc_init,
	[DVK_SEND]		= dvk_call_send,
	[DVK_RECEIVE]		= dvk_call_receive,
	[DVK_NOTIFY]		= dvk_call_notify,
	[DVK_SENDREC]		= dvk_call_sendrec,
	[DVK_RCVRQST]		= dvk_call_rcvrqst,
	[DVK_REPLY]		= dvk_call_reply,
	[DVK_DCEND]		= dvk_call_dc_end,
	[DVK_BIND]		= dvk_call_bind,
	[DVK_UNBIND]		= dvk_call_unbind,
	[DVK_GETPRIV]		= dvk_call_getpriv,
	[DVK_SETPRIV]		= dvk_call_setpriv,
	[DVK_VCOPY]		= dvk_call_vcopy,
	[DVK_GETDCINFO]		= dvk_call_getdcinfo,
	[DVK_GETPROCINFO]	= dvk_call_getprocinfo,
	[DVK_DVSINIT]		= dvk_call_dvs_init,
	[DVK_DVSEND]		= dvk_call_dvs_end,
	[DVK_GETEP]		= dvk_call_getep,
	[DVK_GETDVSINFO]	= dvk_call_getdvsinfo,
	[DVK_WAIT4BIND]		= dvk_call_wait4bind,
	[DVK_WAKEUPEP]		= dvk_call_wakeup,
	[DVK_PROXYBIND]		= dvk_call_proxies_bind,
	[DVK_PROXYUNBIND]	= dvk_call_proxies_unbind,
	[DVK_PROXYCONN]		= dvk_call_proxy_conn,
	[DVK_NODEUP]		= dvk_call_node_up,
	[DVK_NODEDOWN]		= dvk_call_node_down,
	[DVK_ADDNODE]		= dvk_call_add_node,
	[DVK_DELNODE]		= dvk_call_del_node,
	[DVK_GETNODEINFO]	= dvk_call_getnodeinfo,
	[DVK_GETPROXYINFO]	= dvk_call_getproxyinfo,
	[DVK_GET2RMT]		= dvk_call_get2rmt,
	[DVK_PUT2LCL]		= dvk_call_put2lcl,
	[DVK_MIGRATE]		= dvk_call_migrate,
};

/**
 * dvk_do_call() - run call @nr for the current task.
 * @nr: the call number, already checked to be below DVK_NR_CALLS.
 * @first: the ipc() layout's arguments, as each call documents them.
 * @second: see @first.
 * @third: see @first.
 * @ptr: see @first.
 * @fifth: see @first.
 *
 * Return: the call's result, or EDVSNOSYS for a call not implemented.
 */
long dvk_do_call(unsigned int nr, int first, unsigned long second, unsigned long third,
		 void __user *ptr, long fifth)
{
	dvk_call_fn fn = dvk_calls[array_index_nospec(nr, DVK_NR_CALLS)];

	dvk_exits_flush();
	return fn ? fn(first, second, third, ptr, fifth) : EDVSNOSYS;
}
EXPORT_SYMBOL_GPL(dvk_do_call);
