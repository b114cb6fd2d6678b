// SPDX-License-Identifier: GPL-2.0
/*
 * dvs: the DVS command-line tool. One subcommand per management call plus
 * inspection (info, dc-info, ps); every subcommand answers --help.
 *
 * Options are "--name VALUE" or "--name=VALUE", declared per subcommand
 * in a small table. Exit status: 0 success, 1 the DVK refused (the EDVS
 * code is printed), 2 bad usage.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dvk/libdvk.h>
#include "dvs-migrate.h"
#include "dvs-trace.h"

#define DVS_MAX_OPTS 12

struct dvs_opt {
	const char *name;
	bool is_str;		/* else a number (decimal or 0x hex) */
	bool required;
	const char *help;
};

struct dvs_vals {
	bool set[DVS_MAX_OPTS];
	long num[DVS_MAX_OPTS];
	const char *str[DVS_MAX_OPTS];
};

struct dvs_cmd {
	const char *name;
	int (*run)(const struct dvs_vals *v);
	const struct dvs_opt *opts;
	const char *summary;	/* run NULL: a verb comes first (dvs_verb_cmds[]) */
};

static const struct dvs_cmd *dvs_cmd;	/* the one running, for messages */

static int dvs_fail(int code)
{
	const char *name = dvk_errname(code);

	fprintf(stderr, "dvs %s: %s (%s %d)\n", dvs_cmd->name, dvk_strerror(code),
		name ? name : "error", code);
	return 1;
}

static int dvs_usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "dvs %s: ", dvs_cmd->name);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'dvs %s --help'.\n", dvs_cmd->name);
	return 2;
}

static int dvs_parse_long(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 0);
	return errno || end == s || *end || *out < INT_MIN || *out > UINT_MAX ? -1 : 0;
}

/* Parse argv against the command's options; 0 or an exit status. */
static int dvs_parse(const struct dvs_cmd *c, int argc, char **argv, struct dvs_vals *v)
{
	memset(v, 0, sizeof(*v));
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *val, *eq;
		const struct dvs_opt *o = NULL;
		size_t len;
		int k;

		if (strncmp(arg, "--", 2))
			return dvs_usage_error("unexpected argument '%s'", arg);
		eq = strchr(arg, '=');
		len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
		for (k = 0; c->opts && c->opts[k].name; k++)
			if (strlen(c->opts[k].name) == len && !strncmp(c->opts[k].name, arg + 2, len)) {
				o = &c->opts[k];
				break;
			}
		if (!o)
			return dvs_usage_error("unknown option '%s'", arg);
		val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
		if (!val)
			return dvs_usage_error("option '%s' needs a value", arg);
		v->set[k] = true;
		if (o->is_str)
			v->str[k] = val;
		else if (dvs_parse_long(val, &v->num[k]))
			return dvs_usage_error("'%s' is not a number", val);
	}
	for (int k = 0; c->opts && c->opts[k].name; k++) {
		char what[64];

		if (c->opts[k].required && !v->set[k]) {
			snprintf(what, sizeof(what), "--%s", c->opts[k].name);
			return dvs_usage_error("%s is required", what);
		}
	}
	return 0;
}

/* A 1..15 character name into a DVK_NAME_LEN field; 0 or an exit status. */
static int dvs_name(char *dst, const char *src)
{
	if (strlen(src) >= DVK_NAME_LEN)
		return dvs_usage_error("name '%s' is longer than 15 characters", src);
	memset(dst, 0, DVK_NAME_LEN);
	memcpy(dst, src, strlen(src));
	return 0;
}

/* ---- DVS ---------------------------------------------------------------- */

enum { I_NODE, I_NAME, I_DCS, I_NODES, I_PROCS, I_TASKS, I_SYS, I_BUF, I_LEN, I_DBG };
static const struct dvs_opt init_opts[] = {
	[I_NODE] = { "node", false, true, "local node id, in [0, nodes)" },
	[I_NAME] = { "name", true, false, "DVS name, 1-15 of [A-Za-z0-9_.-] (DVS_IPC)" },
	[I_DCS] = { "dcs", false, false, "number of DCs (32, max 32)" },
	[I_NODES] = { "nodes", false, false, "number of nodes (32, max 32)" },
	[I_PROCS] = { "procs", false, false, "process slots per DC (221, max 1024)" },
	[I_TASKS] = { "tasks", false, false, "task slots per DC (35, max 64)" },
	[I_SYS] = { "sysprocs", false, false, "system slots, tasks < S < procs+tasks (64, max 128)" },
	[I_BUF] = { "copybuf", false, false, "copy chunk in bytes (65536, max 65536)" },
	[I_LEN] = { "copylen", false, false, "largest copy in bytes, >= copybuf (1048576)" },
	[I_DBG] = { "dbglvl", false, false, "debug mask, reported only" },
	{ NULL }
};

static int dvs_init(const struct dvs_vals *v)
{
	struct dvs_usr d = DVK_DVS_DEFAULTS;
	int ret;

	if (v->set[I_NAME] && (ret = dvs_name(d.d_name, v->str[I_NAME])))
		return ret;
	if (v->set[I_DCS]) d.d_nr_dcs = (int)v->num[I_DCS];
	if (v->set[I_NODES]) d.d_nr_nodes = (int)v->num[I_NODES];
	if (v->set[I_PROCS]) d.d_nr_procs = (int)v->num[I_PROCS];
	if (v->set[I_TASKS]) d.d_nr_tasks = (int)v->num[I_TASKS];
	if (v->set[I_SYS]) d.d_nr_sysprocs = (int)v->num[I_SYS];
	if (v->set[I_BUF]) d.d_max_copybuf = (int)v->num[I_BUF];
	if (v->set[I_LEN]) d.d_max_copylen = (int)v->num[I_LEN];
	if (v->set[I_DBG]) d.d_dbglvl = (unsigned int)v->num[I_DBG];
	ret = dvk_dvs_init((int)v->num[I_NODE], &d);
	if (ret < 0)
		return dvs_fail(ret);
	printf("DVS %s initialised: node %d\n", d.d_name, ret);
	return 0;
}

