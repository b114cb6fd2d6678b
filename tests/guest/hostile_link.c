// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile party on a dvs-proxy link (tests/guest/hostile-link.sh runs it
 * in a UML guest next to the proxy it attacks):
 *
 *   hostile_link relay LPORT HOST PORT RECORD
 *	a man in the middle: accepts on LPORT, relays each connection to
 *	HOST:PORT, and records what the first one's client sent in RECORD
 *   hostile_link replay RECORD HOST PORT PROXY_PID PROXY_LOG PEER
 *	replays the recorded handshake and frames, without the key, on new
 *	connections: refused (bad-proof; the frames alone: bad-tag),
 *	and the live link of node PEER is not touched
 *   hostile_link silent HOST PORT N PROXY_PID PROXY_LOG
 *	N connections that never say anything to a proxy that just started:
 *	the real peer links within 2 s all the same, and the N are dropped
 *	at the handshake deadline (counted as timeouts)
 *   hostile_link impostor SRC HOST PORT PROXY_PID PROXY_LOG PEER SELF
 *	an unkeyed HELLO as node PEER from address SRC, not PEER's: refused
 *	(address), the live link untouched
 *
 * Each check prints "PASS: hostile-link/NAME" or "FAIL: hostile-link/NAME: why".
 * The proxy's counters come from its SIGUSR1 dump in PROXY_LOG.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include "../../proxies/link.h"
#include "../../proxies/wire.h"

static int failures;

static void result(int ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void result(int ok, const char *name, const char *fmt, ...)
{
	char why[300] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (ok) {
		printf("PASS: hostile-link/%s\n", name);
	} else {
		printf("FAIL: hostile-link/%s: %s\n", name, why);
		failures++;
	}
	fflush(stdout);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int tcp_connect(const char *src, const char *host, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0 || inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return -1;
	if (src) {
		struct sockaddr_in me = { .sin_family = AF_INET };

		if (inet_pton(AF_INET, src, &me.sin_addr) != 1 ||
		    bind(fd, (struct sockaddr *)&me, sizeof(me))) {
			fprintf(stderr, "hostile_link: bind %s: %s\n", src, strerror(errno));
			close(fd);
			return -1;
		}
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* Wait up to @ms for the other side to close @fd (reading and dropping what comes): its ms, or -1. */
static long long wait_closed(int fd, int ms)
{
	long long start = now_ms(), end = start + ms;
	char b[512];

	while (now_ms() < end) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pf, 1, (int)(end - now_ms())) <= 0)
			continue;
		n = read(fd, b, sizeof(b));
		if (n <= 0)
			return now_ms() - start;
	}
	return -1;
}

/* ---- The proxy's log and counters ----------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap * 2 + 8192);

			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		size_t k = fread(buf + n, 1, 4096, f);

		n += k;
		if (k == 0)
			break;
	}
	fclose(f);
	buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}

static int count_lines(const char *path, const char *needle)
{
	char *s = slurp(path, NULL), *p;
	int n = 0;

	if (!s)
		return -1;
	for (p = s; (p = strstr(p, needle)); p++)
		n++;
	free(s);
	return n;
}

/*
 * Counter @label of bucket @who ("node 1 (node1)" or "unidentified
 * connections") from a fresh SIGUSR1 dump: its value (0 if absent), or -1.
 */
static long counter(int pid, const char *log, const char *who, const char *label)
{
	int before = count_lines(log, "dvs-proxy: counters end");
	char want[160], *s, *end, *start, *line;
	long v = 0;

	if (before < 0 || kill(pid, SIGUSR1))
		return -1;
	for (int i = 0; i < 100 && count_lines(log, "dvs-proxy: counters end") <= before; i++)
		usleep(20 * 1000);
	s = slurp(log, NULL);
	if (!s)
		return -1;
	/* The last dump: the lines before the last end marker, back to the one before. */
	end = NULL;
	for (char *p = s; (p = strstr(p, "dvs-proxy: counters end")); p++)
		end = p;
	if (!end) {
		free(s);
		return -1;
	}
	*end = 0;
	start = s;
	for (char *p = s; (p = strstr(p, "dvs-proxy: counters end")); p++)
		start = p;
	snprintf(want, sizeof(want), "dvs-proxy: counters: %s:", who);
	line = strstr(start, want);
	if (line) {
		char *nl = strchr(line, '\n'), key[40], *k;

		if (nl)
			*nl = 0;
		snprintf(key, sizeof(key), " %s=", label);
		k = strstr(line, key);
		if (k)
			v = strtol(k + strlen(key), NULL, 10);
	}
	free(s);
	return v;
}

/* ---- relay ---------------------------------------------------------------- */

/* Relay one connection until either side ends it: 0, or -1 if @host:@port was not there. */
static int relay_conn(int c, const char *host, int port, FILE *rec)
{
	int s = tcp_connect(NULL, host, port);
	char b[16384];

	if (s < 0) {
		close(c);
		return -1;
	}
	for (;;) {
		struct pollfd pf[2] = { { .fd = c, .events = POLLIN }, { .fd = s, .events = POLLIN } };
		ssize_t n;

		if (poll(pf, 2, -1) < 0 && errno != EINTR)
			break;
		if (pf[0].revents) {
			n = read(c, b, sizeof(b));
			if (n <= 0 || write(s, b, (size_t)n) != n)
				break;
			if (rec && ftell(rec) < 65536) {
				fwrite(b, 1, (size_t)n, rec);
				fflush(rec);
			}
		}
		if (pf[1].revents) {
			n = read(s, b, sizeof(b));
			if (n <= 0 || write(c, b, (size_t)n) != n)
				break;
		}
	}
	close(s);
	close(c);
	return 0;
}

static int do_relay(int lport, const char *host, int port, const char *record)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)lport) };
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	FILE *rec = fopen(record, "w");

	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (!rec || bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 8)) {
		fprintf(stderr, "hostile_link relay: %s\n", strerror(errno));
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		int c = accept(l, NULL, NULL);

		if (c < 0)
			continue;
		setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		/* One link at a time; the first that reached the proxy is recorded. */
		if (!relay_conn(c, host, port, rec) && rec) {
			fclose(rec);
			rec = NULL;
		}
	}
}

