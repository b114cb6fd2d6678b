// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libdvk: door selection and the DVS-level calls.
 *
 * The door is process-wide state on purpose: DVK calls are made on behalf
 * of the calling process (its binding lives in the kernel), so a handle
 * per call site would add nothing but a way to pass the wrong one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <dvk/libdvk.h>

/*
 * 0 = not chosen yet, else DVS_IPC or DVS_IOCTL; with DVS_IOCTL, dvk_fd is
 * the open /dev/dvk (set before the door is published).
 */
static _Atomic int dvk_door_open;
static _Atomic int dvk_fd = -1;

static long dvk_ipc_raw(unsigned int call, int first, unsigned long second,
			unsigned long third, void *ptr, long fifth)
{
	long r = syscall(DVK_SYSCALL_NR, call, first, second, third, ptr, fifth);

	return r < 0 ? -errno : r;
}

static long dvk_ioctl_raw(int fd, unsigned int n, int first, unsigned long second,
			  unsigned long third, void *ptr, long fifth)
{
	struct dvk_ioc_args a = {
		.first = first, .second = second, .third = third,
		.ptr = (uintptr_t)ptr, .fifth = fifth,
	};

	/* ioctl() returns an int; the full result is in a.ret. */
	return ioctl(fd, DVK_IOC(n), &a) < 0 ? -errno : a.ret;
}

/* The system call door, if this kernel has it. */
static int dvk_try_ipc(void)
{
	struct dvs_usr d;

	if (dvk_ipc_raw(DVK_CALL_ENCODE(DVK_GETDVSINFO), 0, 0, 0, &d, 0) == -ENOSYS)
		return EDVSNODEV;
	return DVS_IPC;
}

