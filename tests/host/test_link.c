// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of dvs-proxy's link set-up (proxies/link.c, acceptor.c,
 * refusal.c, transport.c's address check) over socketpairs and loopback
 * TCP, under ASan and UBSan. Each case prints PASS: or FAIL: with its name.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sodium.h>
#include "acceptor.h"
#include "bridge.h"
#include "link.h"
#include "refusal.h"
#include "transport.h"

#define HOST_CHECK_PROG "test_link"
#include "host_check.h"


/* A refusal compared by name, so a failure says what came instead. */
#define CHECK_R(got, want)						\
	CHECK((got) == (want), "%s: got %s, want %s", #got, link_refusal_label(got), \
	      link_refusal_label(want))


static struct link_secret key_a, key_b;

/* ---- One side of a handshake in a thread ---------------------------------- */

struct side {
	struct link_io io;
	struct link_hs hs;
	enum link_refusal r;
	pthread_t t;
};

static void *side_main(void *arg)
{
	struct side *s = arg;

	s->r = link_handshake(&s->io, &s->hs);
	return NULL;
}

static void side_init(struct side *s, int fd, enum link_role role, int self, int peer,
		      const struct link_secret *key)
{
	memset(s, 0, sizeof(*s));
	s->io.fd = fd;
	s->hs.self = self;
	s->hs.peer = peer;
	s->hs.role = role;
	s->hs.secret = key;
	s->hs.incarnation = (uint64_t)self << 32 | 7;
	s->hs.timeout_ms = 1000;
}

static void side_start(struct side *s)
{
	REQUIRE(!pthread_create(&s->t, NULL, side_main, s), "pthread_create");
}

static void side_join(struct side *s, bool close_fd)
{
	pthread_join(s->t, NULL);
	if (close_fd)
		close(s->io.fd);
}

/* Both ends of a handshake over a fresh socketpair; fds closed after. */
static void pair_handshake(struct side *d, const struct link_secret *kd, struct side *a,
			   const struct link_secret *ka, int dnode, int claimed_peer, int anode)
{
	int sv[2];

	REQUIRE(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv), "socketpair: %s", strerror(errno));
	side_init(d, sv[0], LINK_DIALER, dnode, claimed_peer, kd);
	side_init(a, sv[1], LINK_ACCEPTOR, anode, -1, ka);
	side_start(d);
	side_start(a);
	side_join(a, true);	/* the acceptor's verdict closes its end: the dialer sees it */
	side_join(d, true);
}

/* A data frame (a SEND_MSG ack, seq 1) under @key. */
static size_t data_frame(uint8_t *buf, size_t cap, int from, int to, const struct wire_key *key)
{
	struct dvk_cmd c = { .c_cmd = DVK_CMD_SEND_MSG | DVK_CMD_ACK, .c_snode = from, .c_dnode = to };
	ssize_t n = wire_encode(buf, cap, &c, NULL, 1, 0, key);

	REQUIRE(n > 0, "wire_encode: %s", wire_strerror((int)n));
	return (size_t)n;
}

static int decodes(const uint8_t *buf, size_t n, const struct wire_key *key)
{
	struct dvk_cmd c;

	return wire_decode(buf, n, &c, NULL, NULL, NULL, key);
}

/* ---- Cases -------------------------------------------------------------- */

