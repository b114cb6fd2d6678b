// SPDX-License-Identifier: GPL-2.0
/*
 * The proxies' wire codec (docs/wire.md): frame layout and validation.
 * The CRC32C is the CPU's instruction (bitwise without it), the SipHash-2-4
 * tag libsodium's. No global mutable state.
 */
#include <pthread.h>
#include <string.h>
#include <sodium.h>
#include "wire.h"

/* ---- Frame layout (docs/wire.md); every field little-endian ------------ */

enum {
	OFF_MAGIC	= 0,	/* u32 WIRE_MAGIC ("DVSW") */
	OFF_MAJOR	= 4,	/* u8 WIRE_VERSION_MAJOR */
	OFF_MINOR	= 5,	/* u8 sender's WIRE_VERSION_MINOR */
	OFF_HDRLEN	= 6,	/* u16 WIRE_HDR_LEN */
	OFF_FLAGS	= 8,	/* u32 WIRE_F_* */
	OFF_PAYLEN	= 12,	/* u32 payload bytes = c_len */
	OFF_SEQ		= 16,	/* u64 sender's sequence number */
	OFF_ACK		= 24,	/* u64 highest seq received from the peer */
	OFF_CRC		= 32,	/* u32 CRC32C of header (this field 0) + payload */
	OFF_CMD		= 36,	/* u32 c_cmd */
	OFF_CFLAGS	= 40,	/* u32 c_flags: DVK_CMDF_LAST on COPYIN_DATA, else 0 */
	OFF_DCID	= 44,	/* s32 c_dcid */
	OFF_SRC		= 48,	/* s32 c_src */
	OFF_DST		= 52,	/* s32 c_dst */
	OFF_SNODE	= 56,	/* s32 c_snode */
	OFF_DNODE	= 60,	/* s32 c_dnode */
	OFF_RCODE	= 64,	/* s32 c_rcode */
	OFF_CPAD	= 68,	/* u32 c_pad, 0 */
	OFF_ID		= 72,	/* u64 c_id */
	OFF_TSTAMP	= 80,	/* u64 c_timestamp */
	OFF_VSRC	= 88,	/* s32 c_vcopy.v_src */
	OFF_VDST	= 92,	/* s32 c_vcopy.v_dst */
	OFF_VRQTR	= 96,	/* s32 c_vcopy.v_rqtr */
	OFF_VRNODE	= 100,	/* s16 c_vcopy.v_rnode */
	OFF_VDNODE	= 102,	/* s16 c_vcopy.v_dnode */
	OFF_VSADDR	= 104,	/* u64 c_vcopy.v_saddr */
	OFF_VDADDR	= 112,	/* u64 c_vcopy.v_daddr */
	OFF_VBYTES	= 120,	/* u64 c_vcopy.v_bytes */
	OFF_MSOURCE	= 128,	/* s32 c_msg.m_source */
	OFF_MTYPE	= 132,	/* s32 c_msg.m_type */
	OFF_MBODY	= 136,	/* 56 bytes c_msg.m_u, opaque */
	OFF_END		= 192
};

_Static_assert(OFF_END == WIRE_HDR_LEN, "header layout");
_Static_assert(OFF_MBODY + sizeof(((struct dvk_message *)0)->m_u) == OFF_END, "message body");
_Static_assert(WIRE_LEN_PREFIX == OFF_PAYLEN + 4, "length prefix");

/* Signed fields travel as their two's complement bit pattern. */
static int32_t gets32(const uint8_t *p)
{
	uint32_t u = wire_get32(p);

	return u <= INT32_MAX ? (int32_t)u : (int32_t)(u - 0x80000000u) + INT32_MIN;
}

/* A native little-endian 64-bit load of 8 possibly unaligned bytes. */
static uint64_t load_le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* ---- CRC32C ------------------------------------------------------------ */

/*
 * The CPU's crc32 instruction (SSE4.2) computes exactly this CRC: it keeps
 * the register un-inverted, so the standard pre- and post-inversion are ours.
 * Debian ships ISA-L only as a shared library and dvs-proxy is static, hence
 * the instruction. A CPU without it (QEMU's default TCG model, where the
 * host-VM tests run) gets slicing-by-8 over tables computed once from the
 * bitwise definition: a bitwise CRC alone halved the VM's copy rate.
 */
__attribute__((target("sse4.2")))
static uint32_t crc32c_sse42(uint32_t crc, const uint8_t *s, size_t n)
{
	uint64_t c = crc;

	for (; n >= 8; s += 8, n -= 8)
		c = __builtin_ia32_crc32di(c, load_le64(s));
	crc = (uint32_t)c;
	for (; n; s++, n--)
		crc = __builtin_ia32_crc32qi(crc, *s);
	return crc;
}

