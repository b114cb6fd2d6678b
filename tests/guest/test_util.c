// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dvk/libdvk.h>
#include "test_util.h"

static jmp_buf t_jmp;
static int t_passed, t_failed;

void t_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("  %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	longjmp(t_jmp, 1);
}

static const char *t_name(long v)
{
	const char *n = dvk_errname((int)v);

	return n ? n : "";
}

void t_check_eq(const char *file, int line, const char *expr, long got, long want)
{
	if (got != want)
		t_fail(file, line, "%s = %ld %s, expected %ld %s", expr, got, t_name(got),
		       want, t_name(want));
}

void t_run(const char *name, void (*fn)(void))
{
	fflush(stdout);
	if (setjmp(t_jmp) == 0) {
		fn();
		printf("PASS: %s/%s\n", t_prog, name);
		t_passed++;
	} else {
		printf("FAIL: %s/%s\n", t_prog, name);
		t_failed++;
	}
	fflush(stdout);
}

int t_summary(void)
{
	printf("# %s: %d passed, %d failed\n", t_prog, t_passed, t_failed);
	return t_failed ? 1 : 0;
}

bool t_file_has(const char *path, const char *needle)
{
	char buf[8192];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return strstr(buf, needle) != NULL;
}
