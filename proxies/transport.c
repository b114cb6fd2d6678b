// SPDX-License-Identifier: GPL-2.0
/*
 * dvs-proxy's stream transports. TCP listens on a port and connects to
 * host:port with Nagle off (every frame is a latency-bound message); TIPC
 * binds the service {XPORT_TIPC_TYPE, node} and connects to the peer's.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <linux/tipc.h>
#include "transport.h"

static int xport_fail(char *err, size_t len, const char *what, int e)
{
	snprintf(err, len, "%s: %s", what, strerror(e));
	return -1;
}

/* A TIPC socket and the service address of @node, or a clear reason why not. */
static int xport_tipc_open(struct sockaddr_tipc *sa, int node, char *err, size_t len)
{
	int fd;

	memset(sa, 0, sizeof(*sa));
	sa->family = AF_TIPC;
	sa->addrtype = TIPC_ADDR_NAME;
	sa->addr.name.name.type = XPORT_TIPC_TYPE;
	sa->addr.name.name.instance = (unsigned int)node;
	fd = socket(AF_TIPC, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 && (errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT))
		snprintf(err, len, "TIPC is not available in this kernel "
			 "(load it with 'modprobe tipc', or use --transport tcp)");
	else if (fd < 0)
		xport_fail(err, len, "socket(AF_TIPC)", errno);
	return fd;
}


/* bind + listen on @fd, or close it with the reason in @err. */
static int xport_bind_listen(int fd, const struct sockaddr *sa, socklen_t len, const char *what,
			     char *err, size_t errlen)
{
	int one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, sa, len) || listen(fd, 8)) {
		xport_fail(err, errlen, what, errno);
		close(fd);
		return -1;
	}
	return fd;
}

int xport_listen(const struct xport_addr *a, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6, .sin6_port = htons(a->port),
				   .sin6_addr = IN6ADDR_ANY_INIT };
	struct sockaddr_in s4 = { .sin_family = AF_INET, .sin_port = htons(a->port) };
	int fd;

	if (a->type == XPORT_TIPC) {
		struct sockaddr_tipc sa;

		fd = xport_tipc_open(&sa, a->node, err, errlen);
		if (fd < 0)
			return -1;
		sa.addrtype = TIPC_ADDR_NAMESEQ;
		sa.addr.nameseq.type = XPORT_TIPC_TYPE;
		sa.addr.nameseq.lower = sa.addr.nameseq.upper = (unsigned int)a->node;
		sa.scope = TIPC_CLUSTER_SCOPE;
		return xport_bind_listen(fd, (struct sockaddr *)&sa, sizeof(sa), "TIPC bind/listen",
					 err, errlen);
	}
	if (a->host[0]) {	/* one address: --listen ADDR[:PORT] */
		struct addrinfo *res;
		char port[16];
		int r;

		snprintf(port, sizeof(port), "%d", a->port);
		r = getaddrinfo(a->host, port, &hints, &res);
		if (r) {
			snprintf(err, errlen, "%s: %s", a->host, gai_strerror(r));
			return -1;
		}
		fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC, res->ai_protocol);
		if (fd < 0) {
			freeaddrinfo(res);
			return xport_fail(err, errlen, "socket", errno);
		}
		fd = xport_bind_listen(fd, res->ai_addr, res->ai_addrlen, "bind/listen", err, errlen);
		freeaddrinfo(res);
		return fd;
	}
	fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0)
		return xport_bind_listen(fd, (struct sockaddr *)&s6, sizeof(s6), "bind/listen",
					 err, errlen);
	/* No IPv6 in this kernel: IPv4 only. */
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return xport_fail(err, errlen, "socket", errno);
	return xport_bind_listen(fd, (struct sockaddr *)&s4, sizeof(s4), "bind/listen", err, errlen);
}

/* connect() with a deadline, on a socket made non-blocking meanwhile. */
static int xport_connect_fd(int fd, const struct sockaddr *sa, socklen_t len, int timeout_ms)
{
	int fl = fcntl(fd, F_GETFL), e = 0;
	socklen_t el = sizeof(e);
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	if (connect(fd, sa, len) && errno != EINPROGRESS)
		return -1;
	if (poll(&p, 1, timeout_ms) != 1) {
		errno = ETIMEDOUT;
		return -1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) || e) {
		errno = e ? e : errno;
		return -1;
	}
	fcntl(fd, F_SETFL, fl);
	return 0;
}

