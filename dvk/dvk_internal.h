/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DVK core's private declarations, shared by its files and its doors.
 *
 * Lock order (outermost first): dvk_dvs.rwsem -> DC -> node/proxy -> slots
 * in ascending slot index. Management calls hold the DVS rwsem for write,
 * everything else for read, so a DVS torn down under a caller is impossible.
 */
#ifndef _DVK_INTERNAL_H
#define _DVK_INTERNAL_H

#include <linux/rwsem.h>
#include <linux/types.h>
#include <dvk/dvk_abi.h>

/**
 * struct dvk_dvs - the node's one DVS instance.
 * @rwsem: protects every field below and the existence of all DCs.
 * @usr: the limits, name and node id in force (valid when @initialized).
 * @initialized: dvs_init succeeded and dvs_end has not run since.
 * @doors: DVS_IPC and/or DVS_IOCTL, set by the doors as they open.
 */
struct dvk_dvs {
	struct rw_semaphore rwsem;
	struct dvs_usr usr;
	bool initialized;
	unsigned int doors;
};

extern struct dvk_dvs dvk_dvs;

/*
 * The skeleton of the per-DC slot, DC and node objects. Their sizes are
 * part of /proc/dvs/info; the local-IPC work fills them in.
 */
struct dvk_proc {
	__s32 p_nr;
	__s32 p_endpoint;
	__u32 p_rts_flags;
	__u32 p_misc_flags;
	__s32 p_getfrom;
	__s32 p_sendto;
	struct dvk_message p_message;
};

struct dvk_dc {
	__s32 dc_dcid;
	__u32 dc_flags;
	char dc_name[DVK_NAME_LEN];
	struct dvk_proc *dc_procs;
};

struct dvk_node {
	__s32 n_nodeid;
	__u32 n_flags;
	__u32 n_dcs;
	char n_name[DVK_NAME_LEN];
};

/* dvs.c: DVS-level state and calls (pure checks are exposed for KUnit). */
int dvk_dvs_check(const struct dvs_usr *p);
int dvk_call_decode(unsigned int call, unsigned int *nr);
void dvk_dvs_snapshot(struct dvs_usr *out);
void dvk_door_set(unsigned int door, bool open);

/* procfs.c */
int dvk_procfs_init(void);
void dvk_procfs_exit(void);

#endif /* _DVK_INTERNAL_H */
