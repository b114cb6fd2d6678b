/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The DVK ABI: call numbers and their encoding, limits, flags, endpoints,
 * the message and the user-visible descriptors. Shared verbatim by the
 * kernel core (dvk/), the library (lib/) and every tool.
 *
 * Everything here is fixed width and has the same layout on every 64-bit
 * and 32-bit ABI: no pointers, no longs, explicit padding.
 */
#ifndef _DVK_ABI_H
#define _DVK_ABI_H

#include <linux/ioctl.h>
#include <linux/types.h>
#include <dvk/dvk_errno.h>

/* ---- Calls ---------------------------------------------------------- */

/*
 * DVK_CALLS(X) expands X(NAME, number) for every call; this list owns the
 * numbering (the original's dvk_calls.h order). Dispatch checks
 * n < DVK_NR_CALLS.
 */
#define DVK_CALLS(X)							\
	X(VOID, 0) X(DCINIT, 1) X(SEND, 2) X(RECEIVE, 3) X(NOTIFY, 4)	\
	X(SENDREC, 5) X(RCVRQST, 6) X(REPLY, 7) X(DCEND, 8) X(BIND, 9)	\
	X(UNBIND, 10) X(GETPRIV, 11) X(SETPRIV, 12) X(VCOPY, 13)	\
	X(GETDCINFO, 14) X(GETPROCINFO, 15) X(RELAY, 16)		\
	X(PROXYBIND, 17) X(PROXYUNBIND, 18) X(GETNODEINFO, 19)		\
	X(PUT2LCL, 20) X(GET2RMT, 21) X(ADDNODE, 22) X(DELNODE, 23)	\
	X(DVSINIT, 24) X(DVSEND, 25) X(GETEP, 26) X(GETDVSINFO, 27)	\
	X(PROXYCONN, 28) X(WAIT4BIND, 29) X(MIGRATE, 30) X(NODEUP, 31)	\
	X(NODEDOWN, 32) X(GETPROXYINFO, 33) X(WAKEUPEP, 34)

#define DVK_CALL_ENUM(name, nr) DVK_##name = (nr),
enum dvk_call { DVK_CALLS(DVK_CALL_ENUM) DVK_NR_CALLS };
#undef DVK_CALL_ENUM

/*
 * Door 1, the IPC flavour: one system call with the SysV ipc() argument
 * layout  dvkipc(call, first, second, third, ptr, fifth)  where
 * call = DVK_IPC_VERSION << 16 | n << 8 (the low byte is zero, as SysV
 * ipc() calls are all < 256). Another version gets EDVSBADVERSION, a
 * non-zero low byte EDVSBADVALUE, n >= DVK_NR_CALLS EDVSNOSYS.
 */
#define DVK_SYSCALL_NR		500
#define DVK_IPC_VERSION		1
#define DVK_CALL_ENCODE(n)	((DVK_IPC_VERSION << 16) | ((n) << 8))

/*
 * Door 2, the IOCTL flavour: /dev/dvk (dvk.ko). Call n is the ioctl
 * DVK_IOC(n) on an open /dev/dvk, its argument a struct dvk_ioc_args with
 * the five ipc() values; the ioctl returns what the system call would and
 * also stores it in @ret. Argument words are 64 bits wide for every ABI,
 * so 32-bit callers need no translation. A command of another type, size
 * or direction gets ENOTTY; n >= DVK_NR_CALLS EDVSNOSYS.
 */
#define DVK_IOC_MAGIC		0xE3
#define DVK_DEV_PATH		"/dev/dvk"

struct dvk_ioc_args {
	__s64 first;
	__u64 second;
	__u64 third;
	__u64 ptr;		/* a user address */
	__s64 fifth;
	__s64 ret;		/* out: the call's result */
};

#define DVK_IOC(n)		_IOWR(DVK_IOC_MAGIC, (n), struct dvk_ioc_args)

/* ---- DVS-wide limits, flags and version ------------------------------ */

#define DVK_NAME_LEN		16	/* names: 1..15 chars + NUL */

/* Defaults (those of the original) and the hard maxima dvs_init accepts. */
#define DVK_DEF_NR_DCS		32
#define DVK_DEF_NR_NODES	32
#define DVK_DEF_NR_PROCS	221
#define DVK_DEF_NR_TASKS	35
#define DVK_DEF_NR_SYSPROCS	64
#define DVK_DEF_MAX_COPYBUF	65536
#define DVK_DEF_MAX_COPYLEN	1048576
#define DVK_DEF_NAME		"DVS_IPC"

