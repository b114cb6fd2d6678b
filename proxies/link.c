// SPDX-License-Identifier: GPL-2.0
/* dvs-proxy's link handshake (link.h, docs/wire.md "Link handshake"). */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sodium.h>
#include "link.h"

#define LINK_R_LABEL(name, label, text) [name] = label,
#define LINK_R_TEXT(name, label, text) [name] = text,
static const char *const refusal_label[LR_NR] = { [LR_NONE] = "none", LINK_REFUSALS(LINK_R_LABEL) };
static const char *const refusal_text[LR_NR] = { [LR_NONE] = "accepted", LINK_REFUSALS(LINK_R_TEXT) };
#undef LINK_R_LABEL
#undef LINK_R_TEXT

const char *link_refusal_label(enum link_refusal r)
{
	return r >= 0 && r < LR_NR ? refusal_label[r] : "?";
}

const char *link_refusal_text(enum link_refusal r)
{
	return r >= 0 && r < LR_NR ? refusal_text[r] : "?";
}

enum link_refusal link_refusal_of_wire(int wire_err)
{
	int e = wire_err < 0 ? -wire_err : wire_err;

	return e == WIRE_ENOTAG || e == WIRE_EUNEXPTAG || e == WIRE_EMAC ? LR_BADTAG : LR_BADFRAME;
}

int64_t link_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- Keys ------------------------------------------------------------------ */

/* BLAKE2b keyed with the shared key over a 16-byte label and @msg. */
static void kdf(const struct link_secret *s, const char *label, const uint8_t *msg, size_t n,
		uint8_t *out, size_t outlen)
{
	crypto_generichash_state st;
	uint8_t l[16] = { 0 };

	memcpy(l, label, strnlen(label, sizeof(l)));
	crypto_generichash_init(&st, s->key, sizeof(s->key), outlen);
	crypto_generichash_update(&st, l, sizeof(l));
	if (n)
		crypto_generichash_update(&st, msg, n);
	crypto_generichash_final(&st, out, outlen);
	sodium_memzero(&st, sizeof(st));
}

int link_secret_init(struct link_secret *s, const uint8_t key[16])
{
	_Static_assert(sizeof(s->key) >= crypto_generichash_KEYBYTES_MIN, "BLAKE2b key");
	_Static_assert(sizeof(s->hello.k) >= crypto_generichash_BYTES_MIN, "BLAKE2b output");

	if (sodium_init() < 0)
		return -1;
	memcpy(s->key, key, sizeof(s->key));
	kdf(s, "DVS hello key", NULL, 0, s->hello.k, sizeof(s->hello.k));
	return 0;
}

void link_derive(const struct link_secret *s, int dialer, int acceptor,
		 const uint8_t nd[LINK_NONCE_LEN], const uint8_t na[LINK_NONCE_LEN],
		 struct wire_key *d2a, struct wire_key *a2d,
		 uint8_t proof_d[LINK_PROOF_LEN], uint8_t proof_a[LINK_PROOF_LEN])
{
	/* The transcript: both nodes in their roles, both fresh nonces. */
	uint8_t t[8 + 4 + 4 + 2 * LINK_NONCE_LEN];

	memcpy(t, "DVSLINK1", 8);
	wire_put32(t + 8, (uint32_t)dialer);
	wire_put32(t + 12, (uint32_t)acceptor);
	memcpy(t + 16, nd, LINK_NONCE_LEN);
	memcpy(t + 16 + LINK_NONCE_LEN, na, LINK_NONCE_LEN);
	kdf(s, "frames d>a", t, sizeof(t), d2a->k, sizeof(d2a->k));
	kdf(s, "frames a>d", t, sizeof(t), a2d->k, sizeof(a2d->k));
	kdf(s, "proof dialer", t, sizeof(t), proof_d, LINK_PROOF_LEN);
	kdf(s, "proof acceptor", t, sizeof(t), proof_a, LINK_PROOF_LEN);
}

/* ---- Frames with a deadline --------------------------------------------- */

/* Wait until @fd is readable before @deadline: 0, or -1 (*why LR_TIMEOUT or LR_CLOSED). */
static int wait_readable(int fd, int64_t deadline, enum link_refusal *why)
{
	struct pollfd pf = { .fd = fd, .events = POLLIN };

	for (;;) {
		int64_t left = deadline - link_now_ms();
		int r;

		if (left <= 0) {
			*why = LR_TIMEOUT;
			return -1;
		}
		r = poll(&pf, 1, (int)(left > 1000000 ? 1000000 : left));
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR) {
			*why = LR_CLOSED;
			return -1;
		}
	}
}