int xport_connect(const struct xport_addr *a, int timeout_ms, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV }, *res, *ai;
	char port[16];
	int fd = -1, one = 1, r;

	if (a->type == XPORT_TIPC) {
		struct sockaddr_tipc sa;

		fd = xport_tipc_open(&sa, a->node, err, errlen);
		if (fd < 0)
			return -1;
		if (xport_connect_fd(fd, (struct sockaddr *)&sa, sizeof(sa), timeout_ms)) {
			xport_fail(err, errlen, "TIPC connect", errno);
			close(fd);
			return -1;
		}
		return fd;
	}
	snprintf(port, sizeof(port), "%d", a->port);
	r = getaddrinfo(a->host, port, &hints, &res);
	if (r) {
		snprintf(err, errlen, "%s: %s", a->host, gai_strerror(r));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0)
			continue;
		if (!xport_connect_fd(fd, ai->ai_addr, ai->ai_addrlen, timeout_ms))
			break;
		xport_fail(err, errlen, "connect", errno);
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd >= 0)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

int xport_accept(int lfd)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC), one = 1;

	if (fd >= 0)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));	/* harmless on TIPC */
	return fd;
}

int xport_write_all(int fd, const void *buf, size_t len, size_t piece)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(fd, p, piece && len > piece ? piece : len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int xport_set_silence(int fd, int timeout_ms)
{
	struct timeval tv = { .tv_sec = timeout_ms / 1000, .tv_usec = timeout_ms % 1000 * 1000 };

	return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

int xport_fill(int fd, struct xport_rbuf *rb, size_t need)
{
	if (need > rb->cap) {
		errno = EMSGSIZE;
		return -1;
	}
	if (rb->head == rb->tail)
		rb->head = rb->tail = 0;
	if (rb->cap - rb->head < need) {
		memmove(rb->buf, rb->buf + rb->head, rb->tail - rb->head);
		rb->tail -= rb->head;
		rb->head = 0;
	}
	while (rb->tail - rb->head < need) {
		size_t room = rb->exact ? need - (rb->tail - rb->head) : rb->cap - rb->tail;
		ssize_t n = recv(fd, rb->buf + rb->tail, room, 0);

		if (n > 0) {
			rb->tail += (size_t)n;
		} else if (n == 0) {
			errno = ECONNRESET;
			return -1;
		} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			errno = ETIMEDOUT;
			return -1;
		} else if (errno != EINTR) {
			return -1;
		}
	}
	return 0;
}

int xport_parse_hostport(struct xport_addr *a, const char *s, char *err, size_t errlen)
{
	const char *colon, *host = s, *port = NULL;
	size_t hlen;
	char *end;
	long v;

	if (s[0] == '[') {		/* [v6]:port */
		const char *close = strchr(s, ']');

		if (!close) {
			snprintf(err, errlen, "'%s': no ']' after an IPv6 address", s);
			return -1;
		}
		host = s + 1;
		hlen = (size_t)(close - host);
		if (close[1] == ':')
			port = close + 2;
		else if (close[1]) {
			snprintf(err, errlen, "'%s': junk after ']'", s);
			return -1;
		}
	} else if (strspn(s, "0123456789") == strlen(s)) {
		port = s;		/* a port alone */
		hlen = 0;
		host = NULL;
	} else {
		colon = strrchr(s, ':');
		/* Two colons or more without brackets: a bare IPv6 address. */
		if (colon && strchr(s, ':') == colon) {
			hlen = (size_t)(colon - s);
			port = colon + 1;
		} else {
			hlen = strlen(s);
		}
	}
	if (port) {
		v = strtol(port, &end, 10);
		if (!*port || *end || v < 1 || v > 65535) {
			snprintf(err, errlen, "'%s': the port must be a number in 1..65535", s);
			return -1;
		}
		a->port = (int)v;
	}
	if (host) {
		if (!hlen || hlen >= sizeof(a->host)) {
			snprintf(err, errlen, "'%s': %s host", s, hlen ? "too long a" : "no");
			return -1;
		}
		memcpy(a->host, host, hlen);
		a->host[hlen] = 0;
	}
	return 0;
}

/* The TIPC node address that publishes {XPORT_TIPC_TYPE, @inst}: 0, or -1. */
static int xport_tipc_publisher(unsigned int inst, unsigned int *node, char *err, size_t errlen)
{
	struct sockaddr_tipc top = { .family = AF_TIPC, .addrtype = TIPC_ADDR_NAME };
	struct tipc_subscr sub = { .seq = { XPORT_TIPC_TYPE, inst, inst }, .timeout = 1000,
				   .filter = TIPC_SUB_PORTS };
	struct tipc_event ev;
	struct pollfd pf;
	int fd, ok = -1;

	top.addr.name.name.type = TIPC_TOP_SRV;
	top.addr.name.name.instance = TIPC_TOP_SRV;
	fd = socket(AF_TIPC, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&top, sizeof(top)) ||
	    send(fd, &sub, sizeof(sub), 0) != sizeof(sub)) {
		xport_fail(err, errlen, "TIPC topology service", errno);
		goto out;
	}
	pf.fd = fd;
	pf.events = POLLIN;
	/* The first event: the publication if there is one, else the timeout. */
	if (poll(&pf, 1, 1500) == 1 && recv(fd, &ev, sizeof(ev), 0) == sizeof(ev) &&
	    ev.event == TIPC_PUBLISHED) {
		*node = ev.port.node;
		ok = 0;
	} else {
		snprintf(err, errlen, "no TIPC node publishes node %u's proxy service", inst);
	}
out:
	if (fd >= 0)
		close(fd);
	return ok;
}