#define DVK_MAX_DCS		32	/* DC and node maps are __u32 bitmaps */
#define DVK_MAX_NODES		32
#define DVK_MAX_PROCS		1024
#define DVK_MAX_TASKS		64
#define DVK_MAX_SYSPROCS	128
#define DVK_MAX_COPYBUF		65536
#define DVK_MAX_COPYLEN		1048576

/* d_flags: which doors are open, and whether the DVS is initialised. */
#define DVS_IPC			0x001	/* dvkipc system call (built in) */
#define DVS_IOCTL		0x002	/* /dev/dvk (dvk.ko) */
#define DVS_USERMODE		0x004	/* reserved: kernel in user mode */
#define DVS_INITIALIZED		0x100

#define DVK_VERSION		202611	/* d_version: YYYYMM of this ABI */

/* ---- Endpoints ------------------------------------------------------ */

/*
 * An endpoint names one binding of a slot: endpoint = gen << 15 + nr,
 * where nr is the slot number (tasks negative, processes from 0) and gen
 * the slot's generation, advanced on every bind within [1, DVK_EP_GEN_MAX].
 * Binds never return generation 0, so every endpoint they give is positive
 * (no collision with error codes); a stale one (older generation) fails
 * with EDVSENDPOINT. Generation 0, the bare slot number, names whatever
 * binding the slot has when a call starts (the original's addressing,
 * <dvk/compat.h>; docs/abi.md, "Endpoints and addressing").
 */
#define DVK_EP_GEN_SHIFT	15
#define DVK_EP_NR_BIAS		(1 << (DVK_EP_GEN_SHIFT - 1))
#define DVK_EP_GEN_MAX		0xffff
#define DVK_ENDPOINT(gen, nr)	((__s32)(((gen) << DVK_EP_GEN_SHIFT) + (nr)))
#define DVK_EP_NR(ep)							\
	((__s32)((((ep) + DVK_EP_NR_BIAS) & ((1 << DVK_EP_GEN_SHIFT) - 1)) - DVK_EP_NR_BIAS))
/* In 64 bits: near INT_MAX, ep - nr does not fit in 32 (a garbage value, not a slot). */
#define DVK_EP_GEN(ep)		((__s32)(((__s64)(ep) - DVK_EP_NR(ep)) >> DVK_EP_GEN_SHIFT))
#define DVK_EP_NEXT_GEN(gen)	((gen) >= DVK_EP_GEN_MAX ? 1 : (gen) + 1)

/* Magic endpoints, as in the original; none decodes to a valid slot. */
#define DVK_ANY			0x7ace
#define DVK_NONE		0x6ace
#define DVK_SELF		0x8ace

#define DVK_LOCALNODE		(-1)

/* Timeouts in milliseconds for every blocking call. */
#define DVK_TIMEOUT_FOREVER	(-1)
#define DVK_TIMEOUT_NOWAIT	0

/* ---- The message ---------------------------------------------------- */

/* 64 bytes: source, type and a 56-byte payload; opaque u64s, no pointers. */
struct dvk_message {
	__s32 m_source;		/* set by the kernel */
	__s32 m_type;
	union {
		struct { __s32 i1, i2, i3, pad; __u64 p1, p2, p3; } m1;
		struct { __s32 i1, i2, i3, pad; __s64 l1, l2; __u64 p1; } m2;
		struct { __s32 i1, i2; __u64 p1; char ca1[40]; } m3;
		struct { __s64 l1, l2, l3, l4, l5, l6, l7; } m4;
		struct { __s16 c1, c2; __s32 i1, i2, pad; __s64 l1, l2, l3; } m5;
		struct { __s32 i1, i2, i3, i4; __u64 p1, p2; } m7;
		struct { __s32 i1, pad; __s64 l1, sec, nsec; } m9;	/* notify */
		struct { __s64 l1; __u8 md5[16]; } mB;
		__u8 data[56];
	} m_u;
};

/* ---- Descriptors ---------------------------------------------------- */

/*
 * DVS descriptor: input of dvs_init (limits, name, dbglvl; the fields
 * marked out are ignored on input) and output of getdvsinfo.
 */
