// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the proxies' wire codec (proxies/wire.c, docs/wire.md),
 * built with ASan and UBSan: CRC32C and SipHash-2-4 against published
 * vectors and a bitwise CRC, the documented byte layout, round trips of
 * every command and ack with random fields, and every rejection rule with
 * its exact error code. One "PASS: test_wire/<case>" or
 * "FAIL: test_wire/<case>: why" line per case; exit status 1 if any failed.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <isa-l/crc.h>
#include "../../proxies/wire.h"

#define HOST_CHECK_PROG "test_wire"
#include "host_check.h"

/* ---- Harness ---------------------------------------------------------- */



/* A result's meaning: a length, or a wire error's text. */
static const char *txt(long v)
{
	return v > 0 ? "a length" : wire_strerror((int)v);
}

/* Check that a wire function returns @want (a length or -wire_err). */
#define CHECK_ERR(expr, want)						\
	do {								\
		long got_ = (long)(expr), want_ = (long)(want);		\
		CHECK(got_ == want_, "%s = %ld (%s), want %ld (%s)", #expr, got_, \
		      txt(got_), want_, txt(want_));			\
	} while (0)

#define REQUIRE_ERR(expr, want)						\
	do {								\
		CHECK_ERR(expr, want);					\
		if (why[0])						\
			longjmp(case_end, 1);				\
	} while (0)


/* Deterministic xorshift64* so that a failure reproduces. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static void fill(void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		((uint8_t *)p)[i] = (uint8_t)rnd();
}

/* CRC32C straight from the definition: bit by bit, reflected. */
static uint32_t crc_bitwise(uint32_t crc, const void *p, size_t n)
{
	const uint8_t *s = p;

	crc = ~crc;
	while (n--) {
		crc ^= *s++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1)));
	}
	return ~crc;
}

static const struct wire_key key1 = { { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 } };
static const struct wire_key key2 = { { 0xa5, 0x5a, 0x33, 0xcc, 0x0f, 0xf0, 0x77, 0x88,
					0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0 } };

/*
 * Recompute a frame's CRC and, with @key, its tag, after the test changed a
 * byte: lets a field check be reached behind the integrity checks. @len is
 * the buffer's length; the tag (if @key) is its last 8 bytes.
 */
static void fix_frame(uint8_t *f, size_t len, const struct wire_key *key)
{
	size_t body = len - (key ? WIRE_TAG_LEN : 0);
	uint32_t crc;

	wire_put32(f + 32, 0);
	crc = crc_bitwise(0, f, body);
	wire_put32(f + 32, crc);
	if (key)
		wire_put64(f + body, wire_siphash24(key, f, body));
}

static int carries_data(uint32_t cmd)
{
	return cmd == DVK_CMD_COPYIN_DATA;
}

static int is_hello(uint32_t cmd)
{
	return (cmd & ~(uint32_t)DVK_CMD_ACK) == DVK_CMD_HELLO;
}

/* A valid command @cmd with random fields and @paylen payload bytes. */
static void rand_cmd(struct dvk_cmd *c, uint32_t cmd, uint32_t paylen)
{
	fill(c, sizeof(*c));
	c->c_cmd = cmd;
	c->c_flags = 0;
	c->c_pad = 0;
	c->c_vcopy.v_rnode = (int16_t)(rnd() % DVK_MAX_NODES);
	c->c_vcopy.v_dnode = (int16_t)(rnd() % DVK_MAX_NODES);
	c->c_dcid = (int32_t)(rnd() % DVK_MAX_DCS);
	c->c_snode = (int32_t)(rnd() % DVK_MAX_NODES);
	c->c_dnode = (int32_t)((uint64_t)c->c_snode + 1 + rnd() % (DVK_MAX_NODES - 1)) % DVK_MAX_NODES;
	c->c_len = carries_data(cmd) ? paylen : 0;
	if (carries_data(cmd))
		c->c_vcopy.v_bytes = paylen;
}

static uint64_t rand_seq(uint32_t cmd)
{
	return is_hello(cmd) ? 0 : 1 + rnd() % UINT64_MAX;
}

/* A fixed COPYIN_DATA of 100 bytes: each header byte is distinct enough. */
static uint8_t pay100[100];

static void fixed_cmd(struct dvk_cmd *c)
{
	memset(c, 0, sizeof(*c));
	c->c_cmd = DVK_CMD_COPYIN_DATA;
	c->c_dcid = 3;
	c->c_src = DVK_ENDPOINT(1, 5);
	c->c_dst = DVK_ENDPOINT(2, -3);
	c->c_snode = 1;
	c->c_dnode = 2;
	c->c_rcode = -61;
	c->c_len = 100;
	c->c_id = 0x1122334455667788ull;
	c->c_timestamp = 0x99aabbccddeeff00ull;
	c->c_vcopy.v_src = DVK_ENDPOINT(1, 5);
	c->c_vcopy.v_dst = DVK_ENDPOINT(2, -3);
	c->c_vcopy.v_rqtr = DVK_ENDPOINT(3, 7);
	c->c_vcopy.v_rnode = 3;
	c->c_vcopy.v_dnode = 2;
	c->c_vcopy.v_saddr = 0x00007f0012345000ull;
	c->c_vcopy.v_daddr = 0x0000560000abc000ull;
	c->c_vcopy.v_bytes = 100;
	c->c_msg.m_source = DVK_ENDPOINT(1, 5);
	c->c_msg.m_type = 0x1234;
	for (int i = 0; i < 56; i++)
		c->c_msg.m_u.data[i] = (uint8_t)(0xc0 + i);
	for (int i = 0; i < 100; i++)
		pay100[i] = (uint8_t)(i * 7 + 1);
}

#define FIXED_SEQ 0x0102030405060708ull
#define FIXED_ACK 0x1112131415161718ull

/* ---- CRC32C and SipHash ------------------------------------------------ */

static void t_crc32c_check_value(void)
{
	CHECK(wire_crc32c(0, "123456789", 9) == 0xE3069283u, "got %08x",
	      wire_crc32c(0, "123456789", 9));
	CHECK(crc_bitwise(0, "123456789", 9) == 0xE3069283u, "bitwise reference");
	CHECK(wire_crc32c(0, "", 0) == 0, "empty");
	CHECK(wire_crc32c(0x12345678u, NULL, 0) == 0x12345678u, "empty chained");
}

