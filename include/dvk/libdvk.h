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

/* The door in use: DVS_IPC (dvkipc system call) or DVS_IOCTL (/dev/dvk). */
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

#ifdef __cplusplus
}
#endif
#endif /* _LIBDVK_H */