static int dvs_end(const struct dvs_vals *v)
{
	int ret = dvk_dvs_end();

	(void)v;
	if (ret < 0)
		return dvs_fail(ret);
	printf("DVS ended\n");
	return 0;
}

static int dvs_info(const struct dvs_vals *v)
{
	struct dvs_usr d;
	int ret = dvk_getdvsinfo(&d);

	(void)v;
	if (ret < 0 && ret != EDVSDVSINIT)
		return dvs_fail(ret);
	printf("name=%s\nnodeid=%d\n", d.d_name, d.d_nodeid);
	printf("nr_dcs=%d\nnr_nodes=%d\n", d.d_nr_dcs, d.d_nr_nodes);
	printf("max_nr_procs=%d\nmax_nr_tasks=%d\nmax_sys_procs=%d\n",
	       d.d_nr_procs, d.d_nr_tasks, d.d_nr_sysprocs);
	printf("max_copy_buf=%d\nmax_copy_len=%d\n", d.d_max_copybuf, d.d_max_copylen);
	printf("dbglvl=%X\nversion=%u\nflags=%X (%s%s%s)\n", d.d_dbglvl, d.d_version,
	       d.d_flags, d.d_flags & DVS_IPC ? "IPC " : "",
	       d.d_flags & DVS_IOCTL ? "IOCTL " : "",
	       d.d_flags & DVS_INITIALIZED ? "INITIALIZED" : "not initialised");
	printf("sizeof(proc)=%d\nsyscall=%d\n", d.d_size_proc,
	       d.d_flags & DVS_IPC ? DVK_SYSCALL_NR : -1);
	return 0;
}

/* ---- DCs ---------------------------------------------------------------- */

enum { D_DC, D_NAME, D_PROCS, D_TASKS, D_SYS, D_NODES, D_OWNER };
static const struct dvs_opt dc_init_opts[] = {
	[D_DC] = { "dc", false, true, "DC id, in [0, nr_dcs)" },
	[D_NAME] = { "name", true, false, "DC name, also its /proc/dvs directory (DC<id>)" },
	[D_PROCS] = { "procs", false, false, "process slots (the DVS's max_nr_procs)" },
	[D_TASKS] = { "tasks", false, false, "task slots (the DVS's max_nr_tasks)" },
	[D_SYS] = { "sysprocs", false, false, "system slots (the DVS's max_sys_procs)" },
	[D_NODES] = { "nodes", false, false, "nodes the DC may span (the DVS's nr_nodes)" },
	[D_OWNER] = { "owner", false, false, "uid that may bind its own processes to user slots (0)" },
	{ NULL }
};

static int dvs_dc_init(const struct dvs_vals *v)
{
	struct dc_usr u = { .dc_warn2proc = DVK_NONE };
	struct dvs_usr d;
	char name[32];
	int ret;

	ret = dvk_getdvsinfo(&d);
	if (ret < 0)
		return dvs_fail(ret);
	u.dc_dcid = (int)v->num[D_DC];
	snprintf(name, sizeof(name), "DC%d", u.dc_dcid);
	if ((ret = dvs_name(u.dc_name, v->set[D_NAME] ? v->str[D_NAME] : name)))
		return ret;
	u.dc_nr_procs = v->set[D_PROCS] ? (int)v->num[D_PROCS] : d.d_nr_procs;
	u.dc_nr_tasks = v->set[D_TASKS] ? (int)v->num[D_TASKS] : d.d_nr_tasks;
	u.dc_nr_sysprocs = v->set[D_SYS] ? (int)v->num[D_SYS] : d.d_nr_sysprocs;
	u.dc_nr_nodes = v->set[D_NODES] ? (int)v->num[D_NODES] : d.d_nr_nodes;
	u.dc_owner = (unsigned int)v->num[D_OWNER];
	ret = dvk_dc_init(&u);
	if (ret < 0)
		return dvs_fail(ret);
	printf("DC%d %s initialised on node %d\n", u.dc_dcid, u.dc_name, ret);
	return 0;
}

static const struct dvs_opt dc_opt[] = { { "dc", false, true, "DC id" }, { NULL } };
static const struct dvs_opt dc_opt_opt[] = {
	{ "dc", false, false, "DC id (default: every running DC)" }, { NULL }
};

static int dvs_dc_end(const struct dvs_vals *v)
{
	int ret = dvk_dc_end((int)v->num[0]);

	if (ret < 0)
		return dvs_fail(ret);
	printf("DC%ld ended\n", v->num[0]);
	return 0;
}

static void dvs_print_dc(const struct dc_usr *u)
{
	printf("dcid=%d name=%s procs=%d tasks=%d sysprocs=%d nodes=%d nodemap=%#x owner=%u pid=%d\n",
	       u->dc_dcid, u->dc_name, u->dc_nr_procs, u->dc_nr_tasks, u->dc_nr_sysprocs,
	       u->dc_nr_nodes, u->dc_nodes, u->dc_owner, u->dc_pid);
}

