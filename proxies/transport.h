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
	char host[256];		/* TCP: host name or address */
	int port;		/* TCP: port */
	int node;		/* TIPC: the node id (service instance) */
};

int xport_listen(const struct xport_addr *a, char *err, size_t errlen);
int xport_connect(const struct xport_addr *a, int timeout_ms, char *err, size_t errlen);
int xport_accept(int lfd);

/* Whole-buffer I/O; read_full gives up after @timeout_ms of silence (-1: never). */
int xport_write_all(int fd, const void *buf, size_t len);
int xport_read_full(int fd, void *buf, size_t len, int timeout_ms);

#endif /* _DVS_TRANSPORT_H */
