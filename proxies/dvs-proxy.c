// SPDX-License-Identifier: GPL-2.0
/*
 * dvs-proxy: links this DVS node to other nodes. For every peer node it
 * runs a sender thread (get2rmt -> frame -> connection to the peer) and a
 * receiver thread (frames from the peer -> put2lcl), registered with the
 * kernel as that node's proxy pair; one listening socket takes every
 * peer's incoming connection and hands it to that peer's receiver.
 *
 * Links over TCP or TIPC: each direction is its own connection, opened by
 * the sending side, which starts it with a HELLO naming both nodes and
 * sends a HELLO whenever it has been idle for a heartbeat interval. A
 * receiver that hears nothing for the dead time, or gets a frame that does
 * not decode, drops the connection; either side reports the link down to
 * its kernel, which wakes every caller waiting on that node with
 * EDVSNOTCONN. The sender reconnects by itself; nothing is resent, so
 * nothing is silently lost either (docs/wire.md, "Links").
 *
 * Links over a UML guest's bridge (bridge.h) are one two-way channel of
 * whole frames: on the host the socket the guest's kernel connects to
 * (--umid), in the guest its /dev/umlXX (--transport uml). A bad frame
 * there is refused with its reason and the link stays; losing the channel
 * takes both directions down. A peer may also stand for nodes behind it
 * (--via): their frames come and go through it, relayed by its kernel.
 */
#include <errno.h>
#include <getopt.h>
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
#include <dvk/libdvk.h>
#include "bridge.h"
#include "transport.h"
#include "wire.h"

struct proxy;

enum link_kind {
	LINK_STREAM,			/* TCP or TIPC: a connection each way */
	LINK_UMLHOST,			/* the host's end of a UML guest's bridge */
	LINK_UMLDEV,			/* a UML guest's /dev/umlXX */
};

struct peer {
	struct proxy *px;
	int node;
	uint32_t nodes;			/* it and the nodes behind it (--via) */
	char name[DVK_NAME_LEN];
	enum link_kind kind;
	struct xport_addr addr;		/* LINK_STREAM: where its listener is */
	struct bridge_listener bl;	/* LINK_UMLHOST */
	pthread_t sender, receiver, listener;
	pid_t stid, rtid;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int in_fd;			/* its current incoming connection, or -1 */
	int pending_fd;			/* a newer one, handed over by the acceptor */
	/* A bridge link: both threads use dfd; the receiver closes it, under wlock. */
	pthread_mutex_t wlock;
	int dfd;
	unsigned int dgen;		/* bumped for every new bridge link */
	_Atomic unsigned long long delivered;	/* frames put2lcl took, this link */
};