/* RFC 3720 (iSCSI) appendix B.4: 32-byte patterns. */
static void t_crc32c_rfc3720(void)
{
	uint8_t b[32];

	memset(b, 0, sizeof(b));
	CHECK(wire_crc32c(0, b, 32) == 0x8A9136AAu, "zeros: %08x", wire_crc32c(0, b, 32));
	memset(b, 0xff, sizeof(b));
	CHECK(wire_crc32c(0, b, 32) == 0x62A8AB43u, "ones: %08x", wire_crc32c(0, b, 32));
	for (int i = 0; i < 32; i++)
		b[i] = (uint8_t)i;
	CHECK(wire_crc32c(0, b, 32) == 0x46DD794Eu, "incrementing: %08x", wire_crc32c(0, b, 32));
	for (int i = 0; i < 32; i++)
		b[i] = (uint8_t)(31 - i);
	CHECK(wire_crc32c(0, b, 32) == 0x113FDB5Cu, "decrementing: %08x", wire_crc32c(0, b, 32));
}

/* The instruction-based CRC equals the bitwise one for every length and offset. */
static void t_crc32c_vs_bitwise(void)
{
	size_t big = DVK_CMD_MAXPAYLOAD + 64;
	uint8_t *b = malloc(big);

	fill(b, big);
	for (size_t off = 0; off < 16; off++)
		for (size_t n = 0; n <= 300; n++)
			CHECK(wire_crc32c(0, b + off, n) == crc_bitwise(0, b + off, n),
			      "offset %zu length %zu", off, n);
	CHECK(wire_crc32c(0, b, big) == crc_bitwise(0, b, big), "64 KiB");
	/* Chaining: any split gives the one-shot value. */
	for (size_t cut = 0; cut <= 200; cut++)
		CHECK(wire_crc32c(wire_crc32c(0, b, cut), b + cut, 200 - cut) == wire_crc32c(0, b, 200),
		      "split at %zu", cut);
	/* Every byte value at each position of a 64-bit word. */
	for (int v = 0; v < 256; v++)
		for (size_t pos = 0; pos < 16; pos++) {
			uint8_t z[16] = { 0 };

			z[pos] = (uint8_t)v;
			CHECK(wire_crc32c(0, z, 16) == crc_bitwise(0, z, 16), "byte %#x at %zu", v, pos);
			CHECK(wire_crc32c_soft(0, z, 16) == crc_bitwise(0, z, 16), "soft: byte %#x at %zu",
			      v, pos);
		}
	/* The table-driven fallback (CPUs without SSE4.2) gives the same values. */
	for (size_t off = 0; off < 16; off++)
		for (size_t n = 0; n <= 300; n++)
			CHECK(wire_crc32c_soft(0, b + off, n) == crc_bitwise(0, b + off, n),
			      "soft: offset %zu length %zu", off, n);
	CHECK(wire_crc32c_soft(0, b, big) == crc_bitwise(0, b, big), "soft: 64 KiB");
	CHECK(wire_crc32c_soft(wire_crc32c_soft(0, b, 77), b + 77, 123) == wire_crc32c(0, b, 200),
	      "soft: chained");
	CHECK(wire_crc32c_soft(0, "123456789", 9) == 0xE3069283u, "soft: check value");
	free(b);
}

/*
 * ISA-L's crc32_iscsi() keeps the register un-inverted: seeded with ~0 and
 * inverted after, it is the standard CRC32C, the same as ours.
 */
static void t_crc32c_vs_isal(void)
{
	size_t big = DVK_CMD_MAXPAYLOAD + 64;
	uint8_t *b = malloc(big);

	fill(b, big);
	CHECK(~crc32_iscsi((unsigned char *)"123456789", 9, ~0u) == 0xE3069283u, "ISA-L check value");
	for (size_t n = 0; n <= 300; n++)
		CHECK(wire_crc32c(0, b + 3, n) == ~crc32_iscsi(b + 3, (int)n, ~0u), "length %zu", n);
	CHECK(wire_crc32c(0, b, big) == ~crc32_iscsi(b, (int)big, ~0u), "64 KiB");
	free(b);
}

/* The paper's appendix A: key 00..0f, message 00..0e. */
static void t_siphash_paper_vector(void)
{
	uint8_t m[15];

	for (int i = 0; i < 15; i++)
		m[i] = (uint8_t)i;
	CHECK(wire_siphash24(&key1, m, 15) == 0xa129ca6149be45e5ull, "got %016llx",
	      (unsigned long long)wire_siphash24(&key1, m, 15));
}

/* The reference implementation's vectors (message 00..n-1) for a few n. */
static void t_siphash_vectors(void)
{
	static const struct { size_t n; uint64_t h; } v[] = {
		{ 0, 0x726fdb47dd0e0e31ull }, { 1, 0x74f839c593dc67fdull },
		{ 7, 0xab0200f58b01d137ull }, { 8, 0x93f5f5799a932462ull },
		{ 9, 0x9e0082df0ba9e4b0ull }, { 15, 0xa129ca6149be45e5ull },
		{ 16, 0x3f2acc7f57c29bdbull }, { 63, 0x958a324ceb064572ull },
	};
	uint8_t m[64];

	for (int i = 0; i < 64; i++)
		m[i] = (uint8_t)i;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		CHECK(wire_siphash24(&key1, m, v[i].n) == v[i].h, "length %zu: %016llx", v[i].n,
		      (unsigned long long)wire_siphash24(&key1, m, v[i].n));
	/* Unaligned input gives the same result. */
	uint8_t u[72];

	memcpy(u + 3, m, 63);
	CHECK(wire_siphash24(&key1, u + 3, 63) == 0x958a324ceb064572ull, "unaligned");
}

/* ---- Layout ------------------------------------------------------------ */

