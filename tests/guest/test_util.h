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

#define T_RUN(fn)		t_run(#fn, fn)
#define T_EQ(expr, want)	t_check_eq(__FILE__, __LINE__, #expr, (long)(expr), (long)(want))
#define T_TRUE(cond)							\
	do { if (!(cond)) t_fail(__FILE__, __LINE__, "%s is false", #cond); } while (0)

#endif
