/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * <dvk/compat.h>: the original DVK's user API on this DVK, so programs
 * written for the original build and run unchanged (docs/abi.md,
 * "Programs written for the original DVK"). Written here from the
 * original's documented interface; none of its code.
 *
 * What a program sees is what the original shows it:
 *   - endpoints are slot numbers: bind, getep and wait4bind return the
 *     slot number, received messages carry the sender's slot number in
 *     m_source, getprocinfo's p_endpoint is the slot number. The kernel
 *     takes a slot number (an endpoint of generation 0) as "the slot's
 *     current binding", so such a program has no stale-endpoint check;
 *     programs using <dvk/libdvk.h> keep it.
 *   - node_up and proxies_bind return 0; getproxyinfo fills the two
 *     proxies' slot descriptors; unbind has a timeout and, for another
 *     local process, sends it SIGTERM and waits until it has unbound;
 *   - message fields by their MINIX names (m1_i1, m1_p1 ...), pointer
 *     fields as pointers.
 * Include it instead of (or after) <dvk/libdvk.h> and link libdvk.
 */
#ifndef _DVK_COMPAT_H
#define _DVK_COMPAT_H

#include <dvk/libdvk.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Constants by their original names ------------------------------ */
#define ANY			DVK_ANY
#define NONE			DVK_NONE
#define SELF			DVK_SELF
#define LOCALNODE		DVK_LOCALNODE
#define HARDWARE		DVK_HARDWARE
#define SYSTEM			DVK_SYSTEM
#define TIMEOUT_FOREVER		DVK_TIMEOUT_FOREVER
#define TIMEOUT_NOWAIT		DVK_TIMEOUT_NOWAIT
#define SELF_BIND		DVK_SELF_BIND
#define LCL_BIND		DVK_LCL_BIND
#define RMT_BIND		DVK_RMT_BIND
#define BKUP_BIND		DVK_BKUP_BIND
#define USERMODE_BIND		DVK_USERMODE_BIND
#define REPLICA_BIND		DVK_REPLICA_BIND
#define WAIT_BIND		DVK_WAIT_BIND
#define WAIT_UNBIND		DVK_WAIT_UNBIND
#define CONNECT_SPROXY		DVK_CONNECT_SPROXY
#define CONNECT_RPROXY		DVK_CONNECT_RPROXY
#define DISCONNECT_SPROXY	DVK_DISCONNECT_SPROXY
#define DISCONNECT_RPROXY	DVK_DISCONNECT_RPROXY
#define MIGR_START		0
#define MIGR_COMMIT		1
#define MIGR_ROLLBACK		2
#define NOTIFY_MESSAGE		DVK_NOTIFY_MESSAGE
#define NOTIFY_FROM(nr)		DVK_NOTIFY_FROM(nr)
#define NR_DCS			DVK_DEF_NR_DCS
#define NR_NODES		DVK_DEF_NR_NODES
#define NR_PROCS		DVK_DEF_NR_PROCS
#define NR_TASKS		DVK_DEF_NR_TASKS
#define NR_SYS_PROCS		DVK_DEF_NR_SYSPROCS
#define MAXCOPYBUF		DVK_DEF_MAX_COPYBUF
#define MAXCOPYLEN		DVK_DEF_MAX_COPYLEN
#define MAXPROCNAME		DVK_NAME_LEN
#define OK			0

typedef struct dvs_usr dvs_usr_t;
typedef struct dc_usr dc_usr_t;
typedef struct proc_usr proc_usr_t;
typedef struct priv_usr priv_usr_t;
typedef struct node_usr node_usr_t;
typedef struct proxies_usr proxies_usr_t;
typedef struct dvk_cmd cmd_t;
typedef struct dvk_cmd proxy_hdr_t;

/*
 * The message, with the original's pointer fields as pointers: the same
 * 64 bytes as struct dvk_message (64-bit pointers; checked in compat.c).
 */
typedef struct {
	int m_source;
	int m_type;
	union {
		struct { int m1i1, m1i2, m1i3, m1pad; char *m1p1, *m1p2, *m1p3; } m_m1;
		struct { int m2i1, m2i2, m2i3, m2pad; long m2l1, m2l2; char *m2p1; } m_m2;
		struct { int m3i1, m3i2; char *m3p1; char m3ca1[40]; } m_m3;
		struct { long m4l1, m4l2, m4l3, m4l4, m4l5, m4l6, m4l7; } m_m4;
		struct { short m5c1, m5c2; int m5i1, m5i2, m5pad; long m5l1, m5l2, m5l3; } m_m5;
		struct { int m7i1, m7i2, m7i3, m7i4; char *m7p1, *m7p2; } m_m7;
		struct { int m9i1, m9pad; long m9l1, m9sec, m9nsec; } m_m9;
		unsigned char m_data[56];
	} m_u;
} message;

