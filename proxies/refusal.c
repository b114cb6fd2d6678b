// SPDX-License-Identifier: GPL-2.0
/* dvs-proxy's refusal counters and rate-limited log (refusal.h). */
#include <string.h>
#include "refusal.h"

void refusals_init(struct refusals *r, const char *who, bool quiet)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->who, sizeof(r->who), "%s", who);
	pthread_mutex_init(&r->lock, NULL);
	r->last_ms = -1000000;
	r->quiet = quiet;
}

/* Under r->lock: the summary line, and the pending counts start again. */
static void summary_locked(struct refusals *r, int64_t now)
{
	char line[512];
	unsigned long long n = 0;
	size_t len = 0;

	for (int i = 1; i < LR_NR; i++)
		n += r->unreported[i];
	if (!n)
		return;
	for (int i = 1; i < LR_NR && len < sizeof(line); i++)
		if (r->unreported[i])
			len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s %llu",
						len ? ", " : "", link_refusal_label(i),
						r->unreported[i]);
	if (!r->quiet)
		fprintf(stderr, "dvs-proxy: %s: refused %llu (%s); last: %s\n", r->who, n, line,
			r->last);
	memset(r->unreported, 0, sizeof(r->unreported));
	r->last_ms = now;
}

void refusals_note(struct refusals *r, enum link_refusal why, const char *detail)
{
	int64_t now = link_now_ms();

	if (why <= LR_NONE || why >= LR_NR)
		return;
	atomic_fetch_add(&r->total[why], 1);
	pthread_mutex_lock(&r->lock);
	r->unreported[why]++;
	snprintf(r->last, sizeof(r->last), "%s", detail && *detail ? detail : link_refusal_text(why));
	if (now - r->last_ms >= 1000)
		summary_locked(r, now);
	pthread_mutex_unlock(&r->lock);
}

void refusals_flush(struct refusals *r)
{
	int64_t now = link_now_ms();

	pthread_mutex_lock(&r->lock);
	if (now - r->last_ms >= 1000)
		summary_locked(r, now);
	pthread_mutex_unlock(&r->lock);
}

void refusals_dump(struct refusals *r, FILE *f)
{
	char line[512];
	size_t len = 0;

	for (int i = 1; i < LR_NR && len < sizeof(line); i++) {
		unsigned long long n = atomic_load(&r->total[i]);

		if (n)
			len += (size_t)snprintf(line + len, sizeof(line) - len, " %s=%llu",
						link_refusal_label(i), n);
	}
	if (len)
		fprintf(f, "dvs-proxy: counters: %s:%s\n", r->who, line);
}

unsigned long long refusals_total(struct refusals *r, enum link_refusal why)
{
	return why > LR_NONE && why < LR_NR ? atomic_load(&r->total[why]) : 0;
}