struct dvs_usr {
	char d_name[DVK_NAME_LEN];
	__s32 d_nodeid;		/* out: local node id, -1 when not initialised */
	__s32 d_nr_dcs;
	__s32 d_nr_nodes;
	__s32 d_nr_procs;
	__s32 d_nr_tasks;
	__s32 d_nr_sysprocs;
	__s32 d_max_copybuf;
	__s32 d_max_copylen;
	__u32 d_dbglvl;
	__u32 d_version;	/* out */
	__u32 d_flags;		/* out: DVS_* */
	__s32 d_size_proc;	/* out: sizeof the kernel's slot */
};

#define DVK_DVS_DEFAULTS {						\
	.d_name = DVK_DEF_NAME, .d_nodeid = -1,				\
	.d_nr_dcs = DVK_DEF_NR_DCS, .d_nr_nodes = DVK_DEF_NR_NODES,	\
	.d_nr_procs = DVK_DEF_NR_PROCS, .d_nr_tasks = DVK_DEF_NR_TASKS,	\
	.d_nr_sysprocs = DVK_DEF_NR_SYSPROCS,				\
	.d_max_copybuf = DVK_DEF_MAX_COPYBUF,				\
	.d_max_copylen = DVK_DEF_MAX_COPYLEN }

/* ---- Slots, DCs, privileges (local DVK) ----------------------------- */

/* Task slot numbers (negative) and special senders. */
#define DVK_HARDWARE		(-1)	/* notify src: "interrupt" from an unbound root process */
#define DVK_SYSTEM		(-2)

/* bind(oper, dcid, pid, endpoint, nodeid) */
#define DVK_SELF_BIND		0
#define DVK_LCL_BIND		1
#define DVK_RMT_BIND		2
#define DVK_BKUP_BIND		3	/* not built: EDVSBINDTYPE (docs/abi.md) */
#define DVK_REPLICA_BIND	4	/* a local bind, marked DVK_MIS_REPLICATED */
#define DVK_USERMODE_BIND	5	/* a local bind, marked DVK_MIS_USERMODE */

/* wait4bind(oper, endpoint, timeout) */
#define DVK_WAIT_BIND		0
#define DVK_WAIT_UNBIND		1

/* migrate(oper, pid, dcid, endpoint, nodeid) */
#define DVK_MIGR_START		0
#define DVK_MIGR_COMMIT		1
#define DVK_MIGR_ROLLBACK	2

/* Notify messages: m_type = DVK_NOTIFY_MESSAGE | source system index. */
#define DVK_NOTIFY_MESSAGE	0x1000
#define DVK_NOTIFY_FROM(idx)	(DVK_NOTIFY_MESSAGE | (idx))
#define DVK_IS_NOTIFY(type)	(((type) & ~0xfff) == DVK_NOTIFY_MESSAGE)

/* p_rts_flags: a slot is runnable when none is set. */
#define DVK_SLOT_FREE		0x00001
#define DVK_SENDING		0x00004
#define DVK_RECEIVING		0x00008
#define DVK_ONCOPY		0x00400
#define DVK_MIGRATING		0x00800	/* between migrate start and commit/rollback */
#define DVK_REMOTE		0x01000
#define DVK_WAITUNBIND		0x20000
#define DVK_WAITBIND		0x40000

/* p_misc_flags */
#define DVK_MIS_PROXY		0x0001
#define DVK_MIS_CONNECTED	0x0002
#define DVK_MIS_KTHREAD		0x0040
#define DVK_MIS_REPLICATED	0x0080	/* bound by REPLICA_BIND */
#define DVK_MIS_MIGRATED	0x0800	/* migrated from this node to p_nodeid */
#define DVK_MIS_WOKENUP		0x0200
#define DVK_MIS_USERMODE	0x0400	/* bound by USERMODE_BIND */
#define DVK_MIS_THREAD		0x8000	/* bound per thread (tbind) */

/* priv_level */
#define DVK_USER_PRIV		0
#define DVK_SERVER_PRIV		1
#define DVK_TASK_PRIV		2
#define DVK_SYSTEM_PRIV		3
#define DVK_KERNEL_PRIV		4
#define DVK_PROXY_PRIV		5

/* dc_flags */
#define DVK_DC_RUNNING		0x0
#define DVK_DC_FREE		0x2

