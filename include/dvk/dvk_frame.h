/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The start of every proxy frame (docs/wire.md), shared by the proxies'
 * codec (proxies/wire.c) and the bridge driver (guest-driver/), which
 * checks each frame written to /dev/umlXX before it leaves the guest.
 * Every field is little-endian.
 */
#ifndef _DVK_FRAME_H
#define _DVK_FRAME_H

#include <dvk/dvk_abi.h>

#define DVK_FRAME_MAGIC		0x57535644u	/* "DVSW" */
#define DVK_FRAME_MAJOR		2
#define DVK_FRAME_HDR_LEN	192
#define DVK_FRAME_PREFIX	16	/* what dvk_frame_len() needs to see */
#define DVK_FRAME_TAG_LEN	8
#define DVK_FRAME_F_TAG		0x1u	/* the only frame flag */
#define DVK_FRAME_MAX		(DVK_FRAME_HDR_LEN + DVK_CMD_MAXPAYLOAD + DVK_FRAME_TAG_LEN)

/* dvk_frame_len()'s errors (negated), in the order the fields are checked. */
#define DVK_FRAME_EINCOMPLETE	1
#define DVK_FRAME_EMAGIC	2
#define DVK_FRAME_EVERSION	3
#define DVK_FRAME_EHDRLEN	4
#define DVK_FRAME_EFLAGS	5
#define DVK_FRAME_ETOOBIG	6

#define DVK_FRAME_TEXT_EINCOMPLETE	"incomplete frame: read more bytes"
#define DVK_FRAME_TEXT_EMAGIC		"bad magic: not a DVS wire frame"
#define DVK_FRAME_TEXT_EVERSION		"unsupported wire format major version"
#define DVK_FRAME_TEXT_EHDRLEN		"header length field is not WIRE_HDR_LEN"
#define DVK_FRAME_TEXT_EFLAGS		"unknown frame flag bits"
#define DVK_FRAME_TEXT_ETOOBIG		"payload length exceeds DVK_CMD_MAXPAYLOAD"

static inline __u32 dvk_frame_le(const unsigned char *p, int bytes)
{
	__u32 v = 0;

	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

/*
 * The total length of the frame starting at @p, of which @have bytes are
 * there, in *@total: 0, or a negated DVK_FRAME_E* (EINCOMPLETE when a
 * field it needs is not there yet).
 */
static inline int dvk_frame_len(const unsigned char *p, unsigned long have,
				unsigned long *total)
{
	__u32 flags, len;

	if (have < 4)
		return -DVK_FRAME_EINCOMPLETE;
	if (dvk_frame_le(p, 4) != DVK_FRAME_MAGIC)
		return -DVK_FRAME_EMAGIC;
	if (have < 5)
		return -DVK_FRAME_EINCOMPLETE;
	if (p[4] != DVK_FRAME_MAJOR)
		return -DVK_FRAME_EVERSION;
	if (have < 8)
		return -DVK_FRAME_EINCOMPLETE;
	if (dvk_frame_le(p + 6, 2) != DVK_FRAME_HDR_LEN)
		return -DVK_FRAME_EHDRLEN;
	if (have < 12)
		return -DVK_FRAME_EINCOMPLETE;
	flags = dvk_frame_le(p + 8, 4);
	if (flags & ~DVK_FRAME_F_TAG)
		return -DVK_FRAME_EFLAGS;
	if (have < DVK_FRAME_PREFIX)
		return -DVK_FRAME_EINCOMPLETE;
	len = dvk_frame_le(p + 12, 4);
	if (len > DVK_CMD_MAXPAYLOAD)
		return -DVK_FRAME_ETOOBIG;
	*total = DVK_FRAME_HDR_LEN + len + (flags & DVK_FRAME_F_TAG ? DVK_FRAME_TAG_LEN : 0);
	return 0;
}

#endif /* _DVK_FRAME_H */
