/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stream transports for dvs-proxy: TCP (TCP_NODELAY) and TIPC (SOCK_STREAM
 * on a service address). Each returns a connected or listening socket, or
 * -1 with the reason in @err.
 */
#ifndef _DVS_TRANSPORT_H
#define _DVS_TRANSPORT_H

#include <stddef.h>

enum xport { XPORT_TCP, XPORT_TIPC };

/* TIPC service type of DVS proxies; the instance is the listening node's id. */
#define XPORT_TIPC_TYPE	0x44565300

struct xport_addr {
	enum xport type;
	char host[256];		/* TCP: host name or address ("" to listen on every address) */
	int port;		/* TCP: port */
	int node;		/* TIPC: the node id (service instance) */
};

int xport_listen(const struct xport_addr *a, char *err, size_t errlen);
int xport_connect(const struct xport_addr *a, int timeout_ms, char *err, size_t errlen);
int xport_accept(int lfd);

/*
 * HOST[:PORT], [V6ADDR][:PORT] or PORT into @a (TCP): 0, or -1 with the
 * reason in @err. A PORT alone keeps a->host.
 */
int xport_parse_hostport(struct xport_addr *a, const char *s, char *err, size_t errlen);

/*
 * Is connection @fd's other end at @a (TCP: one of the host's addresses;
 * TIPC: the node that publishes a->node's proxy service)? 1 yes, 0 no
 * (@err says what it is instead), -1 cannot tell (@err says why).
 */
int xport_peer_is(int fd, const struct xport_addr *a, char *err, size_t errlen);

/*
 * Write all of @buf, at most @piece bytes (0: no limit) per send; 0 or -1
 * (errno set).
 */
int xport_write_all(int fd, const void *buf, size_t len, size_t piece);

/*
 * TIPC: the largest send that leaves as one message within an Ethernet
 * bearer's MTU. Larger ones are fragmented on the link, and reassembling
 * them trips a use-after-free in Debian 6.1's TIPC (refcount underflow
 * in sock_wfree from tipc_sk_filter_rcv, seen with dvs-proxy's copies).
 */
#define XPORT_TIPC_PIECE	1024

/*
 * A connection's received bytes: buf[head, tail) not yet consumed. One
 * read takes as much as the socket has (several small frames in one
 * system call), except in @exact mode, which never reads past what is
 * asked for (a connection handed to another reader after its first frame).
 */
struct xport_rbuf {
	unsigned char *buf;
	size_t cap, head, tail;
	int exact;
};

/* Reads on @fd give up after @timeout_ms of silence. 0 or -1. */
int xport_set_silence(int fd, int timeout_ms);

/*
 * Make at least @need bytes available at buf + head (@need <= cap); gives
 * up after the socket's silence time (errno ETIMEDOUT) or at the end of
 * the stream (ECONNRESET). Bytes already there may move.
 */
int xport_fill(int fd, struct xport_rbuf *rb, size_t need);

#endif /* _DVS_TRANSPORT_H */
