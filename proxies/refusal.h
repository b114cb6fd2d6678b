/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvs-proxy's refusal counters: one bucket per peer (and one for
 * connections that never said who they are). Every refusal is counted by
 * reason; the log gets at most one summary line per bucket per second,
 * with the counts since the last line, so a flood costs a line a second.
 */
#ifndef DVS_PROXIES_REFUSAL_H
#define DVS_PROXIES_REFUSAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include "link.h"

struct refusals {
	char who[64];			/* "node 2 (node2)", or "unidentified connections" */
	_Atomic unsigned long long total[LR_NR];
	pthread_mutex_t lock;
	unsigned long long unreported[LR_NR];
	int64_t last_ms;		/* when the last summary was logged */
	char last[200];			/* the latest refusal's detail */
	bool quiet;
};

void refusals_init(struct refusals *r, const char *who, bool quiet);

/* Count one refusal; log a summary now if none was logged in the last second. */
void refusals_note(struct refusals *r, enum link_refusal why, const char *detail);

/* Log what was counted since the last summary, if it is at least a second old. */
void refusals_flush(struct refusals *r);

/* One line "dvs-proxy: counters: WHO: label=N ..." (reasons with N > 0), or nothing. */
void refusals_dump(struct refusals *r, FILE *f);

unsigned long long refusals_total(struct refusals *r, enum link_refusal why);

#endif /* DVS_PROXIES_REFUSAL_H */