struct dc_usr {
	__s32 dc_dcid;
	__u32 dc_flags;
	__s32 dc_nr_procs;
	__s32 dc_nr_tasks;
	__s32 dc_nr_sysprocs;
	__s32 dc_nr_nodes;
	__u32 dc_nodes;		/* bitmap of member nodes */
	__s32 dc_warn2proc;	/* endpoint told of exits, DVK_NONE = off (reserved) */
	__s32 dc_warnmsg;
	__s32 dc_pid;		/* out: pid of the creator */
	__u32 dc_owner;		/* uid that may bind its own processes to user slots */
	__u32 dc_pad;
	char dc_name[DVK_NAME_LEN];
};

struct proc_usr {
	__s32 p_nr;
	__s32 p_endpoint;
	__s32 p_dcid;
	__u32 p_rts_flags;
	__s32 p_lpid;		/* pid in the initial namespace, -1 for remote */
	__s32 p_vpid;		/* pid in the DC creator's namespace */
	__s32 p_nodeid;
	__u32 p_misc_flags;
	__s32 p_getfrom;
	__s32 p_sendto;
	__s32 p_waitmigr;
	__s32 p_waitunbind;
	__s32 p_proxy;
	__u32 p_pad;
	__u64 p_lclsent;
	__u64 p_rmtsent;
	__u64 p_lclcopy;
	__u64 p_rmtcopy;
	char p_name[DVK_NAME_LEN];
};

struct priv_usr {
	__s32 priv_id;		/* system index, or nr_sysprocs for user slots */
	__s32 priv_warn;
	__s32 priv_level;	/* DVK_*_PRIV */
	__u32 priv_pad;
	__u64 priv_ipc_to[2];	/* one bit per system index the slot may IPC to */
	__u64 priv_dvk_allowed;	/* one bit per call number */
};

/* ---- Nodes and proxy pairs ------------------------------------------ */

/* n_flags: a remote node is attached by node_up, connected per direction. */
#define DVK_NODE_ATTACHED	0x2
#define DVK_NODE_SCONNECTED	0x4	/* its sender proxy is connected */
#define DVK_NODE_RCONNECTED	0x8	/* its receiver proxy is connected */

struct node_usr {
	__s32 n_nodeid;
	__u32 n_flags;		/* DVK_NODE_*; the local node shows all three */
	__s32 n_proxies;	/* the pair serving it; -1 for the local node */
	__u32 n_dcs;		/* DCs it is a member of, one bit per DC */
	__u64 n_stimestamp;	/* ns (CLOCK_REALTIME) of the last command sent to it */
	__u64 n_rtimestamp;	/* ... and received from it */
	__u64 n_pxsent;		/* commands sent to it */
	__u64 n_pxrcvd;		/* ... and received from it */
	char n_name[DVK_NAME_LEN];
};

/* proxy_conn(pxid, status) */
#define DVK_CONNECT_SPROXY	1
#define DVK_CONNECT_RPROXY	2
#define DVK_DISCONNECT_SPROXY	3
#define DVK_DISCONNECT_RPROXY	4

/* px_flags */
#define DVK_PX_INUSE		0x1
#define DVK_PX_SCONNECTED	0x2
#define DVK_PX_RCONNECTED	0x4

struct proxies_usr {
	__s32 px_id;
	__u32 px_flags;		/* DVK_PX_* */
	__u32 px_maxbytes;	/* largest payload the pair moves, <= DVK_CMD_MAXPAYLOAD */
	__u32 px_nodes;		/* nodes it serves, one bit per node */
	__s32 px_spid;		/* sender proxy's pid (binder's namespace) */
	__s32 px_rpid;		/* receiver proxy's pid */
	__u64 px_pad;
	char px_name[DVK_NAME_LEN];
};

/* ---- Proxies: the commands get2rmt hands out and put2lcl takes in -- */

/*
 * A proxy moves struct dvk_cmd between nodes: the sender proxy takes one
 * from the kernel (get2rmt), the receiver proxy on the other node hands it
 * to its kernel (put2lcl). On the wire it travels in the proxies' own
 * explicit format (docs/wire.md), never as this memory image.
 * Request codes keep the original's numbers; an acknowledgement is the
 * request's code | DVK_CMD_ACK (SNDREC_ACK wakes a remote sendrec client).
 */
