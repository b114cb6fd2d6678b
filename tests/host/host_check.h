/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host unit tests' harness (test_wire, test_link): one "PASS: prog/case"
 * or "FAIL: prog/case: why" line per case, as tests/run.sh counts them.
 * Define HOST_CHECK_PROG before including; main returns host_check_failed().
 */
#ifndef _HOST_CHECK_H
#define _HOST_CHECK_H

#include <setjmp.h>
#include <stdio.h>

static int failed;
static char why[512];
static jmp_buf case_end;	/* REQUIRE's way out of a case that cannot go on */

/* The first failed check of a case says why; the case goes on. */
#define CHECK(cond, ...)						\
	do {								\
		if (!(cond) && !why[0]) {				\
			int n_ = snprintf(why, sizeof(why), "line %d: ", __LINE__); \
			snprintf(why + n_, sizeof(why) - (size_t)n_, __VA_ARGS__); \
		}							\
	} while (0)

/* Checks the rest of the case depends on: a failure ends the case. */
#define REQUIRE(cond, ...)						\
	do {								\
		CHECK(cond, __VA_ARGS__);				\
		if (why[0])						\
			longjmp(case_end, 1);				\
	} while (0)

static void run(const char *name, void (*fn)(void))
{
	why[0] = 0;
	if (!setjmp(case_end))
		fn();
	if (why[0]) {
		printf("FAIL: " HOST_CHECK_PROG "/%s: %s\n", name, why);
		failed++;
	} else {
		printf("PASS: " HOST_CHECK_PROG "/%s\n", name);
	}
	fflush(stdout);
}

#endif