/* Every field at the offset docs/wire.md gives, little-endian. */
static void t_layout(void)
{
	struct dvk_cmd c;
	uint8_t f[WIRE_FRAME_LEN(100, 1)];

	fixed_cmd(&c);
	REQUIRE_ERR(wire_encode(f, sizeof(f), &c, pay100, FIXED_SEQ, FIXED_ACK, &key1), sizeof(f));
	CHECK(!memcmp(f, "DVSW", 4), "magic");
	CHECK(wire_get32(f) == WIRE_MAGIC, "WIRE_MAGIC");
	CHECK(f[4] == 2 && f[5] == 0, "version %u.%u", f[4], f[5]);
	CHECK(f[6] == 192 && f[7] == 0, "header length");
	CHECK(wire_get32(f + 8) == WIRE_F_TAG, "flags");
	CHECK(wire_get32(f + 12) == 100, "payload length");
	CHECK(wire_get64(f + 16) == FIXED_SEQ && f[16] == 0x08, "seq");
	CHECK(wire_get64(f + 24) == FIXED_ACK, "ack");
	CHECK(wire_get32(f + 36) == DVK_CMD_COPYIN_DATA, "cmd");
	CHECK(wire_get32(f + 40) == 0, "c_flags");
	CHECK(wire_get32(f + 44) == 3, "dcid");
	CHECK(wire_get32(f + 48) == (uint32_t)c.c_src && wire_get32(f + 52) == (uint32_t)c.c_dst, "src/dst");
	CHECK(wire_get32(f + 56) == 1 && wire_get32(f + 60) == 2, "nodes");
	CHECK(wire_get32(f + 64) == (uint32_t)-61 && f[64] == 0xc3 && f[67] == 0xff, "rcode");
	CHECK(wire_get32(f + 68) == 0, "c_pad");
	CHECK(wire_get64(f + 72) == c.c_id && f[72] == 0x88, "id");
	CHECK(wire_get64(f + 80) == c.c_timestamp, "timestamp");
	CHECK(wire_get32(f + 88) == (uint32_t)c.c_vcopy.v_src && wire_get32(f + 92) == (uint32_t)c.c_vcopy.v_dst &&
	      wire_get32(f + 96) == (uint32_t)c.c_vcopy.v_rqtr && wire_get16(f + 100) == 3 &&
	      wire_get16(f + 102) == 2, "vcopy endpoints and nodes");
	CHECK(wire_get64(f + 104) == c.c_vcopy.v_saddr && wire_get64(f + 112) == c.c_vcopy.v_daddr &&
	      wire_get64(f + 120) == 100, "vcopy range");
	CHECK(wire_get32(f + 128) == (uint32_t)c.c_msg.m_source && wire_get32(f + 132) == 0x1234, "message head");
	CHECK(!memcmp(f + 136, c.c_msg.m_u.data, 56), "message body");
	CHECK(!memcmp(f + 192, pay100, 100), "payload");
	uint8_t g[292];

	memcpy(g, f, 292);
	wire_put32(g + 32, 0);
	CHECK(wire_get32(f + 32) == crc_bitwise(0, g, 292), "crc");
	CHECK(wire_get64(f + 292) == wire_siphash24(&key1, f, 292), "tag");
	CHECK(WIRE_HDR_LEN == 192 && WIRE_MAX_FRAME == 192 + 65536 + 8, "sizes");
}

/* ---- Round trips ------------------------------------------------------- */

static uint32_t pick_len(int i)
{
	static const uint32_t lens[] = { 0, 1, 7, 8, 9, 63, 64, 100, 4095, 4096, DVK_CMD_MAXPAYLOAD };

	if (i < (int)(sizeof(lens) / sizeof(lens[0])))
		return lens[i];
	return (uint32_t)(rnd() % (i % 4 ? 5000 : DVK_CMD_MAXPAYLOAD + 1));
}

static void roundtrip(uint32_t cmd)
{
	uint8_t *pay = malloc(DVK_CMD_MAXPAYLOAD);

	for (int keyed = 0; keyed < 2; keyed++)
		for (int i = 0; i < 24 && !why[0]; i++) {
			const struct wire_key *key = keyed ? &key1 : NULL;
			struct dvk_cmd c, d;
			uint64_t seq = rand_seq(cmd), ack = rnd(), s = 1, a = 0;
			const void *pp = NULL;
			size_t total = 0;

			rand_cmd(&c, cmd, pick_len(i));
			fill(pay, c.c_len);
			size_t want = WIRE_FRAME_LEN(c.c_len, keyed);
			uint8_t *f = malloc(want);	/* exact: ASan catches an overrun */

			CHECK_ERR(wire_encode(f, want, &c, c.c_len ? pay : NULL, seq, ack, key), want);
			if (why[0]) {
				free(f);
				break;
			}
			CHECK_ERR(wire_frame_len(f, WIRE_LEN_PREFIX, &total), 0);
			CHECK(total == want, "frame_len %zu, want %zu", total, want);
			memset(&d, 0x5a, sizeof(d));
			CHECK_ERR(wire_decode(f, want, &d, &pp, &s, &a, key), 0);
			CHECK(!memcmp(&c, &d, sizeof(c)), "cmd %#x length %u: struct differs", cmd, c.c_len);
			CHECK(s == seq && a == ack, "seq/ack");
			CHECK(c.c_len ? pp == f + WIRE_HDR_LEN : pp == NULL, "payload pointer");
			CHECK(!c.c_len || (pp && !memcmp(pp, pay, c.c_len)), "payload bytes");
			/* NULL outputs are allowed. */
			CHECK_ERR(wire_decode(f, want, &d, NULL, NULL, NULL, key), 0);
			/* The other key configurations reject it. */
			if (keyed) {
				CHECK_ERR(wire_decode(f, want, &d, NULL, NULL, NULL, NULL), -WIRE_EUNEXPTAG);
				CHECK_ERR(wire_decode(f, want, &d, NULL, NULL, NULL, &key2), -WIRE_EMAC);
			} else {
				CHECK_ERR(wire_decode(f, want, &d, NULL, NULL, NULL, &key1), -WIRE_ENOTAG);
			}
			free(f);
		}
	free(pay);
}