static void t_same_key(void)
{
	struct side d, a;
	uint8_t f[WIRE_HDR_LEN + WIRE_TAG_LEN];
	size_t n;

	pair_handshake(&d, &key_a, &a, &key_a, 1, 2, 2);
	CHECK_R(d.r, LR_NONE);
	CHECK_R(a.r, LR_NONE);
	REQUIRE(!why[0], "%s / %s", d.hs.detail, a.hs.detail);
	CHECK(d.hs.peer_node == 2 && a.hs.peer_node == 1, "peers %d %d", d.hs.peer_node,
	      a.hs.peer_node);
	CHECK(a.hs.peer_incarnation == ((uint64_t)1 << 32 | 7), "incarnation");
	CHECK(d.hs.keys.keyed && a.hs.keys.keyed, "keyed");
	CHECK(!memcmp(&d.hs.keys.tx, &a.hs.keys.rx, sizeof(struct wire_key)) &&
	      !memcmp(&d.hs.keys.rx, &a.hs.keys.tx, sizeof(struct wire_key)), "keys pair up");
	CHECK(memcmp(&d.hs.keys.tx, &d.hs.keys.rx, sizeof(struct wire_key)), "one key per direction");
	n = data_frame(f, sizeof(f), 1, 2, &d.hs.keys.tx);
	CHECK(decodes(f, n, &a.hs.keys.rx) == 0, "the acceptor takes the dialer's frame");
	/* A frame sent back where it came from (reflection) is not the other direction's. */
	CHECK(decodes(f, n, &d.hs.keys.rx) == -WIRE_EMAC, "reflected frame");
}

static void t_unkeyed(void)
{
	struct side d, a;

	pair_handshake(&d, NULL, &a, NULL, 3, 5, 5);
	CHECK_R(d.r, LR_NONE);
	CHECK_R(a.r, LR_NONE);
	CHECK(!d.hs.keys.keyed && !a.hs.keys.keyed && a.hs.peer_node == 3, "unkeyed link to 3");
}

static void t_wrong_key(void)
{
	struct side d, a;

	pair_handshake(&d, &key_b, &a, &key_a, 1, 2, 2);
	CHECK_R(a.r, LR_BADTAG);
	CHECK_R(d.r, LR_CLOSED);
	CHECK(strstr(a.hs.detail, "tag mismatch"), "detail: %s", a.hs.detail);
}

/* The bridge's way: one frame per message (SOCK_SEQPACKET), keyed. */
static void t_packet_keyed(void)
{
	struct side d, a;
	int sv[2];

	REQUIRE(!socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), "socketpair: %s", strerror(errno));
	side_init(&d, sv[0], LINK_DIALER, 1, 0, &key_a);
	side_init(&a, sv[1], LINK_ACCEPTOR, 0, 1, &key_a);
	d.io.packet = a.io.packet = true;
	side_start(&d);
	side_start(&a);
	side_join(&a, true);
	side_join(&d, true);
	CHECK_R(d.r, LR_NONE);
	CHECK_R(a.r, LR_NONE);
	CHECK(a.hs.peer_node == 1 && d.hs.peer_node == 0, "peers %d %d", a.hs.peer_node,
	      d.hs.peer_node);
	/* The acceptor expecting node 2 refuses node 1. */
	REQUIRE(!socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), "socketpair");
	side_init(&d, sv[0], LINK_DIALER, 1, 0, &key_a);
	side_init(&a, sv[1], LINK_ACCEPTOR, 0, 2, &key_a);
	d.io.packet = a.io.packet = true;
	side_start(&d);
	side_start(&a);
	side_join(&a, true);
	side_join(&d, true);
	CHECK_R(a.r, LR_NODE);
}

static void t_keyed_meets_unkeyed(void)
{
	struct side d, a;

	pair_handshake(&d, &key_a, &a, NULL, 1, 2, 2);
	CHECK_R(a.r, LR_BADTAG);	/* a tag where none is expected */
	pair_handshake(&d, NULL, &a, &key_a, 1, 2, 2);
	CHECK_R(a.r, LR_BADTAG);	/* no tag where one is required */
}

/*
 * A man in the middle: relays a real handshake (and a frame after it)
 * from dialer to acceptor, recording the dialer's bytes.
 */
struct relay {
	int from, to;		/* dialer-side fd, acceptor-side fd */
	uint8_t rec[4096];
	size_t n;
	pthread_t t;
};

static void *relay_main(void *arg)
{
	struct relay *r = arg;
	uint8_t b[1024];
	ssize_t k;

	while ((k = read(r->from, b, sizeof(b))) > 0) {
		if (r->n + (size_t)k <= sizeof(r->rec)) {
			memcpy(r->rec + r->n, b, (size_t)k);
			r->n += (size_t)k;
		}
		if (write(r->to, b, (size_t)k) != k)
			break;
	}
	shutdown(r->to, SHUT_WR);
	return NULL;
}

