// SPDX-License-Identifier: GPL-2.0
/*
 * Door 1: the dvkipc() system call, the DVK entered as a variant of SysV
 * IPC. Arguments arrive in registers with the ipc() layout
 * (call, first, second, third, ptr, fifth); each handler below unpacks the
 * ones its call uses, copies user memory in before the core changes any
 * state, and copies results out after.
 */
#include <linux/init.h>
#include <linux/nospec.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>
#include <dvk/dvk_kernel.h>
#include "dvk_internal.h"

typedef long (*dvk_ipc_fn)(int first, unsigned long second, unsigned long third,
			   void __user *ptr, long fifth);

#define DVK_IPC(name)							\
	static long dvk_ipc_##name(int first, unsigned long second,	\
				   unsigned long third, void __user *ptr, long fifth)

/*
 * Prove a message buffer writable before the call changes any state, so a
 * message is never taken from its sender only to be lost on the way out.
 * Unlike fault_in_writeable(), which stores a zero, this writes back the
 * byte it read at the start of each page the buffer touches.
 */
static int dvk_msg_writable(void __user *ptr)
{
	char __user *first = ptr, __user *last = first + sizeof(struct dvk_message) - 1;
	char c;

	/* 64 bytes touch at most two pages: those of the first and last byte. */
	if (get_user(c, first) || put_user(c, first) || get_user(c, last) || put_user(c, last))
		return EDVSFAULT;
	return 0;
}