/* /dev/dvk, if dvk.ko is loaded; the descriptor stays open for the process. */
static int dvk_try_ioctl(void)
{
	int expected = -1, fd = open(DVK_DEV_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return EDVSNODEV;
	if (!atomic_compare_exchange_strong(&dvk_fd, &expected, fd))
		close(fd);	/* another thread got there first */
	return DVS_IOCTL;
}

/**
 * dvk_open() - choose the door for this process.
 *
 * The system call when the kernel has it (DVKIPC built in), else
 * /dev/dvk (dvk.ko). DVK_DOOR=ipc or DVK_DOOR=ioctl in the environment
 * insists on one (on a kernel with both, to use the other).
 *
 * Return: DVS_IPC or DVS_IOCTL, or EDVSNODEV when no DVK door is open on
 * this kernel (build the guest with DVKIPC, or load dvk.ko).
 */
int dvk_open(void)
{
	const char *want = getenv("DVK_DOOR");
	int door = atomic_load(&dvk_door_open);

	if (door)
		return door;
	if (want && !strcmp(want, "ioctl"))
		door = dvk_try_ioctl();
	else if (want && !strcmp(want, "ipc"))
		door = dvk_try_ipc();
	else if ((door = dvk_try_ipc()) < 0)
		door = dvk_try_ioctl();
	if (door > 0)
		atomic_store(&dvk_door_open, door);
	return door;
}

int dvk_door(void)
{
	return atomic_load(&dvk_door_open);
}

void dvk_close(void)
{
	int fd = atomic_exchange(&dvk_fd, -1);

	atomic_store(&dvk_door_open, 0);
	if (fd >= 0)
		close(fd);
}

long dvk_call(int n, int first, unsigned long second, unsigned long third,
	      void *ptr, long fifth)
{
	int door = dvk_open();

	if (door < 0)
		return door;
	if (n < 0 || n >= DVK_NR_CALLS)
		return EDVSNOSYS;
	if (door == DVS_IOCTL)
		return dvk_ioctl_raw(atomic_load(&dvk_fd), (unsigned int)n, first, second,
				     third, ptr, fifth);
	return dvk_ipc_raw(DVK_CALL_ENCODE((unsigned int)n), first, second, third, ptr, fifth);
}

int dvk_dvs_init(int nodeid, const struct dvs_usr *params)
{
	return (int)dvk_call(DVK_DVSINIT, nodeid, 0, 0, (void *)params, 0);
}

int dvk_dvs_end(void)
{
	return (int)dvk_call(DVK_DVSEND, 0, 0, 0, NULL, 0);
}

int dvk_getdvsinfo(struct dvs_usr *out)
{
	return (int)dvk_call(DVK_GETDVSINFO, 0, 0, 0, out, 0);
}

int dvk_dc_init(const struct dc_usr *u)
{
	return (int)dvk_call(DVK_DCINIT, 0, 0, 0, (void *)u, 0);
}

int dvk_dc_end(int dcid)
{
	return (int)dvk_call(DVK_DCEND, dcid, 0, 0, NULL, 0);
}

int dvk_getdcinfo(int dcid, struct dc_usr *out)
{
	return (int)dvk_call(DVK_GETDCINFO, dcid, 0, 0, out, 0);
}

/* The endpoint travels in ptr, as in the original's positional layout. */
int dvk_bind_X(int oper, int dcid, int pid, int ep, int nodeid)
{
	return (int)dvk_call(DVK_BIND, oper, (unsigned long)dcid, (unsigned long)pid,
			     (void *)(long)ep, nodeid);
}

int dvk_tbind(int dcid, int nr)
{
	return dvk_bind_X(DVK_SELF_BIND, dcid, (int)syscall(SYS_gettid), nr, DVK_LOCALNODE);
}

/* A name argument as the kernel reads it: DVK_NAME_LEN bytes, NUL-padded. */
static int dvk_name_arg(char n[DVK_NAME_LEN], const char *name)
{
	if (!name || strlen(name) >= DVK_NAME_LEN)
		return EDVSNAMESIZE;
	memset(n, 0, DVK_NAME_LEN);
	memcpy(n, name, strlen(name));
	return 0;
}

int dvk_rmtbind(int dcid, const char *name, int ep, int nodeid)
{
	char n[DVK_NAME_LEN];

	if (dvk_name_arg(n, name))
		return EDVSNAMESIZE;
	return (int)dvk_call(DVK_BIND, DVK_RMT_BIND, (unsigned long)dcid, (unsigned long)n,
			     (void *)(long)ep, nodeid);
}

int dvk_proxies_bind(const char *name, int pxid, int spid, int rpid, int maxbytes)
{
	char n[DVK_NAME_LEN];

	if (dvk_name_arg(n, name))
		return EDVSNAMESIZE;
	return (int)dvk_call(DVK_PROXYBIND, pxid, (unsigned long)spid, (unsigned long)rpid, n,
			     maxbytes);
}

int dvk_proxies_unbind(int pxid)
{
	return (int)dvk_call(DVK_PROXYUNBIND, pxid, 0, 0, NULL, 0);
}

int dvk_proxy_conn(int pxid, int status)
{
	return (int)dvk_call(DVK_PROXYCONN, pxid, (unsigned long)status, 0, NULL, 0);
}

int dvk_node_up(const char *name, int nodeid, int pxid)
{
	char n[DVK_NAME_LEN];

	if (dvk_name_arg(n, name))
		return EDVSNAMESIZE;
	return (int)dvk_call(DVK_NODEUP, nodeid, (unsigned long)pxid, 0, n, 0);
}

int dvk_node_down(int nodeid)
{
	return (int)dvk_call(DVK_NODEDOWN, nodeid, 0, 0, NULL, 0);
}

int dvk_add_node(int dcid, int nodeid)
{
	return (int)dvk_call(DVK_ADDNODE, dcid, (unsigned long)nodeid, 0, NULL, 0);
}

int dvk_del_node(int dcid, int nodeid)
{
	return (int)dvk_call(DVK_DELNODE, dcid, (unsigned long)nodeid, 0, NULL, 0);
}

int dvk_getnodeinfo(int nodeid, struct node_usr *out)
{
	return (int)dvk_call(DVK_GETNODEINFO, nodeid, 0, 0, out, 0);
}

int dvk_getproxyinfo(int pxid, struct proxies_usr *out)
{
	return (int)dvk_call(DVK_GETPROXYINFO, pxid, 0, 0, out, 0);
}

int dvk_get2rmt_T(struct dvk_cmd *c, void *payload, long timeout_ms)
{
	return (int)dvk_call(DVK_GET2RMT, 0, (unsigned long)c, (unsigned long)payload, NULL,
			     timeout_ms);
}

int dvk_put2lcl(const struct dvk_cmd *c, const void *payload)
{
	return (int)dvk_call(DVK_PUT2LCL, 0, (unsigned long)c, (unsigned long)payload, NULL, 0);
}

int dvk_unbind(int dcid, int ep)
{
	return (int)dvk_call(DVK_UNBIND, dcid, (unsigned long)ep, 0, NULL, 0);
}

int dvk_wait4bind_T(int oper, int ep, long timeout_ms)
{
	return (int)dvk_call(DVK_WAIT4BIND, oper, (unsigned long)ep, (unsigned long)timeout_ms,
			     NULL, 0);
}

int dvk_getep(int pid)
{
	return (int)dvk_call(DVK_GETEP, pid, 0, 0, NULL, 0);
}

int dvk_getprocinfo(int dcid, int nr, struct proc_usr *out)
{
	return (int)dvk_call(DVK_GETPROCINFO, dcid, (unsigned long)nr, 0, out, 0);
}

int dvk_getpriv(int dcid, int ep, struct priv_usr *out)
{
	return (int)dvk_call(DVK_GETPRIV, dcid, (unsigned long)ep, 0, out, 0);
}

int dvk_setpriv(int dcid, int ep, struct priv_usr *priv)
{
	return (int)dvk_call(DVK_SETPRIV, dcid, (unsigned long)ep, 0, priv, 0);
}

int dvk_send_T(int dst, struct dvk_message *m, long timeout_ms)
{
	return (int)dvk_call(DVK_SEND, dst, 0, 0, m, timeout_ms);
}

int dvk_receive_T(int src, struct dvk_message *m, long timeout_ms)
{
	return (int)dvk_call(DVK_RECEIVE, src, 0, 0, m, timeout_ms);
}

int dvk_sendrec_T(int dst, struct dvk_message *m, long timeout_ms)
{
	return (int)dvk_call(DVK_SENDREC, dst, 0, 0, m, timeout_ms);
}

int dvk_rcvrqst_T(struct dvk_message *m, long timeout_ms)
{
	return (int)dvk_call(DVK_RCVRQST, 0, 0, 0, m, timeout_ms);
}

int dvk_reply_T(int dst, struct dvk_message *m, long timeout_ms)
{
	return (int)dvk_call(DVK_REPLY, dst, 0, 0, m, timeout_ms);
}

int dvk_notify_X(int src_nr, int dst, int value)
{
	return (int)dvk_call(DVK_NOTIFY, src_nr, (unsigned long)dst, (unsigned long)value, NULL, 0);
}

int dvk_migrate(int oper, int pid, int dcid, int ep, int nodeid)
{
	return (int)dvk_call(DVK_MIGRATE, oper, (unsigned long)pid, (unsigned long)dcid,
			     (void *)(long)ep, nodeid);
}

int dvk_wakeup(int dcid, int ep)
{
	return (int)dvk_call(DVK_WAKEUPEP, dcid, (unsigned long)ep, 0, NULL, 0);
}

long dvk_vcopy(int src, const void *saddr, int dst, void *daddr, long bytes)
{
	return dvk_call(DVK_VCOPY, src, (unsigned long)saddr, (unsigned long)dst, daddr, bytes);
}