static void *pump_main(void *arg)	/* acceptor -> dialer, not recorded */
{
	int *fds = arg;
	uint8_t b[1024];
	ssize_t k;

	while ((k = read(fds[0], b, sizeof(b))) > 0)
		if (write(fds[1], b, (size_t)k) != k)
			break;
	shutdown(fds[1], SHUT_WR);
	return NULL;
}

static void t_replay_on_new_connection(void)
{
	int dv[2], av[2], back[2], sv[2];
	struct relay rl = { 0 };
	struct side d, a, a2;
	pthread_t pump;
	uint8_t f[WIRE_HDR_LEN + WIRE_TAG_LEN];
	size_t n;

	/* Connection 1, relayed and recorded: dialer <-dv-> relay <-av-> acceptor. */
	REQUIRE(!socketpair(AF_UNIX, SOCK_STREAM, 0, dv) && !socketpair(AF_UNIX, SOCK_STREAM, 0, av),
		"socketpair");
	rl.from = dv[1];
	rl.to = av[0];
	back[0] = av[0];
	back[1] = dv[1];
	side_init(&d, dv[0], LINK_DIALER, 1, 2, &key_a);
	side_init(&a, av[1], LINK_ACCEPTOR, 2, -1, &key_a);
	REQUIRE(!pthread_create(&rl.t, NULL, relay_main, &rl) &&
		!pthread_create(&pump, NULL, pump_main, back), "pthread_create");
	side_start(&d);
	side_start(&a);
	side_join(&d, false);
	side_join(&a, false);
	CHECK_R(d.r, LR_NONE);
	CHECK_R(a.r, LR_NONE);
	/* A frame on connection 1, recorded too. */
	n = data_frame(f, sizeof(f), 1, 2, &d.hs.keys.tx);
	REQUIRE(write(dv[0], f, n) == (ssize_t)n, "write");
	usleep(50 * 1000);
	close(dv[0]);
	close(av[1]);
	pthread_join(rl.t, NULL);
	pthread_join(pump, NULL);
	close(dv[1]);
	close(av[0]);
	REQUIRE(rl.n == 2 * (WIRE_HDR_LEN + WIRE_TAG_LEN) + n, "recorded %zu bytes", rl.n);

	/* Connection 2: the recording played by someone without the key. */
	REQUIRE(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv), "socketpair");
	side_init(&a2, sv[1], LINK_ACCEPTOR, 2, -1, &key_a);
	side_start(&a2);
	REQUIRE(write(sv[0], rl.rec, rl.n) == (ssize_t)rl.n, "replay");
	side_join(&a2, true);
	close(sv[0]);
	CHECK_R(a2.r, LR_PROOF);
	/* And connection 2's keys, had it been a real one, are not connection 1's. */
	CHECK(decodes(f, n, &a.hs.keys.rx) == 0, "the frame is connection 1's");
	pair_handshake(&d, &key_a, &a2, &key_a, 1, 2, 2);
	CHECK_R(a2.r, LR_NONE);
	CHECK(decodes(f, n, &a2.hs.keys.rx) == -WIRE_EMAC, "connection 1's frame on connection 2");
}

static void t_frames_cross_connections(void)
{
	struct side d1, a1, d2, a2;
	uint8_t f[WIRE_HDR_LEN + WIRE_TAG_LEN], g[WIRE_HDR_LEN + WIRE_TAG_LEN];
	size_t n, m;

	pair_handshake(&d1, &key_a, &a1, &key_a, 1, 2, 2);
	pair_handshake(&d2, &key_a, &a2, &key_a, 1, 2, 2);
	REQUIRE(d1.r == LR_NONE && a1.r == LR_NONE && d2.r == LR_NONE && a2.r == LR_NONE,
		"handshakes");
	n = data_frame(f, sizeof(f), 1, 2, &d1.hs.keys.tx);
	m = data_frame(g, sizeof(g), 2, 1, &a1.hs.keys.tx);
	CHECK(decodes(f, n, &a1.hs.keys.rx) == 0 && decodes(g, m, &d1.hs.keys.rx) == 0, "A's own");
	CHECK(decodes(f, n, &a2.hs.keys.rx) == -WIRE_EMAC, "A's dialer frame on B");
	CHECK(decodes(g, m, &d2.hs.keys.rx) == -WIRE_EMAC, "A's acceptor frame on B");
	CHECK(decodes(f, n, NULL) == -WIRE_EUNEXPTAG, "on an unkeyed link");
}

