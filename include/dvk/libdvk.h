/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libdvk: one C API over the DVK's user doors.
 *
 * Every function returns a non-negative result or a negative EDVS* code
 * (see dvk_errno.h and dvk_strerror()). The library keeps one per-process
 * door (like an open file); dvk_open() picks it, and the first call opens
 * it if the program did not.
 */
#ifndef _LIBDVK_H
#define _LIBDVK_H

#include <dvk/dvk_abi.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The door in use: DVS_IPC (dvkipc system call) or DVS_IOCTL (/dev/dvk),
 * chosen in that order; DVK_DOOR=ipc|ioctl in the environment insists.
 */
int dvk_open(void);
int dvk_door(void);
void dvk_close(void);

/* Text and symbolic name of an EDVS* code ("unknown DVK error" / NULL otherwise). */
const char *dvk_strerror(int code);
const char *dvk_errname(int code);
/* Name of a call number ("DVSINIT"), NULL when out of range. */
const char *dvk_callname(int nr);

/* Raw entry: call n with the ipc() argument layout. */
long dvk_call(int n, int first, unsigned long second, unsigned long third,
	      void *ptr, long fifth);

/* DVS management. params may be NULL for the defaults (DVK_DVS_DEFAULTS). */
int dvk_dvs_init(int nodeid, const struct dvs_usr *params);
int dvk_dvs_end(void);
int dvk_getdvsinfo(struct dvs_usr *out);

/* DCs (dc_init returns the local node id). */
int dvk_dc_init(const struct dc_usr *u);
int dvk_dc_end(int dcid);
int dvk_getdcinfo(int dcid, struct dc_usr *out);

/*
 * Binding. bind_X takes a slot number (or an endpoint of the slot) and
 * returns the new endpoint; the generation is the kernel's.
 */
int dvk_bind_X(int oper, int dcid, int pid, int ep, int nodeid);
int dvk_rmtbind(int dcid, const char *name, int ep, int nodeid);
int dvk_unbind(int dcid, int ep);
int dvk_wait4bind_T(int oper, int ep, long timeout_ms);
int dvk_getep(int pid);
int dvk_getprocinfo(int dcid, int nr, struct proc_usr *out);
int dvk_getpriv(int dcid, int ep, struct priv_usr *out);
int dvk_setpriv(int dcid, int ep, struct priv_usr *priv);

/* Nodes and proxy pairs (management: CAP_SYS_ADMIN; see docs/abi.md). */
int dvk_proxies_bind(const char *name, int pxid, int spid, int rpid, int maxbytes);
int dvk_proxies_unbind(int pxid);
int dvk_proxy_conn(int pxid, int status);
int dvk_node_up(const char *name, int nodeid, int pxid);
int dvk_node_down(int nodeid);
int dvk_add_node(int dcid, int nodeid);
int dvk_del_node(int dcid, int nodeid);
int dvk_getnodeinfo(int nodeid, struct node_usr *out);
int dvk_getproxyinfo(int pxid, struct proxies_usr *out);
/* The proxies' own calls: the next command for the other nodes, and one from them. */
int dvk_get2rmt_T(struct dvk_cmd *c, void *payload, long timeout_ms);
int dvk_put2lcl(const struct dvk_cmd *c, const void *payload);

/* IPC; timeouts in ms, DVK_TIMEOUT_FOREVER or DVK_TIMEOUT_NOWAIT. */
int dvk_send_T(int dst, struct dvk_message *m, long timeout_ms);
int dvk_receive_T(int src, struct dvk_message *m, long timeout_ms);
int dvk_sendrec_T(int dst, struct dvk_message *m, long timeout_ms);
int dvk_rcvrqst_T(struct dvk_message *m, long timeout_ms);
int dvk_reply_T(int dst, struct dvk_message *m, long timeout_ms);
int dvk_notify_X(int src_nr, int dst, int value);
int dvk_wakeup(int dcid, int ep);
/* One node's part in moving an endpoint: DVK_MIGR_START, _COMMIT (to @nodeid; on
 * the new node @pid takes the endpoint), _ROLLBACK (docs/abi.md, "Migration"). */
int dvk_migrate(int oper, int pid, int dcid, int ep, int nodeid);
long dvk_vcopy(int src, const void *saddr, int dst, void *daddr, long bytes);

/* The original's convenience forms. */
static inline int dvk_bind(int dcid, int nr) { return dvk_bind_X(DVK_SELF_BIND, dcid, 0, nr, DVK_LOCALNODE); }
int dvk_tbind(int dcid, int nr);	/* the calling thread alone */
static inline int dvk_lclbind(int dcid, int pid, int nr) { return dvk_bind_X(DVK_LCL_BIND, dcid, pid, nr, DVK_LOCALNODE); }
static inline int dvk_wait4bind(void) { return dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, DVK_TIMEOUT_FOREVER); }
static inline int dvk_wait4bindep(int ep) { return dvk_wait4bind_T(DVK_WAIT_BIND, ep, DVK_TIMEOUT_FOREVER); }
static inline int dvk_wait4unbind(int ep) { return dvk_wait4bind_T(DVK_WAIT_UNBIND, ep, DVK_TIMEOUT_FOREVER); }
static inline int dvk_send(int dst, struct dvk_message *m) { return dvk_send_T(dst, m, DVK_TIMEOUT_FOREVER); }
static inline int dvk_receive(int src, struct dvk_message *m) { return dvk_receive_T(src, m, DVK_TIMEOUT_FOREVER); }
static inline int dvk_sendrec(int dst, struct dvk_message *m) { return dvk_sendrec_T(dst, m, DVK_TIMEOUT_FOREVER); }
static inline int dvk_rcvrqst(struct dvk_message *m) { return dvk_rcvrqst_T(m, DVK_TIMEOUT_FOREVER); }
static inline int dvk_reply(int dst, struct dvk_message *m) { return dvk_reply_T(dst, m, DVK_TIMEOUT_FOREVER); }
static inline int dvk_notify(int dst) { return dvk_notify_X(DVK_SELF, dst, -1); }

#ifdef __cplusplus
}
#endif
#endif /* _LIBDVK_H */
