// SPDX-License-Identifier: GPL-2.0
/*
 * dvs migrate agent and dvs migrate move: an endpoint moves from node A to
 * node B with one command run on any node of its DC. MIGRATE itself is one
 * node's part (docs/abi.md, "Migration"); the mover does its own node's part
 * and asks every other node's agent, a DVK endpoint on that node, for its
 * part, in the order the migration needs:
 *
 *   start on every node but A, then on A (retried while its endpoint is
 *   busy: a start waits for an idle moment); B's start also prepares the
 *   process that will take the endpoint. Commit on A (its slot now points
 *   at B), then on B (its process is bound), then on the other nodes. A
 *   failure before A's commit rolls every started node back, so a refused
 *   move leaves the endpoint where it was; after A's commit the mover goes
 *   on with every other node and reports the ones that failed (those roll
 *   back by themselves after migrate_timeout_ms).
 *
 * Node N's agent is bound to slot AGENTS + N; the mover registers the agents
 * by slot number where they are not registered yet. An agent serves only
 * endpoints this node has given more than user rights (a system slot bound
 * here, or one its administrator registered with rmtbind): autobound
 * remote callers cannot move endpoints.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <dvk/libdvk.h>
#include "dvs-migrate.h"

static int this_node(void)
{
	struct dvs_usr d;
	int r = dvk_getdvsinfo(&d);

	return r < 0 ? r : d.d_nodeid;
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/*
 * A child that execs @exec, a program and its arguments split at spaces
 * (no shell: the program is the process bound), with DVS_MIGRATE_DC and
 * DVS_MIGRATE_ENDPOINT set and stdin from /dev/null (@quiet: stdout and
 * stderr too); it finds itself bound once the commit is done
 * (wait4bind(SELF)). Returns once the program runs (a close-on-exec pipe
 * closes without a byte; a child that cannot exec writes one), so the
 * commit binds the program, not a child still starting.
 * 0, EDVSNOEXEC (it cannot run), or EDVSNOMEM.
 */
static int spawn(int dcid, int ep, const char *exec, bool quiet, pid_t *out)
{
	int fds[2];
	char v[16];
	pid_t child;
	ssize_t n;

	if (pipe2(fds, O_CLOEXEC))
		return EDVSNOMEM;
	child = fork();
	if (child < 0) {
		close(fds[0]);
		close(fds[1]);
		return EDVSNOMEM;
	}
	if (child == 0) {
		char line[4096], *argv[64], *save;
		int k = 0, null = open("/dev/null", O_RDWR);

		close(fds[0]);
		if (null >= 0) {
			dup2(null, 0);
			if (quiet) {
				dup2(null, 1);
				dup2(null, 2);
			}
		}
		snprintf(line, sizeof(line), "%s", exec);
		for (char *t = strtok_r(line, " ", &save); t && k < 63; t = strtok_r(NULL, " ", &save))
			argv[k++] = t;
		argv[k] = NULL;
		snprintf(v, sizeof(v), "%d", dcid);
		setenv("DVS_MIGRATE_DC", v, 1);
		snprintf(v, sizeof(v), "%d", ep);
		setenv("DVS_MIGRATE_ENDPOINT", v, 1);
		if (k)
			execvp(argv[0], argv);
		fprintf(stderr, "dvs migrate: cannot run '%s': %s\n", exec, strerror(errno));
		if (write(fds[1], "x", 1) < 0)
			_exit(126);
		_exit(127);
	}
	close(fds[1]);
	while ((n = read(fds[0], v, 1)) < 0 && errno == EINTR)
		;
	close(fds[0]);
	if (n > 0) {
		waitpid(child, NULL, 0);
		return EDVSNOEXEC;
	}
	*out = child;
	return 0;
}

/*
 * The process prepared for an endpoint coming to this node: made ready at
 * the start, so a new node that cannot provide one refuses the start (and
 * the whole move rolls back), not the commit, which is not undone.
 */