static enum link_refusal only_node_1(void *ctx, int fd, int node, char *detail, size_t len)
{
	(void)ctx;
	(void)fd;
	(void)detail;
	(void)len;
	return node == 1 ? LR_NONE : LR_NODE;
}

static void t_unexpected_node(void)
{
	struct side d, a;
	int sv[2];

	/* A HELLO addressed to another node than the acceptor. */
	pair_handshake(&d, &key_a, &a, &key_a, 1, 7, 2);
	CHECK_R(a.r, LR_NODE);
	CHECK_R(d.r, LR_CLOSED);
	/* A HELLO from a node the acceptor has no link for. */
	REQUIRE(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv), "socketpair");
	side_init(&d, sv[0], LINK_DIALER, 3, 2, &key_a);
	side_init(&a, sv[1], LINK_ACCEPTOR, 2, -1, &key_a);
	a.hs.check = only_node_1;
	side_start(&d);
	side_start(&a);
	side_join(&a, true);
	side_join(&d, true);
	CHECK_R(a.r, LR_NODE);
	CHECK(a.hs.peer_node == 3, "claimed node %d", a.hs.peer_node);
	/* The dialer checks the acceptor too: another node answering. */
	pair_handshake(&d, &key_a, &a, &key_a, 1, 2, 2);
	CHECK_R(d.r, LR_NONE);
	REQUIRE(!socketpair(AF_UNIX, SOCK_STREAM, 0, sv), "socketpair");
	side_init(&d, sv[0], LINK_DIALER, 1, 4, NULL);	/* expects node 4 */
	side_init(&a, sv[1], LINK_ACCEPTOR, 4, -1, NULL);
	a.hs.self = 4;
	side_start(&d);
	side_start(&a);
	side_join(&a, true);
	side_join(&d, true);
	CHECK_R(d.r, LR_NONE);
}

/* ---- The acceptor, on loopback TCP ----------------------------------------- */

struct events {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int established, refused;
	enum link_refusal last;
	int last_node;
	int64_t est_ms, ref_ms;
	struct xport_addr peer_addr;	/* unkeyed: where node 1 must come from */
};

static void ev_established(void *ctx, int fd, const struct link_hs *hs)
{
	struct events *e = ctx;

	pthread_mutex_lock(&e->lock);
	e->established++;
	e->last_node = hs->peer_node;
	e->est_ms = link_now_ms();
	pthread_cond_broadcast(&e->cond);
	pthread_mutex_unlock(&e->lock);
	close(fd);
}

static void ev_refused(void *ctx, enum link_refusal r, const struct link_hs *hs)
{
	struct events *e = ctx;

	(void)hs;
	pthread_mutex_lock(&e->lock);
	e->refused++;
	e->last = r;
	e->ref_ms = link_now_ms();
	pthread_cond_broadcast(&e->cond);
	pthread_mutex_unlock(&e->lock);
}

static enum link_refusal ev_check(void *ctx, int fd, int node, char *detail, size_t len)
{
	struct events *e = ctx;

	if (node != 1)
		return LR_NODE;
	if (e->peer_addr.host[0] && xport_peer_is(fd, &e->peer_addr, detail, len) != 1)
		return LR_ADDR;
	return LR_NONE;
}

/* Wait until *@counter reaches @n or @ms pass: true if it did. */
static bool ev_wait(struct events *e, int *counter, int n, int ms)
{
	int64_t end = link_now_ms() + ms;
	bool ok;

	pthread_mutex_lock(&e->lock);
	while (*counter < n && link_now_ms() < end) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 10 * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&e->cond, &e->lock, &ts);
	}
	ok = *counter >= n;
	pthread_mutex_unlock(&e->lock);
	return ok;
}