static uint32_t crc32c_table[8][256];
static pthread_once_t crc32c_once = PTHREAD_ONCE_INIT;

/* Table 0 is the bitwise CRC of each byte; table k that of the byte k zero bytes earlier. */
static void crc32c_tables(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c >> 1 ^ (c & 1 ? 0x82F63B78u : 0);
		crc32c_table[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int k = 1; k < 8; k++)
			crc32c_table[k][i] = crc32c_table[k - 1][i] >> 8 ^
					     crc32c_table[0][crc32c_table[k - 1][i] & 0xff];
}

static uint32_t crc32c_slice8(uint32_t crc, const uint8_t *s, size_t n)
{
	const uint32_t (*t)[256] = crc32c_table;

	pthread_once(&crc32c_once, crc32c_tables);
	for (; n >= 8; s += 8, n -= 8) {
		uint64_t v = load_le64(s) ^ crc;

		crc = t[7][v & 0xff] ^ t[6][v >> 8 & 0xff] ^ t[5][v >> 16 & 0xff] ^
		      t[4][v >> 24 & 0xff] ^ t[3][v >> 32 & 0xff] ^ t[2][v >> 40 & 0xff] ^
		      t[1][v >> 48 & 0xff] ^ t[0][v >> 56];
	}
	for (; n; s++, n--)
		crc = crc >> 8 ^ t[0][(crc ^ *s) & 0xff];
	return crc;
}

uint32_t wire_crc32c_soft(uint32_t crc, const void *p, size_t n)
{
	return n ? ~crc32c_slice8(~crc, p, n) : crc;
}

uint32_t wire_crc32c(uint32_t crc, const void *p, size_t n)
{
	if (!n)
		return crc;
	/* __builtin_cpu_supports reads data the compiler's runtime sets up once. */
	if (__builtin_cpu_supports("sse4.2"))
		return ~crc32c_sse42(~crc, p, n);
	return wire_crc32c_soft(crc, p, n);
}

/* ---- SipHash-2-4: libsodium's crypto_shorthash_siphash24 --------------- */

_Static_assert(crypto_shorthash_siphash24_KEYBYTES == sizeof(((struct wire_key *)0)->k), "key");
_Static_assert(crypto_shorthash_siphash24_BYTES == WIRE_TAG_LEN, "tag");

uint64_t wire_siphash24(const struct wire_key *key, const void *p, size_t n)
{
	uint8_t out[crypto_shorthash_siphash24_BYTES];

	/* The result is the paper's 64-bit value, stored little-endian. */
	crypto_shorthash_siphash24(out, p, n, key->k);
	return wire_get64(out);
}

/* ---- Errors ------------------------------------------------------------ */

#define WIRE_ERR_TEXT(name, text) [name] = text,
static const char *const wire_err_text[WIRE_NR_ERRS] = {
	[WIRE_OK] = "success",
	WIRE_ERRORS(WIRE_ERR_TEXT)
};
#undef WIRE_ERR_TEXT

const char *wire_strerror(int err)
{
	if (err < 0 && err > -WIRE_NR_ERRS)
		err = -err;
	if (err < 0 || err >= WIRE_NR_ERRS)
		return "unknown wire error";
	return wire_err_text[err];
}

/* ---- Validation -------------------------------------------------------- */

/* Only COPYIN_DATA carries data: v_bytes of it. */
static int carries_data(uint32_t cmd)
{
	return cmd == DVK_CMD_COPYIN_DATA;
}

/* HELLO and its ack are link frames: never sequenced. */
static int is_hello(uint32_t cmd)
{
	return (cmd & ~(uint32_t)DVK_CMD_ACK) == DVK_CMD_HELLO;
}

int wire_check_cmd(const struct dvk_cmd *c)
{
	if (!c)
		return -WIRE_EINVAL;
	if ((c->c_cmd & ~(uint32_t)DVK_CMD_ACK) >= DVK_NR_CMDS)
		return -WIRE_ECMD;
	if (c->c_flags & ~(c->c_cmd == DVK_CMD_COPYIN_DATA ? (uint32_t)DVK_CMDF_LAST : 0u))
		return -WIRE_ECMDFLAGS;
	if (c->c_pad)
		return -WIRE_ERESERVED;
	if (c->c_len > DVK_CMD_MAXPAYLOAD)
		return -WIRE_ETOOBIG;
	if (carries_data(c->c_cmd) ? c->c_len != c->c_vcopy.v_bytes : c->c_len != 0)
		return -WIRE_EPAYLOAD;
	if (c->c_snode < 0 || c->c_snode >= DVK_MAX_NODES ||
	    c->c_dnode < 0 || c->c_dnode >= DVK_MAX_NODES || c->c_snode == c->c_dnode ||
	    c->c_vcopy.v_rnode < 0 || c->c_vcopy.v_rnode >= DVK_MAX_NODES ||
	    c->c_vcopy.v_dnode < 0 || c->c_vcopy.v_dnode >= DVK_MAX_NODES)
		return -WIRE_ENODE;
	if (c->c_dcid < 0 || c->c_dcid >= DVK_MAX_DCS)
		return -WIRE_EDCID;
	return 0;
}

