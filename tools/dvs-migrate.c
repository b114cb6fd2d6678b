// SPDX-License-Identifier: GPL-2.0
/*
 * dvs migrate agent and dvs migrate move: an endpoint moves from node A to
 * node B with one command run on any node of its DC. MIGRATE itself is one
 * node's part (docs/abi.md, "Migration"); the mover does its own node's part
 * and asks every other node's agent, a DVK endpoint on that node, for its
 * part, in the order the migration needs:
 *
 *   start on every node but A, then on A (retried while its endpoint is
 *   busy: a start waits for an idle moment); commit on A (its slot now
 *   points at B), on the other nodes, and last on B, where the process that
 *   takes the endpoint is bound. A failure after any start rolls every
 *   started node back, so a refused move leaves the endpoint where it was.
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
#include <unistd.h>
#include <dvk/libdvk.h>
#include "dvs-migrate.h"

static int this_node(void)
{
	struct dvs_usr d;
	int r = dvk_getdvsinfo(&d);

	return r < 0 ? r : d.d_nodeid;
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000;
}

/*
 * A child that execs @exec, a program and its arguments split at spaces
 * (no shell: the program is the process bound), with DVS_MIGRATE_DC and
 * DVS_MIGRATE_ENDPOINT set; it finds itself bound once the commit is done
 * (wait4bind(SELF)). Returns once the program runs (a close-on-exec pipe
 * closes without a byte; a child that cannot exec writes one), so the
 * commit binds the program, not a child still starting.
 * 0, EDVSNOEXEC (it cannot run), or EDVSNOMEM.
 */
static int spawn(int dcid, int ep, const char *exec, pid_t *out)
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
		int k = 0;

		close(fds[0]);
		snprintf(line, sizeof(line), "%s", exec);
		for (char *t = strtok_r(line, " ", &save); t && k < 63; t = strtok_r(NULL, " ", &save))
			argv[k++] = t;
		argv[k] = NULL;
		snprintf(v, sizeof(v), "%d", dcid);
		setenv("DVS_MIGRATE_DC", v, 1);
		snprintf(v, sizeof(v), "%d", ep);
		setenv("DVS_MIGRATE_ENDPOINT", v, 1);
		signal(SIGCHLD, SIG_DFL);	/* not the agent's */
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
	if (n > 0)
		return EDVSNOEXEC;
	*out = child;
	return 0;
}

/*
 * The process prepared for an endpoint coming to this node: made ready at
 * the start, so a new node that cannot provide one fails the start (and
 * the whole move rolls back), not the commit, which is not undone.
 */
struct newproc {
	int dcid, ep;
	pid_t pid;		/* 0: a free entry */
	bool ours;		/* spawned here: killed if the move is not made */
};
#define DVS_MIGR_PREPARED	8

static struct newproc *prepared(struct newproc *tab, int dcid, int ep)
{
	for (int i = 0; i < DVS_MIGR_PREPARED; i++)
		if (tab[i].pid && tab[i].dcid == dcid && tab[i].ep == ep)
			return &tab[i];
	return NULL;
}

/* Forget @np; @kill_it: the move is off, end the process we started. */
static void unprepare(struct newproc *np, bool kill_it)
{
	if (np && kill_it && np->ours)
		kill(np->pid, SIGKILL);
	if (np)
		np->pid = 0;
}

/* Ready the process for @ep: @pid (it must exist), or one running @exec. */
static int prepare(struct newproc *tab, int dcid, int ep, int pid, const char *exec)
{
	struct newproc *np = prepared(tab, dcid, ep);
	pid_t p = pid;
	int r;

	unprepare(np, true);		/* an earlier, unfinished move of it */
	for (np = tab; np < tab + DVS_MIGR_PREPARED && np->pid; np++)
		;
	if (np == tab + DVS_MIGR_PREPARED)
		return EDVSBUSY;
	if (pid > 0) {
		if (kill(pid, 0) && errno == ESRCH)
			return EDVSBADPID;
	} else if (!exec) {
		return EDVSBADPID;	/* nothing to bind the endpoint to */
	} else {
		r = spawn(dcid, ep, exec, &p);
		if (r)
			return r;
	}
	*np = (struct newproc){ .dcid = dcid, .ep = ep, .pid = p, .ours = pid <= 0 };
	return 0;
}

