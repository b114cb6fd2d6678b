/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Door 3: the DVK's in-kernel API, for kernel threads and drivers, and the
 * functions the user doors call after copying arguments in. Arguments are
 * kernel copies; addresses are the calling task's user addresses; results
 * follow the ABI (a non-negative value or a negative EDVS* code).
 */
#ifndef _DVK_KERNEL_H
#define _DVK_KERNEL_H

#ifdef __KERNEL__
#include <dvk/dvk_abi.h>

long dvk_dvs_init(int nodeid, const struct dvs_usr *params);
long dvk_dvs_end(void);
long dvk_getdvsinfo(struct dvs_usr *out);

long dvk_dc_init(const struct dc_usr *u);
long dvk_dc_end(int dcid);
long dvk_getdcinfo(int dcid, struct dc_usr *out);

long dvk_bind(int oper, int dcid, int pid, s32 ep, int nodeid, const char *name);
long dvk_unbind(int dcid, s32 ep);
long dvk_wait4bind(int oper, s32 ep, long timeout_ms);
long dvk_getep(int pid);
long dvk_getprocinfo(int dcid, int nr, struct proc_usr *out);
long dvk_getpriv(int dcid, s32 ep, struct priv_usr *out);
long dvk_setpriv(int dcid, s32 ep, struct priv_usr *u);

long dvk_proxies_bind(int pxid, int spid, int rpid, const char *name, int maxbytes);
long dvk_proxies_unbind(int pxid);
long dvk_proxy_conn(int pxid, int status);
long dvk_node_up(const char *name, int nodeid, int pxid);
long dvk_node_down(int nodeid);
long dvk_add_node(int dcid, int nodeid);
long dvk_del_node(int dcid, int nodeid);
long dvk_getnodeinfo(int nodeid, struct node_usr *out);
long dvk_getproxyinfo(int pxid, struct proxies_usr *out);
long dvk_get2rmt(struct dvk_cmd *out, void __user *payload, long timeout_ms);
long dvk_put2lcl(const struct dvk_cmd *c, const void __user *payload);

long dvk_send(s32 dst_ep, const struct dvk_message *m, long timeout_ms);
long dvk_receive(s32 src_ep, struct dvk_message *m, long timeout_ms);
long dvk_sendrec(s32 ep, struct dvk_message *m, long timeout_ms);
long dvk_rcvrqst(struct dvk_message *m, long timeout_ms);
long dvk_reply(s32 dst_ep, const struct dvk_message *m, long timeout_ms);
long dvk_notify(int src_nr, s32 dst_ep, int value);
long dvk_wakeup(int dcid, s32 ep);
long dvk_vcopy(s32 src_ep, unsigned long saddr, s32 dst_ep, unsigned long daddr, long bytes);

#endif /* __KERNEL__ */
#endif /* _DVK_KERNEL_H */