#define DVK_CMDS(X)							\
	X(NONE, 0) X(SEND_MSG, 1) X(NTFY_MSG, 2) X(SNDREC_MSG, 3)	\
	X(REPLY_MSG, 4) X(COPYIN_DATA, 5) X(COPYOUT_RQST, 6)		\
	X(COPYLCL_RQST, 7) X(COPYRMT_RQST, 8) X(COPYIN_RQST, 9)		\
	X(HELLO, 10) X(SHUTDOWN, 11)

#define DVK_CMD_ENUM(name, nr) DVK_CMD_##name = (nr),
enum dvk_cmd_code { DVK_CMDS(DVK_CMD_ENUM) DVK_NR_CMDS };
#undef DVK_CMD_ENUM
#define DVK_CMD_ACK		0x2000	/* bit 13: the acknowledgement of a request */
#define DVK_CMD_SEND_ACK	(DVK_CMD_SEND_MSG | DVK_CMD_ACK)
#define DVK_CMD_SNDREC_ACK	(DVK_CMD_SNDREC_MSG | DVK_CMD_ACK)	/* errors only */
#define DVK_CMD_REPLY_ACK	(DVK_CMD_REPLY_MSG | DVK_CMD_ACK)
#define DVK_CMD_COPYIN_ACK	(DVK_CMD_COPYIN_DATA | DVK_CMD_ACK)
#define DVK_CMD_COPYOUT_DATA	(DVK_CMD_COPYOUT_RQST | DVK_CMD_ACK)	/* errors only */

/* c_flags: the last chunk of a copy stream (COPYIN_DATA only). */
#define DVK_CMDF_LAST		0x1

/* The largest payload of one command (a copy chunk). */
#define DVK_CMD_MAXPAYLOAD	65536

/*
 * A copy's parties and range (copy commands and their acks; 0 in others).
 * A request names the whole copy; a COPYIN_DATA chunk its own piece
 * (addresses advanced, v_bytes = c_len); an ack the bytes it accounts for.
 */
struct dvk_vcopy {
	__s32 v_src;		/* source endpoint */
	__s32 v_dst;		/* destination endpoint */
	__s32 v_rqtr;		/* requester endpoint */
	__s16 v_rnode;		/* requester's node */
	__s16 v_dnode;		/* destination's node */
	__u64 v_saddr;		/* source address (in the source's memory) */
	__u64 v_daddr;		/* destination address */
	__u64 v_bytes;
};

struct dvk_cmd {
	__u32 c_cmd;		/* DVK_CMD_* [| DVK_CMD_ACK] */
	__u32 c_flags;		/* DVK_CMDF_* */
	__s32 c_dcid;
	__s32 c_src;		/* source endpoint */
	__s32 c_dst;		/* destination endpoint */
	__s32 c_snode;		/* source node */
	__s32 c_dnode;		/* destination node */
	__s32 c_rcode;		/* an ack's result; a notify's value */
	__u32 c_len;		/* payload bytes that go with the command */
	__u32 c_pad;
	__u64 c_id;		/* the requester's transaction id, echoed by its ack */
	__u64 c_timestamp;	/* ns (CLOCK_REALTIME) when get2rmt handed it out */
	struct dvk_vcopy c_vcopy;
	struct dvk_message c_msg;
};

_Static_assert(sizeof(struct dvk_message) == 64, "dvk_message is 64 bytes");
_Static_assert(sizeof(struct dvk_vcopy) == 40, "dvk_vcopy is 40 bytes");
_Static_assert(sizeof(struct node_usr) == 64, "node_usr is 64 bytes");
_Static_assert(sizeof(struct proxies_usr) == 48, "proxies_usr is 48 bytes");
_Static_assert(sizeof(struct dvk_cmd) == 160, "dvk_cmd is 160 bytes");
_Static_assert(sizeof(struct dvs_usr) == 64, "dvs_usr is 64 bytes");
_Static_assert(sizeof(struct dc_usr) == 64, "dc_usr is 64 bytes");
_Static_assert(sizeof(struct proc_usr) == 104, "proc_usr is 104 bytes");
_Static_assert(sizeof(struct priv_usr) == 40, "priv_usr is 40 bytes");
_Static_assert(sizeof(struct dvk_ioc_args) == 48, "dvk_ioc_args is 48 bytes");

#endif /* _DVK_ABI_H */