static int dvs_dc_info(const struct dvs_vals *v)
{
	struct dc_usr u;
	int ret, found = 0;

	if (v->set[0]) {
		ret = dvk_getdcinfo((int)v->num[0], &u);
		if (ret < 0)
			return dvs_fail(ret);
		dvs_print_dc(&u);
		return 0;
	}
	for (int i = 0; i < DVK_MAX_DCS; i++) {
		ret = dvk_getdcinfo(i, &u);
		if (ret == EDVSDVSINIT || ret == EDVSNODEV)
			return dvs_fail(ret);
		if (ret == 0) {
			dvs_print_dc(&u);
			found++;
		}
	}
	if (!found)
		printf("no DC running\n");
	return 0;
}

/* ---- Bindings ----------------------------------------------------------- */

enum { B_DC, B_SLOT, B_PID };
static const struct dvs_opt bind_opts[] = {
	[B_DC] = { "dc", false, true, "DC id" },
	[B_SLOT] = { "slot", false, true, "slot number (tasks negative, processes from 0)" },
	[B_PID] = { "pid", false, true, "process to bind, in the DC's pid namespace" },
	{ NULL }
};

static int dvs_bind(const struct dvs_vals *v)
{
	int ep = dvk_lclbind((int)v->num[B_DC], (int)v->num[B_PID], (int)v->num[B_SLOT]);

	if (ep < 0)
		return dvs_fail(ep);
	printf("pid %ld bound to slot %ld of DC%ld: endpoint %d\n", v->num[B_PID],
	       v->num[B_SLOT], v->num[B_DC], ep);
	return 0;
}

enum { R_DC, R_EP, R_NODE, R_NAME };
static const struct dvs_opt rmtbind_opts[] = {
	[R_DC] = { "dc", false, true, "DC id" },
	[R_EP] = { "endpoint", false, true, "the remote process's endpoint" },
	[R_NODE] = { "node", false, true, "its node" },
	[R_NAME] = { "name", true, true, "its name, 1-15 characters" },
	{ NULL }
};

static int dvs_rmtbind(const struct dvs_vals *v)
{
	char name[DVK_NAME_LEN];
	int ret = dvs_name(name, v->str[R_NAME]);

	if (ret)
		return ret;
	ret = dvk_rmtbind((int)v->num[R_DC], name, (int)v->num[R_EP], (int)v->num[R_NODE]);
	if (ret < 0)
		return dvs_fail(ret);
	printf("endpoint %d of node %ld registered in DC%ld\n", ret, v->num[R_NODE], v->num[R_DC]);
	return 0;
}

static const struct dvs_opt ep_opts[] = {
	{ "dc", false, true, "DC id" }, { "endpoint", false, true, "endpoint" }, { NULL }
};

static int dvs_unbind(const struct dvs_vals *v)
{
	int ret = dvk_unbind((int)v->num[0], (int)v->num[1]);

	if (ret < 0)
		return dvs_fail(ret);
	printf("endpoint %ld unbound\n", v->num[1]);
	return 0;
}

enum { P_DC, P_EP, P_LEVEL, P_CALLS, P_IPCTO0, P_IPCTO1 };
static const struct dvs_opt priv_opts[] = {
	[P_DC] = { "dc", false, true, "DC id" },
	[P_EP] = { "endpoint", false, true, "endpoint" },
	[P_LEVEL] = { "level", false, false, "set: 0 user, 1 server, 2 task, 3 system, 4 kernel, 5 proxy" },
	[P_CALLS] = { "calls", false, false, "set: allowed calls, one bit per call number" },
	[P_IPCTO0] = { "ipc-to", false, false, "set: system indexes 0-63 it may IPC to" },
	[P_IPCTO1] = { "ipc-to-hi", false, false, "set: system indexes 64-127" },
	{ NULL }
};

static int dvs_priv(const struct dvs_vals *v)
{
	struct priv_usr p;
	int dc = (int)v->num[P_DC], ep = (int)v->num[P_EP];
	int ret = dvk_getpriv(dc, ep, &p);

	if (ret < 0)
		return dvs_fail(ret);
	if (v->set[P_LEVEL] || v->set[P_CALLS] || v->set[P_IPCTO0] || v->set[P_IPCTO1]) {
		if (v->set[P_LEVEL]) p.priv_level = (int)v->num[P_LEVEL];
		if (v->set[P_CALLS]) p.priv_dvk_allowed = (unsigned long)v->num[P_CALLS];
		if (v->set[P_IPCTO0]) p.priv_ipc_to[0] = (unsigned long)v->num[P_IPCTO0];
		if (v->set[P_IPCTO1]) p.priv_ipc_to[1] = (unsigned long)v->num[P_IPCTO1];
		ret = dvk_setpriv(dc, ep, &p);
		if (ret < 0)
			return dvs_fail(ret);
	}
	printf("id=%d level=%d warn=%d calls=%#llx ipc_to=%#llx:%#llx\n", p.priv_id,
	       p.priv_level, p.priv_warn, (unsigned long long)p.priv_dvk_allowed,
	       (unsigned long long)p.priv_ipc_to[1], (unsigned long long)p.priv_ipc_to[0]);
	return 0;
}

/* ---- ps ----------------------------------------------------------------- */

static void dvs_ep_str(char *buf, size_t n, int ep)
{
	if (ep == DVK_ANY)
		snprintf(buf, n, "ANY");
	else if (ep == DVK_NONE)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%d(%d)", ep, DVK_EP_NR(ep));
}

