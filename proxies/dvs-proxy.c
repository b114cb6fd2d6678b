// SPDX-License-Identifier: GPL-2.0
/*
 * dvs-proxy: links this DVS node to other nodes. For every peer node it
 * runs a sender thread (get2rmt -> frame -> connection to the peer) and a
 * receiver thread (frames from the peer -> put2lcl), registered with the
 * kernel as that node's proxy pair; one listening socket takes every
 * peer's incoming connection and hands it to that peer's receiver.
 *
 * Links: each direction is its own connection, opened by the sending
 * side, which starts it with a HELLO naming both nodes and sends a HELLO
 * whenever it has been idle for a heartbeat interval. A receiver that
 * hears nothing for the dead time, or gets a frame that does not decode,
 * drops the connection; either side reports the link down to its kernel,
 * which wakes every caller waiting on that node with EDVSNOTCONN. The
 * sender reconnects by itself; nothing is resent, so nothing is silently
 * lost either (docs/wire.md, "Links").
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
#include "transport.h"
#include "wire.h"

struct proxy;

struct peer {
	struct proxy *px;
	int node;
	char name[DVK_NAME_LEN];
	struct xport_addr addr;		/* where its listener is */
	pthread_t sender, receiver;
	pid_t stid, rtid;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int in_fd;			/* its current incoming connection, or -1 */
	int pending_fd;			/* a newer one, handed over by the acceptor */
	_Atomic unsigned long long delivered;	/* frames put2lcl took, this link */
};

struct proxy {
	int node;			/* this node */
	enum xport transport;
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
 * Send @c as frame @seq; a copy chunk's data already lies in @buf after the
 * header. 0 (sent), 1 (not encodable: skipped, @seq not used) or -1 (the
 * connection failed).
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
	return xport_write_all(fd, buf, (size_t)n,
			       p->px->transport == XPORT_TIPC ? XPORT_TIPC_PIECE : 0);
}

static int send_hello(struct peer *p, int fd, uint8_t *buf)
{
	struct dvk_cmd h = {
		.c_cmd = DVK_CMD_HELLO, .c_snode = p->px->node, .c_dnode = p->node,
		.c_id = p->px->incarnation, .c_timestamp = (uint64_t)time(NULL) * 1000000000ull,
	};

	return send_frame(p, fd, buf, &h, 0) ? -1 : 0;
}

static void *sender_main(void *arg)
{
	struct peer *p = arg;
	uint8_t *buf = malloc(WIRE_MAX_FRAME);
	char err[256];
	bool said = false;

	thread_started(p->px, &p->stid);
	if (!buf) {
		plog(p, "out of memory");
		return NULL;
	}
	for (;;) {
		uint64_t seq = 0;
		int fd = xport_connect(&p->addr, 2000, err, sizeof(err)), r;

		if (fd < 0) {
			if (!said)
				plog(p, "cannot reach it yet (%s); retrying", err);
			said = true;
			usleep(500 * 1000);
			continue;
		}
		said = false;
		if (send_hello(p, fd, buf)) {
			close(fd);
			continue;
		}
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
		close(fd);
		dvk_proxy_conn(p->node, DVK_DISCONNECT_SPROXY);
	}
	return NULL;
}

/*
 * The next frame from @fd through @rb; 0, or -1 with a reason in @why.
 * *@payload points into @rb, valid until the next call.
 */