static int check_seq(uint32_t cmd, uint64_t seq)
{
	return (is_hello(cmd) ? seq != 0 : seq == 0) ? -WIRE_ESEQ : 0;
}

/* ---- Encoding ---------------------------------------------------------- */

ssize_t wire_encode(void *buf, size_t cap, const struct dvk_cmd *c, const void *payload,
		    uint64_t seq, uint64_t ack, const struct wire_key *key)
{
	uint8_t *p = buf;
	size_t body, total;
	int err;

	if (!c)
		return -WIRE_EINVAL;
	err = wire_check_cmd(c);
	if (!err)
		err = check_seq(c->c_cmd, seq);
	if (err)
		return err;
	if ((c->c_len && !payload) || !buf)
		return -WIRE_EINVAL;
	body = WIRE_HDR_LEN + (size_t)c->c_len;
	total = WIRE_FRAME_LEN(c->c_len, key != NULL);
	if (cap < total)
		return -WIRE_ENOSPC;

	wire_put32(p + OFF_MAGIC, WIRE_MAGIC);
	p[OFF_MAJOR] = WIRE_VERSION_MAJOR;
	p[OFF_MINOR] = WIRE_VERSION_MINOR;
	wire_put16(p + OFF_HDRLEN, WIRE_HDR_LEN);
	wire_put32(p + OFF_FLAGS, key ? WIRE_F_TAG : 0);
	wire_put32(p + OFF_PAYLEN, c->c_len);
	wire_put64(p + OFF_SEQ, seq);
	wire_put64(p + OFF_ACK, ack);
	wire_put32(p + OFF_CRC, 0);
	wire_put32(p + OFF_CMD, c->c_cmd);
	wire_put32(p + OFF_CFLAGS, c->c_flags);
	wire_put32(p + OFF_DCID, (uint32_t)c->c_dcid);
	wire_put32(p + OFF_SRC, (uint32_t)c->c_src);
	wire_put32(p + OFF_DST, (uint32_t)c->c_dst);
	wire_put32(p + OFF_SNODE, (uint32_t)c->c_snode);
	wire_put32(p + OFF_DNODE, (uint32_t)c->c_dnode);
	wire_put32(p + OFF_RCODE, (uint32_t)c->c_rcode);
	wire_put32(p + OFF_CPAD, c->c_pad);
	wire_put64(p + OFF_ID, c->c_id);
	wire_put64(p + OFF_TSTAMP, c->c_timestamp);
	wire_put32(p + OFF_VSRC, (uint32_t)c->c_vcopy.v_src);
	wire_put32(p + OFF_VDST, (uint32_t)c->c_vcopy.v_dst);
	wire_put32(p + OFF_VRQTR, (uint32_t)c->c_vcopy.v_rqtr);
	wire_put16(p + OFF_VRNODE, (uint16_t)c->c_vcopy.v_rnode);
	wire_put16(p + OFF_VDNODE, (uint16_t)c->c_vcopy.v_dnode);
	wire_put64(p + OFF_VSADDR, c->c_vcopy.v_saddr);
	wire_put64(p + OFF_VDADDR, c->c_vcopy.v_daddr);
	wire_put64(p + OFF_VBYTES, c->c_vcopy.v_bytes);
	wire_put32(p + OFF_MSOURCE, (uint32_t)c->c_msg.m_source);
	wire_put32(p + OFF_MTYPE, (uint32_t)c->c_msg.m_type);
	memcpy(p + OFF_MBODY, &c->c_msg.m_u, sizeof(c->c_msg.m_u));
	/* The payload may already be in place (read straight into the frame). */
	if (c->c_len && (const uint8_t *)payload != p + WIRE_HDR_LEN)
		memmove(p + WIRE_HDR_LEN, payload, c->c_len);

	wire_put32(p + OFF_CRC, wire_crc32c(0, p, body));
	if (key)
		wire_put64(p + body, wire_siphash24(key, p, body));
	return (ssize_t)total;
}