struct proxy {
	int node;			/* this node */
	enum xport transport;		/* of --peer links: tcp or tipc */
	bool uml;			/* --transport uml: the peer is over /dev/umlXX */
	const char *uml_dir;		/* where UML instances keep their sockets */
	struct xport_addr listen;
	struct wire_key key;
	bool keyed;
	int heartbeat_ms, dead_ms;
	int dcs[DVK_MAX_DCS], ndcs;
	struct peer peers[DVK_MAX_NODES];
	int npeers;
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

/*
 * Write one encoded frame on the link: a stream in pieces (TIPC: see
 * XPORT_TIPC_PIECE); a bridge whole, and only while @fd is still its link
 * (the receiver closes a lost one under wlock). 0 or -1.
 */
static int link_write(struct peer *p, int fd, const uint8_t *buf, size_t n)
{
	int r;

	if (p->kind == LINK_STREAM)
		return xport_write_all(fd, buf, n, p->addr.type == XPORT_TIPC ? XPORT_TIPC_PIECE : 0);
	pthread_mutex_lock(&p->wlock);
	r = p->dfd == fd ? bridge_write(fd, buf, n) : -ENOTCONN;
	pthread_mutex_unlock(&p->wlock);
	return r ? -1 : 0;
}

/*
 * Send @c as frame @seq; a copy chunk's data already lies in @buf after the
 * header. 0 (sent), 1 (not encodable: skipped, @seq not used) or -1 (the
 * link failed).
 */
static int send_frame(struct peer *p, int fd, uint8_t *buf, const struct dvk_cmd *c,
		      uint64_t seq)
{
	ssize_t n = wire_encode(buf, WIRE_MAX_FRAME, c, c->c_len ? buf + WIRE_HDR_LEN : NULL, seq,
				atomic_load(&p->delivered), p->px->keyed ? &p->px->key : NULL);

	if (n < 0) {
		plog(p, "cannot encode %#x for node %d: %s", c->c_cmd, c->c_dnode,
		     wire_strerror((int)n));
		return 1;	/* the kernel gave us something invalid: skip it */
	}
	return link_write(p, fd, buf, (size_t)n);
}

static int send_hello(struct peer *p, int fd, uint8_t *buf)
{
	struct dvk_cmd h = {
		.c_cmd = DVK_CMD_HELLO, .c_snode = p->px->node, .c_dnode = p->node,
		.c_id = p->px->incarnation, .c_timestamp = (uint64_t)time(NULL) * 1000000000ull,
	};

	return send_frame(p, fd, buf, &h, 0) ? -1 : 0;
}

/* One link's sending side: HELLO, then the kernel's commands until it fails. */
static void run_sender(struct peer *p, int fd, uint8_t *buf)
{
	uint64_t seq = 0;
	int r;

	if (send_hello(p, fd, buf))
		return;
	r = dvk_proxy_conn(p->node, DVK_CONNECT_SPROXY);
	if (r < 0)
		dvk_warn(p, "proxy_conn", r);
	plog(p, "sending: connected");
	for (;;) {
		struct dvk_cmd c;

		/* The kernel writes a copy chunk where the frame carries it. */
		r = dvk_get2rmt_T(&c, buf + WIRE_HDR_LEN, p->px->heartbeat_ms);
		if (r == EDVSTIMEDOUT) {
			if (send_hello(p, fd, buf))
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
		r = send_frame(p, fd, buf, &c, seq + 1);
		if (r < 0)
			break;
		if (r == 0)
			seq++;
	}
	plog(p, "sending: link down");
	dvk_proxy_conn(p->node, DVK_DISCONNECT_SPROXY);
}

/* The next bridge link of @p after generation @gen: its fd. */
static int next_bridge_link(struct peer *p, unsigned int *gen)
{
	int fd;

	if (p->kind == LINK_UMLDEV) {
		bridge_device_linked(p->dfd, -1);
		return p->dfd;
	}
	pthread_mutex_lock(&p->lock);
	while (p->dfd < 0 || p->dgen == *gen)
		pthread_cond_wait(&p->cond, &p->lock);
	fd = p->dfd;
	*gen = p->dgen;
	pthread_mutex_unlock(&p->lock);
	return fd;
}

static void *sender_main(void *arg)
{
	struct peer *p = arg;
	uint8_t *buf = malloc(WIRE_MAX_FRAME);
	unsigned int gen = 0;
	char err[256];
	bool said = false;

	thread_started(p->px, &p->stid);
	if (!buf) {
		plog(p, "out of memory");
		return NULL;
	}
	for (;;) {
		int fd;

		if (p->kind != LINK_STREAM) {
			run_sender(p, next_bridge_link(p, &gen), buf);
			continue;
		}
		fd = xport_connect(&p->addr, 2000, err, sizeof(err));
		if (fd < 0) {
			if (!said)
				plog(p, "cannot reach it yet (%s); retrying", err);
			said = true;
			usleep(500 * 1000);
			continue;
		}
		said = false;
		run_sender(p, fd, buf);
		close(fd);
	}
	return NULL;
}

/*
 * How a receiver gets its frames: the next one in *c (payload in
 * *payload, valid until the next call). 0, 1 (a bad frame, refused: go
 * on), or -1 with the reason in *why (the link is gone).
 */
struct frame_source {
	int fd;
	struct xport_rbuf rb;		/* LINK_STREAM */
	uint8_t *frame;			/* a bridge's frame buffer */
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
		r = wire_decode(src->frame, (size_t)n, c, payload, seq, &ack,
				p->px->keyed ? &p->px->key : NULL);
		if (r < 0) {
			plog(p, "refused a frame of %zd bytes: %s", n, wire_strerror(r));
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
	r = wire_decode(rb->buf + rb->head, total, c, payload, seq, &ack,
			p->px->keyed ? &p->px->key : NULL);
	rb->head += total;
	if (r < 0) {
		*why = wire_strerror(r);
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
	plog(p, "receiving: connected");
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
			break;
		}
		if (c.c_cmd == DVK_CMD_HELLO || c.c_cmd == (DVK_CMD_HELLO | DVK_CMD_ACK))
			continue;
		if (seq != last + 1) {
			why = "frames out of sequence";
			break;
		}
		last = seq;
		atomic_store(&p->delivered, seq);
		r = dvk_put2lcl(&c, payload);
		/* A rejected request is answered by the kernel; stale acks are normal. */
		if (r < 0 && r != EDVSACKSRC && r != EDVSACKDST && !p->px->quiet)
			dvk_warn(p, "put2lcl", r);
	}
	plog(p, "receiving: link down (%s)", why);
	dvk_proxy_conn(p->node, DVK_DISCONNECT_RPROXY);
	if (p->kind != LINK_STREAM)
		dvk_proxy_conn(p->node, DVK_DISCONNECT_SPROXY);	/* one channel: both ways */
}

/* A new connection for @p (from the acceptor or its bridge listener). */
static void hand_over(struct peer *p, int fd)
{
	pthread_mutex_lock(&p->lock);
	if (p->pending_fd >= 0)
		close(p->pending_fd);
	p->pending_fd = fd;
	if (p->in_fd >= 0)
		shutdown(p->in_fd, SHUT_RDWR);	/* the peer reconnected: the old one is dead */
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
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
		if (p->kind == LINK_UMLDEV) {
			bridge_device_linked(p->dfd, -1);
			src.fd = p->dfd;
			run_receiver(p, &src);
			continue;
		}
		pthread_mutex_lock(&p->lock);
		while (p->pending_fd < 0)
			pthread_cond_wait(&p->cond, &p->lock);
		src.fd = p->in_fd = p->pending_fd;
		p->pending_fd = -1;
		if (p->kind == LINK_UMLHOST) {
			p->dfd = src.fd;	/* the sender's too */
			p->dgen++;
			pthread_cond_broadcast(&p->cond);
		}
		pthread_mutex_unlock(&p->lock);
		src.rb.head = src.rb.tail = 0;
		xport_set_silence(src.fd, p->px->dead_ms);
		run_receiver(p, &src);
		pthread_mutex_lock(&p->lock);
		p->in_fd = -1;
		if (p->kind == LINK_UMLHOST)
			p->dfd = -1;
		pthread_mutex_unlock(&p->lock);
		shutdown(src.fd, SHUT_RDWR);	/* a sender blocked on it returns */
		pthread_mutex_lock(&p->wlock);
		close(src.fd);
		pthread_mutex_unlock(&p->wlock);
	}
	return NULL;
}

/* A UML guest's bridge socket: take each connection its kernel makes. */
static void *listener_main(void *arg)
{
	struct peer *p = arg;
	char err[256];

	for (;;) {
		int fd = bridge_accept(&p->bl, 500, err, sizeof(err));

		if (err[0])
			plog(p, "%s", err);
		if (fd >= 0) {
			plog(p, "the guest's kernel connected at %s", p->bl.path);
			hand_over(p, fd);
		}
	}
	return NULL;
}

/* A new stream connection: its first frame (a HELLO) says which peer it is. */
static void take_connection(struct proxy *px, int fd)
{
	uint8_t buf[WIRE_HDR_LEN + WIRE_TAG_LEN];
	/* Exact reads: what follows the HELLO is the receiver thread's to read. */
	struct frame_source src = { .fd = fd, .rb = { .buf = buf, .cap = sizeof(buf), .exact = 1 } };
	struct peer fake = { .px = px, .node = -1, .name = "?" }, *p = NULL;
	const char *why = NULL;
	const void *payload;
	struct dvk_cmd c;
	uint64_t seq;

	xport_set_silence(fd, px->dead_ms);
	if (next_frame(&fake, &src, &c, &payload, &seq, &why) || c.c_cmd != DVK_CMD_HELLO) {
		plog(NULL, "refused a connection: %s", why ? why : "it did not start with HELLO");
		close(fd);
		return;
	}
	for (int i = 0; i < px->npeers; i++)
		if (px->peers[i].node == c.c_snode && px->peers[i].kind == LINK_STREAM)
			p = &px->peers[i];
	if (!p || c.c_dnode != px->node) {
		plog(NULL, "refused a connection from node %d to node %d: not a peer of node %d",
		     c.c_snode, c.c_dnode, px->node);
		close(fd);
		return;
	}
	hand_over(p, fd);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: dvs-proxy --peer NODE=HOST[:PORT][/NAME] [--peer ...] [options]\n"
		"       dvs-proxy --transport tipc --peer NODE[/NAME] [--peer ...] [options]\n"
		"       dvs-proxy --umid NODE=UMID[/NAME] [--umid ...] [options]    (on a UML host)\n"
		"       dvs-proxy --transport uml --peer NODE[/NAME] [options]      (in a UML guest)\n\n"
		"Links this DVS node (dvs init first) to the peer nodes: one proxy pair per\n"
		"peer, registered with the kernel (CAP_SYS_ADMIN), node_up'd and added to\n"
		"the DCs given. Runs until killed; its pairs go down with it.\n\n"
		"  --peer SPEC        a peer node: TCP: NODE=HOST[:PORT] (port 3000); TIPC and\n"
		"                     uml: NODE; /NAME names it (default node<N>)\n"
		"  --transport T      of the --peer links: tcp (default), tipc, or uml (this is a\n"
		"                     UML guest: its one peer, the host, is over /dev/umlXX)\n"
		"  --umid SPEC        NODE=UMID[/NAME]: the UML guest started as ./linux umid=UMID\n"
		"                     is node NODE, over its bridge socket UML_DIR/UMID/dvsbr\n"
		"  --uml-dir DIR      where UML instances keep their sockets ($HOME/.uml)\n"
		"  --via NODE:PEER    node NODE is reached through peer PEER, whose node relays\n"
		"                     (e.g. in a guest: every other node through the host)\n"
		"  --listen PORT      TCP port peers connect to (3000)\n"
		"  --dc D             add every peer to DC D (repeatable; the DC must exist)\n"
		"  --key HEX32        authenticate frames with this 128-bit key (32 hex digits)\n"
		"  --heartbeat MS     send a HELLO after MS idle (1000)\n"
		"  --dead MS          drop a link silent for MS (3000; > heartbeat)\n"
		"  --quiet            log nothing but fatal errors\n");
}

