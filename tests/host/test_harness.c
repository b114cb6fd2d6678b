// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the in-guest programs' harness (tests/guest/test_util.c)
 * on the build host: a failed case's children are killed and reaped, a
 * passed case's are left to it. The cases under test run in a child
 * process whose output is read back, so their FAIL line is not counted.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "test_util.h"

#define HOST_CHECK_PROG "test_harness"
#include "host_check.h"

const char *t_prog = "inner";
static pid_t child;

static int waits(void *arg)
{
	(void)arg;
	pause();
	return 0;
}

static int exits(void *arg)
{
	(void)arg;
	return 0;
}

/* Each child is named, so the outer process can kill any left behind. */
static pid_t named(pid_t pid)
{
	printf("forked %d\n", (int)pid);
	return pid;
}

static void fails_with_child(void)
{
	child = named(t_fork(waits, NULL));
	T_EQ(1, 2);
}

static void passes_with_child(void)
{
	child = named(t_fork(waits, NULL));
}

/* A child reaped by a plain waitpid is not t_run's to kill any more. */
static void fails_after_plain_waitpid(void)
{
	child = t_fork(exits, NULL);
	waitpid(child, NULL, 0);
	T_TRUE(false);
}

/* The cases under test; prints what became of each one's child. */
static void inner(void)
{
	T_RUN(fails_with_child);
	printf("after fails_with_child: %s\n", kill(child, 0) && errno == ESRCH ? "gone" : "alive");
	T_RUN(passes_with_child);
	printf("after passes_with_child: %s\n", kill(child, 0) ? "gone" : "alive");
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	T_RUN(fails_after_plain_waitpid);
	fflush(stdout);
}

static char out[8192];

/*
 * Runs inner() in a child writing to a file (a child left alive would hold
 * a pipe open), then kills whatever children it named.
 */
static void run_inner(void)
{
	FILE *f = tmpfile();
	size_t len;
	pid_t pid;

	if (!f)
		abort();
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(fileno(f), 1);
		inner();
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	rewind(f);
	len = fread(out, 1, sizeof(out) - 1, f);
	out[len] = 0;
	fclose(f);
	for (const char *p = out; (p = strstr(p, "forked ")); p++)
		kill((pid_t)atoi(p + 7), SIGKILL);
}

static void failed_case_kills_its_children(void)
{
	CHECK(strstr(out, "FAIL: inner/fails_with_child\n"), "no FAIL line");
	CHECK(strstr(out, "after fails_with_child: gone\n"), "the child lives on");
	CHECK(strstr(out, ", left running by the failed case\n"), "no 'killed child' line");
}

static void passed_case_keeps_its_children(void)
{
	CHECK(strstr(out, "PASS: inner/passes_with_child\n"), "no PASS line");
	CHECK(strstr(out, "after passes_with_child: alive\n"), "the child was killed");
}

static void reaped_child_not_killed_again(void)
{
	const char *f = strstr(out, "FAIL: inner/fails_after_plain_waitpid\n");

	REQUIRE(f, "no FAIL line");
	/* Exactly one kill in the run: fails_with_child's. */
	f = strstr(out, "  killed child ");
	CHECK(f && !strstr(f + 1, "  killed child "), "want one 'killed child' line, fails_with_child's");
}

int main(void)
{
	run_inner();
	run("failed_case_kills_its_children", failed_case_kills_its_children);
	run("passed_case_keeps_its_children", passed_case_keeps_its_children);
	run("reaped_child_not_killed_again", reaped_child_not_killed_again);
	if (failed) {
		printf("  the cases under test printed:\n");
		for (char *l = strtok(out, "\n"); l; l = strtok(NULL, "\n"))
			printf("    %s\n", l);
	}
	return failed ? 1 : 0;
}