#define m1_i1	m_u.m_m1.m1i1
#define m1_i2	m_u.m_m1.m1i2
#define m1_i3	m_u.m_m1.m1i3
#define m1_p1	m_u.m_m1.m1p1
#define m1_p2	m_u.m_m1.m1p2
#define m1_p3	m_u.m_m1.m1p3
#define m2_i1	m_u.m_m2.m2i1
#define m2_i2	m_u.m_m2.m2i2
#define m2_i3	m_u.m_m2.m2i3
#define m2_l1	m_u.m_m2.m2l1
#define m2_l2	m_u.m_m2.m2l2
#define m2_p1	m_u.m_m2.m2p1
#define m3_i1	m_u.m_m3.m3i1
#define m3_i2	m_u.m_m3.m3i2
#define m3_p1	m_u.m_m3.m3p1
#define m3_ca1	m_u.m_m3.m3ca1
#define m4_l1	m_u.m_m4.m4l1
#define m4_l2	m_u.m_m4.m4l2
#define m4_l3	m_u.m_m4.m4l3
#define m4_l4	m_u.m_m4.m4l4
#define m4_l5	m_u.m_m4.m4l5
#define m5_c1	m_u.m_m5.m5c1
#define m5_c2	m_u.m_m5.m5c2
#define m5_i1	m_u.m_m5.m5i1
#define m5_i2	m_u.m_m5.m5i2
#define m5_l1	m_u.m_m5.m5l1
#define m5_l2	m_u.m_m5.m5l2
#define m5_l3	m_u.m_m5.m5l3
#define m7_i1	m_u.m_m7.m7i1
#define m7_i2	m_u.m_m7.m7i2
#define m7_i3	m_u.m_m7.m7i3
#define m7_i4	m_u.m_m7.m7i4
#define m7_p1	m_u.m_m7.m7p1
#define m7_p2	m_u.m_m7.m7p2
#define m9_i1	m_u.m_m9.m9i1
#define m9_l1	m_u.m_m9.m9l1

/* ---- The calls (lib/compat.c) ------------------------------------------ */
int dvk_compat_bind_X(int oper, int dcid, int pid, int ep, int nodeid);
int dvk_compat_tbind(int dcid, int ep);
int dvk_compat_rmtbind(int dcid, const char *name, int ep, int nodeid);
int dvk_compat_unbind_T(int dcid, int ep, long timeout_ms);
int dvk_compat_getep(int pid);
int dvk_compat_wait4bind_X(int oper, int ep, long timeout_ms);
int dvk_compat_getprocinfo(int dcid, int nr, proc_usr_t *p);
int dvk_compat_send_T(int dst, message *m, long timeout_ms);
int dvk_compat_receive_T(int src, message *m, long timeout_ms);
int dvk_compat_sendrec_T(int dst, message *m, long timeout_ms);
int dvk_compat_rcvrqst_T(message *m, long timeout_ms);
int dvk_compat_reply_T(int dst, message *m, long timeout_ms);
int dvk_compat_relay(int ep, message *m);
int dvk_compat_node_up(const char *name, int nodeid, int pxid);
int dvk_compat_proxies_bind(const char *name, int pxid, int spid, int rpid, int maxbytes);
int dvk_compat_getproxyinfo(int pxid, proc_usr_t *sproc, proc_usr_t *rproc);