/* Parse a --peer (@kind LINK_STREAM or LINK_UMLDEV) or --umid (LINK_UMLHOST) SPEC. */
static int parse_peer(struct proxy *px, const char *spec, enum link_kind kind)
{
	struct peer *p = &px->peers[px->npeers];
	char s[300], *name, *host, *port, *end;
	long node;

	if (px->npeers == DVK_MAX_NODES || strlen(spec) >= sizeof(s))
		return -1;
	strcpy(s, spec);
	name = strchr(s, '/');
	if (name)
		*name++ = 0;
	host = strchr(s, '=');
	if (host)
		*host++ = 0;
	node = strtol(s, &end, 10);
	if (*end || end == s || node < 0 || node >= DVK_MAX_NODES)
		return -1;
	if (((kind == LINK_STREAM && px->transport == XPORT_TCP) || kind == LINK_UMLHOST) != !!host)
		return -1;
	for (int i = 0; i < px->npeers; i++)
		if (px->peers[i].node == node)
			return -1;
	memset(p, 0, sizeof(*p));
	p->px = px;
	p->node = (int)node;
	p->nodes = 1u << node;
	p->kind = kind;
	p->addr.type = px->transport;
	p->addr.node = (int)node;
	p->addr.port = 3000;
	if (kind == LINK_UMLHOST) {
		if (!*host || bridge_listener_init(&p->bl, px->uml_dir, host))
			return -1;
	} else if (host) {
		port = strrchr(host, ':');
		if (port && !strchr(port, ']')) {
			*port++ = 0;
			p->addr.port = atoi(port);
		}
		if (strlen(host) >= sizeof(p->addr.host) || !*host || p->addr.port <= 0)
			return -1;
		strcpy(p->addr.host, host);
	}
	if (name && (strlen(name) < 1 || strlen(name) >= DVK_NAME_LEN))
		return -1;
	snprintf(p->name, sizeof(p->name), "%s", name ? name : "");
	if (!name)
		snprintf(p->name, sizeof(p->name), "node%ld", node);
	p->in_fd = p->pending_fd = p->dfd = -1;
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

static int parse_key(struct wire_key *k, const char *hex)
{
	if (strlen(hex) != 32)
		return -1;
	for (int i = 0; i < 16; i++) {
		unsigned int b;

		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			return -1;
		k->k[i] = (uint8_t)b;
	}
	return 0;
}

static int opt_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*end || end == s || v < lo || v > hi)
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
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct proxy px = {
		.transport = XPORT_TCP, .heartbeat_ms = 1000, .dead_ms = 3000,
		.start_lock = PTHREAD_MUTEX_INITIALIZER, .start_cond = PTHREAD_COND_INITIALIZER,
	};
	const char *peers[DVK_MAX_NODES], *umids[DVK_MAX_NODES], *vias[DVK_MAX_NODES];
	int npeers = 0, numids = 0, nvias = 0, nstream = 0, port = 3000, o, lfd = -1, r;
	const char *home = getenv("HOME");
	static char uml_dir[256];
	struct dvs_usr d;
	char err[256];

	snprintf(uml_dir, sizeof(uml_dir), "%s/.uml", home ? home : "");
	px.uml_dir = uml_dir;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'p':
			if (npeers == DVK_MAX_NODES)
				goto bad;
			peers[npeers++] = optarg;
			break;
		case 'u':
			if (numids == DVK_MAX_NODES)
				goto bad;
			umids[numids++] = optarg;
			break;
		case 'U':
			if (strlen(optarg) >= sizeof(uml_dir) - 16)
				goto bad;
			strcpy(uml_dir, optarg);
			break;
		case 'v':
			if (nvias == DVK_MAX_NODES)
				goto bad;
			vias[nvias++] = optarg;
			break;
		case 't':
			px.uml = !strcmp(optarg, "uml");
			if (!strcmp(optarg, "tcp") || px.uml)
				px.transport = XPORT_TCP;
			else if (!strcmp(optarg, "tipc"))
				px.transport = XPORT_TIPC;
			else
				goto bad;
			break;
		case 'l':
			if (opt_int(optarg, 1, 65535, &port))
				goto bad;
			break;
		case 'd':
			if (px.ndcs == DVK_MAX_DCS || opt_int(optarg, 0, DVK_MAX_DCS - 1, &px.dcs[px.ndcs++]))
				goto bad;
			break;
		case 'k':
			if (parse_key(&px.key, optarg))
				goto bad;
			px.keyed = true;
			break;
		case 'b':
			if (opt_int(optarg, 10, 600000, &px.heartbeat_ms))
				goto bad;
			break;
		case 'D':
			if (opt_int(optarg, 20, 3600000, &px.dead_ms))
				goto bad;
			break;
		case 'q':
			px.quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			goto bad;
		}
	}
	if (optind != argc || !(npeers + numids) || px.dead_ms <= px.heartbeat_ms ||
	    (px.uml && (npeers != 1 || numids))) {
		if (px.uml)
			fprintf(stderr, "dvs-proxy: --transport uml: one --peer (the host), no --umid\n");
		goto bad;
	}
	for (int i = 0; i < npeers; i++)
		if (parse_peer(&px, peers[i], px.uml ? LINK_UMLDEV : LINK_STREAM)) {
			fprintf(stderr, "dvs-proxy: bad --peer '%s'\n", peers[i]);
			goto bad;
		}
	nstream = px.uml ? 0 : npeers;
	for (int i = 0; i < numids; i++)
		if (parse_peer(&px, umids[i], LINK_UMLHOST)) {
			fprintf(stderr, "dvs-proxy: bad --umid '%s' (NODE=UMID[/NAME])\n", umids[i]);
			goto bad;
		}
	for (int i = 0; i < nvias; i++)
		if (parse_via(&px, vias[i])) {
			fprintf(stderr, "dvs-proxy: bad --via '%s' (NODE:PEER, PEER a --peer or --umid node)\n",
				vias[i]);
			goto bad;
		}
	r = dvk_getdvsinfo(&d);
	if (r < 0) {
		fprintf(stderr, "dvs-proxy: %s (%s); run 'dvs init' first\n", dvk_strerror(r),
			errname(r));
		return 1;
	}
	px.node = r;
	px.listen.type = px.transport;
	px.listen.port = port;
	px.listen.node = px.node;
	px.incarnation = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^ 1;
	if (nstream) {
		lfd = xport_listen(&px.listen, err, sizeof(err));
		if (lfd < 0) {
			fprintf(stderr, "dvs-proxy: cannot listen: %s\n", err);
			return 1;
		}
	}
	if (px.uml) {
		px.peers[0].dfd = bridge_open_device(px.node, err, sizeof(err));
		if (px.peers[0].dfd < 0) {
			fprintf(stderr, "dvs-proxy: %s\n", err);
			return 1;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	for (int i = 0; i < px.npeers; i++) {
		pthread_create(&px.peers[i].sender, NULL, sender_main, &px.peers[i]);
		pthread_create(&px.peers[i].receiver, NULL, receiver_main, &px.peers[i]);
		if (px.peers[i].kind == LINK_UMLHOST)
			pthread_create(&px.peers[i].listener, NULL, listener_main, &px.peers[i]);
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
	plog(NULL, "node %d: %d peer%s over %s%s%s", px.node, px.npeers, px.npeers == 1 ? "" : "s",
	     px.uml ? "the uml bridge" : nstream ? (px.transport == XPORT_TCP ? "tcp" : "tipc") : "",
	     numids ? (nstream ? " and uml bridges" : "uml bridges") : "",
	     px.keyed ? ", frames authenticated" : "");
	if (lfd < 0)
		for (;;)
			pause();
	for (;;) {
		int fd = xport_accept(lfd);

		if (fd >= 0)
			take_connection(&px, fd);
		else if (errno != EINTR)
			usleep(100 * 1000);
	}
bad:
	usage(stderr);
	return 2;
}