struct server {
	struct acceptor acc;
	struct events ev;
	int port;
	pthread_t t;
};

static void *server_main(void *arg)
{
	struct server *s = arg;

	acceptor_run(&s->acc);
	return NULL;
}

static void server_start(struct server *s, const struct link_secret *key, int timeout_ms,
			 int max_pending, const char *node1_host)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int one = 1;

	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->ev.lock, NULL);
	pthread_cond_init(&s->ev.cond, NULL);
	if (node1_host)
		snprintf(s->ev.peer_addr.host, sizeof(s->ev.peer_addr.host), "%s", node1_host);
	s->acc.lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(s->acc.lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	REQUIRE(!bind(s->acc.lfd, (struct sockaddr *)&sa, sizeof(sa)) && !listen(s->acc.lfd, 16) &&
		!getsockname(s->acc.lfd, (struct sockaddr *)&sa, &len), "listen: %s", strerror(errno));
	s->port = ntohs(sa.sin_port);
	s->acc.max_pending = max_pending;
	s->acc.tmpl.self = 2;
	s->acc.tmpl.peer = -1;
	s->acc.tmpl.secret = key;
	s->acc.tmpl.timeout_ms = timeout_ms;
	s->acc.tmpl.check = ev_check;
	s->acc.tmpl.ctx = &s->ev;
	s->acc.established = ev_established;
	s->acc.refused = ev_refused;
	s->acc.ctx = &s->ev;
	REQUIRE(!pthread_create(&s->t, NULL, server_main, s), "pthread_create");
}

static void server_stop(struct server *s)
{
	shutdown(s->acc.lfd, SHUT_RDWR);
	pthread_join(s->t, NULL);
	close(s->acc.lfd);
	/* Let handshake threads still running end before the server goes. */
	for (int i = 0; i < 300 && atomic_load(&s->acc.pending); i++)
		usleep(10 * 1000);
}

/* A TCP connection to the server from @src (NULL: any). */
static int connect_from(const struct server *s, const char *src)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)s->port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (src) {
		struct sockaddr_in me = { .sin_family = AF_INET };

		inet_pton(AF_INET, src, &me.sin_addr);
		REQUIRE(!bind(fd, (struct sockaddr *)&me, sizeof(me)), "bind %s: %s", src,
			strerror(errno));
	}
	REQUIRE(!connect(fd, (struct sockaddr *)&sa, sizeof(sa)), "connect: %s", strerror(errno));
	return fd;
}

static void t_silent_client_deadline(void)
{
	struct server s;
	struct side d;
	int silent, t0;
	int64_t start;
	char b;

	server_start(&s, &key_a, 800, 8, NULL);
	start = link_now_ms();
	silent = connect_from(&s, NULL);
	usleep(50 * 1000);
	/* A real peer meanwhile: its handshake completes at once. */
	side_init(&d, connect_from(&s, NULL), LINK_DIALER, 1, 2, &key_a);
	side_main(&d);
	close(d.io.fd);
	CHECK_R(d.r, LR_NONE);
	CHECK(ev_wait(&s.ev, &s.ev.established, 1, 500), "the real peer was not established");
	t0 = (int)(s.ev.est_ms - start);
	CHECK(t0 < 400, "the real peer waited %d ms behind a silent one", t0);
	CHECK(s.ev.refused == 0, "nothing refused yet");
	/* The silent one goes at its deadline, not before. */
	CHECK(ev_wait(&s.ev, &s.ev.refused, 1, 2000), "the silent client was never dropped");
	CHECK_R(s.ev.last, LR_TIMEOUT);
	CHECK(s.ev.ref_ms - start >= 790 && s.ev.ref_ms - start < 1500, "dropped after %d ms",
	      (int)(s.ev.ref_ms - start));
	CHECK(read(silent, &b, 1) == 0, "the silent client's connection is closed");
	close(silent);
	server_stop(&s);
}