/* The original's names; each over the call above or libdvk's own. */
#define dvk_bind_X(o, d, p, e, n)	dvk_compat_bind_X(o, d, p, e, n)
#define dvk_bind(dcid, ep)		dvk_compat_bind_X(SELF_BIND, dcid, -1, ep, LOCALNODE)
#define dvk_tbind(dcid, ep)		dvk_compat_tbind(dcid, ep)
#define dvk_lclbind(dcid, pid, ep)	dvk_compat_bind_X(LCL_BIND, dcid, pid, ep, LOCALNODE)
#define dvk_replbind(dcid, pid, ep)	dvk_compat_bind_X(REPLICA_BIND, dcid, pid, ep, LOCALNODE)
#define dvk_umbind(dcid, pid, ep)	dvk_compat_bind_X(USERMODE_BIND, dcid, pid, ep, LOCALNODE)
#define dvk_rmtbind(dcid, name, ep, n)	dvk_compat_rmtbind(dcid, name, ep, n)
#define dvk_unbind_T(dcid, ep, t)	dvk_compat_unbind_T(dcid, ep, t)
#define dvk_unbind(dcid, ep)		dvk_compat_unbind_T(dcid, ep, TIMEOUT_FOREVER)
#define dvk_getep(pid)			dvk_compat_getep(pid)
#define dvk_wait4bind_X(o, ep, t)	dvk_compat_wait4bind_X(o, ep, t)
#define dvk_wait4bindep_X(o, ep, t)	dvk_compat_wait4bind_X(o, ep, t)
#define dvk_wait4bind()			dvk_compat_wait4bind_X(WAIT_BIND, SELF, TIMEOUT_FOREVER)
#define dvk_wait4bind_T(t)		dvk_compat_wait4bind_X(WAIT_BIND, SELF, t)
#define dvk_wait4bindep(ep)		dvk_compat_wait4bind_X(WAIT_BIND, ep, TIMEOUT_FOREVER)
#define dvk_wait4bindep_T(ep, t)	dvk_compat_wait4bind_X(WAIT_BIND, ep, t)
#define dvk_wait4unbind(ep)		dvk_compat_wait4bind_X(WAIT_UNBIND, ep, TIMEOUT_FOREVER)
#define dvk_wait4unbind_T(ep, t)	dvk_compat_wait4bind_X(WAIT_UNBIND, ep, t)
#define dvk_getprocinfo(d, nr, p)	dvk_compat_getprocinfo(d, nr, p)
#define dvk_send_T(ep, m, t)		dvk_compat_send_T(ep, m, t)
#define dvk_receive_T(ep, m, t)		dvk_compat_receive_T(ep, m, t)
#define dvk_sendrec_T(ep, m, t)		dvk_compat_sendrec_T(ep, m, t)
#define dvk_rcvrqst_T(m, t)		dvk_compat_rcvrqst_T(m, t)
#define dvk_reply_T(ep, m, t)		dvk_compat_reply_T(ep, m, t)
#define dvk_send(ep, m)			dvk_compat_send_T(ep, m, TIMEOUT_FOREVER)
#define dvk_receive(ep, m)		dvk_compat_receive_T(ep, m, TIMEOUT_FOREVER)
#define dvk_sendrec(ep, m)		dvk_compat_sendrec_T(ep, m, TIMEOUT_FOREVER)
#define dvk_rcvrqst(m)			dvk_compat_rcvrqst_T(m, TIMEOUT_FOREVER)
#define dvk_reply(ep, m)		dvk_compat_reply_T(ep, m, TIMEOUT_FOREVER)
#define dvk_notify(dst)			dvk_notify_X(SELF, dst, HARDWARE)
#define dvk_hdw_notify(dcid, dst)	dvk_notify_X(HARDWARE, dst, dcid)
#define dvk_ntfy_value(nr, dst, v)	dvk_notify_X(nr, dst, v)
#define dvk_src_notify(nr, dst)		dvk_notify_X(nr, dst, HARDWARE)
#define dvk_relay(ep, m)		dvk_compat_relay(ep, m)
#define dvk_node_up(name, n, px)	dvk_compat_node_up(name, n, px)
#define dvk_proxies_bind(nm, px, s, r, b) dvk_compat_proxies_bind(nm, px, s, r, b)
#define dvk_getproxyinfo(px, s, r)	dvk_compat_getproxyinfo(px, s, r)
#define dvk_delnode(dcid, n)		dvk_del_node(dcid, n)
#define dvk_migrate_X(o, p, d, e, n)	dvk_migrate(o, p, d, e, n)
#define dvk_migr_start(dcid, ep)	dvk_migrate(MIGR_START, -1, dcid, ep, LOCALNODE)
#define dvk_migr_rollback(dcid, ep)	dvk_migrate(MIGR_ROLLBACK, -1, dcid, ep, LOCALNODE)
#define dvk_migr_commit(pid, dcid, ep, n) dvk_migrate(MIGR_COMMIT, pid, dcid, ep, n)

#ifdef __cplusplus
}
#endif
#endif /* _DVK_COMPAT_H */