/*
 * This node's own part. On the endpoint's new node (@node, which the
 * mover sends with every part), the start prepares the process, the commit
 * binds it, a rollback ends it.
 */
static int part_here(struct newproc *tab, int dcid, int oper, int ep, int node, int pid,
		     const char *exec)
{
	bool here = node == this_node();
	struct newproc *np;
	int r;

	switch (oper) {
	case DVS_MIGR_PING:
		return 0;
	case DVK_MIGR_START:
		if (here) {
			r = prepare(tab, dcid, ep, pid, exec);
			if (r)
				return r;
		}
		r = dvk_migrate(oper, 0, dcid, ep, node);
		if (r && here)
			unprepare(prepared(tab, dcid, ep), true);
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
	default:
		r = dvk_migrate(oper, 0, dcid, ep, node);
		unprepare(prepared(tab, dcid, ep), true);
		return r;
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

/**
 * dvs_migr_agent() - serve this node's part of migrations, until unbound.
 * @dcid: the DC.
 * @agents: the agents' slot base: this node's agent is slot @agents + node.
 * @exec: the command that starts a process for an endpoint that comes
 *	  here (sh -c), or NULL (the mover must then name the process).
 *
 * Return: the EDVS code that ended it (EDVSNOTBIND once unbound, or the
 * bind's error).
 */
int dvs_migr_agent(int dcid, int agents, const char *exec)
{
	struct newproc tab[DVS_MIGR_PREPARED] = { 0 };
	int node = this_node(), ep;

	if (node < 0)
		return node;
	ep = dvk_bind(dcid, agents + node);
	if (ep < 0)
		return ep;
	signal(SIGCHLD, SIG_IGN);	/* the processes it starts are not waited for */
	printf("dvs migrate agent: node %d, endpoint %d in DC %d\n", node, ep, dcid);
	fflush(stdout);
	for (;;) {
		struct dvk_message m;
		int r = dvk_receive(DVK_ANY, &m);

		if (r == EDVSNOTBIND || r == EDVSDCNOTRUN || r == EDVSDVSINIT)
			return r;
		if (r < 0)
			continue;
		if (m.m_type != DVS_MIGR_RQ)
			r = EDVSBADREQUEST;
		else if (!agent_may(dcid, m.m_source))
			r = EDVSPERM;
		else
			r = part_here(tab, dcid, m.m_u.m7.i1, m.m_u.m7.i2, m.m_u.m7.i3,
				      m.m_u.m7.i4, exec);
		if (m.m_type == DVS_MIGR_RQ && m.m_u.m7.i1 != DVS_MIGR_PING)
			printf("dvs migrate agent: %s of %d (to node %d) for %d: %s\n",
			       m.m_u.m7.i1 == DVK_MIGR_START ? "start" :
			       m.m_u.m7.i1 == DVK_MIGR_COMMIT ? "commit" : "rollback",
			       m.m_u.m7.i2, m.m_u.m7.i3, m.m_source, r ? dvk_errname(r) : "done");
		fflush(stdout);
		m.m_u.m7.i1 = r;
		dvk_reply_T(m.m_source, &m, 1000);
	}
}

struct mover {
	const struct dvs_migr_move *mv;
	int me;
	struct newproc tab[DVS_MIGR_PREPARED];	/* for this node's own part */
	int agent[DVK_MAX_NODES];	/* the agents' endpoints as registered here */
	int started[DVK_MAX_NODES];	/* nodes whose start succeeded, in order */
	int nstarted;
};

/* Node @node's part, here or through its agent; its answer. */
static int part(struct mover *w, int node, int oper)
{
	const struct dvs_migr_move *mv = w->mv;
	struct dvk_message m = { .m_type = DVS_MIGR_RQ };
	int r;

	if (node == w->me)
		return part_here(w->tab, mv->dcid, oper, mv->ep, mv->to, mv->pid, mv->exec);
	m.m_u.m7.i1 = oper;
	m.m_u.m7.i2 = mv->ep;
	m.m_u.m7.i3 = mv->to;
	m.m_u.m7.i4 = mv->pid;		/* for the new node's process */
	r = dvk_sendrec_T(w->agent[node], &m, 10000);
	return r ? r : m.m_u.m7.i1;
}

/* Every agent registered here and answering, within the timeout. */
static int reach_agents(struct mover *w, long deadline)
{
	const struct dvs_migr_move *mv = w->mv;

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
		while ((r = part(w, n, DVS_MIGR_PING)) != 0 && now_ms() < deadline)
			usleep(100 * 1000);
		if (r) {
			fprintf(stderr, "dvs migrate: node %d's agent (slot %d) does not answer: %s\n",
				n, mv->agents + n, dvk_strerror(r));
			return r;
		}
	}
	return 0;
}

static int start_all(struct mover *w, long deadline)
{
	const struct dvs_migr_move *mv = w->mv;
	int r = 0;

	for (int k = 0; k < mv->nnodes && !r; k++) {
		if (mv->nodes[k] == mv->from)
			continue;
		r = part(w, mv->nodes[k], DVK_MIGR_START);
		if (!r)
			w->started[w->nstarted++] = mv->nodes[k];
		else
			fprintf(stderr, "dvs migrate: start on node %d: %s\n", mv->nodes[k],
				dvk_strerror(r));
	}
	/* Its own node last: the endpoint must be idle, which may take a moment. */
	while (!r) {
		r = part(w, mv->from, DVK_MIGR_START);
		if ((r != EDVSBUSY && r != EDVSPROCSTS) || now_ms() >= deadline)
			break;
		usleep(10 * 1000);
	}
	if (!r)
		w->started[w->nstarted++] = mv->from;
	else if (w->nstarted == mv->nnodes - 1)
		fprintf(stderr, "dvs migrate: start on node %d (the endpoint's): %s\n", mv->from,
			dvk_strerror(r));
	return r;
}

static int commit_all(struct mover *w)
{
	const struct dvs_migr_move *mv = w->mv;
	int r = part(w, mv->from, DVK_MIGR_COMMIT);

	for (int k = 0; k < mv->nnodes && !r; k++)
		if (mv->nodes[k] != mv->from && mv->nodes[k] != mv->to)
			r = part(w, mv->nodes[k], DVK_MIGR_COMMIT);
	if (!r)
		r = part(w, mv->to, DVK_MIGR_COMMIT);
	return r;
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
	struct mover w = { .mv = mv, .me = this_node() };
	int r;

	if (w.me < 0)
		return w.me;
	r = mover_bind(mv);
	if (r < 0)
		return r;
	r = reach_agents(&w, now_ms() + mv->timeout_ms);
	dvk_unbind(mv->dcid, DVK_SELF);
	return r;
}

/**
 * dvs_migr_move() - move endpoint mv->ep from node mv->from to mv->to,
 * every node of mv->nodes taking part (this one itself, the others through
 * their agents), printing each step.
 * @mv: what moves where; see struct dvs_migr_move.
 *
 * Return: 0, or the first EDVS code a part returned (every started node
 * then rolled back, unless the commit had begun: a commit is not undone).
 */
int dvs_migr_move(const struct dvs_migr_move *mv)
{
	struct mover w = { .mv = mv, .me = this_node() };
	long t0 = now_ms(), deadline = t0 + mv->timeout_ms;
	int r, self;

	if (w.me < 0)
		return w.me;
	self = mover_bind(mv);
	if (self < 0)
		return self;
	r = reach_agents(&w, deadline);
	if (!r)
		r = start_all(&w, deadline);
	if (r) {
		for (int k = w.nstarted - 1; k >= 0; k--)
			part(&w, w.started[k], DVK_MIGR_ROLLBACK);
		if (w.nstarted)
			printf("endpoint %d: migration rolled back on %d node(s)\n", mv->ep,
			       w.nstarted);
	} else {
		r = commit_all(&w);
		if (r)
			fprintf(stderr, "dvs migrate: commit: %s (an uncommitted node rolls back "
				"by itself after migrate_timeout_ms)\n", dvk_strerror(r));
		else
			printf("endpoint %d: moved from node %d to node %d in %ld ms\n", mv->ep,
			       mv->from, mv->to, now_ms() - t0);
	}
	dvk_unbind(mv->dcid, DVK_SELF);
	return r;
}