static const char *dvs_state(unsigned int f)
{
	if (f & DVK_REMOTE)
		return "remote";
	if ((f & (DVK_SENDING | DVK_RECEIVING)) == (DVK_SENDING | DVK_RECEIVING))
		return "sendrec";
	if (f & DVK_SENDING)
		return "sending";
	if (f & DVK_RECEIVING)
		return "receiving";
	if (f & DVK_ONCOPY)
		return "copying";
	return "running";
}

static int dvs_ps(const struct dvs_vals *v)
{
	struct dc_usr u;
	struct proc_usr p;
	char from[24], to[24];
	int ret, first = 0, last = DVK_MAX_DCS - 1;

	if (v->set[0])
		first = last = (int)v->num[0];
	printf("%-3s %5s %-12s %6s %4s %-9s %-14s %-14s %s\n", "DC", "SLOT", "ENDPOINT", "PID",
	       "NODE", "STATE", "RECEIVE-FROM", "SEND-TO", "NAME");
	for (int dc = first; dc <= last; dc++) {
		ret = dvk_getdcinfo(dc, &u);
		if (ret == EDVSDCNOTRUN && !v->set[0])
			continue;
		if (ret < 0)
			return dvs_fail(ret);
		for (int nr = -u.dc_nr_tasks; nr < u.dc_nr_procs; nr++) {
			if (dvk_getprocinfo(dc, nr, &p) < 0 || (p.p_rts_flags & DVK_SLOT_FREE))
				continue;
			dvs_ep_str(from, sizeof(from), p.p_getfrom);
			dvs_ep_str(to, sizeof(to), p.p_sendto);
			printf("%-3d %5d %-12d %6d %4d %-9s %-14s %-14s %s\n", dc, nr, p.p_endpoint,
			       p.p_lpid, p.p_nodeid, dvs_state(p.p_rts_flags), from, to, p.p_name);
		}
	}
	return 0;
}

/* ---- Nodes and proxy pairs ----------------------------------------------- */

enum { X_ID, X_NAME, X_SPID, X_RPID, X_MAX };
static const struct dvs_opt pxbind_opts[] = {
	[X_ID] = { "id", false, true, "proxy pair id, in [0, nr_nodes)" },
	[X_NAME] = { "name", true, true, "pair name, 1-15 characters" },
	[X_SPID] = { "sender", false, true, "pid of the sender proxy" },
	[X_RPID] = { "receiver", false, true, "pid of the receiver proxy (may be the sender's)" },
	[X_MAX] = { "maxbytes", false, false, "largest payload it moves (65536, max 65536)" },
	{ NULL }
};

static int dvs_pxbind(const struct dvs_vals *v)
{
	char name[DVK_NAME_LEN];
	int ret = dvs_name(name, v->str[X_NAME]);

	if (ret)
		return ret;
	ret = dvk_proxies_bind(name, (int)v->num[X_ID], (int)v->num[X_SPID], (int)v->num[X_RPID],
			       v->set[X_MAX] ? (int)v->num[X_MAX] : DVK_CMD_MAXPAYLOAD);
	if (ret < 0)
		return dvs_fail(ret);
	printf("proxy pair %d (%s) bound: sender %ld, receiver %ld\n", ret, name,
	       v->num[X_SPID], v->num[X_RPID]);
	return 0;
}

static const struct dvs_opt px_opt[] = { { "id", false, true, "proxy pair id" }, { NULL } };

static int dvs_pxunbind(const struct dvs_vals *v)
{
	int ret = dvk_proxies_unbind((int)v->num[0]);

	if (ret < 0)
		return dvs_fail(ret);
	printf("proxy pair %ld unbound\n", v->num[0]);
	return 0;
}

static const char *const dvs_conn_names[] = {
	[DVK_CONNECT_SPROXY] = "connect-sender", [DVK_CONNECT_RPROXY] = "connect-receiver",
	[DVK_DISCONNECT_SPROXY] = "disconnect-sender",
	[DVK_DISCONNECT_RPROXY] = "disconnect-receiver",
};

static const struct dvs_opt pxconn_opts[] = {
	{ "id", false, true, "proxy pair id" },
	{ "status", true, true, "connect-sender, connect-receiver, disconnect-sender or\n"
	  "\t\t\tdisconnect-receiver" },
	{ NULL }
};

static int dvs_pxconn(const struct dvs_vals *v)
{
	int status = 0, ret;

	for (int s = DVK_CONNECT_SPROXY; s <= DVK_DISCONNECT_RPROXY; s++)
		if (!strcmp(v->str[1], dvs_conn_names[s]))
			status = s;
	if (!status)
		return dvs_usage_error("unknown --status '%s'", v->str[1]);
	ret = dvk_proxy_conn((int)v->num[0], status);
	if (ret < 0)
		return dvs_fail(ret);
	printf("proxy pair %ld: %s\n", v->num[0], v->str[1]);
	return 0;
}

enum { U_NODE, U_NAME, U_PX };
static const struct dvs_opt nodeup_opts[] = {
	[U_NODE] = { "node", false, true, "the remote node's id" },
	[U_NAME] = { "name", true, true, "its name, 1-15 characters" },
	[U_PX] = { "proxy", false, true, "the proxy pair that serves it" },
	{ NULL }
};

static int dvs_nodeup(const struct dvs_vals *v)
{
	char name[DVK_NAME_LEN];
	int ret = dvs_name(name, v->str[U_NAME]);

	if (ret)
		return ret;
	ret = dvk_node_up(name, (int)v->num[U_NODE], (int)v->num[U_PX]);
	if (ret < 0)
		return dvs_fail(ret);
	printf("node %d (%s) up through proxy pair %ld\n", ret, name, v->num[U_PX]);
	return 0;
}

