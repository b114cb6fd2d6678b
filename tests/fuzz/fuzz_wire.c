// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the proxies' wire codec (proxies/wire.c).
 *
 * Input: one mode byte, then the data.
 *   mode bit 0 clear: the data is a frame, decoded as it is;
 *   mode bit 0 set:   the data is a frame whose CRC (and, for the keyed try,
 *                     tag) is recomputed first, so that mutations reach the
 *                     field checks behind the integrity checks;
 *   mode bit 1 set:   the data is a struct dvk_cmd image, seq, ack (u64 LE
 *                     each) and payload, handed to the encoder instead.
 * Every frame is decoded without a key and with FUZZ_KEY. Aborts when:
 * a result is not 0 or a known -wire_err; wire_frame_len() and wire_decode()
 * disagree; a decoded frame does not re-encode to the same bytes (canonical
 * encoding; a frame of another minor version differs only in its minor byte,
 * CRC and tag); an encoded command does not decode back to itself; or the
 * encoder accepts what wire_check_cmd() refuses.
 *
 * Built with -DFUZZ_WIRE_SEEDS instead, it is a program that writes a seed
 * corpus into the directory given as its argument (tests/fuzz/run-fuzz.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../proxies/wire.h"

#define MODE_FIX	0x1
#define MODE_ENCODE	0x2

static const struct wire_key fuzz_key = { { 0x44, 0x56, 0x53, 0x2d, 0x55, 0x4d, 0x4c, 0x20,
					    0x66, 0x75, 0x7a, 0x7a, 0x20, 0x6b, 0x65, 0x79 } };

#define ASSERT(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "fuzz_wire: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			abort();					\
		}							\
	} while (0)

static int known(int r)
{
	return r <= 0 && r > -WIRE_NR_ERRS && wire_strerror(r) != NULL;
}

/* Recompute the CRC and (with @key and the tag flag) the tag in place. */
static void fix_frame(uint8_t *f, size_t n, const struct wire_key *key)
{
	int tagged;
	size_t body;

	if (n < WIRE_LEN_PREFIX)
		return;
	tagged = wire_get32(f + 8) & WIRE_F_TAG;
	if (tagged && n < WIRE_TAG_LEN)
		return;
	body = n - (tagged ? WIRE_TAG_LEN : 0);
	if (body < 36)
		return;
	wire_put32(f + 32, 0);
	wire_put32(f + 32, wire_crc32c(0, f, body));
	if (tagged && key)
		wire_put64(f + body, wire_siphash24(key, f, body));
}

static void check_frame(const uint8_t *f, size_t n, const struct wire_key *key)
{
	static uint8_t again[WIRE_MAX_FRAME];
	struct dvk_cmd c, c2;
	const void *p, *p2;
	uint64_t seq, ack, seq2, ack2;
	size_t total = 0, t2;
	int r, d;

	r = wire_frame_len(f, n, &total);
	ASSERT(known(r));
	/* Every prefix agrees with the whole. */
	for (size_t k = 0; k <= n && k <= WIRE_LEN_PREFIX; k++) {
		int rk = wire_frame_len(f, k, &t2);

		ASSERT(rk == -WIRE_EINCOMPLETE || rk == r);
		ASSERT(rk != 0 || t2 == total);
		ASSERT(k < WIRE_LEN_PREFIX || rk == r);
	}
	d = wire_decode(f, n, &c, &p, &seq, &ack, key);
	ASSERT(known(d));
	if (r)
		ASSERT(d == r);
	else if (n < total)
		ASSERT(d == -WIRE_EINCOMPLETE);
	else if (n > total)
		ASSERT(d == -WIRE_ELENGTH);
	if (d)
		return;

	/* Accepted: canonical, and consistent with the command checks. */
	ASSERT(total == n);
	ASSERT(wire_check_cmd(&c) == 0);
	ASSERT(c.c_len ? p == f + WIRE_HDR_LEN : p == NULL);
	ASSERT(WIRE_FRAME_LEN(c.c_len, key != NULL) == n);
	ASSERT(wire_encode(again, sizeof(again), &c, p, seq, ack, key) == (ssize_t)n);
	if (f[5] == WIRE_VERSION_MINOR) {
		ASSERT(!memcmp(again, f, n));
	} else {
		size_t body = n - (key ? WIRE_TAG_LEN : 0);

		ASSERT(again[5] == WIRE_VERSION_MINOR);
		ASSERT(!memcmp(again, f, 5));
		ASSERT(!memcmp(again + 6, f + 6, 32 - 6));
		ASSERT(!memcmp(again + 36, f + 36, body - 36));
	}
	ASSERT(wire_decode(again, n, &c2, &p2, &seq2, &ack2, key) == 0);
	ASSERT(!memcmp(&c, &c2, sizeof(c)) && seq == seq2 && ack == ack2);
	ASSERT(!c.c_len || !memcmp(p, p2, c.c_len));
}

