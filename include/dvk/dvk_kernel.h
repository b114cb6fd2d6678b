/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Door 3: the DVK's in-kernel API, for kernel threads and drivers.
 * Arguments are kernel copies; results follow the ABI (a non-negative
 * value or a negative EDVS* code).
 */
#ifndef _DVK_KERNEL_H
#define _DVK_KERNEL_H

#ifdef __KERNEL__
#include <dvk/dvk_abi.h>

long dvk_dvs_init(int nodeid, const struct dvs_usr *params);
long dvk_dvs_end(void);
long dvk_getdvsinfo(struct dvs_usr *out);

#endif /* __KERNEL__ */
#endif /* _DVK_KERNEL_H */