static const struct dvs_opt node_opt[] = { { "node", false, true, "node id" }, { NULL } };

static int dvs_nodedown(const struct dvs_vals *v)
{
	int ret = dvk_node_down((int)v->num[0]);

	if (ret < 0)
		return dvs_fail(ret);
	printf("node %ld down\n", v->num[0]);
	return 0;
}

static const struct dvs_opt dcnode_opts[] = {
	{ "dc", false, true, "DC id" }, { "node", false, true, "an attached remote node" }, { NULL }
};

static int dvs_addnode(const struct dvs_vals *v)
{
	int ret = dvk_add_node((int)v->num[0], (int)v->num[1]);

	if (ret < 0)
		return dvs_fail(ret);
	printf("node %ld added to DC%ld\n", v->num[1], v->num[0]);
	return 0;
}

static int dvs_delnode(const struct dvs_vals *v)
{
	int ret = dvk_del_node((int)v->num[0], (int)v->num[1]);

	if (ret < 0)
		return dvs_fail(ret);
	printf("node %ld removed from DC%ld\n", v->num[1], v->num[0]);
	return 0;
}

static void dvs_flags_str(char *buf, size_t len, unsigned int f, unsigned int s, unsigned int r)
{
	snprintf(buf, len, "%s%s", f & s ? "S" : "-", f & r ? "R" : "-");
}

static int dvs_nodes(const struct dvs_vals *v)
{
	struct node_usr n;
	char conn[4];
	int ret;

	(void)v;
	printf("%4s %-15s %5s %4s %-10s %s\n", "NODE", "NAME", "PROXY", "LINK", "DCS", "SENT/RCVD");
	for (int i = 0; i < DVK_MAX_NODES; i++) {
		ret = dvk_getnodeinfo(i, &n);
		if (ret == EDVSDVSINIT || ret == EDVSNODEV)
			return dvs_fail(ret);
		if (ret < 0)
			continue;
		dvs_flags_str(conn, sizeof(conn), n.n_flags, DVK_NODE_SCONNECTED, DVK_NODE_RCONNECTED);
		printf("%4d %-15s %5d %4s %#-10x %llu/%llu\n", n.n_nodeid, n.n_name, n.n_proxies,
		       n.n_proxies < 0 ? "self" : conn, n.n_dcs, (unsigned long long)n.n_pxsent,
		       (unsigned long long)n.n_pxrcvd);
	}
	return 0;
}

static int dvs_proxies(const struct dvs_vals *v)
{
	struct proxies_usr px;
	char conn[4];
	int ret, found = 0;

	(void)v;
	for (int i = 0; i < DVK_MAX_NODES; i++) {
		ret = dvk_getproxyinfo(i, &px);
		if (ret == EDVSDVSINIT || ret == EDVSNODEV)
			return dvs_fail(ret);
		if (ret < 0)
			continue;
		if (!found++)
			printf("%2s %-15s %7s %8s %4s %8s %s\n", "ID", "NAME", "SENDER", "RECEIVER",
			       "LINK", "MAXBYTES", "NODES");
		dvs_flags_str(conn, sizeof(conn), px.px_flags, DVK_PX_SCONNECTED, DVK_PX_RCONNECTED);
		printf("%2d %-15s %7d %8d %4s %8u %#x\n", px.px_id, px.px_name, px.px_spid,
		       px.px_rpid, conn, px.px_maxbytes, px.px_nodes);
	}
	if (!found)
		printf("no proxy pair bound\n");
	return 0;
}

/* ---- Dispatch ----------------------------------------------------------- */

static int dvs_help_cmd(const struct dvs_vals *v);

static const struct dvs_opt help_opts[] = {
	{ "command", true, false, "a subcommand" }, { NULL }
};

enum { M_DC, M_EP, M_NODE, M_PID, M_FROM, M_TO, M_NODES, M_AGENTS, M_SLOT, M_EXEC, M_TIMEOUT };
static const struct dvs_opt migrate_opts[] = {
	[M_DC] = { "dc", false, true, "DC id" },
	[M_EP] = { "endpoint", false, false, "the endpoint that moves (or its slot number)" },
	[M_NODE] = { "node", false, false, "commit: the endpoint's new node" },
	[M_PID] = { "pid", false, false, "commit/move: the process on the new node that takes it" },
	[M_FROM] = { "from", false, false, "move: the endpoint's node now" },
	[M_TO] = { "to", false, false, "move: its new node" },
	[M_NODES] = { "nodes", true, false, "move: every node of the DC that knows it, e.g. 0,1,2" },
	[M_AGENTS] = { "agents", false, false, "agent/move: node N's agent is bound to slot AGENTS+N" },
	[M_SLOT] = { "slot", false, false, "move: the slot the mover binds itself to meanwhile" },
	[M_EXEC] = { "exec", true, false, "the new process on its new node: program and arguments, no shell (agent; move when --to is here)" },
	[M_TIMEOUT] = { "timeout", false, false, "move: ms for agents to answer, the endpoint to idle (30000)" },
	{ NULL }
};

/* The first @what of @v's options that is missing, or NULL. */
static const char *dvs_missing(const struct dvs_vals *v, const int *need, int n)
{
	static char what[32];

	for (int i = 0; i < n; i++)
		if (!v->set[need[i]]) {
			snprintf(what, sizeof(what), "--%s", migrate_opts[need[i]].name);
			return what;
		}
	return NULL;
}

/* Nothing but spaces (an --exec with no program)? */
static bool dvs_blank(const char *s)
{
	return s[strspn(s, " ")] == '\0';
}

