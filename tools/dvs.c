// SPDX-License-Identifier: GPL-2.0
/*
 * dvs: the DVS command-line tool. One subcommand per management call plus
 * inspection; every subcommand answers --help.
 *
 * Exit status: 0 success, 1 the DVK refused (the EDVS code is printed),
 * 2 bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dvk/libdvk.h>

struct dvs_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	const char *usage;
};

static const struct dvs_cmd *dvs_find(const char *name);

static int dvs_fail(const char *what, int code)
{
	const char *name = dvk_errname(code);

	fprintf(stderr, "dvs %s: %s (%s %d)\n", what, dvk_strerror(code),
		name ? name : "error", code);
	return 1;
}

static int dvs_usage_error(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "dvs %s: ", cmd);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'dvs %s --help'.\n", cmd);
	return 2;
}

/* Parse a decimal or 0x-hex int; 0 on success. */
static int dvs_parse_int(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || end == s || *end || v < INT_MIN || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

static bool dvs_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

static int dvs_help(const struct dvs_cmd *c)
{
	printf("Usage: dvs %s\n\n%s\n", c->usage, c->summary);
	return 0;
}

static void dvs_print_info(const struct dvs_usr *d)
{
	printf("name=%s\nnodeid=%d\n", d->d_name, d->d_nodeid);
	printf("nr_dcs=%d\nnr_nodes=%d\n", d->d_nr_dcs, d->d_nr_nodes);
	printf("max_nr_procs=%d\nmax_nr_tasks=%d\nmax_sys_procs=%d\n",
	       d->d_nr_procs, d->d_nr_tasks, d->d_nr_sysprocs);
	printf("max_copy_buf=%d\nmax_copy_len=%d\n", d->d_max_copybuf, d->d_max_copylen);
	printf("dbglvl=%X\nversion=%u\nflags=%X (%s%s%s)\n", d->d_dbglvl, d->d_version,
	       d->d_flags, d->d_flags & DVS_IPC ? "IPC " : "",
	       d->d_flags & DVS_IOCTL ? "IOCTL " : "",
	       d->d_flags & DVS_INITIALIZED ? "INITIALIZED" : "not initialised");
	printf("sizeof(proc)=%d\nsyscall=%d\n", d->d_size_proc, DVK_SYSCALL_NR);
}

static int dvs_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "node", required_argument, NULL, 'n' },
		{ "name", required_argument, NULL, 'C' },
		{ "dcs", required_argument, NULL, 'V' },
		{ "nodes", required_argument, NULL, 'N' },
		{ "procs", required_argument, NULL, 'P' },
		{ "tasks", required_argument, NULL, 'T' },
		{ "sysprocs", required_argument, NULL, 'S' },
		{ "copybuf", required_argument, NULL, 'B' },
		{ "copylen", required_argument, NULL, 'L' },
		{ "dbglvl", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 }
	};
	struct dvs_usr d = DVK_DVS_DEFAULTS;
	int nodeid = -1, c, v, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "n:C:V:N:P:T:S:B:L:D:", opts, NULL)) != -1) {
		if (c == '?')
			return dvs_usage_error("init", "%s", "bad option");
		if (c == 'C') {
			if (strlen(optarg) >= DVK_NAME_LEN)
				return dvs_usage_error("init", "name '%s' is longer than 15 characters", optarg);
			strncpy(d.d_name, optarg, DVK_NAME_LEN - 1);
			continue;
		}
		if (dvs_parse_int(optarg, &v))
			return dvs_usage_error("init", "'%s' is not a number", optarg);
		switch (c) {
		case 'n': nodeid = v; break;
		case 'V': d.d_nr_dcs = v; break;
		case 'N': d.d_nr_nodes = v; break;
		case 'P': d.d_nr_procs = v; break;
		case 'T': d.d_nr_tasks = v; break;
		case 'S': d.d_nr_sysprocs = v; break;
		case 'B': d.d_max_copybuf = v; break;
		case 'L': d.d_max_copylen = v; break;
		case 'D': d.d_dbglvl = (unsigned int)v; break;
		}
	}
	if (optind < argc)
		return dvs_usage_error("init", "unexpected argument '%s'", argv[optind]);
	if (nodeid < 0)
		return dvs_usage_error("init", "%s", "--node N is required");
	ret = dvk_dvs_init(nodeid, &d);
	if (ret < 0)
		return dvs_fail("init", ret);
	printf("DVS %s initialised: node %d\n", d.d_name, ret);
	return 0;
}