struct newproc {
	int dcid, ep;
	pid_t pid;		/* 0: a free entry */
	bool ours;		/* spawned here: killed if the move is not made */
};
#define DVS_MIGR_PREPARED	8

struct prepared_tab {
	struct newproc e[DVS_MIGR_PREPARED];
	bool quiet;		/* spawned processes write to /dev/null */
};

static struct newproc *prepared(struct prepared_tab *tab, int dcid, int ep)
{
	for (int i = 0; i < DVS_MIGR_PREPARED; i++)
		if (tab->e[i].pid && tab->e[i].dcid == dcid && tab->e[i].ep == ep)
			return &tab->e[i];
	return NULL;
}

/* Forget @np; @kill_it: the move is off, end the process we started. */
static void unprepare(struct newproc *np, bool kill_it)
{
	if (!np)
		return;
	if (kill_it && np->ours && kill(np->pid, SIGKILL) == 0)
		waitpid(np->pid, NULL, 0);
	np->pid = 0;
}

/*
 * Reap the children that have ended (a pid is never reused while it is
 * still a zombie: an entry's pid is ours until reaped here), and drop the
 * entries no move needs any more: their process is gone, or their slot is
 * no longer migrating (the mover gave up, the migration expired).
 */
static void prune(struct prepared_tab *tab)
{
	struct proc_usr pu;
	pid_t dead;

	while ((dead = waitpid(-1, NULL, WNOHANG)) > 0)
		for (int i = 0; i < DVS_MIGR_PREPARED; i++)
			if (tab->e[i].pid == dead && tab->e[i].ours)
				tab->e[i].pid = 0;
	for (int i = 0; i < DVS_MIGR_PREPARED; i++) {
		struct newproc *np = &tab->e[i];

		if (!np->pid)
			continue;
		if (!np->ours && kill(np->pid, 0) && errno == ESRCH)
			np->pid = 0;
		else if (dvk_getprocinfo(np->dcid, DVK_EP_NR(np->ep), &pu) < 0 ||
			 !(pu.p_rts_flags & DVK_MIGRATING))
			unprepare(np, true);
	}
}

/* Ready the process for @ep: @pid (it must exist), or one running @exec. */
static int prepare(struct prepared_tab *tab, int dcid, int ep, int pid, const char *exec)
{
	struct newproc *np;
	pid_t p = pid;
	int r;

	unprepare(prepared(tab, dcid, ep), true);	/* an earlier, unfinished move */
	prune(tab);
	for (np = tab->e; np < tab->e + DVS_MIGR_PREPARED && np->pid; np++)
		;
	if (np == tab->e + DVS_MIGR_PREPARED)
		return EDVSBUSY;
	if (pid > 0) {
		if (kill(pid, 0) && errno == ESRCH)
			return EDVSBADPID;
	} else if (!exec) {
		return EDVSBADPID;	/* nothing to bind the endpoint to */
	} else {
		r = spawn(dcid, ep, exec, tab->quiet, &p);
		if (r)
			return r;
	}
	*np = (struct newproc){ .dcid = dcid, .ep = ep, .pid = p, .ours = pid <= 0 };
	return 0;
}

/*
 * This node's own part. On the endpoint's new node (@node, which the
 * mover sends with every part), the start prepares the process once the
 * kernel's start is made, the commit binds it, a rollback ends it.
 */