#define RT_CASE(name, nr)						\
	static void t_roundtrip_##name(void)				\
	{								\
		roundtrip(DVK_CMD_##name);				\
		roundtrip(DVK_CMD_##name | DVK_CMD_ACK);		\
	}
DVK_CMDS(RT_CASE)
#undef RT_CASE

/* HELLO is the heartbeat and the link's first frame: header only, seq 0. */
static void t_hello(void)
{
	struct dvk_cmd c, d;
	uint8_t f[WIRE_FRAME_LEN(0, 1)];
	uint64_t s = 9, a = 0;

	memset(&c, 0, sizeof(c));
	c.c_cmd = DVK_CMD_HELLO;
	c.c_snode = 3;		/* the sender */
	c.c_dnode = 5;		/* the receiver */
	c.c_id = 0xfeedfacecafebeefull;	/* the sender's link incarnation */
	CHECK_ERR(wire_encode(f, sizeof(f), &c, NULL, 0, 42, NULL), WIRE_HDR_LEN);
	CHECK_ERR(wire_decode(f, WIRE_HDR_LEN, &d, NULL, &s, &a, NULL), 0);
	CHECK(s == 0 && a == 42 && d.c_snode == 3 && d.c_dnode == 5 && d.c_id == c.c_id, "fields");
	CHECK_ERR(wire_encode(f, sizeof(f), &c, NULL, 0, 42, &key1), WIRE_HDR_LEN + WIRE_TAG_LEN);
	CHECK_ERR(wire_decode(f, sizeof(f), &d, NULL, &s, &a, &key1), 0);
	c.c_cmd |= DVK_CMD_ACK;
	CHECK_ERR(wire_encode(f, sizeof(f), &c, NULL, 0, 43, NULL), WIRE_HDR_LEN);
	c.c_cmd = DVK_CMD_HELLO;
	c.c_len = 1;
	c.c_vcopy.v_bytes = 1;
	CHECK_ERR(wire_encode(f, sizeof(f), &c, "x", 0, 0, NULL), -WIRE_EPAYLOAD);
}

/* The largest frame, and an output buffer one byte short. */
static void t_max_payload(void)
{
	struct dvk_cmd c;
	uint8_t *f = malloc(WIRE_MAX_FRAME), *pay = malloc(DVK_CMD_MAXPAYLOAD + 1);
	const void *pp;

	rand_cmd(&c, DVK_CMD_COPYIN_DATA, DVK_CMD_MAXPAYLOAD);
	fill(pay, DVK_CMD_MAXPAYLOAD);
	memset(f, 0xee, WIRE_MAX_FRAME);
	CHECK_ERR(wire_encode(f, WIRE_MAX_FRAME - 1, &c, pay, 1, 0, &key1), -WIRE_ENOSPC);
	CHECK(f[0] == 0xee, "written although too small");
	REQUIRE_ERR(wire_encode(f, WIRE_MAX_FRAME, &c, pay, 1, 0, &key1), WIRE_MAX_FRAME);
	REQUIRE_ERR(wire_decode(f, WIRE_MAX_FRAME, &c, &pp, NULL, NULL, &key1), 0);
	CHECK(!memcmp(pp, pay, DVK_CMD_MAXPAYLOAD), "payload");
	c.c_len = DVK_CMD_MAXPAYLOAD + 1;
	c.c_vcopy.v_bytes = c.c_len;
	CHECK_ERR(wire_encode(f, WIRE_MAX_FRAME, &c, pay, 1, 0, &key1), -WIRE_ETOOBIG);
	free(f);
	free(pay);
}

/* The payload may already sit where the frame wants it. */
static void t_payload_in_place(void)
{
	struct dvk_cmd c;
	uint8_t f[WIRE_FRAME_LEN(100, 0)], g[sizeof(f)];

	fixed_cmd(&c);
	CHECK_ERR(wire_encode(g, sizeof(g), &c, pay100, 1, 2, NULL), sizeof(g));
	memset(f, 0, sizeof(f));
	memcpy(f + WIRE_HDR_LEN, pay100, 100);
	CHECK_ERR(wire_encode(f, sizeof(f), &c, f + WIRE_HDR_LEN, 1, 2, NULL), sizeof(f));
	CHECK(!memcmp(f, g, sizeof(f)), "differs from a copying encode");
}

/* ---- Framing: incomplete, too long, the length prefix ------------------ */

static void t_incomplete(void)
{
	struct dvk_cmd c, d;
	uint8_t f[WIRE_FRAME_LEN(100, 1) + 1];
	size_t n = WIRE_FRAME_LEN(100, 1), total;

	fixed_cmd(&c);
	REQUIRE_ERR(wire_encode(f, sizeof(f), &c, pay100, FIXED_SEQ, FIXED_ACK, &key1), n);
	for (size_t k = 0; k < n; k++) {
		uint8_t *t = malloc(k ? k : 1);	/* exactly k readable bytes */

		memcpy(t, f, k);
		total = 0;
		if (k < WIRE_LEN_PREFIX) {
			CHECK_ERR(wire_frame_len(t, k, &total), -WIRE_EINCOMPLETE);
		} else {
			CHECK_ERR(wire_frame_len(t, k, &total), 0);
			CHECK(total == n, "prefix %zu: total %zu", k, total);
		}
		CHECK_ERR(wire_decode(t, k, &d, NULL, NULL, NULL, &key1), -WIRE_EINCOMPLETE);
		free(t);
	}
	CHECK_ERR(wire_frame_len(NULL, 0, &total), -WIRE_EINCOMPLETE);
	f[n] = 0;
	CHECK_ERR(wire_decode(f, n + 1, &d, NULL, NULL, NULL, &key1), -WIRE_ELENGTH);
	CHECK_ERR(wire_decode(f, n, &d, NULL, NULL, NULL, &key1), 0);
}

/* wire_frame_len() rejects a bad prefix as soon as the bad field is in. */
static void t_frame_len_early(void)
{
	uint8_t h[WIRE_LEN_PREFIX] = { 'D', 'V', 'S', 'X' };
	size_t total;

	CHECK_ERR(wire_frame_len(h, 3, &total), -WIRE_EINCOMPLETE);
	CHECK_ERR(wire_frame_len(h, 4, &total), -WIRE_EMAGIC);
	h[3] = 'W';
	CHECK_ERR(wire_frame_len(h, 4, &total), -WIRE_EINCOMPLETE);
	h[4] = WIRE_VERSION_MAJOR + 1;
	CHECK_ERR(wire_frame_len(h, 5, &total), -WIRE_EVERSION);
	h[4] = WIRE_VERSION_MAJOR;
	CHECK_ERR(wire_frame_len(h, 7, &total), -WIRE_EINCOMPLETE);
	CHECK_ERR(wire_frame_len(h, 8, &total), -WIRE_EHDRLEN);
	h[6] = 192;
	h[9] = 0x80;
	CHECK_ERR(wire_frame_len(h, 11, &total), -WIRE_EINCOMPLETE);
	CHECK_ERR(wire_frame_len(h, 12, &total), -WIRE_EFLAGS);
	h[9] = 0;
	h[8] = 1;
	h[14] = 1;
	CHECK_ERR(wire_frame_len(h, 15, &total), -WIRE_EINCOMPLETE);
	CHECK_ERR(wire_frame_len(h, 16, &total), 0);
	CHECK(total == WIRE_FRAME_LEN(65536, 1), "64 KiB tagged: %zu", total);
	h[12] = 1;
	CHECK_ERR(wire_frame_len(h, 16, &total), -WIRE_ETOOBIG);
	CHECK_ERR(wire_frame_len(h, 16, NULL), -WIRE_EINVAL);
	CHECK_ERR(wire_frame_len(NULL, 16, &total), -WIRE_EINVAL);
}

/* ---- Header prefix rules ----------------------------------------------- */

/* A valid unkeyed COPYIN_DATA frame to spoil; returns its length. */
static size_t good_frame(uint8_t *f, size_t cap, const struct wire_key *key)
{
	struct dvk_cmd c;

	fixed_cmd(&c);
	ssize_t n = wire_encode(f, cap, &c, pay100, FIXED_SEQ, FIXED_ACK, key);

	REQUIRE(n == (ssize_t)WIRE_FRAME_LEN(100, key != NULL), "the test frame: %zd (%s)", n,
		wire_strerror((int)n));
	return (size_t)n;
}

static int dec(const uint8_t *f, size_t n, const struct wire_key *key)
{
	struct dvk_cmd d;

	return wire_decode(f, n, &d, NULL, NULL, NULL, key);
}

static void t_bad_magic(void)
{
	uint8_t f[400];
	size_t n = good_frame(f, sizeof(f), NULL);

	for (int i = 0; i < 4; i++) {
		f[i] ^= 0x20;	/* "dvsw" is not "DVSW" either */
		fix_frame(f, n, NULL);
		CHECK_ERR(dec(f, n, NULL), -WIRE_EMAGIC);
		f[i] ^= 0x20;
	}
	fix_frame(f, n, NULL);
	CHECK_ERR(dec(f, n, NULL), 0);
}

static void t_bad_version(void)
{
	static const uint8_t majors[] = { 0, 1, 3, 0x81, 0xff };
	uint8_t f[400];
	size_t n = good_frame(f, sizeof(f), NULL);

	for (size_t i = 0; i < sizeof(majors); i++) {
		f[4] = majors[i];
		fix_frame(f, n, NULL);
		CHECK_ERR(dec(f, n, NULL), -WIRE_EVERSION);
	}
	CHECK(strstr(wire_strerror(-WIRE_EVERSION), "version") != NULL, "text names the version");
}

/* Another minor of our major is accepted (version negotiation rule). */
static void t_minor_accepted(void)
{
	uint8_t f[400];
	size_t n = good_frame(f, sizeof(f), &key1);

	for (int minor = 1; minor < 256; minor += 37) {
		f[5] = (uint8_t)minor;
		fix_frame(f, n, &key1);
		CHECK_ERR(dec(f, n, &key1), 0);
	}
}

static void t_bad_hdr_len(void)
{
	static const uint16_t lens[] = { 0, 16, 191, 193, 200, 0xc000, 0xffff };
	uint8_t f[400];
	size_t n = good_frame(f, sizeof(f), NULL);

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		f[6] = (uint8_t)lens[i];
		f[7] = (uint8_t)(lens[i] >> 8);
		fix_frame(f, n, NULL);
		CHECK_ERR(dec(f, n, NULL), -WIRE_EHDRLEN);
	}
}

static void t_unknown_flags(void)
{
	uint8_t f[400];
	size_t n = good_frame(f, sizeof(f), NULL);

	for (int bit = 1; bit < 32; bit++) {
		wire_put32(f + 8, 1u << bit);
		fix_frame(f, n, NULL);
		CHECK_ERR(dec(f, n, NULL), -WIRE_EFLAGS);
	}
}

static void t_payload_too_big(void)
{
	static const uint32_t lens[] = { DVK_CMD_MAXPAYLOAD + 1, 0x20000, 0x7fffffff, 0xffffffff };
	uint8_t f[400];
	size_t n = good_frame(f, sizeof(f), NULL), total;

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		wire_put32(f + 12, lens[i]);
		CHECK_ERR(wire_frame_len(f, n, &total), -WIRE_ETOOBIG);
		CHECK_ERR(dec(f, n, NULL), -WIRE_ETOOBIG);
	}
}

