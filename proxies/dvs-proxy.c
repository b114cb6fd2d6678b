// SPDX-License-Identifier: GPL-2.0
/*
 * dvs-proxy: links this DVS node to other nodes. For every peer node it
 * runs a sender thread (get2rmt -> frame -> the link) and a receiver thread
 * (frames from the link -> put2lcl), registered with the kernel as that
 * node's proxy pair. Both share the peer's one link: a two-way connection,
 * so its directions live and die together (docs/wire.md, "Links").
 *
 * A link starts with the handshake of link.h. Over TCP or TIPC the peer
 * with the lower node id dials (a dialer thread per such peer, retrying
 * every half second); the other side's accept loop runs each handshake in
 * a thread of its own, with a deadline. Over a UML guest's bridge the
 * guest's end dials and the host's end (--umid) accepts, after checking
 * the connecting process's uid. Only a connection whose handshake
 * succeeded becomes the link, replacing the one before it. A link that is
 * silent for the dead time, or that carries a frame that does not decode
 * (on a stream; a bridge refuses the frame and goes on), is dropped, and
 * the kernel wakes every caller waiting on that node with EDVSNOTCONN.
 * Nothing is resent; the dialer dials again.
 *
 * Refused connections and frames are counted per peer and reason and
 * logged at most once a second per peer (refusal.h); SIGUSR1 prints the
 * counters, and so does SIGTERM or SIGINT before the proxy dies of it.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sodium.h>
#include <dvk/libdvk.h>
#include "acceptor.h"
#include "bridge.h"
#include "link.h"
#include "refusal.h"
#include "transport.h"
#include "wire.h"

struct proxy;

enum link_kind {
	LINK_STREAM,			/* TCP or TIPC: one connection, both ways */
	LINK_UMLHOST,			/* the host's end of a UML guest's bridge */
	LINK_UMLDEV,			/* a UML guest's /dev/umlXX */
};

struct peer {
	struct proxy *px;
	int node;
	uint32_t nodes;			/* it and the nodes behind it (--via) */
	char name[DVK_NAME_LEN];
	enum link_kind kind;
	struct xport_addr addr;		/* LINK_STREAM: where it is */
	struct bridge_listener bl;	/* LINK_UMLHOST */
	int devfd;			/* LINK_UMLDEV: /dev/umlXX */
	pthread_t sender, receiver, helper;	/* helper: the dialer or the bridge listener */
	pid_t stid, rtid;
	/*
	 * lock guards the hand-over (pending_*, taking) and, with wlock, the
	 * live link (dfd, dgen, keys): those change only with both held
	 * (wlock first), so a writer holding wlock sees a stable link.
	 */
	pthread_mutex_t lock, wlock;
	pthread_cond_t cond;
	int pending_fd;			/* an established connection for the receiver */
	struct link_keys pending_keys;
	bool taking;			/* the receiver is making it the link */
	int dfd;			/* the live link, or -1 */
	unsigned int dgen;		/* bumped for every new link */
	unsigned int sgen;		/* the link the sender has told the kernel is up */
	struct link_keys keys;
	_Atomic unsigned long long delivered;	/* frames put2lcl took, this link */
	struct refusals ref;
};

struct proxy {
	int node;			/* this node */
	enum xport transport;		/* of --peer links: tcp or tipc */
	bool uml;			/* --transport uml: the peer is over /dev/umlXX */
	const char *uml_dir;		/* where UML instances keep their sockets */
	struct xport_addr listen;
	struct link_secret secret;
	bool keyed;
	int heartbeat_ms, dead_ms, handshake_ms, max_pending;
	int dcs[DVK_MAX_DCS], ndcs;
	struct peer peers[DVK_MAX_NODES];
	int npeers;
	struct refusals unknown;	/* connections that never said which peer they are */
	uint64_t incarnation;
	pthread_mutex_t start_lock;
	pthread_cond_t start_cond;
	int started;			/* threads that reported their tid */
	bool go;			/* the pairs are bound: run */
	bool quiet;
};

