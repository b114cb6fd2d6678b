/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between the two halves of the DVS bridge driver: dvsbridge_kern.c (the
 * guest's /dev/umlXX, kernel headers) and dvsbridge_user.c (the host
 * socket, host libc). Results are byte counts or negated errnos.
 */
#ifndef _DVSBRIDGE_H
#define _DVSBRIDGE_H

/* The host socket's name in the instance's directory (~/.uml/<umid>/). */
#define DVSBR_SOCK_NAME		"dvsbr"

/* Connect to the host proxy's SOCK_SEQPACKET socket at @path: an fd. */
int dvsbr_user_connect(const char *path);

/* One frame out, whole or not at all: @len, -EAGAIN (host side full), -errno. */
int dvsbr_user_send(int fd, const void *buf, int len);

/* The next frame's length: > 0, -EAGAIN (none), 0 (the host closed), -errno. */
int dvsbr_user_peek(int fd);

/* Take the next frame into @buf (@len from dvsbr_user_peek()). */
int dvsbr_user_recv(int fd, void *buf, int len);

void dvsbr_user_close(int fd);

#endif /* _DVSBRIDGE_H */