/* ---- Decoding ---------------------------------------------------------- */

int wire_frame_len(const void *buf, size_t have, size_t *total)
{
	unsigned long t;
	int r;

	if ((!buf && have) || !total)
		return -WIRE_EINVAL;
	r = dvk_frame_len(buf, have, &t);
	if (!r)
		*total = t;
	return r;
}

_Static_assert(WIRE_EINCOMPLETE == DVK_FRAME_EINCOMPLETE && WIRE_EMAGIC == DVK_FRAME_EMAGIC &&
	       WIRE_EVERSION == DVK_FRAME_EVERSION && WIRE_EHDRLEN == DVK_FRAME_EHDRLEN &&
	       WIRE_EFLAGS == DVK_FRAME_EFLAGS && WIRE_ETOOBIG == DVK_FRAME_ETOOBIG,
	       "wire_frame_len() returns dvk_frame_len()'s errors");

int wire_decode(const void *buf, size_t len, struct dvk_cmd *c, const void **payload,
		uint64_t *seq, uint64_t *ack, const struct wire_key *key)
{
	static const uint8_t zero[4];
	const uint8_t *p = buf;
	struct dvk_cmd d;
	size_t total, body;
	uint32_t crc;
	uint64_t s;
	int err, tagged;

	if (!c)
		return -WIRE_EINVAL;
	err = wire_frame_len(buf, len, &total);
	if (err)
		return err;
	if (len < total)
		return -WIRE_EINCOMPLETE;
	if (len > total)
		return -WIRE_ELENGTH;
	tagged = !!(wire_get32(p + OFF_FLAGS) & WIRE_F_TAG);
	body = total - (tagged ? WIRE_TAG_LEN : 0);

	crc = wire_crc32c(0, p, OFF_CRC);
	crc = wire_crc32c(crc, zero, sizeof(zero));
	crc = wire_crc32c(crc, p + OFF_CRC + 4, body - (OFF_CRC + 4));
	if (crc != wire_get32(p + OFF_CRC))
		return -WIRE_ECRC;
	if (key && !tagged)
		return -WIRE_ENOTAG;
	if (!key && tagged)
		return -WIRE_EUNEXPTAG;
	if (key && wire_siphash24(key, p, body) != wire_get64(p + body))
		return -WIRE_EMAC;

	memset(&d, 0, sizeof(d));
	d.c_cmd = wire_get32(p + OFF_CMD);
	d.c_flags = wire_get32(p + OFF_CFLAGS);
	d.c_dcid = gets32(p + OFF_DCID);
	d.c_src = gets32(p + OFF_SRC);
	d.c_dst = gets32(p + OFF_DST);
	d.c_snode = gets32(p + OFF_SNODE);
	d.c_dnode = gets32(p + OFF_DNODE);
	d.c_rcode = gets32(p + OFF_RCODE);
	d.c_len = wire_get32(p + OFF_PAYLEN);
	d.c_pad = wire_get32(p + OFF_CPAD);
	d.c_id = wire_get64(p + OFF_ID);
	d.c_timestamp = wire_get64(p + OFF_TSTAMP);
	d.c_vcopy.v_src = gets32(p + OFF_VSRC);
	d.c_vcopy.v_dst = gets32(p + OFF_VDST);
	d.c_vcopy.v_rqtr = gets32(p + OFF_VRQTR);
	d.c_vcopy.v_rnode = (int16_t)wire_get16(p + OFF_VRNODE);
	d.c_vcopy.v_dnode = (int16_t)wire_get16(p + OFF_VDNODE);
	d.c_vcopy.v_saddr = wire_get64(p + OFF_VSADDR);
	d.c_vcopy.v_daddr = wire_get64(p + OFF_VDADDR);
	d.c_vcopy.v_bytes = wire_get64(p + OFF_VBYTES);
	d.c_msg.m_source = gets32(p + OFF_MSOURCE);
	d.c_msg.m_type = gets32(p + OFF_MTYPE);
	memcpy(&d.c_msg.m_u, p + OFF_MBODY, sizeof(d.c_msg.m_u));
	s = wire_get64(p + OFF_SEQ);
	err = wire_check_cmd(&d);
	if (!err)
		err = check_seq(d.c_cmd, s);
	if (err)
		return err;

	*c = d;
	if (payload)
		*payload = d.c_len ? p + WIRE_HDR_LEN : NULL;
	if (seq)
		*seq = s;
	if (ack)
		*ack = wire_get64(p + OFF_ACK);
	return 0;
}
