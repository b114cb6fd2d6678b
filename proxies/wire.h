/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The proxies' wire codec: one struct dvk_cmd (+ its payload) <-> one frame
 * in the explicit, versioned, little-endian format of docs/wire.md.
 *
 * A frame is a fixed WIRE_HDR_LEN-byte header, c_len payload bytes and,
 * when WIRE_F_TAG is set, an 8-byte SipHash-2-4 tag. Every field is checked
 * both ways: wire_encode() refuses a command that wire_decode() would
 * reject, and wire_decode() of whatever wire_encode() produced gives back
 * the same command, byte for byte. Errors are returned as -enum wire_err;
 * wire_strerror() explains them. No global state: every function is
 * reentrant and thread-safe.
 */
#ifndef DVS_PROXIES_WIRE_H
#define DVS_PROXIES_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <dvk/dvk_abi.h>
#include <dvk/dvk_frame.h>

/* Bytes 0..3 of every frame: "DVSW"; as a little-endian u32, WIRE_MAGIC. */
#define WIRE_MAGIC		DVK_FRAME_MAGIC
#define WIRE_VERSION_MAJOR	DVK_FRAME_MAJOR	/* another major is rejected (WIRE_EVERSION) */
#define WIRE_VERSION_MINOR	0	/* any minor of our major is accepted */

#define WIRE_HDR_LEN		DVK_FRAME_HDR_LEN	/* the fixed header, 192 bytes */
#define WIRE_LEN_PREFIX		DVK_FRAME_PREFIX	/* what wire_frame_len() needs to see */
#define WIRE_TAG_LEN		DVK_FRAME_TAG_LEN	/* the SipHash-2-4 tag after the payload */
#define WIRE_MAX_FRAME		DVK_FRAME_MAX

/* Frame flags (header bytes 8..11); any other bit is WIRE_EFLAGS. */
#define WIRE_F_TAG		DVK_FRAME_F_TAG	/* a WIRE_TAG_LEN-byte tag follows the payload */
#define WIRE_F_ALL		WIRE_F_TAG

/* The length of a frame carrying @payload bytes, with or without a tag. */
#define WIRE_FRAME_LEN(payload, tagged)					\
	((size_t)WIRE_HDR_LEN + (size_t)(payload) + ((tagged) ? WIRE_TAG_LEN : 0))

/*
 * X(name, text) for every error, in value order from 1; functions return the
 * negated value. Used for enum wire_err, wire_strerror() and the tests. The
 * first six are dvk_frame_len()'s (include/dvk/dvk_frame.h), same values.
 */
#define WIRE_ERRORS(X)							\
	X(WIRE_EINCOMPLETE, DVK_FRAME_TEXT_EINCOMPLETE)			\
	X(WIRE_EMAGIC,	  DVK_FRAME_TEXT_EMAGIC)				\
	X(WIRE_EVERSION,  DVK_FRAME_TEXT_EVERSION)			\
	X(WIRE_EHDRLEN,	  DVK_FRAME_TEXT_EHDRLEN)			\
	X(WIRE_EFLAGS,	  DVK_FRAME_TEXT_EFLAGS)				\
	X(WIRE_ETOOBIG,	  DVK_FRAME_TEXT_ETOOBIG)			\
	X(WIRE_ELENGTH,	  "buffer is longer than the frame")		\
	X(WIRE_ECRC,	  "CRC32C checksum mismatch (frame corrupted)")	\
	X(WIRE_ENOTAG,	  "authentication tag missing (a key is configured)") \
	X(WIRE_EUNEXPTAG, "authentication tag present but no key is configured") \
	X(WIRE_EMAC,	  "authentication tag mismatch (wrong key or forged frame)") \
	X(WIRE_ECMD,	  "unknown command")				\
	X(WIRE_ECMDFLAGS, "unknown command flag bits (c_flags)")	\
	X(WIRE_ERESERVED, "reserved field not zero (c_pad)")		\
	X(WIRE_EPAYLOAD,  "payload length inconsistent with the command") \
	X(WIRE_ENODE,	  "node id out of [0, DVK_MAX_NODES) or source node == destination node") \
	X(WIRE_EDCID,	  "DC id out of [0, DVK_MAX_DCS)")		\
	X(WIRE_ESEQ,	  "sequence number invalid for the command (HELLO: 0, others: >= 1)") \
	X(WIRE_ENOSPC,	  "output buffer too small for the frame")	\
	X(WIRE_EINVAL,	  "invalid argument (NULL pointer)")

