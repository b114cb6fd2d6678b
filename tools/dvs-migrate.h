/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvs migrate agent and dvs migrate move (tools/dvs-migrate.c): moving an
 * endpoint between nodes with one command, each other node's part done by
 * its agent (docs/abi.md, "Migration").
 */
#ifndef DVS_MIGRATE_H
#define DVS_MIGRATE_H

#include <dvk/dvk_abi.h>

/*
 * An agent request: m7.i1 the oper (DVK_MIGR_START, COMMIT, ROLLBACK, or
 * DVS_MIGR_PING), i2 the endpoint, i3 its new node, i4 (for the new node's
 * start and commit) the process that takes it, 0 for the agent's --exec.
 * The reply's m7.i1 is the part's result (dvk_migrate()'s, or the
 * agent's own: EDVSPERM, EDVSBADREQUEST, EDVSBADVALUE, EDVSBADPID ...).
 */
#define DVS_MIGR_RQ	0x4d47
#define DVS_MIGR_PING	(-1)

struct dvs_migr_move {
	int dcid;
	int ep;			/* the endpoint that moves (or its slot number) */
	int from, to;		/* its node now, and its new node */
	int nodes[DVK_MAX_NODES];	/* every node of the DC that knows it */
	int nnodes;
	int agents;		/* node N's agent is bound to slot agents + N */
	int slot;		/* the mover binds itself here while it works */
	int pid;		/* 'to' is this node: the process that takes it */
	const char *exec;	/* ... or the command that starts it */
	long timeout_ms;	/* for the agents to answer, and the endpoint to go idle */
};

int dvs_migr_agent(int dcid, int agents, const char *exec);
int dvs_migr_move(const struct dvs_migr_move *mv);
int dvs_migr_ping(const struct dvs_migr_move *mv);

#endif
