/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal test harness for the in-guest programs. Each test case is a
 * function; T_RUN prints "PASS: prog/case" or "FAIL: prog/case: why", which
 * tests/run.sh counts. A failed check ends its case (later checks would
 * only report the same cause again).
 */
#ifndef _TEST_UTIL_H
#define _TEST_UTIL_H

#include <setjmp.h>
#include <stdbool.h>

extern const char *t_prog;

void t_run(const char *name, void (*fn)(void));
int t_summary(void);
void t_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));
void t_check_eq(const char *file, int line, const char *expr, long got, long want);
bool t_file_has(const char *path, const char *needle);
/* The doors this run expects open (DVS_DOORS, default DVS_IPC): d_flags' door bits. */
unsigned int t_doors(void);

#define T_RUN(fn)		t_run(#fn, fn)
#define T_EQ(expr, want)	t_check_eq(__FILE__, __LINE__, #expr, (long)(expr), (long)(want))
#define T_TRUE(cond)							\
	do { if (!(cond)) t_fail(__FILE__, __LINE__, "%s is false", #cond); } while (0)

#endif

#include <sys/types.h>
#include <dvk/libdvk.h>

/* The fixture most tests start from: DVS node 0 and DC 0 ("DC0"). */
#define T_DC		0
extern struct dc_usr t_dc0;
void t_up(void);		/* dvs_init(0, defaults) + dc_init(t_dc0) */
void t_down(void);		/* dvs_end, which ends the DC too */
/* t_up, and this process the connected proxy pair of remote node @node, in DC0. */
void t_up_with_pair(int node);
/* A command as remote node @node sends it to this node (0). */
struct dvk_cmd t_cmd_from(int node, unsigned int cmd, int src, int dst, unsigned long long id);

/*
 * Children. t_fork runs fn in a child that exits with fn's result: 0 for
 * success, else the line of the failed check (C_EQ). t_join waits for it.
 */
pid_t t_fork(int (*fn)(void *), void *arg);
int t_join(pid_t pid);
int t_join_signal(pid_t pid);	/* the signal that killed it, or -1 */
#define C_EQ(expr, want)						\
	do {								\
		long _g = (long)(expr), _w = (long)(want);		\
		if (_g != _w) {						\
			printf("  %s:%d: child: %s = %ld %s, expected %ld\n", __FILE__, \
			       __LINE__, #expr, _g, dvk_errname((int)_g) ?: "", _w); \
			return __LINE__ % 250 + 1;			\
		}							\
	} while (0)

/* Poll slot @nr of DC @dcid until its flags include @flags (2 s at most). */
bool t_wait_flags(int dcid, int nr, unsigned int flags);
/* ... until its flags include @set and none of @clear. */
bool t_wait_state(int dcid, int nr, unsigned int set, unsigned int clear);
/* ... until it is free. */
bool t_wait_free(int dcid, int nr);
/* A one-way "go" between parent and child: t_sync_init before fork. */
void t_sync_init(void);
void t_sync_post(void);
bool t_sync_wait(void);		/* false after 5 s without a post */
/* Remote messages and answers the kernel holds (/proc/dvs/info's rmsgs), or -1. */
int t_live_rmsgs(void);
/* Elapsed milliseconds since @t0 (from t_now_ms). */
long t_now_ms(void);
