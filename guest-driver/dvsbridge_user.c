// SPDX-License-Identifier: GPL-2.0
/*
 * The DVS bridge's host half: a SOCK_SEQPACKET Unix socket to the host's
 * dvs-proxy. Each message is one frame, so frames are never split or
 * merged; every call is non-blocking (the kernel half waits on IRQs).
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "dvsbridge.h"

int dvsbr_user_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, err;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int dvsbr_user_send(int fd, const void *buf, int len)
{
	ssize_t n = send(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);

	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return n == len ? len : -EIO;	/* a seqpacket send is all or nothing */
}

int dvsbr_user_peek(int fd)
{
	ssize_t n = recv(fd, NULL, 0, MSG_DONTWAIT | MSG_PEEK | MSG_TRUNC);

	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return n;
}

int dvsbr_user_recv(int fd, void *buf, int len)
{
	ssize_t n = recv(fd, buf, len, MSG_DONTWAIT);

	return n < 0 ? -errno : n;
}

void dvsbr_user_close(int fd)
{
	close(fd);
}