static void check_encode(const uint8_t *data, size_t size)
{
	static uint8_t f[WIRE_MAX_FRAME];
	struct dvk_cmd c, d;
	const uint8_t *pay;
	const void *p;
	uint64_t seq, ack, s, a;
	size_t rest;

	if (size < sizeof(c) + 16)
		return;
	memcpy(&c, data, sizeof(c));
	seq = wire_get64(data + sizeof(c));
	ack = wire_get64(data + sizeof(c) + 8);
	pay = data + sizeof(c) + 16;
	rest = size - sizeof(c) - 16;
	if (c.c_len > rest)	/* the encoder reads c_len bytes: give it no more */
		c.c_len = (uint32_t)rest;
	for (int keyed = 0; keyed < 2; keyed++) {
		const struct wire_key *key = keyed ? &fuzz_key : NULL;
		ssize_t n = wire_encode(f, sizeof(f), &c, pay, seq, ack, key);
		int chk = wire_check_cmd(&c);

		ASSERT(n > 0 || known((int)n));
		if (chk) {
			ASSERT(n == chk);
			continue;
		}
		if (n <= 0) {
			ASSERT(n == -WIRE_ESEQ);
			continue;
		}
		ASSERT((size_t)n == WIRE_FRAME_LEN(c.c_len, keyed));
		ASSERT(wire_decode(f, (size_t)n, &d, &p, &s, &a, key) == 0);
		ASSERT(!memcmp(&c, &d, sizeof(c)) && s == seq && a == ack);
		ASSERT(!c.c_len || !memcmp(p, pay, c.c_len));
		check_frame(f, (size_t)n, key);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t mode, *f;
	size_t n;

	if (size < 1)
		return 0;
	mode = data[0];
	data++;
	n = size - 1;
	if (mode & MODE_ENCODE) {
		check_encode(data, n);
		return 0;
	}
	f = malloc(n ? n : 1);	/* exactly n bytes: ASan sees any over-read */
	ASSERT(f);
	for (int keyed = 0; keyed < 2; keyed++) {
		const struct wire_key *key = keyed ? &fuzz_key : NULL;

		memcpy(f, data, n);
		if (mode & MODE_FIX)
			fix_frame(f, n, key);
		check_frame(f, n, key);
	}
	free(f);
	return 0;
}

#ifdef FUZZ_WIRE_SEEDS
/* The seed corpus: one frame of every command and ack, keyed and not,
 * in both frame modes, and a few encoder inputs. */
static int seed_no;

static int write_seed(const char *dir, uint8_t mode, const void *data, size_t n)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/seed-%03d", dir, seed_no++);
	fp = fopen(path, "wb");
	if (!fp || fwrite(&mode, 1, 1, fp) != 1 || (n && fwrite(data, 1, n, fp) != n) || fclose(fp)) {
		perror(path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static uint8_t f[WIRE_MAX_FRAME], pay[64];
	struct dvk_cmd c;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	for (size_t i = 0; i < sizeof(pay); i++)
		pay[i] = (uint8_t)(i * 37 + 11);
	for (uint32_t b = 0; b < DVK_NR_CMDS; b++)
		for (uint32_t ack = 0; ack <= DVK_CMD_ACK; ack += DVK_CMD_ACK) {
			uint32_t cmd = b | ack;
			int data = cmd == DVK_CMD_COPYIN_DATA;
			uint64_t seq = b == DVK_CMD_HELLO ? 0 : 1 + b;

			memset(&c, 0, sizeof(c));
			c.c_cmd = cmd;
			c.c_dcid = (int32_t)b;
			c.c_src = DVK_ENDPOINT(1, (int32_t)b);
			c.c_dst = DVK_ENDPOINT(2, -(int32_t)b);
			c.c_snode = 1;
			c.c_dnode = 2;
			c.c_rcode = ack ? -61 : 0;
			c.c_len = data ? (uint32_t)(sizeof(pay) - b) : 0;
			c.c_id = 1000 + b;
			c.c_timestamp = 1700000000000000000ull + b;
			c.c_vcopy.v_bytes = data ? c.c_len : 0;
			c.c_vcopy.v_rnode = (int16_t)(b & 3);
			c.c_vcopy.v_dnode = 2;
			c.c_flags = cmd == DVK_CMD_COPYIN_DATA ? DVK_CMDF_LAST : 0;
			c.c_msg.m_type = (int32_t)b;
			for (int keyed = 0; keyed < 2; keyed++) {
				ssize_t n = wire_encode(f, sizeof(f), &c, pay, seq, 7, keyed ? &fuzz_key : NULL);

				if (n <= 0) {
					fprintf(stderr, "seed %#x: %s\n", cmd, wire_strerror((int)n));
					return 1;
				}
				if (write_seed(argv[1], 0, f, (size_t)n) || write_seed(argv[1], MODE_FIX, f, (size_t)n))
					return 1;
			}
			if (b % 3 == 0) {
				uint8_t e[sizeof(c) + 16 + sizeof(pay)];

				memcpy(e, &c, sizeof(c));
				wire_put64(e + sizeof(c), seq);
				wire_put64(e + sizeof(c) + 8, 7);
				memcpy(e + sizeof(c) + 16, pay, c.c_len);
				if (write_seed(argv[1], MODE_ENCODE, e, sizeof(c) + 16 + c.c_len))
					return 1;
			}
		}
	return 0;
}
#endif