/* Copy a message in; calls that also write a result prove ptr writable. */
static int dvk_msg_in(struct dvk_message *m, void __user *ptr, bool out_too)
{
	if (copy_from_user(m, ptr, sizeof(*m)))
		return EDVSFAULT;
	return out_too ? dvk_msg_writable(ptr) : 0;
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
DVK_IPC(dvs_init)
{
	struct dvs_usr p;

	if (!ptr)
		return dvk_dvs_init(first, NULL);
	if (copy_from_user(&p, ptr, sizeof(p)))
		return EDVSFAULT;
	return dvk_dvs_init(first, &p);
}

DVK_IPC(dvs_end)
{
	return dvk_dvs_end();
}

/* getdvsinfo(ptr = struct dvs_usr *): filled even when not initialised */
DVK_IPC(getdvsinfo)
{
	struct dvs_usr d;
	long ret = dvk_getdvsinfo(&d);

	if (copy_to_user(ptr, &d, sizeof(d)))
		return EDVSFAULT;
	return ret;
}

/* dc_init(ptr = struct dc_usr *) */
DVK_IPC(dc_init)
{
	struct dc_usr u;

	if (copy_from_user(&u, ptr, sizeof(u)))
		return EDVSFAULT;
	return dvk_dc_init(&u);
}

/* dc_end(first = dcid) */
DVK_IPC(dc_end)
{
	return dvk_dc_end(first);
}

/* getdcinfo(first = dcid or -1, ptr = struct dc_usr *) */
DVK_IPC(getdcinfo)
{
	struct dc_usr u;

	return dvk_desc_out(dvk_getdcinfo(first, &u), ptr, &u, sizeof(u));
}

/*
 * bind(first = oper, second = dcid, third = pid, or for RMT_BIND a pointer
 * to the 16-byte remote name, ptr = endpoint, fifth = nodeid)
 */
DVK_IPC(bind)
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
DVK_IPC(unbind)
{
	return dvk_unbind(first, (s32)second);
}

/* wait4bind(first = oper, second = endpoint or SELF, third = timeout ms) */
DVK_IPC(wait4bind)
{
	return dvk_wait4bind(first, (s32)second, (long)third);
}

/* getep(first = pid) */
DVK_IPC(getep)
{
	return dvk_getep(first);
}

/* getprocinfo(first = dcid or -1, second = slot number, ptr = struct proc_usr *) */
DVK_IPC(getprocinfo)
{
	struct proc_usr u;

	return dvk_desc_out(dvk_getprocinfo(first, (int)second, &u), ptr, &u, sizeof(u));
}

/* getpriv/setpriv(first = dcid, second = endpoint, ptr = struct priv_usr *) */
DVK_IPC(getpriv)
{
	struct priv_usr u;

	return dvk_desc_out(dvk_getpriv(first, (s32)second, &u), ptr, &u, sizeof(u));
}

DVK_IPC(setpriv)
{
	struct priv_usr u;

	if (copy_from_user(&u, ptr, sizeof(u)))
		return EDVSFAULT;
	return dvk_desc_out(dvk_setpriv(first, (s32)second, &u), ptr, &u, sizeof(u));
}

/* send/reply(first = endpoint, ptr = message, fifth = timeout ms) */
DVK_IPC(send)
{
	struct dvk_message m;

	return dvk_msg_in(&m, ptr, false) ?: dvk_send(first, &m, fifth);
}

DVK_IPC(reply)
{
	struct dvk_message m;

	return dvk_msg_in(&m, ptr, false) ?: dvk_reply(first, &m, fifth);
}

/* receive(first = endpoint or ANY, ptr = message, fifth = timeout ms) */
DVK_IPC(receive)
{
	struct dvk_message m;

	if (dvk_msg_writable(ptr))
		return EDVSFAULT;
	return dvk_msg_out(dvk_receive(first, &m, fifth), ptr, &m);
}

/* rcvrqst(ptr = message, fifth = timeout ms) */
DVK_IPC(rcvrqst)
{
	struct dvk_message m;

	if (dvk_msg_writable(ptr))
		return EDVSFAULT;
	return dvk_msg_out(dvk_rcvrqst(&m, fifth), ptr, &m);
}

/* sendrec(first = endpoint, ptr = request in, reply out, fifth = timeout ms) */
DVK_IPC(sendrec)
{
	struct dvk_message m;

	return dvk_msg_in(&m, ptr, true) ?: dvk_msg_out(dvk_sendrec(first, &m, fifth), ptr, &m);
}

/* notify(first = source slot or SELF or HARDWARE, second = endpoint, third = value) */
DVK_IPC(notify)
{
	long value = (long)third;

	if (first != DVK_HARDWARE && (value < -1 || value > 63))
		return EDVSBADVALUE;
	return dvk_notify(first, (s32)second, (int)value);
}

/* wakeup(first = dcid, second = endpoint) */
DVK_IPC(wakeup)
{
	return dvk_wakeup(first, (s32)second);
}

/* vcopy(first = src, second = src addr, third = dst, ptr = dst addr, fifth = bytes) */
DVK_IPC(vcopy)
{
	return dvk_vcopy(first, second, (s32)third, (unsigned long)ptr, fifth);
}

static const dvk_ipc_fn dvk_ipc_calls[DVK_NR_CALLS] = {
	[DVK_DCINIT]		= dvk_ipc_dc_init,
	[DVK_SEND]		= dvk_ipc_send,
	[DVK_RECEIVE]		= dvk_ipc_receive,
	[DVK_NOTIFY]		= dvk_ipc_notify,
	[DVK_SENDREC]		= dvk_ipc_sendrec,
	[DVK_RCVRQST]		= dvk_ipc_rcvrqst,
	[DVK_REPLY]		= dvk_ipc_reply,
	[DVK_DCEND]		= dvk_ipc_dc_end,
	[DVK_BIND]		= dvk_ipc_bind,
	[DVK_UNBIND]		= dvk_ipc_unbind,
	[DVK_GETPRIV]		= dvk_ipc_getpriv,
	[DVK_SETPRIV]		= dvk_ipc_setpriv,
	[DVK_VCOPY]		= dvk_ipc_vcopy,
	[DVK_GETDCINFO]		= dvk_ipc_getdcinfo,
	[DVK_GETPROCINFO]	= dvk_ipc_getprocinfo,
	[DVK_DVSINIT]		= dvk_ipc_dvs_init,
	[DVK_DVSEND]		= dvk_ipc_dvs_end,
	[DVK_GETEP]		= dvk_ipc_getep,
	[DVK_GETDVSINFO]	= dvk_ipc_getdvsinfo,
	[DVK_WAIT4BIND]		= dvk_ipc_wait4bind,
	[DVK_WAKEUPEP]		= dvk_ipc_wakeup,
};

/* Declared here, not in syscalls.h: the patch stays one table line. */
asmlinkage long sys_dvkipc(unsigned int call, int first, unsigned long second,
			   unsigned long third, void __user *ptr, long fifth);

SYSCALL_DEFINE6(dvkipc, unsigned int, call, int, first, unsigned long, second,
		unsigned long, third, void __user *, ptr, long, fifth)
{
	unsigned int nr;
	dvk_ipc_fn fn;
	int ret;

	/* Not open if the core's init failed: no binding without the exit hook. */
	if (!(READ_ONCE(dvk_dvs.doors) & DVS_IPC))
		return EDVSNODEV;
	ret = dvk_call_decode(call, &nr);
	if (ret)
		return ret;
	fn = dvk_ipc_calls[array_index_nospec(nr, DVK_NR_CALLS)];
	if (!fn)
		return EDVSNOSYS;
	return fn(first, second, third, ptr, fifth);
}

static int __init dvk_ipc_door_init(void)
{
	int ret = dvk_exit_hook_init();

	if (ret)
		return ret;
	ret = dvk_procfs_init();
	if (ret) {
		pr_err("dvk: cannot create /proc/dvs (%d)\n", ret);
		dvk_exit_hook_exit();
		return ret;
	}
	dvk_door_set(DVS_IPC, true);
	pr_info("dvk: DVK IPC door open (syscall %d, ABI %d)\n", DVK_SYSCALL_NR, DVK_VERSION);
	return 0;
}
device_initcall(dvk_ipc_door_init);
