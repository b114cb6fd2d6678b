/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvs-proxy's accept loop: every accepted connection gets a thread of its
 * own for its handshake (link.h), with the handshake's deadline, so a
 * silent or slow connection delays nobody else. At most max_pending
 * handshakes run at once; a connection beyond that is closed at once.
 */
#ifndef DVS_PROXIES_ACCEPTOR_H
#define DVS_PROXIES_ACCEPTOR_H

#include <stdatomic.h>
#include "link.h"

struct acceptor {
	int lfd;			/* a listening stream socket */
	int max_pending;
	size_t piece;			/* the transport's largest send (0: any) */
	struct link_hs tmpl;		/* self, secret, incarnation, timeout_ms, check, ctx */
	/* A handshake succeeded: @fd is now the caller's. */
	void (*established)(void *ctx, int fd, const struct link_hs *hs);
	/* A connection was refused (@hs->peer_node: the node it claimed, or -1); @fd is closed after. */
	void (*refused)(void *ctx, enum link_refusal why, const struct link_hs *hs);
	void *ctx;
	atomic_int pending;
};

/* Accept until the listening socket fails (shut down or closed): returns its errno. */
int acceptor_run(struct acceptor *a);

/* Hand one accepted connection to a handshake thread, or refuse it (LR_BUSY). */
void acceptor_take(struct acceptor *a, int fd);

#endif /* DVS_PROXIES_ACCEPTOR_H */