static int dvs_end(int argc, char **argv)
{
	int ret;

	if (argc > 1)
		return dvs_usage_error("end", "unexpected argument '%s'", argv[1]);
	ret = dvk_dvs_end();
	if (ret < 0)
		return dvs_fail("end", ret);
	printf("DVS ended\n");
	return 0;
}

static int dvs_info(int argc, char **argv)
{
	struct dvs_usr d;
	int ret;

	if (argc > 1)
		return dvs_usage_error("info", "unexpected argument '%s'", argv[1]);
	ret = dvk_getdvsinfo(&d);
	if (ret < 0 && ret != EDVSDVSINIT)
		return dvs_fail("info", ret);
	dvs_print_info(&d);
	return 0;
}

static int dvs_help_cmd(int argc, char **argv);

static const struct dvs_cmd dvs_cmds[] = {
	{ "init", dvs_init,
	  "Initialise the DVS on this node (needs CAP_SYS_ADMIN). Limits default to\n"
	  "those of the original DVS: 32 DCs, 32 nodes, 221 procs, 35 tasks, 64 system\n"
	  "procs, copy buffer 65536, copy length 1 MiB.\n\n"
	  "  -n, --node N       local node id, in [0, nodes)      (required)\n"
	  "  -C, --name NAME    DVS name, 1-15 of [A-Za-z0-9_.-]  (DVS_IPC)\n"
	  "  -V, --dcs N        number of DCs                     (32, max 32)\n"
	  "  -N, --nodes N      number of nodes                   (32, max 32)\n"
	  "  -P, --procs N      process slots per DC              (221, max 1024)\n"
	  "  -T, --tasks N      task slots per DC                 (35, max 64)\n"
	  "  -S, --sysprocs N   system slots, tasks < S < procs+tasks (64, max 128)\n"
	  "  -B, --copybuf N    copy chunk in bytes               (65536, max 65536)\n"
	  "  -L, --copylen N    largest copy in bytes, >= copybuf (1048576, max 1 MiB)\n"
	  "  -D, --dbglvl N     debug mask, reported only",
	  "init --node N [--name NAME] [limits...]" },
	{ "end", dvs_end, "Tear the DVS down on this node (needs CAP_SYS_ADMIN).", "end" },
	{ "info", dvs_info,
	  "Show the DVS descriptor: name, node id, limits, version and flags\n"
	  "(IPC 0x1, IOCTL 0x2, INITIALIZED 0x100). Works before init too.", "info" },
	{ "help", dvs_help_cmd, "Show the subcommands, or the help of one.", "help [COMMAND]" },
};

#define DVS_NR_CMDS (sizeof(dvs_cmds) / sizeof(dvs_cmds[0]))

static const struct dvs_cmd *dvs_find(const char *name)
{
	for (size_t i = 0; i < DVS_NR_CMDS; i++)
		if (!strcmp(dvs_cmds[i].name, name))
			return &dvs_cmds[i];
	return NULL;
}

static void dvs_overview(FILE *f)
{
	fprintf(f, "Usage: dvs COMMAND [ARGS]   (dvs COMMAND --help for details)\n\n"
		   "Manage and inspect the DVS node of this kernel.\n\nCommands:\n");
	for (size_t i = 0; i < DVS_NR_CMDS; i++) {
		const char *nl = strchr(dvs_cmds[i].summary, '\n');
		int len = nl ? (int)(nl - dvs_cmds[i].summary) : (int)strlen(dvs_cmds[i].summary);

		fprintf(f, "  %-8s %.*s\n", dvs_cmds[i].name, len, dvs_cmds[i].summary);
	}
}

static int dvs_help_cmd(int argc, char **argv)
{
	const struct dvs_cmd *c;

	if (argc < 2) {
		dvs_overview(stdout);
		return 0;
	}
	c = dvs_find(argv[1]);
	if (!c)
		return dvs_usage_error("help", "unknown command '%s'", argv[1]);
	return dvs_help(c);
}

int main(int argc, char **argv)
{
	const struct dvs_cmd *c;

	if (argc < 2) {
		dvs_overview(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		dvs_overview(stdout);
		return 0;
	}
	c = dvs_find(argv[1]);
	if (!c) {
		fprintf(stderr, "dvs: unknown command '%s'\n", argv[1]);
		dvs_overview(stderr);
		return 2;
	}
	if (dvs_wants_help(argc - 1, argv + 1))
		return dvs_help(c);
	return c->run(argc - 1, argv + 1);
}