/* ---- Integrity and authentication -------------------------------------- */

static void t_crc_mismatch(void)
{
	uint8_t f[400];
	size_t n = good_frame(f, sizeof(f), NULL);

	for (size_t i = 16; i < n; i += 7) {
		f[i] ^= 0x01;
		CHECK_ERR(dec(f, n, NULL), -WIRE_ECRC);
		f[i] ^= 0x01;
	}
	wire_put32(f + 32, wire_get32(f + 32) ^ 0x80000000u);
	CHECK_ERR(dec(f, n, NULL), -WIRE_ECRC);
}

static void t_tag_missing(void)
{
	uint8_t f[400];
	size_t n = good_frame(f, sizeof(f), NULL);

	CHECK_ERR(dec(f, n, &key1), -WIRE_ENOTAG);
	/* A tagged frame stripped of its tag and flag, CRC redone: still refused. */
	n = good_frame(f, sizeof(f), &key1);
	wire_put32(f + 8, 0);
	fix_frame(f, n - WIRE_TAG_LEN, NULL);
	CHECK_ERR(dec(f, n - WIRE_TAG_LEN, &key1), -WIRE_ENOTAG);
	CHECK_ERR(dec(f, n - WIRE_TAG_LEN, NULL), 0);
}

static void t_tag_unexpected(void)
{
	uint8_t f[400];
	size_t n = good_frame(f, sizeof(f), &key1);

	CHECK_ERR(dec(f, n, NULL), -WIRE_EUNEXPTAG);
}

