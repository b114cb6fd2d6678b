/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvs-proxy's link set-up (docs/wire.md, "Link handshake"): the HELLO
 * exchange every connection begins with, the keyed challenge-response and
 * the per-connection frame keys, and the reasons a connection or frame is
 * refused. The dialer speaks first; the acceptor learns from the dialer's
 * HELLO which peer it is. Keyed, each side proves it holds the shared key
 * over both sides' fresh nonces and node ids, and each direction of the
 * connection gets its own SipHash key derived from the same: nothing of
 * one connection is accepted on another. Cryptography is libsodium's.
 */
#ifndef DVS_PROXIES_LINK_H
#define DVS_PROXIES_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "wire.h"

#define LINK_VERSION	1	/* HELLO m_source: this handshake's version */
#define LINK_HF_KEYED	0x1	/* HELLO m_type: the sender uses a key */
#define LINK_NONCE_LEN	32	/* HELLO m_body bytes 0..31 */
#define LINK_PROOF_LEN	32	/* HELLO|ACK m_body bytes 0..31 */

/*
 * X(name, label, text): why a connection or a frame was refused. The label
 * is what the counters print (SIGUSR1, exit), the text what the log says.
 */
#define LINK_REFUSALS(X)							\
	X(LR_TIMEOUT,	"timeout",	"no complete handshake within the deadline")	\
	X(LR_CLOSED,	"closed",	"connection closed during the handshake")	\
	X(LR_BADFRAME,	"bad-frame",	"a frame that does not decode")			\
	X(LR_BADTAG,	"bad-tag",	"bad or missing authentication tag (wrong key, replayed or forged)") \
	X(LR_NOTHELLO,	"not-hello",	"the handshake expected a HELLO")		\
	X(LR_MODE,	"mode",		"handshake version or keyed/unkeyed mismatch")	\
	X(LR_NODE,	"node",		"HELLO from or to a node that is not this link's") \
	X(LR_DIAL,	"direction",	"the peer dialed but this node dials it (lower node id dials)") \
	X(LR_ADDR,	"address",	"unkeyed connection from an address not configured for the peer") \
	X(LR_PROOF,	"bad-proof",	"handshake proof mismatch (wrong key or replayed handshake)") \
	X(LR_BUSY,	"busy",		"too many handshakes pending")			\
	X(LR_UID,	"uid",		"bridge peer of a uid other than the instance directory's owner") \
	X(LR_SEQ,	"sequence",	"frames out of sequence on a live link")	\
	X(LR_FOREIGN,	"foreign",	"a frame from a node this link does not serve") \
	X(LR_KERNEL,	"kernel",	"a command the kernel refused (by kind in /proc/dvs/refused)")

#define LINK_R_ENUM(name, label, text) name,
enum link_refusal { LR_NONE = 0, LINK_REFUSALS(LINK_R_ENUM) LR_NR };
#undef LINK_R_ENUM

const char *link_refusal_label(enum link_refusal r);
const char *link_refusal_text(enum link_refusal r);
/* The refusal for a wire_decode() error: LR_BADTAG for the tag's, else LR_BADFRAME. */
enum link_refusal link_refusal_of_wire(int wire_err);

/* The shared key of --key, and what is derived from it once. */
struct link_secret {
	uint8_t key[16];
	struct wire_key hello;		/* tags the HELLOs that open a connection */
};

/* Derive @s from a 16-byte shared key. 0, or -1 if libsodium cannot start. */
int link_secret_init(struct link_secret *s, const uint8_t key[16]);

/* A live connection's frame keys (keyed links), one per direction. */
struct link_keys {
	bool keyed;
	struct wire_key tx, rx;
};

enum link_role { LINK_DIALER, LINK_ACCEPTOR };

/* How the handshake reaches the other side: a stream (TCP, TIPC) or a bridge (one frame per read). */
struct link_io {
	int fd;
	bool packet;			/* a bridge: one read or write is one frame */
	size_t piece;			/* streams: largest single send (0: any) */
};

/*
 * The acceptor's judgement of a dialer's HELLO (@node, from its c_snode) on
 * connection @fd: LR_NONE to go on, else the refusal, with what was wrong
 * in @detail (or left empty). @ctx is the caller's.
 */
typedef enum link_refusal (*link_check_fn)(void *ctx, int fd, int node, char *detail, size_t len);

struct link_hs {
	int self;			/* this node */
	int peer;			/* the dialer's expected peer; the acceptor's: -1 (any) or one */
	enum link_role role;
	const struct link_secret *secret;	/* NULL: unkeyed */
	uint64_t incarnation;		/* HELLO c_id, for the logs */
	int timeout_ms;			/* the whole handshake's deadline */
	link_check_fn check;		/* acceptor: may refuse the claimed node (NULL: any) */
	void *ctx;
	/* Results. */
	int peer_node;			/* the node the other side proved (or said, unkeyed) */
	uint64_t peer_incarnation;
	struct link_keys keys;
	char detail[160];		/* on refusal: what happened, for the log */
};

/*
 * Run the handshake on @io as @hs->role. LR_NONE: the connection is the
 * link to hs->peer_node, with hs->keys; else the refusal (hs->detail says
 * more). Reads exactly the handshake's frames: whatever follows stays
 * unread. Never takes longer than hs->timeout_ms.
 */
enum link_refusal link_handshake(const struct link_io *io, struct link_hs *hs);

/*
 * One whole frame from @io before @deadline_ms (CLOCK_MONOTONIC, ms):
 * its length, or -1 with *why set (LR_TIMEOUT, LR_CLOSED, LR_BADFRAME).
 * Streams are read exactly up to the frame's end.
 */
ssize_t link_read_frame(const struct link_io *io, uint8_t *buf, size_t cap, int64_t deadline_ms,
			enum link_refusal *why);

/* Write one encoded frame: 0 or -1. */
int link_write_frame(const struct link_io *io, const uint8_t *buf, size_t len);

/* CLOCK_MONOTONIC in milliseconds. */
int64_t link_now_ms(void);

/* Derivations, exposed for the tests: transcript -> keys and proofs. */
void link_derive(const struct link_secret *s, int dialer, int acceptor,
		 const uint8_t nd[LINK_NONCE_LEN], const uint8_t na[LINK_NONCE_LEN],
		 struct wire_key *d2a, struct wire_key *a2d,
		 uint8_t proof_d[LINK_PROOF_LEN], uint8_t proof_a[LINK_PROOF_LEN]);

#endif /* DVS_PROXIES_LINK_H */
