/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvs-proxy's uml transport: the two ends of a UML guest's bridge. In the
 * guest, /dev/umlXX (guest-driver/); on the host, the SOCK_SEQPACKET socket
 * the guest's kernel connects to, next to its mconsole socket. Either way
 * one read or write is one whole frame.
 */
#ifndef _DVS_BRIDGE_H
#define _DVS_BRIDGE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The socket's name in the instance's directory (as guest-driver/dvsbridge.h). */
#define BRIDGE_SOCK_NAME	"dvsbr"

/*
 * The host's listening socket for one guest. The instance (re)creates its
 * directory when it boots, removing what was there: the socket is made when
 * the directory exists and made again when it is gone or replaced.
 */
struct bridge_listener {
	char path[108];
	int fd;
	dev_t dev;
	ino_t ino;
	bool waiting_said;
};

/* @path: UMLDIR/UMID/dvsbr. 0, or -1 if too long. */
int bridge_listener_init(struct bridge_listener *l, const char *uml_dir, const char *umid);

/*
 * Wait up to @timeout_ms for the guest to connect: its connection, or -1
 * (none yet; @err says why when something is wrong, else it is empty).
 */
int bridge_accept(struct bridge_listener *l, int timeout_ms, char *err, size_t errlen);

/*
 * Is the process at the other end of @fd (SO_PEERCRED) of the uid that
 * owns the instance's directory? 0, or -1 with the reason in @err.
 */
int bridge_check_peer(const struct bridge_listener *l, int fd, char *err, size_t errlen);

/* The guest's end: /dev/umlNN opened read-write, or -1 with the reason in @err. */
int bridge_open_device(int node, char *err, size_t errlen);

/* The next frame within @timeout_ms (-1: wait): its length, 0 (closed), or -errno. */
ssize_t bridge_read(int fd, void *buf, size_t cap, int timeout_ms);

/* Write one frame, waiting while the other side is full: 0 or -errno. */
int bridge_write(int fd, const void *buf, size_t len);

#endif /* _DVS_BRIDGE_H */