static int part_here(struct prepared_tab *tab, int dcid, int oper, int ep, int node, int pid,
		     const char *exec)
{
	bool here = node == this_node();
	struct newproc *np;
	int r;

	switch (oper) {
	case DVS_MIGR_PING:
		return 0;
	case DVK_MIGR_START:
		r = dvk_migrate(oper, 0, dcid, ep, node);
		if (r || !here)
			return r;
		r = prepare(tab, dcid, ep, pid, exec);
		if (r)
			dvk_migrate(DVK_MIGR_ROLLBACK, 0, dcid, ep, node);
		return r;
	case DVK_MIGR_COMMIT:
		np = here ? prepared(tab, dcid, ep) : NULL;
		if (here && !np) {	/* not started through here: prepare now */
			r = prepare(tab, dcid, ep, pid, exec);
			if (r)
				return r;
			np = prepared(tab, dcid, ep);
		}
		r = dvk_migrate(oper, np ? np->pid : 0, dcid, ep, node);
		unprepare(np, r != 0);
		return r;
	case DVK_MIGR_ROLLBACK:
		r = dvk_migrate(oper, 0, dcid, ep, node);
		unprepare(prepared(tab, dcid, ep), true);
		return r;
	default:
		return EDVSBADVALUE;
	}
}

/* May @src ask for a part? Only with more than user rights here. */
static int agent_may(int dcid, int src)
{
	struct priv_usr pv;

	if (dvk_getpriv(dcid, src, &pv) < 0)
		return 0;
	return pv.priv_level != DVK_USER_PRIV;
}

static const char *oper_name(int oper)
{
	return oper == DVK_MIGR_START ? "start" : oper == DVK_MIGR_COMMIT ? "commit" :
	       oper == DVK_MIGR_ROLLBACK ? "rollback" : "unknown part";
}

/**
 * dvs_migr_agent() - serve this node's part of migrations, until unbound.
 * @dcid: the DC.
 * @agents: the agents' slot base: this node's agent is slot @agents + node.
 * @exec: the program (and its arguments, split at spaces) started for an
 *	  endpoint that comes here, or NULL (the mover must then name a pid).
 *
 * Return: the EDVS code that ended it (EDVSNOTBIND once unbound, or the
 * bind's error).
 */
int dvs_migr_agent(int dcid, int agents, const char *exec)
{
	struct prepared_tab tab = { .quiet = false };
	int node = this_node(), ep;

	if (node < 0)
		return node;
	ep = dvk_bind(dcid, agents + node);
	if (ep < 0)
		return ep;
	printf("dvs migrate agent: node %d, endpoint %d in DC %d\n", node, ep, dcid);
	fflush(stdout);
	for (;;) {
		struct dvk_message m;
		int r = dvk_receive(DVK_ANY, &m);

		if (r == EDVSNOTBIND || r == EDVSDCNOTRUN || r == EDVSDVSINIT)
			return r;
		if (r < 0)
			continue;
		prune(&tab);
		if (m.m_type != DVS_MIGR_RQ)
			r = EDVSBADREQUEST;
		else if (!agent_may(dcid, m.m_source))
			r = EDVSPERM;
		else
			r = part_here(&tab, dcid, m.m_u.m7.i1, m.m_u.m7.i2, m.m_u.m7.i3,
				      m.m_u.m7.i4, exec);
		if (m.m_type == DVS_MIGR_RQ && m.m_u.m7.i1 != DVS_MIGR_PING)
			printf("dvs migrate agent: %s of %d (to node %d) for %d: %s\n",
			       oper_name(m.m_u.m7.i1), m.m_u.m7.i2, m.m_u.m7.i3, m.m_source,
			       r ? dvk_errname(r) ?: "error" : "done");
		fflush(stdout);
		m.m_u.m7.i1 = r;
		dvk_reply_T(m.m_source, &m, 1000);
	}
}

struct mover {
	const struct dvs_migr_move *mv;
	int me;
	long long deadline;		/* of the agents' answers and the idle wait */
	struct prepared_tab tab;	/* for this node's own part */
	int agent[DVK_MAX_NODES];	/* the agents' endpoints as registered here */
	int started[DVK_MAX_NODES];	/* nodes that may be migrating, in order */
	int nstarted;
};

/*
 * Node @node's part, here or through its agent; its answer. *@asked is
 * false when the request may not have reached the node (the sendrec
 * failed): it may have done the part all the same.
 */