static void t_too_many_pending(void)
{
	struct server s;
	int fds[3];

	server_start(&s, &key_a, 600, 2, NULL);
	for (int i = 0; i < 3; i++)
		fds[i] = connect_from(&s, NULL);
	CHECK(ev_wait(&s.ev, &s.ev.refused, 1, 300), "the third was not refused at once");
	CHECK_R(s.ev.last, LR_BUSY);
	CHECK(ev_wait(&s.ev, &s.ev.refused, 3, 1500), "the two pending ones stay");
	CHECK_R(s.ev.last, LR_TIMEOUT);
	for (int i = 0; i < 3; i++)
		close(fds[i]);
	server_stop(&s);
}

static void t_unkeyed_address(void)
{
	struct server s;
	struct side d;

	/* Node 1 lives at 127.0.0.2: from 127.0.0.3 it is refused ... */
	server_start(&s, NULL, 800, 8, "127.0.0.2");
	side_init(&d, connect_from(&s, "127.0.0.3"), LINK_DIALER, 1, 2, NULL);
	side_main(&d);
	close(d.io.fd);
	CHECK_R(d.r, LR_CLOSED);
	CHECK(ev_wait(&s.ev, &s.ev.refused, 1, 500), "not refused");
	CHECK_R(s.ev.last, LR_ADDR);
	CHECK(s.ev.established == 0, "established from the wrong address");
	/* ... and from its own address it links. */
	side_init(&d, connect_from(&s, "127.0.0.2"), LINK_DIALER, 1, 2, NULL);
	side_main(&d);
	close(d.io.fd);
	CHECK_R(d.r, LR_NONE);
	CHECK(ev_wait(&s.ev, &s.ev.established, 1, 500) && s.ev.last_node == 1, "not established");
	server_stop(&s);
}

static void t_refusal_counters(void)
{
	struct refusals r;

	refusals_init(&r, "node 9 (test)", true);
	for (int i = 0; i < 5; i++)
		refusals_note(&r, LR_PROOF, "test");
	refusals_note(&r, LR_TIMEOUT, NULL);
	CHECK(refusals_total(&r, LR_PROOF) == 5 && refusals_total(&r, LR_TIMEOUT) == 1, "totals");
	/* One summary logged at the first; the rest wait for the next second. */
	CHECK(r.unreported[LR_PROOF] == 4 && r.unreported[LR_TIMEOUT] == 1, "unreported %llu %llu",
	      r.unreported[LR_PROOF], r.unreported[LR_TIMEOUT]);
	refusals_flush(&r);
	CHECK(r.unreported[LR_PROOF] == 4, "flushed within the second");
	r.last_ms -= 1000;
	refusals_flush(&r);
	CHECK(r.unreported[LR_PROOF] == 0 && r.unreported[LR_TIMEOUT] == 0, "not flushed");
}

static void t_hostport(void)
{
	struct xport_addr a = { .port = 3000 };
	char err[128];

	CHECK(!xport_parse_hostport(&a, "10.0.0.1:4000", err, sizeof(err)) &&
	      !strcmp(a.host, "10.0.0.1") && a.port == 4000, "host:port");
	CHECK(!xport_parse_hostport(&a, "5000", err, sizeof(err)) && a.port == 5000 &&
	      !strcmp(a.host, "10.0.0.1"), "port alone");
	CHECK(!xport_parse_hostport(&a, "[::1]:6000", err, sizeof(err)) && !strcmp(a.host, "::1") &&
	      a.port == 6000, "[v6]:port");
	CHECK(!xport_parse_hostport(&a, "fe80::1", err, sizeof(err)) && !strcmp(a.host, "fe80::1"),
	      "bare v6");
	CHECK(xport_parse_hostport(&a, "host:0", err, sizeof(err)) && strstr(err, "1..65535"),
	      "port 0");
	CHECK(xport_parse_hostport(&a, "host:99x", err, sizeof(err)), "port junk");
	CHECK(xport_parse_hostport(&a, ":80", err, sizeof(err)) && strstr(err, "no host"), "no host");
}