/* Exactly @n bytes of a stream. */
static int read_exact(int fd, uint8_t *buf, size_t n, int64_t deadline, enum link_refusal *why)
{
	while (n) {
		ssize_t r;

		if (wait_readable(fd, deadline, why))
			return -1;
		r = recv(fd, buf, n, MSG_DONTWAIT);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0) {
			*why = LR_CLOSED;
			return -1;
		}
		buf += r;
		n -= (size_t)r;
	}
	return 0;
}

ssize_t link_read_frame(const struct link_io *io, uint8_t *buf, size_t cap, int64_t deadline_ms,
			enum link_refusal *why)
{
	size_t total;

	if (io->packet) {
		for (;;) {
			ssize_t n;

			if (wait_readable(io->fd, deadline_ms, why))
				return -1;
			n = read(io->fd, buf, cap);
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0) {
				*why = n < 0 && errno == EMSGSIZE ? LR_BADFRAME : LR_CLOSED;
				return -1;
			}
			return n;
		}
	}
	if (cap < WIRE_HDR_LEN || read_exact(io->fd, buf, WIRE_HDR_LEN, deadline_ms, why))
		return -1;
	if (wire_frame_len(buf, WIRE_HDR_LEN, &total) || total > cap) {
		*why = LR_BADFRAME;
		return -1;
	}
	if (read_exact(io->fd, buf + WIRE_HDR_LEN, total - WIRE_HDR_LEN, deadline_ms, why))
		return -1;
	return (ssize_t)total;
}

int link_write_frame(const struct link_io *io, const uint8_t *buf, size_t len)
{
	while (len) {
		size_t n = io->piece && len > io->piece ? io->piece : len;
		ssize_t r = io->packet ? write(io->fd, buf, len) : send(io->fd, buf, n, MSG_NOSIGNAL);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || (io->packet && (size_t)r != len))
			return -1;
		buf += r;
		len -= (size_t)r;
	}
	return 0;
}

/* ---- The handshake -------------------------------------------------------- */

/* Handshake frames carry no payload: a header and maybe a tag. */
#define HS_FRAME	(WIRE_HDR_LEN + WIRE_TAG_LEN)