static void plog(const struct peer *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void plog(const struct peer *p, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (p && p->px->quiet)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (p)
		fprintf(stderr, "dvs-proxy: node %d (%s): %s\n", p->node, p->name, line);
	else
		fprintf(stderr, "dvs-proxy: %s\n", line);
}

static const char *errname(int code)
{
	const char *n = dvk_errname(code);

	return n ? n : "?";
}

static void dvk_warn(const struct peer *p, const char *call, int code)
{
	plog(p, "%s: %s (%s %d)", call, dvk_strerror(code), errname(code), code);
}

/* Each thread reports its tid, then waits until main has bound the pairs. */
static void thread_started(struct proxy *px, pid_t *tid)
{
	pthread_mutex_lock(&px->start_lock);
	*tid = (pid_t)syscall(SYS_gettid);
	px->started++;
	pthread_cond_broadcast(&px->start_cond);
	while (!px->go)
		pthread_cond_wait(&px->start_cond, &px->start_lock);
	pthread_mutex_unlock(&px->start_lock);
}

static struct link_io link_io_of(const struct peer *p, int fd)
{
	struct link_io io = { .fd = fd, .packet = p->kind != LINK_STREAM };

	if (p->kind == LINK_STREAM && p->addr.type == XPORT_TIPC)
		io.piece = XPORT_TIPC_PIECE;
	return io;
}

/* The handshake's settings for @p in @role. */
static struct link_hs hs_of(const struct peer *p, enum link_role role)
{
	struct link_hs hs = {
		.self = p->px->node, .peer = p->node, .role = role,
		.secret = p->px->keyed ? &p->px->secret : NULL,
		.incarnation = p->px->incarnation, .timeout_ms = p->px->handshake_ms,
	};

	return hs;
}

/* ---- The live link ----------------------------------------------------- */

/* An established connection for @p: it replaces the live link, if any. */
static void hand_over(struct peer *p, int fd, const struct link_keys *keys)
{
	pthread_mutex_lock(&p->lock);
	if (p->pending_fd >= 0)
		close(p->pending_fd);
	p->pending_fd = fd;
	p->pending_keys = *keys;
	if (p->dfd >= 0 && p->kind != LINK_UMLDEV)
		shutdown(p->dfd, SHUT_RDWR);	/* the peer linked again: the old one is dead */
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

/* Make @fd the live link (or, @fd -1, none). */
static void set_link(struct peer *p, int fd, const struct link_keys *keys)
{
	pthread_mutex_lock(&p->wlock);
	pthread_mutex_lock(&p->lock);
	p->dfd = fd;
	if (fd >= 0) {
		p->keys = *keys;
		p->dgen++;
	}
	p->taking = false;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	pthread_mutex_unlock(&p->wlock);
}

/*
 * Take link generation @gen down both ways, if it is still the current one:
 * its receiver sees the end and the link is made anew. (/dev/umlXX cannot
 * be shut down: its receiver ends the link when the kernel refuses it.)
 */
static void link_cut(struct peer *p, unsigned int gen)
{
	pthread_mutex_lock(&p->wlock);
	if (p->dfd >= 0 && p->dgen == gen && p->kind != LINK_UMLDEV)
		shutdown(p->dfd, SHUT_RDWR);
	pthread_mutex_unlock(&p->wlock);
}

/*
 * Write one encoded frame on link generation @gen: 0, or -1 (that link is
 * gone; a failed write takes it down both ways).
 */
static int link_write(struct peer *p, unsigned int gen, const uint8_t *buf, size_t n)
{
	int r = -1;

	pthread_mutex_lock(&p->wlock);
	if (p->dfd >= 0 && p->dgen == gen) {
		struct link_io io = link_io_of(p, p->dfd);

		r = link_write_frame(&io, buf, n);
	}
	pthread_mutex_unlock(&p->wlock);
	if (r)
		link_cut(p, gen);
	return r;
}

/* ---- Sending ----------------------------------------------------------- */

/*
 * Send @c as frame @seq; a copy chunk's data already lies in @buf after the
 * header. 0 (sent), 1 (not encodable: skipped, @seq not used) or -1 (the
 * link failed).
 */
static int send_frame(struct peer *p, unsigned int gen, const struct link_keys *keys,
		      uint8_t *buf, const struct dvk_cmd *c, uint64_t seq)
{
	ssize_t n = wire_encode(buf, WIRE_MAX_FRAME, c, c->c_len ? buf + WIRE_HDR_LEN : NULL, seq,
				atomic_load(&p->delivered), keys->keyed ? &keys->tx : NULL);

	if (n < 0) {
		plog(p, "cannot encode %#x for node %d: %s", c->c_cmd, c->c_dnode,
		     wire_strerror((int)n));
		return 1;	/* the kernel gave us something invalid: skip it */
	}
	return link_write(p, gen, buf, (size_t)n);
}

/* The heartbeat: a HELLO with nothing in it, under the link's key. */
static int send_heartbeat(struct peer *p, unsigned int gen, const struct link_keys *keys,
			  uint8_t *buf)
{
	struct dvk_cmd h = {
		.c_cmd = DVK_CMD_HELLO, .c_snode = p->px->node, .c_dnode = p->node,
		.c_id = p->px->incarnation, .c_timestamp = (uint64_t)time(NULL) * 1000000000ull,
	};

	return send_frame(p, gen, keys, buf, &h, 0) ? -1 : 0;
}

/* One link's sending side: the kernel's commands until the link fails. */
static void run_sender(struct peer *p, unsigned int gen, const struct link_keys *keys,
		       uint8_t *buf)
{
	uint64_t seq = 0;
	int r;

	r = dvk_proxy_conn(p->node, DVK_CONNECT_SPROXY);
	if (r < 0)
		dvk_warn(p, "proxy_conn", r);
	pthread_mutex_lock(&p->lock);
	p->sgen = gen;		/* the receiver may read now: answers can go out */
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	for (;;) {
		struct dvk_cmd c;

		/* The kernel writes a copy chunk where the frame carries it. */
		r = dvk_get2rmt_T(&c, buf + WIRE_HDR_LEN, p->px->heartbeat_ms);
		if (r == EDVSTIMEDOUT) {
			if (send_heartbeat(p, gen, keys, buf))
				break;
			continue;
		}
		if (r == EDVSINTR)
			continue;
		if (r < 0) {
			if (r != EDVSNOTCONN)
				dvk_warn(p, "get2rmt", r);
			usleep(200 * 1000);
			break;
		}
		r = send_frame(p, gen, keys, buf, &c, seq + 1);
		if (r < 0)
			break;
		if (r == 0)
			seq++;
	}
	/* Both directions go together (e.g. the kernel dropped a link whose peer reads nothing). */
	link_cut(p, gen);
	dvk_proxy_conn(p->node, DVK_DISCONNECT_SPROXY);
}

static void *sender_main(void *arg)
{
	struct peer *p = arg;
	uint8_t *buf = malloc(WIRE_MAX_FRAME);
	unsigned int gen = 0;

	thread_started(p->px, &p->stid);
	if (!buf) {
		plog(p, "out of memory");
		return NULL;
	}
	for (;;) {
		struct link_keys keys;

		pthread_mutex_lock(&p->lock);
		while (p->dfd < 0 || p->dgen == gen)
			pthread_cond_wait(&p->cond, &p->lock);
		gen = p->dgen;
		keys = p->keys;
		pthread_mutex_unlock(&p->lock);
		run_sender(p, gen, &keys, buf);
	}
	return NULL;
}

/* ---- Receiving ----------------------------------------------------------- */

/*
 * How a receiver gets its frames: the next one in *c (payload in
 * *payload, valid until the next call). 0, 1 (a bad frame, refused: go
 * on), or -1 with the reason in *why (the link is gone).
 */
struct frame_source {
	int fd;
	struct xport_rbuf rb;		/* LINK_STREAM */
	uint8_t *frame;			/* a bridge's frame buffer */
	const struct wire_key *key;	/* the link's receiving key, or NULL */
};

static int next_frame(struct peer *p, struct frame_source *src, struct dvk_cmd *c,
		      const void **payload, uint64_t *seq, const char **why)
{
	struct xport_rbuf *rb = &src->rb;
	size_t total;
	uint64_t ack;
	ssize_t n;
	int r;

	if (p->kind != LINK_STREAM) {
		n = bridge_read(src->fd, src->frame, WIRE_MAX_FRAME, p->px->dead_ms);
		if (n <= 0) {
			*why = n == -ETIMEDOUT ? "silent for the dead time" :
			       n == -ENOTCONN ? "the bridge lost its link" : "the bridge closed";
			return -1;
		}
		r = wire_decode(src->frame, (size_t)n, c, payload, seq, &ack, src->key);
		if (r < 0) {
			char d[160];

			snprintf(d, sizeof(d), "a frame of %zd bytes: %s", n, wire_strerror(r));
			refusals_note(&p->ref, link_refusal_of_wire(r), d);
			return 1;
		}
		return 0;
	}
	if (xport_fill(src->fd, rb, WIRE_LEN_PREFIX)) {
		*why = errno == ETIMEDOUT ? "silent for the dead time" : "connection closed";
		return -1;
	}
	r = wire_frame_len(rb->buf + rb->head, WIRE_LEN_PREFIX, &total);
	if (r < 0) {
		*why = wire_strerror(r);
		refusals_note(&p->ref, LR_BADFRAME, *why);
		return -1;
	}
	if (total > rb->cap) {
		*why = "frame too big here";
		return -1;
	}
	if (xport_fill(src->fd, rb, total)) {
		*why = errno == ETIMEDOUT ? "silent mid-frame for the dead time" :
					    "connection closed mid-frame";
		return -1;
	}
	r = wire_decode(rb->buf + rb->head, total, c, payload, seq, &ack, src->key);
	rb->head += total;
	if (r < 0) {
		*why = wire_strerror(r);
		refusals_note(&p->ref, link_refusal_of_wire(r), *why);
		return -1;
	}
	return 0;
}

/* One link's receiving side: frames into the kernel until the link goes. */
static void run_receiver(struct peer *p, struct frame_source *src)
{
	const char *why = NULL;
	uint64_t last = 0, seq;
	int r;

	atomic_store(&p->delivered, 0);
	r = dvk_proxy_conn(p->node, DVK_CONNECT_RPROXY);
	if (r < 0)
		dvk_warn(p, "proxy_conn", r);
	while (!why) {
		const void *payload;
		struct dvk_cmd c;

		r = next_frame(p, src, &c, &payload, &seq, &why);
		if (r < 0)
			break;
		if (r > 0)
			continue;
		if (c.c_snode < 0 || c.c_snode >= DVK_MAX_NODES || !(p->nodes & 1u << c.c_snode)) {
			why = "a frame from a node this link does not serve";
			refusals_note(&p->ref, LR_FOREIGN, why);
			break;
		}
		if (c.c_cmd == DVK_CMD_HELLO || c.c_cmd == (DVK_CMD_HELLO | DVK_CMD_ACK))
			continue;
		if (seq != last + 1) {
			why = "frames out of sequence";
			refusals_note(&p->ref, LR_SEQ, why);
			break;
		}
		last = seq;
		atomic_store(&p->delivered, seq);
		r = dvk_put2lcl(&c, payload);
		if (r == EDVSNOTCONN) {
			why = "the kernel took the link down";
			break;
		}
		/*
		 * A rejected request is answered by the kernel; stale acks are
		 * normal. A peer can send refused commands as fast as it likes:
		 * counted, and summarised once a second, never a line each.
		 */
		if (r < 0 && r != EDVSACKSRC && r != EDVSACKDST) {
			char d[160];

			snprintf(d, sizeof(d), "command %#x from endpoint %d: %s (%s %d)", c.c_cmd,
				 c.c_src, dvk_strerror(r), errname(r), r);
			refusals_note(&p->ref, LR_KERNEL, d);
		}
	}
	plog(p, "link down (%s)", why);
	/* One link carries both directions: both go down together. */
	dvk_proxy_conn(p->node, DVK_DISCONNECT_RPROXY);
	dvk_proxy_conn(p->node, DVK_DISCONNECT_SPROXY);
}

/*
 * Wait until /dev/umlXX has a link. The device links again only after its
 * reader has taken the loss (ENOTCONN) of the last one, and whatever that
 * link left unread before it: both are dropped here.
 */
static void device_wait_link(int fd, uint8_t *buf)
{
	for (;;) {
		struct pollfd pf = { .fd = fd, .events = POLLIN | POLLOUT };

		if (poll(&pf, 1, -1) < 0)
			continue;
		if (pf.revents & POLLOUT)
			return;
		if (pf.revents & POLLIN && read(fd, buf, WIRE_MAX_FRAME) < 0 && errno != ENOTCONN)
			usleep(100 * 1000);
	}
}

/* The guest's end of a bridge: wait for the device's link, then the handshake. */
static int next_device_link(struct peer *p, struct link_keys *keys, uint8_t *buf)
{
	for (;;) {
		struct link_io io = link_io_of(p, p->devfd);
		struct link_hs hs = hs_of(p, LINK_DIALER);
		enum link_refusal r;

		device_wait_link(p->devfd, buf);
		r = link_handshake(&io, &hs);
		if (r == LR_NONE) {
			*keys = hs.keys;
			return p->devfd;
		}
		refusals_note(&p->ref, r, hs.detail);
		usleep(500 * 1000);
	}
}

static void *receiver_main(void *arg)
{
	struct peer *p = arg;
	struct frame_source src = { .fd = -1 };

	/* A stream: room for a whole frame after a partial one; a bridge: one frame. */
	if (p->kind == LINK_STREAM) {
		src.rb.cap = 2 * WIRE_MAX_FRAME;
		src.rb.buf = malloc(src.rb.cap);
	} else {
		src.frame = malloc(WIRE_MAX_FRAME);
	}
	thread_started(p->px, &p->rtid);
	if (p->kind == LINK_STREAM ? !src.rb.buf : !src.frame) {
		plog(p, "out of memory");
		return NULL;
	}
	for (;;) {
		struct link_keys keys;
		unsigned int gen;

		if (p->kind == LINK_UMLDEV) {
			src.fd = next_device_link(p, &keys, src.frame);
		} else {
			pthread_mutex_lock(&p->lock);
			while (p->pending_fd < 0)
				pthread_cond_wait(&p->cond, &p->lock);
			src.fd = p->pending_fd;
			keys = p->pending_keys;
			p->pending_fd = -1;
			p->taking = true;
			pthread_mutex_unlock(&p->lock);
		}
		set_link(p, src.fd, &keys);
		/*
		 * Read nothing before the sender has said the link is up: the
		 * kernel's answer to a first request would find no way out.
		 */
		pthread_mutex_lock(&p->lock);
		gen = p->dgen;
		while (p->sgen != gen)
			pthread_cond_wait(&p->cond, &p->lock);
		pthread_mutex_unlock(&p->lock);
		src.key = keys.keyed ? &keys.rx : NULL;
		src.rb.head = src.rb.tail = 0;
		if (p->kind == LINK_STREAM)
			xport_set_silence(src.fd, p->px->dead_ms);
		plog(p, "linked (%s)", keys.keyed ? "keyed handshake, frames authenticated" :
						   "unauthenticated");
		run_receiver(p, &src);
		if (p->kind != LINK_UMLDEV)
			shutdown(src.fd, SHUT_RDWR);	/* a sender blocked on it returns */
		set_link(p, -1, NULL);
		if (p->kind != LINK_UMLDEV)
			close(src.fd);
	}
	return NULL;
}

/* ---- Setting links up ---------------------------------------------------- */

/* A stream peer with a lower node id than ours: we dial it, again whenever its link is down. */
static void *dialer_main(void *arg)
{
	struct peer *p = arg;
	bool said = false;
	char err[256];

	for (;;) {
		struct link_hs hs = hs_of(p, LINK_DIALER);
		struct link_io io;
		enum link_refusal r;
		int fd;

		pthread_mutex_lock(&p->lock);
		while (p->dfd >= 0 || p->pending_fd >= 0 || p->taking)
			pthread_cond_wait(&p->cond, &p->lock);
		pthread_mutex_unlock(&p->lock);
		fd = xport_connect(&p->addr, 2000, err, sizeof(err));
		if (fd < 0) {
			if (!said)
				plog(p, "cannot reach it yet (%s); retrying", err);
			said = true;
			usleep(500 * 1000);
			continue;
		}
		said = false;
		io = link_io_of(p, fd);
		r = link_handshake(&io, &hs);
		if (r != LR_NONE) {
			refusals_note(&p->ref, r, hs.detail);
			close(fd);
			usleep(500 * 1000);
			continue;
		}
		hand_over(p, fd, &hs.keys);
	}
	return NULL;
}

/* A UML guest's bridge socket: each connection its kernel makes, checked, then the handshake. */
static void *listener_main(void *arg)
{
	struct peer *p = arg;
	char err[256];

	for (;;) {
		int fd = bridge_accept(&p->bl, 500, err, sizeof(err));
		struct link_hs hs = hs_of(p, LINK_ACCEPTOR);
		struct link_io io;
		enum link_refusal r;

		if (err[0])
			plog(p, "%s", err);
		if (fd < 0)
			continue;
		if (bridge_check_peer(&p->bl, fd, err, sizeof(err))) {
			refusals_note(&p->ref, LR_UID, err);
			close(fd);
			continue;
		}
		io = link_io_of(p, fd);
		r = link_handshake(&io, &hs);
		if (r != LR_NONE) {
			refusals_note(&p->ref, r, hs.detail);
			close(fd);
			continue;
		}
		hand_over(p, fd, &hs.keys);
	}
	return NULL;
}

static struct peer *stream_peer(struct proxy *px, int node)
{
	for (int i = 0; i < px->npeers; i++)
		if (px->peers[i].node == node && px->peers[i].kind == LINK_STREAM)
			return &px->peers[i];
	return NULL;
}

/* The acceptor's judgement of a dialer's claimed node (link_check_fn). */
static enum link_refusal check_dialer(void *ctx, int fd, int node, char *detail, size_t len)
{
	struct proxy *px = ctx;
	struct peer *p = stream_peer(px, node);
	char err[200];

	if (!p)
		return LR_NODE;
	if (node > px->node)
		return LR_DIAL;
	if (!px->keyed && xport_peer_is(fd, &p->addr, err, sizeof(err)) != 1) {
		snprintf(detail, len, "unkeyed HELLO as node %d %s", node, err);
		return LR_ADDR;
	}
	return LR_NONE;
}

static void accepted(void *ctx, int fd, const struct link_hs *hs)
{
	struct peer *p = stream_peer(ctx, hs->peer_node);

	if (p)
		hand_over(p, fd, &hs->keys);
	else
		close(fd);
}

static void refused(void *ctx, enum link_refusal why, const struct link_hs *hs)
{
	struct proxy *px = ctx;
	/* Only a peer's own bucket when the peer's claim was checked and can be believed. */
	struct peer *p = hs->peer_node >= 0 && why != LR_NODE && why != LR_DIAL ?
			 stream_peer(px, hs->peer_node) : NULL;

	refusals_note(p ? &p->ref : &px->unknown, why, hs->detail);
}

/* ---- Counters and signals -------------------------------------------- */

static void dump_counters(struct proxy *px)
{
	static unsigned int dumps;	/* only this thread dumps */

	refusals_dump(&px->unknown, stderr);
	for (int i = 0; i < px->npeers; i++)
		refusals_dump(&px->peers[i].ref, stderr);
	fprintf(stderr, "dvs-proxy: counters end (dump %u)\n", ++dumps);
}

/*
 * The summaries of refusals still unlogged, once a second; the counters on
 * SIGUSR1, and on SIGTERM or SIGINT before dying of it. Those signals are
 * blocked in every other thread.
 */
static void *reporter_main(void *arg)
{
	struct proxy *px = arg;
	struct timespec second = { .tv_sec = 1 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	for (;;) {
		int sig = sigtimedwait(&set, NULL, &second);

		refusals_flush(&px->unknown);
		for (int i = 0; i < px->npeers; i++)
			refusals_flush(&px->peers[i].ref);
		if (sig == SIGUSR1)
			dump_counters(px);
		if (sig == SIGTERM || sig == SIGINT) {
			if (!px->quiet)
				dump_counters(px);
			signal(sig, SIG_DFL);
			pthread_sigmask(SIG_UNBLOCK, &set, NULL);
			raise(sig);
		}
	}
	return NULL;
}

/* ---- Options ------------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: dvs-proxy --peer NODE=HOST[:PORT][/NAME] [--peer ...] [options]\n"
		"       dvs-proxy --transport tipc --peer NODE[/NAME] [--peer ...] [options]\n"
		"       dvs-proxy --umid NODE=UMID[/NAME] [--umid ...] [options]    (on a UML host)\n"
		"       dvs-proxy --transport uml --peer NODE[/NAME] [options]      (in a UML guest)\n\n"
		"Links this DVS node (dvs init first) to the peer nodes: one proxy pair per\n"
		"peer, registered with the kernel (CAP_SYS_ADMIN), node_up'd and added to\n"
		"the DCs given, over one two-way connection per peer. Of two TCP or TIPC\n"
		"peers, the one with the lower node id dials the other. Runs until killed;\n"
		"its pairs go down with it.\n\n"
		"  --peer SPEC        a peer node: TCP: NODE=HOST[:PORT] (port 3000); TIPC and\n"
		"                     uml: NODE; /NAME names it (default node<N>). Without a\n"
		"                     key, a TCP peer is accepted only from HOST's addresses\n"
		"                     and a TIPC peer only from the TIPC node publishing NODE\n"
		"  --transport T      of the --peer links: tcp (default), tipc, or uml (this is a\n"
		"                     UML guest: its one peer, the host, is over /dev/umlXX)\n"
		"  --umid SPEC        NODE=UMID[/NAME]: the UML guest started as ./linux umid=UMID\n"
		"                     is node NODE, over its bridge socket UML_DIR/UMID/dvsbr\n"
		"                     (mode 0600; only the directory owner's processes may link)\n"
		"  --uml-dir DIR      where UML instances keep their sockets ($HOME/.uml)\n"
		"  --via NODE:PEER    node NODE is reached through peer PEER, whose node relays\n"
		"                     (e.g. in a guest: every other node through the host)\n"
		"  --listen ADDR[:PORT] | PORT\n"
		"                     where TCP peers connect (every address, port 3000);\n"
		"                     [V6ADDR]:PORT for IPv6\n"
		"  --dc D             add every peer to DC D (repeatable; the DC must exist)\n"
		"  --key HEX32        a 128-bit key shared with the peers (32 hex digits): every\n"
		"                     connection starts with a challenge-response on fresh\n"
		"                     nonces and gets keys of its own for its frames' tags.\n"
		"                     Without it links are unauthenticated (said at start)\n"
		"  --heartbeat MS     send a HELLO after MS idle (1000; 10..600000)\n"
		"  --dead MS          drop a link silent for MS (3000; 20..3600000, > heartbeat)\n"
		"  --handshake MS     a connection's handshake deadline (2000; 50..60000)\n"
		"  --max-pending N    handshakes in progress at once; more are refused (8; 1..256)\n"
		"  --quiet            log nothing but fatal errors\n"
		"  --help             this text\n\n"
		"Refused connections and frames are counted per peer and reason, and logged\n"
		"as at most one summary line per peer a second. SIGUSR1 prints the counters\n"
		"(\"dvs-proxy: counters: ...\"), as SIGTERM and SIGINT do before the end\n"
		"(unless --quiet).\n");
}

static int bad_opt(const char *opt, const char *arg, const char *want)
{
	fprintf(stderr, "dvs-proxy: %s '%s': %s (dvs-proxy --help)\n", opt, arg, want);
	return 2;
}

/* Parse a --peer (@kind LINK_STREAM or LINK_UMLDEV) or --umid (LINK_UMLHOST) SPEC. */
static int parse_peer(struct proxy *px, const char *spec, enum link_kind kind, char *err,
		      size_t errlen)
{
	struct peer *p = &px->peers[px->npeers];
	char s[300], *name, *host, *end;
	bool want_host = (kind == LINK_STREAM && px->transport == XPORT_TCP) || kind == LINK_UMLHOST;
	long node;

	if (px->npeers == DVK_MAX_NODES || strlen(spec) >= sizeof(s)) {
		snprintf(err, errlen, "too many peers, or too long");
		return -1;
	}
	strcpy(s, spec);
	name = strchr(s, '/');
	if (name)
		*name++ = 0;
	host = strchr(s, '=');
	if (host)
		*host++ = 0;
	node = strtol(s, &end, 10);
	if (*end || end == s || node < 0 || node >= DVK_MAX_NODES) {
		snprintf(err, errlen, "the node id must be a number in 0..%d", DVK_MAX_NODES - 1);
		return -1;
	}
	if (want_host != !!host) {
		snprintf(err, errlen, want_host ? "expected NODE=%s" : "expected NODE only (no =...)",
			 kind == LINK_UMLHOST ? "UMID" : "HOST[:PORT]");
		return -1;
	}
	for (int i = 0; i < px->npeers; i++)
		if (px->peers[i].node == node) {
			snprintf(err, errlen, "node %ld given twice", node);
			return -1;
		}
	memset(p, 0, sizeof(*p));
	p->px = px;
	p->node = (int)node;
	p->nodes = 1u << node;
	p->kind = kind;
	p->addr.type = px->transport;
	p->addr.node = (int)node;
	p->addr.port = 3000;
	if (kind == LINK_UMLHOST) {
		if (!*host || bridge_listener_init(&p->bl, px->uml_dir, host)) {
			snprintf(err, errlen, "empty or too long a UMID");
			return -1;
		}
	} else if (host && xport_parse_hostport(&p->addr, host, err, errlen)) {
		return -1;
	} else if (host && !p->addr.host[0]) {
		snprintf(err, errlen, "expected NODE=HOST[:PORT], not a port alone");
		return -1;
	}
	if (name && (strlen(name) < 1 || strlen(name) >= DVK_NAME_LEN)) {
		snprintf(err, errlen, "NAME must have 1..%d characters", DVK_NAME_LEN - 1);
		return -1;
	}
	snprintf(p->name, sizeof(p->name), "%s", name ? name : "");
	if (!name)
		snprintf(p->name, sizeof(p->name), "node%ld", node);
	p->pending_fd = p->dfd = p->devfd = -1;
	pthread_mutex_init(&p->lock, NULL);
	pthread_mutex_init(&p->wlock, NULL);
	pthread_cond_init(&p->cond, NULL);
	px->npeers++;
	return 0;
}

/* --via NODE:PEER: NODE's frames go and come through PEER's link. */
static int parse_via(struct proxy *px, const char *spec)
{
	int node, peer;
	char c;

	if (sscanf(spec, "%d:%d%c", &node, &peer, &c) != 2 || node < 0 || node >= DVK_MAX_NODES)
		return -1;
	for (int i = 0; i < px->npeers; i++) {
		if (px->peers[i].node == node)
			return -1;		/* a peer of its own */
	}
	for (int i = 0; i < px->npeers; i++) {
		if (px->peers[i].node == peer) {
			px->peers[i].nodes |= 1u << node;
			return 0;
		}
	}
	return -1;
}

static int parse_key(uint8_t k[16], const char *hex)
{
	if (strlen(hex) != 32 || strspn(hex, "0123456789abcdefABCDEF") != 32)
		return -1;
	for (int i = 0; i < 16; i++) {
		unsigned int b;

		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			return -1;
		k[i] = (uint8_t)b;
	}
	return 0;
}

static int opt_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* Register every peer's pair, and the nodes it serves, with the kernel. */
static int bind_pairs(struct proxy *px)
{
	for (int i = 0; i < px->npeers; i++) {
		struct peer *p = &px->peers[i];
		int r = dvk_proxies_bind(p->name, p->node, p->stid, p->rtid, DVK_CMD_MAXPAYLOAD);

		if (r < 0) {
			dvk_warn(p, "proxies_bind", r);
			return -1;
		}
		for (int n = 0; n < DVK_MAX_NODES; n++) {
			char name[DVK_NAME_LEN];

			if (!(p->nodes & 1u << n))
				continue;
			snprintf(name, sizeof(name), "%s", n == p->node ? p->name : "");
			if (n != p->node)
				snprintf(name, sizeof(name), "node%d", n);
			r = dvk_node_up(name, n, p->node);
			if (r < 0) {
				dvk_warn(p, "node_up", r);
				return -1;
			}
			for (int d = 0; d < px->ndcs; d++) {
				r = dvk_add_node(px->dcs[d], n);
				if (r < 0 && r != EDVSDCNODE) {
					dvk_warn(p, "add_node", r);
					return -1;
				}
			}
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "peer", required_argument, NULL, 'p' },
		{ "umid", required_argument, NULL, 'u' },
		{ "uml-dir", required_argument, NULL, 'U' },
		{ "via", required_argument, NULL, 'v' },
		{ "transport", required_argument, NULL, 't' },
		{ "listen", required_argument, NULL, 'l' },
		{ "dc", required_argument, NULL, 'd' },
		{ "key", required_argument, NULL, 'k' },
		{ "heartbeat", required_argument, NULL, 'b' },
		{ "dead", required_argument, NULL, 'D' },
		{ "handshake", required_argument, NULL, 'H' },
		{ "max-pending", required_argument, NULL, 'P' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	/* static: the threads use it until the process ends. */
	static struct proxy px = {
		.node = -1, .transport = XPORT_TCP, .heartbeat_ms = 1000, .dead_ms = 3000,
		.handshake_ms = 2000, .max_pending = 8,
		.start_lock = PTHREAD_MUTEX_INITIALIZER, .start_cond = PTHREAD_COND_INITIALIZER,
		.listen = { .port = 3000 },
	};
	static struct acceptor acc;
	const char *peers[DVK_MAX_NODES], *umids[DVK_MAX_NODES], *vias[DVK_MAX_NODES];
	int npeers = 0, numids = 0, nvias = 0, nstream = 0, o, lfd = -1, r;
	const char *home = getenv("HOME"), *listen_arg = NULL;
	static char uml_dir[256];
	uint8_t key[16];
	struct dvs_usr d;
	pthread_t reporter;
	sigset_t sigs;
	char err[256];

	snprintf(uml_dir, sizeof(uml_dir), "%s/.uml", home ? home : "");
	px.uml_dir = uml_dir;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'p':
			if (npeers == DVK_MAX_NODES)
				return bad_opt("--peer", optarg, "too many peers");
			peers[npeers++] = optarg;
			break;
		case 'u':
			if (numids == DVK_MAX_NODES)
				return bad_opt("--umid", optarg, "too many guests");
			umids[numids++] = optarg;
			break;
		case 'U':
			if (strlen(optarg) >= sizeof(uml_dir) - 16)
				return bad_opt("--uml-dir", optarg, "too long");
			strcpy(uml_dir, optarg);
			break;
		case 'v':
			if (nvias == DVK_MAX_NODES)
				return bad_opt("--via", optarg, "too many");
			vias[nvias++] = optarg;
			break;
		case 't':
			px.uml = !strcmp(optarg, "uml");
			if (!strcmp(optarg, "tcp") || px.uml)
				px.transport = XPORT_TCP;
			else if (!strcmp(optarg, "tipc"))
				px.transport = XPORT_TIPC;
			else
				return bad_opt("--transport", optarg, "expected tcp, tipc or uml");
			break;
		case 'l':
			listen_arg = optarg;
			if (xport_parse_hostport(&px.listen, optarg, err, sizeof(err)))
				return bad_opt("--listen", optarg, err);
			break;
		case 'd':
			if (px.ndcs == DVK_MAX_DCS || opt_int(optarg, 0, DVK_MAX_DCS - 1, &px.dcs[px.ndcs++]))
				return bad_opt("--dc", optarg, "expected a DC id in 0..31");
			break;
		case 'k':
			if (parse_key(key, optarg))
				return bad_opt("--key", optarg, "expected exactly 32 hex digits (128 bits)");
			px.keyed = true;
			break;
		case 'b':
			if (opt_int(optarg, 10, 600000, &px.heartbeat_ms))
				return bad_opt("--heartbeat", optarg, "expected milliseconds in 10..600000");
			break;
		case 'D':
			if (opt_int(optarg, 20, 3600000, &px.dead_ms))
				return bad_opt("--dead", optarg, "expected milliseconds in 20..3600000");
			break;
		case 'H':
			if (opt_int(optarg, 50, 60000, &px.handshake_ms))
				return bad_opt("--handshake", optarg, "expected milliseconds in 50..60000");
			break;
		case 'P':
			if (opt_int(optarg, 1, 256, &px.max_pending))
				return bad_opt("--max-pending", optarg, "expected a number in 1..256");
			break;
		case 'q':
			px.quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "dvs-proxy: unexpected argument '%s' (dvs-proxy --help)\n", argv[optind]);
		return 2;
	}
	if (!(npeers + numids)) {
		fprintf(stderr, "dvs-proxy: no peer: give --peer or --umid (dvs-proxy --help)\n");
		return 2;
	}
	if (px.dead_ms <= px.heartbeat_ms) {
		fprintf(stderr, "dvs-proxy: --dead (%d ms) must be longer than --heartbeat (%d ms)\n",
			px.dead_ms, px.heartbeat_ms);
		return 2;
	}
	if (px.uml && (npeers != 1 || numids)) {
		fprintf(stderr, "dvs-proxy: --transport uml: one --peer (the host), no --umid\n");
		return 2;
	}
	if (listen_arg && (px.transport != XPORT_TCP || px.uml || !npeers)) {
		fprintf(stderr, "dvs-proxy: --listen is for TCP peers (--peer NODE=HOST)\n");
		return 2;
	}
	if (sodium_init() < 0 || (px.keyed && link_secret_init(&px.secret, key))) {
		fprintf(stderr, "dvs-proxy: libsodium cannot start\n");
		return 1;
	}
	sodium_memzero(key, sizeof(key));
	for (int i = 0; i < npeers; i++)
		if (parse_peer(&px, peers[i], px.uml ? LINK_UMLDEV : LINK_STREAM, err, sizeof(err)))
			return bad_opt("--peer", peers[i], err);
	nstream = px.uml ? 0 : npeers;
	for (int i = 0; i < numids; i++)
		if (parse_peer(&px, umids[i], LINK_UMLHOST, err, sizeof(err)))
			return bad_opt("--umid", umids[i], err);
	for (int i = 0; i < nvias; i++)
		if (parse_via(&px, vias[i]))
			return bad_opt("--via", vias[i],
				       "expected NODE:PEER, NODE not a peer itself, PEER a --peer or --umid node");
	r = dvk_getdvsinfo(&d);
	if (r < 0) {
		fprintf(stderr, "dvs-proxy: %s (%s); run 'dvs init' first\n", dvk_strerror(r),
			errname(r));
		return 1;
	}
	px.node = r;
	for (int i = 0; i < px.npeers; i++)
		if (px.peers[i].node == px.node || px.peers[i].nodes & 1u << px.node) {
			fprintf(stderr, "dvs-proxy: node %d is this node: not a peer (dvs-proxy --help)\n",
				px.node);
			return 2;
		}
	refusals_init(&px.unknown, "unidentified connections", px.quiet);
	for (int i = 0; i < px.npeers; i++) {
		char who[64];

		snprintf(who, sizeof(who), "node %d (%s)", px.peers[i].node, px.peers[i].name);
		refusals_init(&px.peers[i].ref, who, px.quiet);
	}
	px.listen.type = px.transport;
	px.listen.node = px.node;
	randombytes_buf(&px.incarnation, sizeof(px.incarnation));
	if (nstream) {
		lfd = xport_listen(&px.listen, err, sizeof(err));
		if (lfd < 0) {
			fprintf(stderr, "dvs-proxy: cannot listen: %s\n", err);
			return 1;
		}
	}
	if (px.uml) {
		px.peers[0].devfd = bridge_open_device(px.node, err, sizeof(err));
		if (px.peers[0].devfd < 0) {
			fprintf(stderr, "dvs-proxy: %s\n", err);
			return 1;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	/* The reporter takes these signals; every other thread inherits them blocked. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGUSR1);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	for (int i = 0; i < px.npeers; i++) {
		struct peer *p = &px.peers[i];

		pthread_create(&p->sender, NULL, sender_main, p);
		pthread_create(&p->receiver, NULL, receiver_main, p);
	}
	pthread_mutex_lock(&px.start_lock);
	while (px.started < 2 * px.npeers)
		pthread_cond_wait(&px.start_cond, &px.start_lock);
	pthread_mutex_unlock(&px.start_lock);
	if (bind_pairs(&px))
		return 1;
	pthread_mutex_lock(&px.start_lock);
	px.go = true;
	pthread_cond_broadcast(&px.start_cond);
	pthread_mutex_unlock(&px.start_lock);
	pthread_create(&reporter, NULL, reporter_main, &px);
	for (int i = 0; i < px.npeers; i++) {
		struct peer *p = &px.peers[i];

		if (p->kind == LINK_UMLHOST)
			pthread_create(&p->helper, NULL, listener_main, p);
		else if (p->kind == LINK_STREAM && px.node < p->node)
			pthread_create(&p->helper, NULL, dialer_main, p);
	}
	plog(NULL, "node %d: %d peer%s over %s%s%s", px.node, px.npeers, px.npeers == 1 ? "" : "s",
	     px.uml ? "the uml bridge" : nstream ? (px.transport == XPORT_TCP ? "tcp" : "tipc") : "",
	     numids ? (nstream ? " and uml bridges" : "uml bridges") : "",
	     px.keyed ? ", keyed links (challenge-response, frames authenticated)" : "");
	if (!px.keyed)
		plog(NULL, "links are unauthenticated (no --key): %s",
		     nstream ? (px.transport == XPORT_TCP ? "a TCP peer is accepted only from its address" :
			       "a TIPC peer is accepted only from its TIPC node") :
			       "frames are trusted as they come");
	if (lfd < 0)
		for (;;)
			pause();
	acc.lfd = lfd;
	acc.max_pending = px.max_pending;
	acc.piece = px.transport == XPORT_TIPC ? XPORT_TIPC_PIECE : 0;
	acc.tmpl.self = px.node;
	acc.tmpl.peer = -1;
	acc.tmpl.secret = px.keyed ? &px.secret : NULL;
	acc.tmpl.incarnation = px.incarnation;
	acc.tmpl.timeout_ms = px.handshake_ms;
	acc.tmpl.check = check_dialer;
	acc.tmpl.ctx = &px;
	acc.established = accepted;
	acc.refused = refused;
	acc.ctx = &px;
	r = acceptor_run(&acc);
	fprintf(stderr, "dvs-proxy: accept: %s\n", strerror(r));
	return 1;
}