#define WIRE_ERR_ENUM(name, text) name,
enum wire_err { WIRE_OK = 0, WIRE_ERRORS(WIRE_ERR_ENUM) WIRE_NR_ERRS };
#undef WIRE_ERR_ENUM

/* The 128-bit key shared by both ends of an authenticated link. */
struct wire_key {
	uint8_t k[16];
};

/*
 * Encode @c (and its c->c_len payload bytes at @payload; may be NULL when
 * c_len is 0) as a frame with link sequence number @seq and cumulative
 * acknowledgement @ack into @buf (@cap bytes). With @key non-NULL the frame
 * carries a SipHash-2-4 tag. Returns the frame's length, or -wire_err:
 * the command's own checks (WIRE_ECMD ... WIRE_ESEQ), WIRE_ENOSPC,
 * WIRE_EINVAL. @buf is not written unless the command is valid.
 */
ssize_t wire_encode(void *buf, size_t cap, const struct dvk_cmd *c, const void *payload,
		    uint64_t seq, uint64_t ack, const struct wire_key *key);

/*
 * How long is the frame whose first @have bytes are at @buf? Needs the first
 * WIRE_LEN_PREFIX bytes (a stream reader can always read WIRE_HDR_LEN bytes
 * first, every frame being at least that long). Returns 0 and sets *@total,
 * -WIRE_EINCOMPLETE when @have is too short to tell, or the first error
 * among WIRE_EMAGIC, WIRE_EVERSION, WIRE_EHDRLEN, WIRE_EFLAGS, WIRE_ETOOBIG
 * seen in the bytes present (a bad magic is reported after 4 bytes).
 */
int wire_frame_len(const void *buf, size_t have, size_t *total);

/*
 * Decode and validate the complete frame of exactly @len bytes at @buf.
 * @key: the link's key, NULL when the link is not authenticated. On success
 * returns 0 and fills *@c (c_len = the payload length); *@payload (if
 * non-NULL) points into @buf at the payload, or is NULL when there is none;
 * *@seq and *@ack are set when non-NULL. On failure returns -wire_err and
 * writes none of the outputs. Checks, in order: the length prefix (as
 * wire_frame_len, then WIRE_EINCOMPLETE if @len is short, WIRE_ELENGTH if
 * long), the CRC, the tag, then the command's fields.
 */
int wire_decode(const void *buf, size_t len, struct dvk_cmd *c, const void **payload,
		uint64_t *seq, uint64_t *ack, const struct wire_key *key);

/*
 * The checks a command must pass to be encoded (and that a decoded one has
 * passed), without the link sequence number: 0 or -wire_err.
 */
int wire_check_cmd(const struct dvk_cmd *c);

/* The text of a wire error (either sign); "unknown wire error" otherwise. */
const char *wire_strerror(int err);

/*
 * CRC32C (Castagnoli, reflected polynomial 0x82F63B78, initial value and
 * final xor 0xFFFFFFFF). Chains like zlib's crc32(): start with crc = 0 and
 * pass each result back in; wire_crc32c(0, "123456789", 9) == 0xE3069283.
 */
uint32_t wire_crc32c(uint32_t crc, const void *p, size_t n);
/* The same without the CPU's instruction (what a CPU without SSE4.2 runs). */
uint32_t wire_crc32c_soft(uint32_t crc, const void *p, size_t n);

/* SipHash-2-4 of @n bytes with the key's bytes as k0 || k1 (little-endian). */
uint64_t wire_siphash24(const struct wire_key *key, const void *p, size_t n);


/* Little-endian field access, for the codec and whoever inspects frames. */
static inline void wire_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void wire_put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void wire_put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint16_t wire_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t wire_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t wire_get64(const uint8_t *p)
{
	return (uint64_t)wire_get32(p) | (uint64_t)wire_get32(p + 4) << 32;
}

#endif /* DVS_PROXIES_WIRE_H */