static int part(struct mover *w, int node, int oper, bool *asked)
{
	const struct dvs_migr_move *mv = w->mv;
	struct dvk_message m = { .m_type = DVS_MIGR_RQ };
	long long left = w->deadline - now_ms();
	int r;

	*asked = true;
	if (node == w->me)
		return part_here(&w->tab, mv->dcid, oper, mv->ep, mv->to, mv->pid, mv->exec);
	m.m_u.m7.i1 = oper;
	m.m_u.m7.i2 = mv->ep;
	m.m_u.m7.i3 = mv->to;
	m.m_u.m7.i4 = mv->pid;		/* for the new node's process */
	/* Each request within the time left, but a commit or rollback always gets 1 s. */
	if (left < 1000)
		left = 1000;
	r = dvk_sendrec_T(w->agent[node], &m, left < 10000 ? (long)left : 10000);
	if (r) {
		*asked = false;
		return r;
	}
	return m.m_u.m7.i1;
}

/* Every agent registered here and answering, within the timeout. */
static int reach_agents(struct mover *w)
{
	const struct dvs_migr_move *mv = w->mv;
	bool asked;

	for (int k = 0; k < mv->nnodes; k++) {
		int n = mv->nodes[k], r;
		char name[DVK_NAME_LEN];

		if (n == w->me)
			continue;
		snprintf(name, sizeof(name), "agent%d", n);
		r = dvk_rmtbind(mv->dcid, name, mv->agents + n, n);
		if (r == EDVSSLOTUSED)
			r = mv->agents + n;	/* registered before: by number, its binding */
		if (r < 0) {
			fprintf(stderr, "dvs migrate: registering node %d's agent (slot %d): %s\n",
				n, mv->agents + n, dvk_strerror(r));
			return r;
		}
		w->agent[n] = r;
		while ((r = part(w, n, DVS_MIGR_PING, &asked)) != 0 && now_ms() < w->deadline)
			usleep(100 * 1000);
		if (r) {
			fprintf(stderr, "dvs migrate: node %d's agent (slot %d) does not answer: %s\n",
				n, mv->agents + n, dvk_strerror(r));
			return r;
		}
	}
	return 0;
}

/* Start on @node; a node the request may have reached is rolled back on failure too. */
static int start_on(struct mover *w, int node)
{
	bool asked;
	int r = part(w, node, DVK_MIGR_START, &asked);

	if (!r || !asked)
		w->started[w->nstarted++] = node;
	return r;
}

static int start_all(struct mover *w)
{
	const struct dvs_migr_move *mv = w->mv;
	int r = 0;

	for (int k = 0; k < mv->nnodes && !r; k++) {
		if (mv->nodes[k] == mv->from)
			continue;
		r = start_on(w, mv->nodes[k]);
		if (r)
			fprintf(stderr, "dvs migrate: start on node %d: %s\n", mv->nodes[k],
				dvk_strerror(r));
	}
	if (r)
		return r;
	/* Its own node last: the endpoint must be idle, which may take a moment. */
	for (;;) {
		bool asked;

		r = part(w, mv->from, DVK_MIGR_START, &asked);
		if (!r || !asked) {
			w->started[w->nstarted++] = mv->from;
			break;
		}
		if ((r != EDVSBUSY && r != EDVSPROCSTS) || now_ms() >= w->deadline)
			break;
		usleep(10 * 1000);
	}
	if (r)
		fprintf(stderr, "dvs migrate: start on node %d (the endpoint's): %s\n", mv->from,
			dvk_strerror(r));
	return r;
}

static void rollback_all(struct mover *w)
{
	int failed = 0;
	bool asked;

	for (int k = w->nstarted - 1; k >= 0; k--) {
		int r = part(w, w->started[k], DVK_MIGR_ROLLBACK, &asked);

		/* Not migrating (a start that never happened) is rolled back already. */
		if (r && r != EDVSPROCSTS) {
			fprintf(stderr, "dvs migrate: rollback on node %d: %s\n", w->started[k],
				dvk_strerror(r));
			failed++;
		}
	}
	if (w->nstarted)
		printf("endpoint %d: migration rolled back on %d node(s)%s\n", w->mv->ep,
		       w->nstarted - failed, failed ? " (not all: they roll back by themselves)" : "");
}