/* The IPv4 address inside @ss (plain or v4-mapped), or 0 when there is none. */
static int xport_v4(const struct sockaddr_storage *ss, struct in_addr *v4)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

	if (ss->ss_family == AF_INET) {
		*v4 = ((const struct sockaddr_in *)ss)->sin_addr;
		return 1;
	}
	if (ss->ss_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		memcpy(v4, &s6->sin6_addr.s6_addr[12], 4);
		return 1;
	}
	return 0;
}

int xport_peer_is(int fd, const struct xport_addr *a, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char shown[INET6_ADDRSTRLEN] = "?";
	struct in_addr v4, w4;
	int r, match = 0;

	if (getpeername(fd, (struct sockaddr *)&ss, &len))
		return xport_fail(err, errlen, "getpeername", errno);
	if (a->type == XPORT_TIPC) {
		const struct sockaddr_tipc *st = (const struct sockaddr_tipc *)&ss;
		unsigned int want;

		if (xport_tipc_publisher((unsigned int)a->node, &want, err, errlen))
			return -1;
		if (st->addr.id.node == want)
			return 1;
		snprintf(err, errlen, "TIPC node %#x, not %#x", st->addr.id.node, want);
		return 0;
	}
	if (xport_v4(&ss, &v4))
		inet_ntop(AF_INET, &v4, shown, sizeof(shown));
	else if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, shown, sizeof(shown));
	r = getaddrinfo(a->host, NULL, &hints, &res);
	if (r) {
		snprintf(err, errlen, "%s: %s", a->host, gai_strerror(r));
		return -1;
	}
	for (ai = res; ai && !match; ai = ai->ai_next) {
		struct sockaddr_storage want = { 0 };

		memcpy(&want, ai->ai_addr, ai->ai_addrlen);
		if (xport_v4(&ss, &v4) && xport_v4(&want, &w4))
			match = v4.s_addr == w4.s_addr;
		else if (ss.ss_family == AF_INET6 && want.ss_family == AF_INET6)
			match = !memcmp(&((struct sockaddr_in6 *)&ss)->sin6_addr,
					&((struct sockaddr_in6 *)&want)->sin6_addr, 16);
	}
	freeaddrinfo(res);
	if (!match)
		snprintf(err, errlen, "from %s, not %s", shown, a->host);
	return match;
}