static int read_frame(struct peer *p, int fd, struct xport_rbuf *rb, struct dvk_cmd *c,
		      const void **payload, uint64_t *seq, const char **why)
{
	size_t total;
	uint64_t ack;
	int r;

	if (xport_fill(fd, rb, WIRE_LEN_PREFIX)) {
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
	if (xport_fill(fd, rb, total)) {
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

static void *receiver_main(void *arg)
{
	struct peer *p = arg;
	/* Room for a whole frame after a partial one. */
	struct xport_rbuf rb = { .buf = malloc(2 * WIRE_MAX_FRAME), .cap = 2 * WIRE_MAX_FRAME };

	thread_started(p->px, &p->rtid);
	if (!rb.buf) {
		plog(p, "out of memory");
		return NULL;
	}
	for (;;) {
		uint64_t last = 0, seq;
		const char *why = NULL;
		const void *payload;
		struct dvk_cmd c;
		int fd, r;

		pthread_mutex_lock(&p->lock);
		while (p->pending_fd < 0)
			pthread_cond_wait(&p->cond, &p->lock);
		fd = p->in_fd = p->pending_fd;
		p->pending_fd = -1;
		pthread_mutex_unlock(&p->lock);
		rb.head = rb.tail = 0;
		xport_set_silence(fd, p->px->dead_ms);
		atomic_store(&p->delivered, 0);
		r = dvk_proxy_conn(p->node, DVK_CONNECT_RPROXY);
		if (r < 0)
			dvk_warn(p, "proxy_conn", r);
		plog(p, "receiving: connected");
		while (!why) {
			if (read_frame(p, fd, &rb, &c, &payload, &seq, &why))
				break;
			if (c.c_snode != p->node || c.c_dnode != p->px->node) {
				why = "a frame between other nodes";
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
		pthread_mutex_lock(&p->lock);
		p->in_fd = -1;
		pthread_mutex_unlock(&p->lock);
		close(fd);
	}
	return NULL;
}

/* A new connection: its first frame (a HELLO) says which peer it is. */
static void take_connection(struct proxy *px, int fd)
{
	uint8_t buf[WIRE_HDR_LEN + WIRE_TAG_LEN];
	/* Exact reads: what follows the HELLO is the receiver thread's to read. */
	struct xport_rbuf rb = { .buf = buf, .cap = sizeof(buf), .exact = 1 };
	struct peer fake = { .px = px, .node = -1, .name = "?" }, *p = NULL;
	const char *why = NULL;
	const void *payload;
	struct dvk_cmd c;
	uint64_t seq;

	xport_set_silence(fd, px->dead_ms);
	if (read_frame(&fake, fd, &rb, &c, &payload, &seq, &why) || c.c_cmd != DVK_CMD_HELLO) {
		plog(NULL, "refused a connection: %s", why ? why : "it did not start with HELLO");
		close(fd);
		return;
	}
	for (int i = 0; i < px->npeers; i++)
		if (px->peers[i].node == c.c_snode)
			p = &px->peers[i];
	if (!p || c.c_dnode != px->node) {
		plog(NULL, "refused a connection from node %d to node %d: not a peer of node %d",
		     c.c_snode, c.c_dnode, px->node);
		close(fd);
		return;
	}
	pthread_mutex_lock(&p->lock);
	if (p->pending_fd >= 0)
		close(p->pending_fd);
	p->pending_fd = fd;
	if (p->in_fd >= 0)
		shutdown(p->in_fd, SHUT_RDWR);	/* the peer reconnected: the old one is dead */
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: dvs-proxy --peer NODE=HOST[:PORT][/NAME] [--peer ...] [options]\n"
		"       dvs-proxy --transport tipc --peer NODE[/NAME] [--peer ...] [options]\n\n"
		"Links this DVS node (dvs init first) to the peer nodes: one proxy pair per\n"
		"peer, registered with the kernel (CAP_SYS_ADMIN), node_up'd and added to\n"
		"the DCs given. Runs until killed; its pairs go down with it.\n\n"
		"  --peer SPEC        a peer node: TCP: NODE=HOST[:PORT] (port 3000); TIPC: NODE;\n"
		"                     /NAME names it (default node<N>)\n"
		"  --transport T      tcp (default) or tipc\n"
		"  --listen PORT      TCP port peers connect to (3000)\n"
		"  --dc D             add every peer to DC D (repeatable; the DC must exist)\n"
		"  --key HEX32        authenticate frames with this 128-bit key (32 hex digits)\n"
		"  --heartbeat MS     send a HELLO after MS idle (1000)\n"
		"  --dead MS          drop a link silent for MS (3000; > heartbeat)\n"
		"  --quiet            log nothing but fatal errors\n");
}

static int parse_peer(struct proxy *px, const char *spec)
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
	if ((px->transport == XPORT_TCP) != !!host)
		return -1;
	memset(p, 0, sizeof(*p));
	p->px = px;
	p->node = (int)node;
	p->addr.type = px->transport;
	p->addr.node = (int)node;
	p->addr.port = 3000;
	if (host) {
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
	p->in_fd = p->pending_fd = -1;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	px->npeers++;
	return 0;
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

/* Register every peer's pair and node with the kernel. */
static int bind_pairs(struct proxy *px)
{
	for (int i = 0; i < px->npeers; i++) {
		struct peer *p = &px->peers[i];
		int r = dvk_proxies_bind(p->name, p->node, p->stid, p->rtid, DVK_CMD_MAXPAYLOAD);

		if (r < 0) {
			dvk_warn(p, "proxies_bind", r);
			return -1;
		}
		r = dvk_node_up(p->name, p->node, p->node);
		if (r < 0) {
			dvk_warn(p, "node_up", r);
			return -1;
		}
		for (int d = 0; d < px->ndcs; d++) {
			r = dvk_add_node(px->dcs[d], p->node);
			if (r < 0 && r != EDVSDCNODE) {
				dvk_warn(p, "add_node", r);
				return -1;
			}
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "peer", required_argument, NULL, 'p' },
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
	const char *peers[DVK_MAX_NODES];
	int npeers = 0, port = 3000, o, lfd, r;
	struct dvs_usr d;
	char err[256];

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'p':
			if (npeers == DVK_MAX_NODES)
				goto bad;
			peers[npeers++] = optarg;
			break;
		case 't':
			if (!strcmp(optarg, "tcp"))
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
	if (optind != argc || !npeers || px.dead_ms <= px.heartbeat_ms)
		goto bad;
	for (int i = 0; i < npeers; i++)
		if (parse_peer(&px, peers[i])) {
			fprintf(stderr, "dvs-proxy: bad --peer '%s'\n", peers[i]);
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
	lfd = xport_listen(&px.listen, err, sizeof(err));
	if (lfd < 0) {
		fprintf(stderr, "dvs-proxy: cannot listen: %s\n", err);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	for (int i = 0; i < px.npeers; i++) {
		pthread_create(&px.peers[i].sender, NULL, sender_main, &px.peers[i]);
		pthread_create(&px.peers[i].receiver, NULL, receiver_main, &px.peers[i]);
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
	plog(NULL, "node %d: %d peer%s over %s, listening%s", px.node, px.npeers,
	     px.npeers == 1 ? "" : "s", px.transport == XPORT_TCP ? "tcp" : "tipc",
	     px.keyed ? ", frames authenticated" : "");
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