/*
 * A first, then B, then the others: once A has committed the move is
 * made, so a later failure is reported, not undone.
 */
static int commit_all(struct mover *w)
{
	const struct dvs_migr_move *mv = w->mv;
	int r, first = 0;
	bool asked;

	r = part(w, mv->from, DVK_MIGR_COMMIT, &asked);
	if (r) {
		fprintf(stderr, "dvs migrate: commit on node %d (the endpoint's): %s\n", mv->from,
			dvk_strerror(r));
		if (asked)
			rollback_all(w);	/* refused: nothing moved yet */
		return r;
	}
	for (int k = -1; k < mv->nnodes; k++) {
		int n = k < 0 ? mv->to : mv->nodes[k];

		if (k >= 0 && (n == mv->from || n == mv->to))
			continue;
		r = part(w, n, DVK_MIGR_COMMIT, &asked);
		if (r) {
			fprintf(stderr, "dvs migrate: commit on node %d: %s (it rolls back by itself "
				"after migrate_timeout_ms)\n", n, dvk_strerror(r));
			if (!first)
				first = r;
		}
	}
	return first;
}

/* Bind the mover to mv->slot for a while; its endpoint, or an EDVS code. */
static int mover_bind(const struct dvs_migr_move *mv)
{
	int self = dvk_bind(mv->dcid, mv->slot);

	if (self < 0)
		fprintf(stderr, "dvs migrate: binding the mover to slot %d: %s\n", mv->slot,
			dvk_strerror(self));
	return self;
}

/**
 * dvs_migr_ping() - wait until the agent of every node of mv->nodes but
 * this one answers, for mv->timeout_ms at most.
 * @mv: the DC, nodes, agents' slot base and the mover's slot.
 *
 * Return: 0, or the EDVS code of the first agent that did not answer.
 */
int dvs_migr_ping(const struct dvs_migr_move *mv)
{
	struct mover w = { .mv = mv, .me = this_node(), .deadline = now_ms() + mv->timeout_ms };
	int r;

	if (w.me < 0)
		return w.me;
	r = mover_bind(mv);
	if (r < 0)
		return r;
	r = reach_agents(&w);
	dvk_unbind(mv->dcid, DVK_SELF);
	return r;
}

/**
 * dvs_migr_move() - move endpoint mv->ep from node mv->from to mv->to,
 * every node of mv->nodes taking part (this one itself, the others through
 * their agents), printing each step.
 * @mv: what moves where; see struct dvs_migr_move.
 *
 * Return: 0, or the first EDVS code a part returned: before A's commit,
 * every node that may have started is rolled back; after it the move is
 * made and the nodes that failed are named.
 */
int dvs_migr_move(const struct dvs_migr_move *mv)
{
	struct mover w = { .mv = mv, .me = this_node(), .tab.quiet = true };
	long long t0 = now_ms();
	int r = 1, self;

	w.deadline = t0 + mv->timeout_ms;
	if (w.me < 0)
		return w.me;
	for (int k = 0; k < mv->nnodes && r; k++)
		r = mv->nodes[k] != w.me;
	if (r) {
		fprintf(stderr, "dvs migrate: this node (%d) is not in the list of nodes\n", w.me);
		return EDVSBADNODEID;
	}
	self = mover_bind(mv);
	if (self < 0)
		return self;
	r = reach_agents(&w);
	if (!r) {
		r = start_all(&w);
		if (r)
			rollback_all(&w);
	}
	if (!r) {
		r = commit_all(&w);
		if (!r)
			printf("endpoint %d: moved from node %d to node %d in %lld ms\n", mv->ep,
			       mv->from, mv->to, now_ms() - t0);
	}
	dvk_unbind(mv->dcid, DVK_SELF);
	return r;
}