/* --nodes 0,1,2 into @mv; 0 or an exit status. */
static int dvs_node_list(const char *s, struct dvs_migr_move *mv)
{
	char list[128], *tok, *save;

	if (strlen(s) >= sizeof(list))
		return dvs_usage_error("--nodes %s: too long", s);
	snprintf(list, sizeof(list), "%s", s);
	mv->nnodes = 0;
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long n;

		if (dvs_parse_long(tok, &n) || n < 0 || n >= DVK_MAX_NODES)
			return dvs_usage_error("--nodes: '%s' is not a node id", tok);
		if (mv->nnodes == DVK_MAX_NODES)
			return dvs_usage_error("--nodes: more than %s nodes", "32");
		for (int k = 0; k < mv->nnodes; k++)
			if (mv->nodes[k] == n)
				return dvs_usage_error("--nodes: node %s is listed twice", tok);
		mv->nodes[mv->nnodes++] = (int)n;
	}
	return 0;
}

/* dvs migrate move (or ping): the whole move, every other node through its agent. */
static int dvs_migrate_move(const struct dvs_vals *v, bool ping)
{
	static const int need[] = { M_NODES, M_AGENTS, M_SLOT, M_EP, M_FROM, M_TO };
	struct dvs_migr_move mv = {
		.dcid = (int)v->num[M_DC], .ep = (int)v->num[M_EP], .from = (int)v->num[M_FROM],
		.to = (int)v->num[M_TO], .agents = (int)v->num[M_AGENTS], .slot = (int)v->num[M_SLOT],
		.pid = v->set[M_PID] ? (int)v->num[M_PID] : 0, .exec = v->str[M_EXEC],
		.timeout_ms = v->set[M_TIMEOUT] ? v->num[M_TIMEOUT] : 30000,
	};
	const char *miss = dvs_missing(v, need, ping ? 3 : 6);
	bool from_in = false, to_in = false;
	int ret;

	if (miss)
		return dvs_usage_error(ping ? "ping needs %s" : "move needs %s", miss);
	ret = dvs_node_list(v->str[M_NODES], &mv);
	if (ret)
		return ret;
	if (mv.timeout_ms < 0 || mv.timeout_ms > INT_MAX)
		return dvs_usage_error("--timeout: %s", "want milliseconds, 0 or more");
	if (v->set[M_PID] && (v->num[M_PID] <= 0 || v->num[M_PID] > INT_MAX))
		return dvs_usage_error("--pid: %s", "want a process id, 1 or more");
	if (v->set[M_PID] && v->set[M_EXEC])
		return dvs_usage_error("%s", "--pid and --exec: give one of them");
	if (v->set[M_EXEC] && dvs_blank(v->str[M_EXEC]))
		return dvs_usage_error("--exec: %s", "an empty command");
	if (ping) {
		ret = dvs_migr_ping(&mv);
		if (ret)
			return dvs_fail(ret);
		printf("every agent answers\n");
		return 0;
	}
	for (int k = 0; k < mv.nnodes; k++) {
		from_in |= mv.nodes[k] == mv.from;
		to_in |= mv.nodes[k] == mv.to;
	}
	if (!from_in || !to_in || mv.from == mv.to)
		return dvs_usage_error("--nodes %s must hold --from and --to, two different nodes",
				       v->str[M_NODES]);
	ret = dvs_migr_move(&mv);
	return ret ? dvs_fail(ret) : 0;
}

/* dvs migrate start|commit|rollback|move|agent ... */
static int dvs_migrate(int argc, char **argv, const struct dvs_cmd *c)
{
	static const char *const opers[] = { "start", "commit", "rollback", "move", "agent", "ping" };
	struct dvs_vals v;
	int oper, ret;

	for (oper = 0; oper < 6; oper++)
		if (argc > 1 && !strcmp(argv[1], opers[oper]))
			break;
	if (oper == 6)
		return dvs_usage_error("'%s': want start, commit, rollback, move, agent or ping",
				       argc > 1 ? argv[1] : "(nothing)");
	ret = dvs_parse(c, argc - 1, argv + 1, &v);
	if (ret)
		return ret;
	if (oper == 3 || oper == 5)
		return dvs_migrate_move(&v, oper == 5);
	if (oper == 4) {
		if (!v.set[M_AGENTS])
			return dvs_usage_error("agent needs %s", "--agents");
		if (v.set[M_EXEC] && dvs_blank(v.str[M_EXEC]))
			return dvs_usage_error("--exec: %s", "an empty command");
		ret = dvs_migr_agent((int)v.num[M_DC], (int)v.num[M_AGENTS], v.str[M_EXEC]);
		return ret == EDVSNOTBIND ? 0 : dvs_fail(ret);
	}
	if (!v.set[M_EP])
		return dvs_usage_error("%s needs --endpoint", opers[oper]);
	if (oper == DVK_MIGR_COMMIT && !v.set[M_NODE])
		return dvs_usage_error("%s needs --node", "commit");
	ret = dvk_migrate(oper, v.set[M_PID] ? (int)v.num[M_PID] : 0, (int)v.num[M_DC],
			  (int)v.num[M_EP], v.set[M_NODE] ? (int)v.num[M_NODE] : -1);
	if (ret < 0)
		return dvs_fail(ret);
	printf("endpoint %ld: migration %s\n", v.num[M_EP],
	       oper == DVK_MIGR_START ? "started" : oper == DVK_MIGR_COMMIT ? "committed" :
	       "rolled back");
	return 0;
}