/* Any one key bit different, and any tag bit flipped: WIRE_EMAC. */
static void t_key_mismatch(void)
{
	uint8_t f[400];
	size_t n = good_frame(f, sizeof(f), &key1);

	for (int bit = 0; bit < 128; bit++) {
		struct wire_key k = key1;

		k.k[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		CHECK_ERR(dec(f, n, &k), -WIRE_EMAC);
	}
	for (int bit = 0; bit < 64; bit++) {
		f[n - 8 + bit / 8] ^= (uint8_t)(1u << (bit % 8));
		CHECK_ERR(dec(f, n, &key1), -WIRE_EMAC);
		f[n - 8 + bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	CHECK_ERR(dec(f, n, &key1), 0);
	/* A forger without the key recomputes the CRC: the tag still fails. */
	f[200] ^= 1;
	fix_frame(f, n, &key2);
	CHECK_ERR(dec(f, n, &key1), -WIRE_EMAC);
}

/* ---- Byte flips -------------------------------------------------------- */

/*
 * The expected result of decoding the fixed frame (good_frame: COPYIN_DATA,
 * 100 bytes, dcid 3, nodes 1 -> 2) with byte @off xor 0xff, once the CRC
 * and tag have been recomputed: the field check that owns the byte.
 */
static int expect_fixed(size_t off, size_t body)
{
	if (off < 4)
		return -WIRE_EMAGIC;
	if (off == 4)
		return -WIRE_EVERSION;
	if (off == 5)
		return 0;	/* minor */
	if (off < 8)
		return -WIRE_EHDRLEN;
	if (off < 12)
		return -WIRE_EFLAGS;
	if (off < 14)
		return -WIRE_EINCOMPLETE;	/* 155 or 65380 bytes announced */
	if (off < 16)
		return -WIRE_ETOOBIG;
	if (off < 36)
		return 0;		/* seq, ack (crc: recomputed) */
	if (off < 40)
		return -WIRE_ECMD;
	if (off < 44)
		return -WIRE_ECMDFLAGS;
	if (off < 48)
		return -WIRE_EDCID;
	if (off < 56)
		return 0;		/* src, dst */
	if (off < 64)
		return -WIRE_ENODE;
	if (off < 68)
		return 0;		/* rcode */
	if (off < 72)
		return -WIRE_ERESERVED;	/* c_pad */
	if (off < 100)
		return 0;		/* id, timestamp, v_src, v_dst, v_rqtr */
	if (off < 104)
		return -WIRE_ENODE;	/* v_rnode 3, v_dnode 2: out of range */
	if (off < 120)
		return 0;		/* saddr, daddr */
	if (off < 128)
		return -WIRE_EPAYLOAD;	/* v_bytes != 100 */
	if (off < body)
		return 0;		/* message, payload */
	return -WIRE_EMAC;		/* the tag itself */
}

static void flips(const struct wire_key *key, int fix)
{
	uint8_t f[400], g[400], h[400];
	size_t n = good_frame(f, sizeof(f), key), body = n - (key ? WIRE_TAG_LEN : 0);
	struct dvk_cmd c0, c1;
	uint64_t s0, a0, s1, a1;
	const void *p0, *p1;

	REQUIRE_ERR(wire_decode(f, n, &c0, &p0, &s0, &a0, key), 0);
	for (size_t off = 0; off < n; off++) {
		int want;

		memcpy(g, f, n);
		g[off] ^= 0xff;
		if (fix && off < body) {
			if (off >= 32 && off < 36)
				continue;	/* the CRC: fixing undoes the flip */
			fix_frame(g, n, key);
			want = expect_fixed(off, body);
		} else if (off < WIRE_LEN_PREFIX) {
			/* Checked before the CRC; the minor is accepted, but covered by it. */
			want = off == 5 ? -WIRE_ECRC : expect_fixed(off, body);
		} else {
			want = off < body ? -WIRE_ECRC : -WIRE_EMAC;
		}
		memset(&c1, 0, sizeof(c1));
		int got = wire_decode(g, n, &c1, &p1, &s1, &a1, key);

		CHECK(got == want, "%s%s flip of byte %zu: %d (%s), want %d (%s)",
		      key ? "keyed" : "unkeyed", fix ? " fixed" : "", off, got, wire_strerror(got),
		      want, wire_strerror(want));
		if (got || why[0] || off == 5)
			continue;	/* the minor is not an output; encode writes ours */
		/* Accepted: the byte is carried, and re-encodes to the same frame. */
		CHECK(memcmp(&c0, &c1, sizeof(c0)) || s0 != s1 || a0 != a1 ||
		      memcmp(p0, p1, c0.c_len), "byte %zu is ignored", off);
		CHECK_ERR(wire_encode(h, sizeof(h), &c1, p1, s1, a1, key), n);
		CHECK(!memcmp(g, h, n), "byte %zu: re-encoding differs", off);
	}
}

static void t_flip_raw_unkeyed(void) { flips(NULL, 0); }
static void t_flip_raw_keyed(void) { flips(&key1, 0); }
static void t_flip_fixed_unkeyed(void) { flips(NULL, 1); }
static void t_flip_fixed_keyed(void) { flips(&key1, 1); }

/*
 * Every value of every header byte, integrity fixed: never a crash, always a
 * known code, and whatever is accepted re-encodes to the same bytes.
 */
static void t_every_byte_value(void)
{
	uint8_t f[400], g[400], h[400];
	size_t n = good_frame(f, sizeof(f), &key1);
	struct dvk_cmd d;
	uint64_t s, a;
	const void *p;

	for (size_t off = 0; off < WIRE_HDR_LEN && !why[0]; off++)
		for (int v = 0; v < 256; v++) {
			if (off == 5 || (off >= 32 && off < 36))
				continue;	/* minor: accepted; CRC: recomputed */
			memcpy(g, f, n);
			g[off] = (uint8_t)v;
			fix_frame(g, n, &key1);
			int r = wire_decode(g, n, &d, &p, &s, &a, &key1);

			CHECK(r <= 0 && r > -WIRE_NR_ERRS, "byte %zu = %d: %d", off, v, r);
			if (r)
				continue;
			CHECK_ERR(wire_encode(h, sizeof(h), &d, p, s, a, &key1), n);
			CHECK(!memcmp(g, h, n), "byte %zu = %d: re-encoding differs", off, v);
		}
}

/* ---- Command field rules ----------------------------------------------- */

/* Encode @c (no payload check) and, patching a good frame to the same
 * fields, decode it: both must give @want. */
static void both_ways(const struct dvk_cmd *c, const void *pay, uint64_t seq, int want, int line)
{
	uint8_t f[WIRE_MAX_FRAME], g[WIRE_MAX_FRAME];
	struct dvk_cmd ok = *c, d;
	int r;

	memset(f, 0xaa, 400);
	r = (int)wire_encode(f, sizeof(f), c, pay, seq, 7, &key1);
	if (want) {
		CHECK(r == want, "line %d: encode %d (%s), want %d (%s)", line, r, wire_strerror(r),
		      want, wire_strerror(want));
		CHECK(f[0] == 0xaa && f[WIRE_HDR_LEN] == 0xaa, "line %d: written on refusal", line);
	} else {
		CHECK(r > 0, "line %d: encode %d (%s)", line, r, wire_strerror(r));
	}
	/* The same frame, built by hand from a valid one. */
	ok.c_cmd = DVK_CMD_COPYIN_DATA;
	ok.c_flags = 0;
	ok.c_pad = 0;
	ok.c_vcopy.v_rnode = 0;
	ok.c_vcopy.v_dnode = 0;
	ok.c_snode = 0;
	ok.c_dnode = 1;
	ok.c_dcid = 0;
	ok.c_vcopy.v_bytes = ok.c_len = c->c_len <= DVK_CMD_MAXPAYLOAD ? c->c_len : 0;
	r = (int)wire_encode(g, sizeof(g), &ok, pay, 1, 7, &key1);
	CHECK(r > 0, "line %d: base frame %d", line, r);
	if (r <= 0)
		return;
	wire_put32(g + 36, c->c_cmd);
	wire_put32(g + 40, c->c_flags);
	wire_put32(g + 44, (uint32_t)c->c_dcid);
	wire_put32(g + 56, (uint32_t)c->c_snode);
	wire_put32(g + 60, (uint32_t)c->c_dnode);
	wire_put32(g + 68, c->c_pad);
	wire_put16(g + 100, (uint16_t)c->c_vcopy.v_rnode);
	wire_put16(g + 102, (uint16_t)c->c_vcopy.v_dnode);
	wire_put64(g + 120, c->c_vcopy.v_bytes);
	wire_put64(g + 16, seq);
	fix_frame(g, (size_t)r, &key1);
	r = wire_decode(g, (size_t)r, &d, NULL, NULL, NULL, &key1);
	CHECK(r == want, "line %d: decode %d (%s), want %d (%s)", line, r, wire_strerror(r), want,
	      wire_strerror(want));
}

#define BOTH(c, pay, seq, want) both_ways(c, pay, seq, want, __LINE__)

/* Valid iff (cmd & ~ACK) < DVK_NR_CMDS. */
static void t_unknown_commands(void)
{
	struct dvk_cmd c;

	rand_cmd(&c, DVK_CMD_SEND_MSG, 0);
	for (uint32_t v = 0; v < 0x10000 && !why[0]; v++) {
		uint32_t base = v & ~(uint32_t)DVK_CMD_ACK;
		int valid = base < DVK_NR_CMDS;

		c.c_cmd = v;
		c.c_len = 0;
		c.c_vcopy.v_bytes = 0;
		CHECK_ERR(wire_check_cmd(&c), valid ? 0 : -WIRE_ECMD);
		if ((v & 0xff) < 16 || !(v % 997))
			BOTH(&c, NULL, is_hello(v) ? 0 : 1, valid ? 0 : -WIRE_ECMD);
	}
	static const uint32_t high[] = { 0x10000, 0x10005, 0x80000000u, 0x80002005u, 0xffffffffu,
					 DVK_CMD_ACK | 0x4000, DVK_NR_CMDS, DVK_NR_CMDS | DVK_CMD_ACK };
	for (size_t i = 0; i < sizeof(high) / sizeof(high[0]); i++) {
		c.c_cmd = high[i];
		BOTH(&c, NULL, 1, -WIRE_ECMD);
	}
}

static void t_payload_mismatch(void)
{
	struct dvk_cmd c;

	/* Data commands: payload length == v_bytes. */
	rand_cmd(&c, DVK_CMD_COPYIN_DATA, 100);
	BOTH(&c, pay100, 1, 0);
	c.c_vcopy.v_bytes = 99;
	BOTH(&c, pay100, 1, -WIRE_EPAYLOAD);
	c.c_vcopy.v_bytes = 100 + (1ull << 32);
	BOTH(&c, pay100, 1, -WIRE_EPAYLOAD);
	/* A copy's ack or request echoes its range, without data. */
	rand_cmd(&c, DVK_CMD_COPYOUT_DATA, 0);
	c.c_vcopy.v_bytes = 1000;
	BOTH(&c, NULL, 1, 0);
	c.c_len = 100;
	BOTH(&c, pay100, 1, -WIRE_EPAYLOAD);
	/* Every other command and ack: no payload. */
	for (uint32_t b = 0; b < DVK_NR_CMDS; b++)
		for (uint32_t ack = 0; ack <= DVK_CMD_ACK; ack += DVK_CMD_ACK) {
			if (carries_data(b | ack))
				continue;
			rand_cmd(&c, b | ack, 0);
			BOTH(&c, NULL, is_hello(b) ? 0 : 1, 0);
			c.c_len = 10;
			c.c_vcopy.v_bytes = 10;
			BOTH(&c, pay100, is_hello(b) ? 0 : 1, -WIRE_EPAYLOAD);
		}
}

static void t_node_range(void)
{
	static const int32_t bad[] = { -1, DVK_MAX_NODES, DVK_MAX_NODES + 1, 1000, INT32_MIN, INT32_MAX };
	struct dvk_cmd c;

	rand_cmd(&c, DVK_CMD_SEND_MSG, 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c.c_snode = bad[i];
		c.c_dnode = 4;
		BOTH(&c, NULL, 1, -WIRE_ENODE);
		c.c_snode = 4;
		c.c_dnode = bad[i];
		BOTH(&c, NULL, 1, -WIRE_ENODE);
	}
	for (int32_t n = 0; n < DVK_MAX_NODES; n++) {
		c.c_snode = c.c_dnode = n;
		BOTH(&c, NULL, 1, -WIRE_ENODE);
		c.c_dnode = DVK_MAX_NODES - 1 - n;
		if (c.c_dnode != n)
			BOTH(&c, NULL, 1, 0);
	}
}

static void t_dcid_range(void)
{
	static const int32_t bad[] = { -1, DVK_MAX_DCS, 1 << 20, INT32_MIN, INT32_MAX };
	struct dvk_cmd c;

	rand_cmd(&c, DVK_CMD_NTFY_MSG, 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c.c_dcid = bad[i];
		BOTH(&c, NULL, 1, -WIRE_EDCID);
	}
	for (int32_t d = 0; d < DVK_MAX_DCS; d++) {
		c.c_dcid = d;
		BOTH(&c, NULL, 1, 0);
	}
}

static void t_reserved_fields(void)
{
	struct dvk_cmd c;

	for (int bit = 0; bit < 32; bit++) {
		rand_cmd(&c, DVK_CMD_REPLY_MSG, 0);
		c.c_pad = 1u << bit;
		BOTH(&c, NULL, 1, -WIRE_ERESERVED);
		c.c_pad = 0;
		c.c_flags = 1u << bit;
		BOTH(&c, NULL, 1, -WIRE_ECMDFLAGS);
	}
}

/* DVK_CMDF_LAST marks a copy's last chunk; no other flag, no other command. */
static void t_last_flag(void)
{
	struct dvk_cmd c;

	rand_cmd(&c, DVK_CMD_COPYIN_DATA, 10);
	c.c_flags = DVK_CMDF_LAST;
	BOTH(&c, pay100, 1, 0);
	c.c_flags = DVK_CMDF_LAST | 2;
	BOTH(&c, pay100, 1, -WIRE_ECMDFLAGS);
	for (uint32_t cmd = 0; cmd < DVK_NR_CMDS; cmd++) {
		if (cmd == DVK_CMD_COPYIN_DATA || cmd == DVK_CMD_HELLO)
			continue;
		rand_cmd(&c, cmd, 10);
		c.c_flags = DVK_CMDF_LAST;
		BOTH(&c, pay100, 1, -WIRE_ECMDFLAGS);
		rand_cmd(&c, cmd | DVK_CMD_ACK, 10);
		c.c_flags = DVK_CMDF_LAST;
		BOTH(&c, pay100, 1, -WIRE_ECMDFLAGS);
	}
}

/* A copy's requester and destination nodes are node ids, like c_snode. */
static void t_copy_nodes(void)
{
	static const int16_t bad[] = { -1, DVK_MAX_NODES, DVK_MAX_NODES + 1, 0x100, INT16_MIN,
				       INT16_MAX };
	struct dvk_cmd c;

	rand_cmd(&c, DVK_CMD_COPYRMT_RQST, 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c.c_vcopy.v_rnode = bad[i];
		c.c_vcopy.v_dnode = 0;
		BOTH(&c, NULL, 1, -WIRE_ENODE);
		c.c_vcopy.v_rnode = 0;
		c.c_vcopy.v_dnode = bad[i];
		BOTH(&c, NULL, 1, -WIRE_ENODE);
	}
	for (int16_t n = 0; n < DVK_MAX_NODES; n++) {
		c.c_vcopy.v_rnode = n;
		c.c_vcopy.v_dnode = (int16_t)(DVK_MAX_NODES - 1 - n);
		BOTH(&c, NULL, 1, 0);
	}
}

/* HELLO (and its ack) has seq 0; every other frame seq >= 1. */
static void t_seq_rule(void)
{
	struct dvk_cmd c;

	rand_cmd(&c, DVK_CMD_HELLO, 0);
	BOTH(&c, NULL, 0, 0);
	BOTH(&c, NULL, 1, -WIRE_ESEQ);
	BOTH(&c, NULL, UINT64_MAX, -WIRE_ESEQ);
	c.c_cmd |= DVK_CMD_ACK;
	BOTH(&c, NULL, 5, -WIRE_ESEQ);
	for (uint32_t b = 0; b < DVK_NR_CMDS; b++) {
		if (b == DVK_CMD_HELLO)
			continue;
		rand_cmd(&c, b, 0);
		BOTH(&c, NULL, 0, -WIRE_ESEQ);
		BOTH(&c, NULL, 1, 0);
		BOTH(&c, NULL, UINT64_MAX, 0);
	}
}

/* ---- Encoder's refusals, decoder's outputs, texts ---------------------- */

static void t_encode_refuses(void)
{
	uint8_t f[400];
	struct dvk_cmd c;

	memset(f, 0xaa, sizeof(f));
	rand_cmd(&c, DVK_CMD_COPYIN_DATA, 100);
	CHECK_ERR(wire_encode(f, sizeof(f), NULL, pay100, 1, 0, NULL), -WIRE_EINVAL);
	CHECK_ERR(wire_encode(f, sizeof(f), &c, NULL, 1, 0, NULL), -WIRE_EINVAL);
	CHECK_ERR(wire_encode(NULL, sizeof(f), &c, pay100, 1, 0, NULL), -WIRE_EINVAL);
	CHECK_ERR(wire_encode(f, WIRE_FRAME_LEN(100, 0) - 1, &c, pay100, 1, 0, NULL), -WIRE_ENOSPC);
	CHECK_ERR(wire_encode(f, WIRE_FRAME_LEN(100, 0), &c, pay100, 1, 0, &key1), -WIRE_ENOSPC);
	CHECK_ERR(wire_encode(f, 0, &c, pay100, 1, 0, NULL), -WIRE_ENOSPC);
	c.c_len = 0;
	c.c_vcopy.v_bytes = 0;
	CHECK_ERR(wire_encode(f, sizeof(f), &c, NULL, 1, 0, NULL), WIRE_HDR_LEN);	/* empty chunk */
	for (size_t i = WIRE_HDR_LEN; i < sizeof(f); i++)
		CHECK(f[i] == 0xaa, "byte %zu written past the frame", i);
	CHECK_ERR(wire_check_cmd(NULL), -WIRE_EINVAL);
}

static void t_decode_outputs_on_error(void)
{
	uint8_t f[400];
	size_t n = good_frame(f, sizeof(f), NULL);
	struct dvk_cmd d, e;
	uint64_t s = 123, a = 456;
	const void *pp = &s;

	memset(&d, 0x77, sizeof(d));
	e = d;
	f[40] = 2;	/* c_flags: no such flag */
	fix_frame(f, n, NULL);
	CHECK_ERR(wire_decode(f, n, &d, &pp, &s, &a, NULL), -WIRE_ECMDFLAGS);
	CHECK(!memcmp(&d, &e, sizeof(d)) && s == 123 && a == 456 && pp == &s, "outputs written");
	CHECK_ERR(wire_decode(f, n, NULL, &pp, &s, &a, NULL), -WIRE_EINVAL);
	CHECK_ERR(wire_decode(NULL, n, &d, &pp, &s, &a, NULL), -WIRE_EINVAL);
}

static void t_strerror(void)
{
#define ERR_NAME(name, text) [name] = #name,
	static const char *const names[WIRE_NR_ERRS] = { WIRE_ERRORS(ERR_NAME) };
#undef ERR_NAME
	for (int e = 1; e < WIRE_NR_ERRS; e++) {
		const char *t = wire_strerror(-e);

		CHECK(names[e] && t && *t, "code %d has no name or text", e);
		CHECK(t == wire_strerror(e), "%s: sign matters", names[e]);
		CHECK(strcmp(t, "unknown wire error") && strcmp(t, "success"), "%s unexplained", names[e]);
		for (int g = 1; g < e; g++)
			CHECK(strcmp(t, wire_strerror(g)), "%s and %s share a text", names[e], names[g]);
	}
	CHECK(!strcmp(wire_strerror(0), "success"), "0");
	CHECK(!strcmp(wire_strerror(WIRE_NR_ERRS), "unknown wire error"), "past the end");
	CHECK(!strcmp(wire_strerror(-WIRE_NR_ERRS), "unknown wire error"), "past the end, negative");
	CHECK(!strcmp(wire_strerror(INT_MIN), "unknown wire error"), "INT_MIN");
	CHECK(WIRE_EINCOMPLETE == 1, "EINCOMPLETE is 1");
}

int main(void)
{
	run("crc32c_check_value", t_crc32c_check_value);
	run("crc32c_rfc3720", t_crc32c_rfc3720);
	run("crc32c_vs_bitwise", t_crc32c_vs_bitwise);
	run("crc32c_vs_isal", t_crc32c_vs_isal);
	run("siphash_paper_vector", t_siphash_paper_vector);
	run("siphash_vectors", t_siphash_vectors);
	run("layout", t_layout);
#define RT_RUN(name, nr) run("roundtrip_" #name, t_roundtrip_##name);
	DVK_CMDS(RT_RUN)
#undef RT_RUN
	run("hello", t_hello);
	run("max_payload", t_max_payload);
	run("payload_in_place", t_payload_in_place);
	run("incomplete", t_incomplete);
	run("frame_len_early", t_frame_len_early);
	run("bad_magic", t_bad_magic);
	run("bad_version", t_bad_version);
	run("minor_accepted", t_minor_accepted);
	run("bad_hdr_len", t_bad_hdr_len);
	run("unknown_flags", t_unknown_flags);
	run("payload_too_big", t_payload_too_big);
	run("crc_mismatch", t_crc_mismatch);
	run("tag_missing", t_tag_missing);
	run("tag_unexpected", t_tag_unexpected);
	run("key_mismatch", t_key_mismatch);
	run("flip_raw_unkeyed", t_flip_raw_unkeyed);
	run("flip_raw_keyed", t_flip_raw_keyed);
	run("flip_fixed_unkeyed", t_flip_fixed_unkeyed);
	run("flip_fixed_keyed", t_flip_fixed_keyed);
	run("every_byte_value", t_every_byte_value);
	run("unknown_commands", t_unknown_commands);
	run("payload_mismatch", t_payload_mismatch);
	run("node_range", t_node_range);
	run("dcid_range", t_dcid_range);
	run("reserved_fields", t_reserved_fields);
	run("copy_nodes", t_copy_nodes);
	run("last_flag", t_last_flag);
	run("seq_rule", t_seq_rule);
	run("encode_refuses", t_encode_refuses);
	run("decode_outputs_on_error", t_decode_outputs_on_error);
	run("strerror", t_strerror);
	return failed ? 1 : 0;
}
