// SPDX-License-Identifier: GPL-2.0
/* dvs-proxy's accept loop with a thread per pending handshake (acceptor.h). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "acceptor.h"
#include "transport.h"

struct pending {
	struct acceptor *a;
	int fd;
};

static void *handshake_main(void *arg)
{
	struct pending *pd = arg;
	struct acceptor *a = pd->a;
	struct link_io io = { .fd = pd->fd, .piece = a->piece };
	struct link_hs hs = a->tmpl;
	enum link_refusal r;

	free(pd);
	hs.role = LINK_ACCEPTOR;
	r = link_handshake(&io, &hs);
	if (r == LR_NONE) {
		a->established(a->ctx, io.fd, &hs);
	} else {
		a->refused(a->ctx, r, &hs);
		close(io.fd);
	}
	atomic_fetch_sub(&a->pending, 1);
	return NULL;
}

void acceptor_take(struct acceptor *a, int fd)
{
	struct link_hs hs = a->tmpl;
	struct pending *pd;
	pthread_attr_t attr;
	pthread_t t;

	if (atomic_fetch_add(&a->pending, 1) >= a->max_pending) {
		atomic_fetch_sub(&a->pending, 1);
		hs.peer_node = -1;
		snprintf(hs.detail, sizeof(hs.detail), "%d handshakes already pending", a->max_pending);
		a->refused(a->ctx, LR_BUSY, &hs);
		close(fd);
		return;
	}
	pd = malloc(sizeof(*pd));
	if (pd) {
		pd->a = a;
		pd->fd = fd;
	}
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 128 * 1024);	/* a handshake needs little */
	if (!pd || pthread_create(&t, &attr, handshake_main, pd)) {
		free(pd);
		atomic_fetch_sub(&a->pending, 1);
		hs.peer_node = -1;
		snprintf(hs.detail, sizeof(hs.detail), "no memory for a handshake thread");
		a->refused(a->ctx, LR_BUSY, &hs);
		close(fd);
	}
	pthread_attr_destroy(&attr);
}

int acceptor_run(struct acceptor *a)
{
	for (;;) {
		int fd = xport_accept(a->lfd);

		if (fd >= 0) {
			acceptor_take(a, fd);
			continue;
		}
		if (errno == EINVAL || errno == EBADF || errno == ENOTSOCK)
			return errno;
		if (errno != EINTR && errno != ECONNABORTED)
			usleep(100 * 1000);	/* EMFILE and the like: let it pass */
	}
}