static enum link_refusal say(struct link_hs *hs, enum link_refusal r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum link_refusal say(struct link_hs *hs, enum link_refusal r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(hs->detail, sizeof(hs->detail), fmt, ap);
	va_end(ap);
	return r;
}

/* Send a HELLO (@cmd DVK_CMD_HELLO) or a proof (HELLO|ACK) carrying @body. */
static int send_hs(const struct link_io *io, const struct link_hs *hs, uint32_t cmd, int to,
		   const uint8_t body[32])
{
	struct dvk_cmd c;
	uint8_t buf[HS_FRAME];
	struct timespec ts;
	ssize_t n;

	memset(&c, 0, sizeof(c));
	clock_gettime(CLOCK_REALTIME, &ts);
	c.c_cmd = cmd;
	c.c_snode = hs->self;
	c.c_dnode = to;
	c.c_id = hs->incarnation;
	c.c_timestamp = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	c.c_msg.m_source = LINK_VERSION;
	c.c_msg.m_type = hs->secret ? LINK_HF_KEYED : 0;
	memcpy(&c.c_msg.m_u, body, 32);
	n = wire_encode(buf, sizeof(buf), &c, NULL, 0, 0, hs->secret ? &hs->secret->hello : NULL);
	return n < 0 ? -1 : link_write_frame(io, buf, (size_t)n);
}

/* Receive the handshake frame @cmd; its body into @body. */
static enum link_refusal recv_hs(const struct link_io *io, struct link_hs *hs, int64_t deadline,
				 uint32_t cmd, struct dvk_cmd *c, uint8_t body[32])
{
	const char *what = cmd == DVK_CMD_HELLO ? "HELLO" : "proof";
	uint8_t buf[HS_FRAME];
	enum link_refusal why;
	ssize_t n = link_read_frame(io, buf, sizeof(buf), deadline, &why);
	int r;

	if (n < 0)
		return say(hs, why, "waiting for the %s: %s", what, link_refusal_text(why));
	r = wire_decode(buf, (size_t)n, c, NULL, NULL, NULL, hs->secret ? &hs->secret->hello : NULL);
	if (r < 0)
		return say(hs, link_refusal_of_wire(r), "%s: %s", what, wire_strerror(r));
	if (c->c_cmd != cmd)
		return say(hs, LR_NOTHELLO, "got command %#x instead of the %s", c->c_cmd, what);
	if (c->c_msg.m_source != LINK_VERSION ||
	    (c->c_msg.m_type & LINK_HF_KEYED) != (hs->secret ? LINK_HF_KEYED : 0))
		return say(hs, LR_MODE, "%s of handshake version %d, %s (we: version %d, %s)", what,
			   c->c_msg.m_source, c->c_msg.m_type & LINK_HF_KEYED ? "keyed" : "unkeyed",
			   LINK_VERSION, hs->secret ? "keyed" : "unkeyed");
	memcpy(body, &c->c_msg.m_u, 32);
	return LR_NONE;
}

enum link_refusal link_handshake(const struct link_io *io, struct link_hs *hs)
{
	int64_t deadline = link_now_ms() + hs->timeout_ms;
	uint8_t mine[LINK_NONCE_LEN], theirs[LINK_NONCE_LEN], proof_d[LINK_PROOF_LEN];
	uint8_t proof_a[LINK_PROOF_LEN], got[LINK_PROOF_LEN];
	struct wire_key d2a, a2d;
	enum link_refusal r;
	struct dvk_cmd c;
	int dialer, acceptor;

	hs->detail[0] = 0;
	hs->peer_node = -1;
	memset(&hs->keys, 0, sizeof(hs->keys));
	randombytes_buf(mine, sizeof(mine));
	if (hs->role == LINK_DIALER) {
		if (send_hs(io, hs, DVK_CMD_HELLO, hs->peer, mine))
			return say(hs, LR_CLOSED, "cannot send the HELLO");
		r = recv_hs(io, hs, deadline, DVK_CMD_HELLO, &c, theirs);
		if (r)
			return r;
		if (c.c_snode != hs->peer || c.c_dnode != hs->self)
			return say(hs, LR_NODE, "HELLO from node %d to node %d, expected %d to %d",
				   c.c_snode, c.c_dnode, hs->peer, hs->self);
		dialer = hs->self;
		acceptor = hs->peer;
	} else {
		r = recv_hs(io, hs, deadline, DVK_CMD_HELLO, &c, theirs);
		if (r)
			return r;
		if (c.c_dnode != hs->self || (hs->peer >= 0 && c.c_snode != hs->peer))
			return say(hs, LR_NODE, "HELLO from node %d to node %d: not a peer of node %d",
				   c.c_snode, c.c_dnode, hs->self);
		hs->peer_node = c.c_snode;	/* claimed; proved below when keyed */
		r = hs->check ? hs->check(hs->ctx, io->fd, c.c_snode, hs->detail, sizeof(hs->detail)) :
				LR_NONE;
		if (r && !hs->detail[0])
			say(hs, r, "HELLO from node %d: %s", c.c_snode, link_refusal_text(r));
		if (r)
			return r;
		if (send_hs(io, hs, DVK_CMD_HELLO, c.c_snode, mine))
			return say(hs, LR_CLOSED, "cannot send the HELLO");
		dialer = c.c_snode;
		acceptor = hs->self;
	}
	hs->peer_incarnation = c.c_id;
	if (!hs->secret) {
		hs->peer_node = hs->role == LINK_DIALER ? acceptor : dialer;
		return LR_NONE;
	}
	link_derive(hs->secret, dialer, acceptor, hs->role == LINK_DIALER ? mine : theirs,
		    hs->role == LINK_DIALER ? theirs : mine, &d2a, &a2d, proof_d, proof_a);
	if (hs->role == LINK_DIALER) {
		r = recv_hs(io, hs, deadline, DVK_CMD_HELLO | DVK_CMD_ACK, &c, got);
		if (r)
			return r;
		if (c.c_snode != acceptor || c.c_dnode != dialer)
			return say(hs, LR_NODE, "proof from node %d to node %d", c.c_snode, c.c_dnode);
		if (sodium_memcmp(got, proof_a, sizeof(got)))
			return say(hs, LR_PROOF, "node %d's proof does not match", acceptor);
		if (send_hs(io, hs, DVK_CMD_HELLO | DVK_CMD_ACK, acceptor, proof_d))
			return say(hs, LR_CLOSED, "cannot send the proof");
		hs->keys.tx = d2a;
		hs->keys.rx = a2d;
	} else {
		if (send_hs(io, hs, DVK_CMD_HELLO | DVK_CMD_ACK, dialer, proof_a))
			return say(hs, LR_CLOSED, "cannot send the proof");
		r = recv_hs(io, hs, deadline, DVK_CMD_HELLO | DVK_CMD_ACK, &c, got);
		if (r)
			return r;
		if (c.c_snode != dialer || c.c_dnode != acceptor)
			return say(hs, LR_NODE, "proof from node %d to node %d", c.c_snode, c.c_dnode);
		if (sodium_memcmp(got, proof_d, sizeof(got)))
			return say(hs, LR_PROOF, "node %d's proof does not match", dialer);
		hs->keys.tx = a2d;
		hs->keys.rx = d2a;
	}
	hs->keys.keyed = true;
	hs->peer_node = hs->role == LINK_DIALER ? acceptor : dialer;
	sodium_memzero(proof_d, sizeof(proof_d));
	sodium_memzero(proof_a, sizeof(proof_a));
	return LR_NONE;
}