/* ---- replay ---------------------------------------------------------------- */

/* The offsets of the first @max whole frames in @rec. */
static int frames(const uint8_t *rec, size_t n, size_t *off, int max)
{
	size_t at = 0, total;
	int k = 0;

	while (k < max && at + WIRE_HDR_LEN <= n && !wire_frame_len(rec + at, n - at, &total) &&
	       at + total <= n) {
		off[k++] = at;
		at += total;
	}
	off[k] = at;
	return k;
}

static int do_replay(const char *record, const char *host, int port, int pid, const char *log,
		     int peer)
{
	char who[64];
	size_t n = 0, off[65];
	uint8_t *rec = (uint8_t *)slurp(record, &n);
	int nf, downs, links, fd;
	long proof0, tag0, v;
	long long t;

	snprintf(who, sizeof(who), "node %d (node%d)", peer, peer);
	nf = rec ? frames(rec, n, off, 64) : 0;
	/* HELLO, proof, then the link's own frames (heartbeats, acks) */
	result(nf >= 3, "recorded-a-live-link", "%d whole frames in %s", nf, record);
	if (nf < 3)
		return 1;
	downs = count_lines(log, "link down");
	links = count_lines(log, "linked (");
	proof0 = counter(pid, log, who, "bad-proof");
	tag0 = counter(pid, log, "unidentified connections", "bad-tag");

	/* (1) The whole recording, handshake first, on a new connection. */
	fd = tcp_connect(NULL, host, port);
	if (fd < 0 || write(fd, rec, off[nf]) != (ssize_t)off[nf]) {
		result(0, "replayed-handshake-refused", "cannot connect or write: %s", strerror(errno));
		return 1;
	}
	t = wait_closed(fd, 4000);
	close(fd);
	v = counter(pid, log, who, "bad-proof");
	result(t >= 0 && v == proof0 + 1, "replayed-handshake-refused",
	       "closed after %lld ms, bad-proof %ld -> %ld", t, proof0, v);

	/* (2) The link's frames alone (from the third on): not a handshake, and not this connection's. */
	fd = tcp_connect(NULL, host, port);
	if (fd < 0 || write(fd, rec + off[2], off[nf] - off[2]) != (ssize_t)(off[nf] - off[2])) {
		result(0, "replayed-frames-refused", "cannot connect or write: %s", strerror(errno));
		return 1;
	}
	t = wait_closed(fd, 4000);
	close(fd);
	/* No HELLO that decodes: the connection never said who it is. */
	v = counter(pid, log, "unidentified connections", "bad-tag");
	result(t >= 0 && v == tag0 + 1, "replayed-frames-refused",
	       "closed after %lld ms, bad-tag %ld -> %ld", t, tag0, v);

	usleep(500 * 1000);
	result(count_lines(log, "link down") == downs && count_lines(log, "linked (") == links,
	       "live-link-untouched-by-replays", "link down %d -> %d, linked %d -> %d", downs,
	       count_lines(log, "link down"), links, count_lines(log, "linked ("));
	result(count_lines(log, "refused 1 (bad-proof 1)") >= 1, "replay-logged",
	       "no 'refused 1 (bad-proof 1)' summary in %s", log);
	free(rec);
	return failures != 0;
}

/* ---- silent ---------------------------------------------------------------- */