/* A client of @path as uid @uid (-1: ours), in a child; its connect()'s errno or 0. */
static int bridge_client(const char *path, int uid)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int st, pfd[2];
	pid_t pid;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	REQUIRE(!pipe(pfd), "pipe");
	pid = fork();
	if (pid == 0) {
		int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0), e = 0;
		char b;

		close(pfd[1]);
		if (uid >= 0 && setuid((uid_t)uid))
			_exit(100);
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			e = errno;
		if (read(pfd[0], &b, 1) < 0)	/* hold the connection until told */
			e = 99;
		_exit(e);
	}
	close(pfd[0]);
	usleep(100 * 1000);
	close(pfd[1]);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void t_bridge_socket(void)
{
	char dir[] = "/tmp/test_link.XXXXXX", err[256], *slash;
	struct bridge_listener l;
	struct stat st;
	mode_t old;
	int fd;

	REQUIRE(mkdtemp(dir), "mkdtemp");
	slash = strrchr(dir, '/');
	*slash = 0;
	REQUIRE(!bridge_listener_init(&l, dir, slash + 1), "init");
	*slash = '/';
	old = umask(0);		/* the widest umask: the socket is 0600 all the same */
	bridge_accept(&l, 10, err, sizeof(err));
	umask(old);
	CHECK(!stat(l.path, &st) && (st.st_mode & 07777) == 0600, "mode %o", st.st_mode & 07777);
	/* Our own uid, the directory's owner: accepted. */
	CHECK(bridge_client(l.path, -1) == 0, "own uid cannot connect");
	fd = bridge_accept(&l, 500, err, sizeof(err));
	CHECK(fd >= 0 && bridge_check_peer(&l, fd, err, sizeof(err)) == 0, "own uid refused: %s", err);
	if (fd >= 0)
		close(fd);
	if (geteuid() == 0) {
		/* Another uid, the directory open to it, cannot even connect (0600) ... */
		chmod(dir, 0711);
		CHECK(bridge_client(l.path, 65534) == EACCES, "uid 65534 connected to a 0600 socket");
		/* ... and when the mode lets it, SO_PEERCRED refuses it. */
		chmod(l.path, 0666);
		CHECK(bridge_client(l.path, 65534) == 0, "uid 65534 cannot connect to 0666");
		fd = bridge_accept(&l, 500, err, sizeof(err));
		CHECK(fd >= 0 && bridge_check_peer(&l, fd, err, sizeof(err)) == -1 &&
		      strstr(err, "uid 65534"), "uid 65534 not refused: %s", err);
		if (fd >= 0)
			close(fd);
	} else {
		printf("  (not root: the other-uid half of bridge_socket is skipped)\n");
	}
	close(l.fd);
	unlink(l.path);
	rmdir(dir);
}

int main(void)
{
	uint8_t ka[16], kb[16];

	for (int i = 0; i < 16; i++) {
		ka[i] = (uint8_t)i;
		kb[i] = (uint8_t)(i + 1);
	}
	if (sodium_init() < 0 || link_secret_init(&key_a, ka) || link_secret_init(&key_b, kb)) {
		printf("FAIL: test_link/setup: libsodium\n");
		return 1;
	}
	run("same_key", t_same_key);
	run("unkeyed", t_unkeyed);
	run("wrong_key", t_wrong_key);
	run("keyed_meets_unkeyed", t_keyed_meets_unkeyed);
	run("packet_keyed", t_packet_keyed);
	run("replay_on_new_connection", t_replay_on_new_connection);
	run("frames_cross_connections", t_frames_cross_connections);
	run("unexpected_node", t_unexpected_node);
	run("silent_client_deadline", t_silent_client_deadline);
	run("too_many_pending", t_too_many_pending);
	run("unkeyed_address", t_unkeyed_address);
	run("refusal_counters", t_refusal_counters);
	run("hostport", t_hostport);
	run("bridge_socket", t_bridge_socket);
	return failed ? 1 : 0;
}