/* dvs trace ... (tools/dvs-trace.c) */
static int dvs_trace_verb(int argc, char **argv, const struct dvs_cmd *c)
{
	(void)c;
	return dvs_trace_main(argc, argv);
}

static const struct dvs_cmd dvs_cmds[] = {
	{ "init", dvs_init, init_opts,
	  "Initialise the DVS on this node (needs CAP_SYS_ADMIN). Limits default to\n"
	  "those of the original DVS." },
	{ "end", dvs_end, NULL, "Tear the DVS down on this node (ends every DC; CAP_SYS_ADMIN)." },
	{ "info", dvs_info, NULL,
	  "Show the DVS descriptor: name, node id, limits, version and flags\n"
	  "(IPC 0x1, IOCTL 0x2, INITIALIZED 0x100). Works before init too." },
	{ "dc-init", dvs_dc_init, dc_init_opts,
	  "Create a DC on this node (CAP_SYS_ADMIN). Limits default to the DVS's." },
	{ "dc-end", dvs_dc_end, dc_opt,
	  "End a DC: every process in it is unbound and its blocked calls return\n"
	  "EDVSDCNOTRUN (CAP_SYS_ADMIN)." },
	{ "dc-info", dvs_dc_info, dc_opt_opt, "Show one DC, or every running DC." },
	{ "bind", dvs_bind, bind_opts,
	  "Bind a running process to a slot (CAP_SYS_ADMIN, or the DC's owner for\n"
	  "its own processes on user slots); prints the endpoint." },
	{ "rmtbind", dvs_rmtbind, rmtbind_opts,
	  "Register a process of another node in a DC (CAP_SYS_ADMIN)." },
	{ "unbind", dvs_unbind, ep_opts, "Unbind an endpoint." },
	{ "migrate", NULL, migrate_opts,
	  "One node's part in moving an endpoint to another node (CAP_SYS_ADMIN):\n"
	  "  dvs migrate start --dc D --endpoint E            calls towards it wait\n"
	  "  dvs migrate commit --dc D --endpoint E --node N [--pid P]\n"
	  "                                                   it is on node N now (on N\n"
	  "                                                   itself, process P takes it)\n"
	  "  dvs migrate rollback --dc D --endpoint E         it stays where it was\n"
	  "Run start on every node of the DC (the endpoint's own node last), then\n"
	  "commit on every node (its old node first, its new node last); a migration\n"
	  "the old node has not committed in 30 s (migrate_timeout_ms) is rolled back.\n"
	  "Or with one command, on any node of the DC, once every other node runs an agent:\n"
	  "  dvs migrate agent --dc D --agents A [--exec CMD]  this node's part, on request\n"
	  "                                                   (bound to slot A + its node id;\n"
	  "                                                   CMD is the process for an\n"
	  "                                                   endpoint that comes here: a\n"
	  "                                                   program and its arguments, split\n"
	  "                                                   at spaces; it finds itself bound,\n"
	  "                                                   wait4bind(SELF))\n"
	  "  dvs migrate move --dc D --endpoint E --from N --to M --nodes 0,1,.. --agents A\n"
	  "                   --slot S [--pid P | --exec CMD] [--timeout MS]\n"
	  "                                                   the whole move; rolled back on\n"
	  "                                                   every node if a start fails\n"
	  "  dvs migrate ping --dc D --nodes 0,1,.. --agents A --slot S [--timeout MS]\n"
	  "                                                   wait until every agent answers\n"
	  "An agent serves only endpoints with more than user rights on its node.\n"
	  "docs/abi.md, \"Migration\"." },
	{ "priv", dvs_priv, priv_opts,
	  "Show a binding's privileges; with --level/--calls/--ipc-to, set them\n"
	  "(CAP_SYS_ADMIN)." },
	{ "ps", dvs_ps, dc_opt_opt,
	  "List the bound processes of one DC (or all): slot, endpoint, pid, node,\n"
	  "state and whom each waits for." },
	{ "proxies-bind", dvs_pxbind, pxbind_opts,
	  "Register a proxy pair: the sender and receiver processes that link this\n"
	  "node to the nodes the pair will serve (CAP_SYS_ADMIN). A proxy that exits\n"
	  "takes its pair down." },
	{ "proxies-unbind", dvs_pxunbind, px_opt,
	  "Take a proxy pair down: the nodes it serves are detached (CAP_SYS_ADMIN)." },
	{ "proxy-conn", dvs_pxconn, pxconn_opts,
	  "Report a proxy's link up or down (the pair's own proxies, or CAP_SYS_ADMIN)." },
	{ "node-up", dvs_nodeup, nodeup_opts,
	  "Attach a remote node, served by a bound proxy pair (CAP_SYS_ADMIN)." },
	{ "node-down", dvs_nodedown, node_opt,
	  "Detach a remote node: it leaves every DC and its endpoints are unbound\n"
	  "(CAP_SYS_ADMIN)." },
	{ "add-node", dvs_addnode, dcnode_opts,
	  "Make an attached remote node a member of a DC (CAP_SYS_ADMIN)." },
	{ "del-node", dvs_delnode, dcnode_opts,
	  "Remove a node from a DC; its endpoints there are unbound (CAP_SYS_ADMIN)." },
	{ "nodes", dvs_nodes, NULL,
	  "List this node and every attached remote node: proxy pair, link (S sender\n"
	  "and R receiver connected), DCs, commands sent and received." },
	{ "proxies", dvs_proxies, NULL, "List the bound proxy pairs." },
	{ "trace", NULL, NULL,
	  "Record this node's DVK messages and copies (tracefs events dvk/dvk_msg and\n"
	  "dvk/dvk_copy; root) and draw several nodes' records as a sequence chart:\n"
	  "  dvs trace start     clear the buffer, set its clock (tai, else mono, else\n"
	  "                      local), events on; mounts tracefs if it is not\n"
	  "  dvs trace stop      events off\n"
	  "  dvs trace show      the events recorded, one a line, oldest first:\n"
	  "                        TIME_NS NODE KIND DC SRC_EP SRC_NODE DST_EP DST_NODE MTYPE BYTES\n"
	  "                      (TIME_NS CLOCK_REALTIME; KIND send, sendrec, notify, reply\n"
	  "                      or copy), after a '# name NODE DC EP NAME' line for each\n"
	  "                      endpoint bound here\n"
	  "  dvs trace chart [--svg FILE] [--width COLS] FILE...\n"
	  "                      merge the shown traces of several nodes (- for stdin) and\n"
	  "                      draw them: a lifeline per endpoint, grouped by node, an\n"
	  "                      arrow per event; ASCII on stdout (COLS: 80), SVG in FILE\n"
	  "At most 100000 events and 256 lifelines; a bad line is reported as FILE:LINE\n"
	  "and nothing is drawn (exit 1). docs/trace.md." },
	{ "help", dvs_help_cmd, help_opts, "Show the subcommands, or the help of one." },
};