static int do_silent(const char *host, int port, int n, int pid, const char *log)
{
	int fds[64], got = 0;
	long long t0, up = -1, closed_max = 0;
	long v;

	if (n > 64)
		n = 64;
	/* The proxy has just started: connect as soon as it listens. */
	for (int i = 0; i < 500 && got == 0; i++) {
		fds[0] = tcp_connect(NULL, host, port);
		if (fds[0] >= 0)
			got = 1;
		else
			usleep(10 * 1000);
	}
	for (; got < n; got++) {
		fds[got] = tcp_connect(NULL, host, port);
		if (fds[got] < 0)
			break;
	}
	t0 = now_ms();
	result(got == n, "silent-connections-open", "%d of %d connected", got, n);
	/* The real peer dials every half second: its link is up within 2 s all the same. */
	while (now_ms() - t0 < 5000) {
		if (count_lines(log, "linked (") > 0) {
			up = now_ms() - t0;
			break;
		}
		usleep(20 * 1000);
	}
	result(up >= 0 && up < 2000, "real-peer-links-despite-silent-ones",
	       "linked after %lld ms (-1: not in 5 s)", up);
	for (int i = 0; i < got; i++) {
		long long t = wait_closed(fds[i], 5000);

		if (t < 0 || closed_max < 0)
			closed_max = -1;
		else if (now_ms() - t0 > closed_max)
			closed_max = now_ms() - t0;
		close(fds[i]);
	}
	result(closed_max > 0 && closed_max < 4000, "silent-ones-dropped-at-deadline",
	       "last closed %lld ms after opening (-1: one never was)", closed_max);
	v = counter(pid, log, "unidentified connections", "timeout");
	result(v == n, "silent-ones-counted", "timeout counter %ld, want %d", v, n);
	return failures != 0;
}

/* ---- impostor --------------------------------------------------------------- */

static int do_impostor(const char *src, const char *host, int port, int pid, const char *log,
		       int peer, int self)
{
	struct dvk_cmd c = { .c_cmd = DVK_CMD_HELLO, .c_snode = peer, .c_dnode = self };
	uint8_t buf[WIRE_HDR_LEN + WIRE_TAG_LEN], nonce[LINK_NONCE_LEN] = { 1, 2, 3 };
	char who[64];
	int links = count_lines(log, "linked ("), downs = count_lines(log, "link down"), fd;
	long a0, v;
	long long t;
	ssize_t n;

	snprintf(who, sizeof(who), "node %d (node%d)", peer, peer);
	a0 = counter(pid, log, who, "address");
	c.c_msg.m_source = LINK_VERSION;
	memcpy(&c.c_msg.m_u, nonce, sizeof(nonce));
	n = wire_encode(buf, sizeof(buf), &c, NULL, 0, 0, NULL);
	fd = tcp_connect(src, host, port);
	if (n < 0 || fd < 0 || write(fd, buf, (size_t)n) != n) {
		result(0, "impostor-refused", "cannot connect from %s or write: %s", src,
		       strerror(errno));
		return 1;
	}
	/* Refused: closed without a HELLO back. */
	t = wait_closed(fd, 3000);
	close(fd);
	v = counter(pid, log, who, "address");
	result(t >= 0 && v == a0 + 1, "impostor-refused", "closed after %lld ms, address %ld -> %ld",
	       t, a0, v);
	result(count_lines(log, "unkeyed HELLO as node") >= 1, "impostor-logged",
	       "no 'unkeyed HELLO as node' line in %s", log);
	usleep(300 * 1000);
	result(count_lines(log, "linked (") == links && count_lines(log, "link down") == downs,
	       "live-link-untouched-by-impostor", "linked %d -> %d", links,
	       count_lines(log, "linked ("));
	return failures != 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 6 && !strcmp(argv[1], "relay"))
		return do_relay(atoi(argv[2]), argv[3], atoi(argv[4]), argv[5]);
	if (argc == 8 && !strcmp(argv[1], "replay"))
		return do_replay(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]), argv[6], atoi(argv[7]));
	if (argc == 7 && !strcmp(argv[1], "silent"))
		return do_silent(argv[2], atoi(argv[3]), atoi(argv[4]), atoi(argv[5]), argv[6]);
	if (argc == 9 && !strcmp(argv[1], "impostor"))
		return do_impostor(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]), argv[6],
				   atoi(argv[7]), atoi(argv[8]));
	fprintf(stderr, "usage: hostile_link relay LPORT HOST PORT RECORD\n"
			"       hostile_link replay RECORD HOST PORT PROXY_PID PROXY_LOG PEER\n"
			"       hostile_link silent HOST PORT N PROXY_PID PROXY_LOG\n"
			"       hostile_link impostor SRC HOST PORT PROXY_PID PROXY_LOG PEER SELF\n");
	return 2;
}
