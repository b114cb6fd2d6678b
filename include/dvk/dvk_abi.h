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
 * Generation 0 is never used, so every valid endpoint is positive (no
 * collision with error codes) and a bare slot number is not an endpoint.
 * A stale endpoint (older generation) fails with EDVSENDPOINT.
 */
#define DVK_EP_GEN_SHIFT	15
#define DVK_EP_NR_BIAS		(1 << (DVK_EP_GEN_SHIFT - 1))
#define DVK_EP_GEN_MAX		0xffff
#define DVK_ENDPOINT(gen, nr)	((__s32)(((gen) << DVK_EP_GEN_SHIFT) + (nr)))
#define DVK_EP_NR(ep)							\
	((__s32)((((ep) + DVK_EP_NR_BIAS) & ((1 << DVK_EP_GEN_SHIFT) - 1)) - DVK_EP_NR_BIAS))
#define DVK_EP_GEN(ep)		((__s32)(((ep) - DVK_EP_NR(ep)) >> DVK_EP_GEN_SHIFT))
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

_Static_assert(sizeof(struct dvk_message) == 64, "dvk_message is 64 bytes");
_Static_assert(sizeof(struct dvs_usr) == 64, "dvs_usr is 64 bytes");

#endif /* _DVK_ABI_H */