#define DVS_NR_CMDS (sizeof(dvs_cmds) / sizeof(dvs_cmds[0]))

/* The commands whose verb comes first, then the verb's own arguments. */
static const struct dvs_verb_cmd {
	const char *name;
	const char *verbs;
	int (*run)(int argc, char **argv, const struct dvs_cmd *c);
} dvs_verb_cmds[] = {
	{ "migrate", "start|commit|rollback|move|agent|ping", dvs_migrate },
	{ "trace", DVS_TRACE_VERBS, dvs_trace_verb },
};

static const struct dvs_verb_cmd *dvs_verb_cmd(const struct dvs_cmd *c)
{
	for (size_t i = 0; !c->run && i < sizeof(dvs_verb_cmds) / sizeof(dvs_verb_cmds[0]); i++)
		if (!strcmp(dvs_verb_cmds[i].name, c->name))
			return &dvs_verb_cmds[i];
	return NULL;
}

static const struct dvs_cmd *dvs_find(const char *name)
{
	for (size_t i = 0; i < DVS_NR_CMDS; i++)
		if (!strcmp(dvs_cmds[i].name, name))
			return &dvs_cmds[i];
	return NULL;
}

/* An option's value in --help: a name or text, or a number. */
static const char *dvs_meta(const struct dvs_opt *o)
{
	return o->is_str ? "NAME" : "N";
}

static int dvs_help(const struct dvs_cmd *c)
{
	const struct dvs_verb_cmd *vc = dvs_verb_cmd(c);

	printf("Usage: dvs %s%s%s", c->name, vc ? " " : "", vc ? vc->verbs : "");
	for (int k = 0; c->opts && c->opts[k].name; k++)
		printf(c->opts[k].required ? " --%s %s" : " [--%s %s]", c->opts[k].name,
		       dvs_meta(&c->opts[k]));
	printf("\n\n%s\n", c->summary);
	if (c->opts && c->opts[0].name)
		printf("\n");
	for (int k = 0; c->opts && c->opts[k].name; k++)
		printf("  --%-10s %-4s %s\n", c->opts[k].name, dvs_meta(&c->opts[k]), c->opts[k].help);
	return 0;
}

static void dvs_overview(FILE *f)
{
	fprintf(f, "Usage: dvs COMMAND [OPTIONS]   (dvs COMMAND --help for details)\n\n"
		   "Manage and inspect the DVS node of this kernel.\n\nCommands:\n");
	for (size_t i = 0; i < DVS_NR_CMDS; i++) {
		const char *nl = strchr(dvs_cmds[i].summary, '\n');
		int len = nl ? (int)(nl - dvs_cmds[i].summary) : (int)strlen(dvs_cmds[i].summary);

		fprintf(f, "  %-14s %.*s\n", dvs_cmds[i].name, len, dvs_cmds[i].summary);
	}
}

static int dvs_help_cmd(const struct dvs_vals *v)
{
	const struct dvs_cmd *c;

	if (!v->set[0]) {
		dvs_overview(stdout);
		return 0;
	}
	c = dvs_find(v->str[0]);
	if (!c)
		return dvs_usage_error("unknown command '%s'", v->str[0]);
	return dvs_help(c);
}

int main(int argc, char **argv)
{
	struct dvs_vals v;
	int ret;

	if (argc < 2) {
		dvs_overview(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		dvs_overview(stdout);
		return 0;
	}
	dvs_cmd = dvs_find(argv[1]);
	if (!dvs_cmd) {
		fprintf(stderr, "dvs: unknown command '%s'\n", argv[1]);
		dvs_overview(stderr);
		return 2;
	}
	for (int i = 2; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return dvs_help(dvs_cmd);
	/* "dvs help init" reads as "dvs help --command init". */
	if (dvs_cmd->run == dvs_help_cmd && argc == 3) {
		const struct dvs_cmd *c = dvs_find(argv[2]);

		if (!c)
			return dvs_usage_error("unknown command '%s'", argv[2]);
		return dvs_help(c);
	}
	if (!dvs_cmd->run)
		return dvs_verb_cmd(dvs_cmd)->run(argc - 1, argv + 1, dvs_cmd);
	ret = dvs_parse(dvs_cmd, argc - 1, argv + 1, &v);
	return ret ? ret : dvs_cmd->run(&v);
}
