// SPDX-License-Identifier: GPL-2.0
/* dvs-proxy's uml transport (bridge.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "bridge.h"

int bridge_listener_init(struct bridge_listener *l, const char *uml_dir, const char *umid)
{
	memset(l, 0, sizeof(*l));
	l->fd = -1;
	return snprintf(l->path, sizeof(l->path), "%s/%s/%s", uml_dir, umid, BRIDGE_SOCK_NAME) <
	       (int)sizeof(l->path) ? 0 : -1;
}

/* Is our socket still the one at l->path? */
static bool bridge_still_there(const struct bridge_listener *l)
{
	struct stat st;

	return !stat(l->path, &st) && st.st_dev == l->dev && st.st_ino == l->ino;
}

static int bridge_make(struct bridge_listener *l, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char dir[sizeof(l->path)], *slash;
	struct stat st;
	int fd;

	strcpy(dir, l->path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		if (!l->waiting_said)
			snprintf(err, errlen, "waiting for the instance's directory %s", dir);
		l->waiting_said = true;
		return -1;
	}
	strcpy(sa.sun_path, l->path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	unlink(l->path);	/* a stale socket of an earlier run */
	/*
	 * 0600 whatever the umask: Linux makes the socket file with the socket
	 * inode's mode less the umask, so no window with a wider mode; the
	 * chmod then also undoes a umask that took the owner's bits.
	 */
	if (fchmod(fd, 0600) || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    chmod(l->path, 0600) || listen(fd, 2) || stat(l->path, &st)) {
		snprintf(err, errlen, "cannot listen at %s: %s", l->path, strerror(errno));
		close(fd);
		return -1;
	}
	l->fd = fd;
	l->dev = st.st_dev;
	l->ino = st.st_ino;
	l->waiting_said = false;
	return 0;
}

int bridge_accept(struct bridge_listener *l, int timeout_ms, char *err, size_t errlen)
{
	struct pollfd pf = { .events = POLLIN };

	err[0] = 0;
	if (l->fd >= 0 && !bridge_still_there(l)) {
		close(l->fd);		/* the instance made its directory anew */
		l->fd = -1;
	}
	if (l->fd < 0 && bridge_make(l, err, errlen)) {
		usleep((useconds_t)timeout_ms * 1000);
		return -1;
	}
	pf.fd = l->fd;
	if (poll(&pf, 1, timeout_ms) != 1)
		return -1;
	return accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
}

int bridge_open_device(int node, char *err, size_t errlen)
{
	char dev[32];
	int fd;

	snprintf(dev, sizeof(dev), "/dev/uml%02d", node);
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		snprintf(err, errlen, "%s: %s (a UML guest booted with dvs.node=%d has it)", dev,
			 strerror(errno), node);
	return fd;
}

ssize_t bridge_read(int fd, void *buf, size_t cap, int timeout_ms)
{
	struct pollfd pf = { .fd = fd, .events = POLLIN };
	ssize_t n;

	for (;;) {
		int r = poll(&pf, 1, timeout_ms);

		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			return -ETIMEDOUT;
		if (r < 0)
			return -errno;
		n = read(fd, buf, cap);
		if (n < 0 && errno == EINTR)
			continue;
		return n < 0 ? -errno : n;
	}
}

int bridge_write(int fd, const void *buf, size_t len)
{
	for (;;) {
		ssize_t n = write(fd, buf, len);	/* dvs-proxy ignores SIGPIPE */

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		return (size_t)n == len ? 0 : -EIO;
	}
}

int bridge_check_peer(const struct bridge_listener *l, int fd, char *err, size_t errlen)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	char dir[sizeof(l->path)], *slash;
	struct stat st;

	strcpy(dir, l->path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len)) {
		snprintf(err, errlen, "SO_PEERCRED: %s", strerror(errno));
		return -1;
	}
	if (stat(dir, &st)) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (cred.uid != st.st_uid) {
		snprintf(err, errlen, "pid %d of uid %u connected, but %s belongs to uid %u",
			 (int)cred.pid, (unsigned int)cred.uid, dir, (unsigned int)st.st_uid);
		return -1;
	}
	return 0;
}
