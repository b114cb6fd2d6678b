/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Frames of the bridge driver's own test (tests/bridge/bridge_host.c on the
 * host, tests/guest/bridge_dev.c in the guest). The driver checks only a
 * frame's prefix (dvk_frame_len()), so these carry a valid prefix and then
 * the test's fields: a command for the scripted host end, two arguments, a
 * sequence number, and a payload whose bytes depend on it.
 */
#ifndef _BRIDGE_FRAME_H
#define _BRIDGE_FRAME_H

#include <stdint.h>
#include <string.h>
#include <dvk/dvk_frame.h>

enum br_cmd {
	BR_ECHO = 1,	/* send this frame back */
	BR_BURST,	/* send a frames of b payload bytes, seq 1..a */
	BR_HOLD,	/* read nothing for a ms */
	BR_COUNT,	/* answer with a = frames received since the last BR_HOLD */
	BR_CUT,		/* close the link, listen again after a ms */
	BR_QUIT,	/* exit: 0 if every frame received was whole and intact */
	BR_DATA,	/* nothing to do (counted) */
};

struct br_frame {
	uint32_t cmd, a, b, seq;
};

static inline void br_put(unsigned char *p, uint32_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static inline unsigned char br_pattern(uint32_t seq, uint32_t i)
{
	return (unsigned char)(i * 7 + seq * 13 + 1);
}

/* Build a frame of @paylen payload bytes in @f; its length. */
static inline size_t br_make(unsigned char *f, uint32_t paylen, const struct br_frame *t)
{
	memset(f, 0, DVK_FRAME_HDR_LEN);
	br_put(f, DVK_FRAME_MAGIC, 4);
	f[4] = DVK_FRAME_MAJOR;
	br_put(f + 6, DVK_FRAME_HDR_LEN, 2);
	br_put(f + 12, paylen, 4);
	br_put(f + 16, t->cmd, 4);
	br_put(f + 20, t->a, 4);
	br_put(f + 24, t->b, 4);
	br_put(f + 28, t->seq, 4);
	for (uint32_t i = 0; i < paylen; i++)
		f[DVK_FRAME_HDR_LEN + i] = br_pattern(t->seq, i);
	return DVK_FRAME_HDR_LEN + paylen;
}

/* Read back a frame of @n bytes: 0, or -1 if it is not whole or not intact. */
static inline int br_parse(const unsigned char *f, size_t n, struct br_frame *t)
{
	unsigned long total;

	if (dvk_frame_len(f, n, &total) || total != n)
		return -1;
	t->cmd = dvk_frame_le(f + 16, 4);
	t->a = dvk_frame_le(f + 20, 4);
	t->b = dvk_frame_le(f + 24, 4);
	t->seq = dvk_frame_le(f + 28, 4);
	for (size_t i = DVK_FRAME_HDR_LEN; i < n; i++)
		if (f[i] != br_pattern(t->seq, (uint32_t)(i - DVK_FRAME_HDR_LEN)))
			return -1;
	return 0;
}

#endif /* _BRIDGE_FRAME_H */
