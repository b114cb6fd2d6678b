// SPDX-License-Identifier: GPL-2.0
/*
 * bridge_fake SOCKET PROXYLOG: a misbehaving UML guest on the host's side
 * of a bridge. Connects to the socket dvs-proxy serves for a --umid peer,
 * writes frames that must be refused (a piece of a header, bad magic, a
 * valid prefix with a bad checksum), and checks that the proxy logged each
 * with its reason and kept the link.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "test_util.h"
#include "../bridge/bridge_frame.h"

const char *t_prog = "bridge-bad-frames";

static const char *sock_path, *log_path;
static int fd = -1;
static unsigned char f[DVK_FRAME_HDR_LEN + 64];

/* Wait up to 5 s for the proxy to log @needle. */
static bool logged(const char *needle)
{
	for (int i = 0; i < 50; i++) {
		if (t_file_has(log_path, needle))
			return true;
		usleep(100 * 1000);
	}
	return false;
}

static void connects(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	for (int i = 0; i < 100 && fd < 0; i++) {
		fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
			close(fd);
			fd = -1;
			usleep(100 * 1000);
		}
	}
	T_TRUE(fd >= 0);
}

static void refused_with_reasons(void)
{
	struct br_frame t = { BR_DATA, 0, 0, 1 };
	size_t n = br_make(f, 64, &t);

	T_EQ(send(fd, f, 10, MSG_NOSIGNAL), 10);
	T_TRUE(logged("refused a frame of 10 bytes: " DVK_FRAME_TEXT_EINCOMPLETE));
	f[0] ^= 0xff;
	T_EQ(send(fd, f, n, MSG_NOSIGNAL), (ssize_t)n);
	T_TRUE(logged("bytes: " DVK_FRAME_TEXT_EMAGIC));
	f[0] ^= 0xff;
	T_EQ(send(fd, f, n, MSG_NOSIGNAL), (ssize_t)n);	/* its CRC field is 0 */
	T_TRUE(logged("bytes: CRC32C checksum mismatch"));
	T_EQ(send(fd, f, n + 20, MSG_NOSIGNAL), (ssize_t)(n + 20));
	T_TRUE(logged("bytes: buffer is longer than the frame"));
	/* The link is still there. */
	T_EQ(send(fd, f, n, MSG_NOSIGNAL), (ssize_t)n);
	T_EQ(close(fd), 0);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 3) {
		fprintf(stderr, "usage: bridge_fake SOCKET PROXYLOG\n");
		return 2;
	}
	sock_path = argv[1];
	log_path = argv[2];
	T_RUN(connects);
	if (fd >= 0)
		T_RUN(refused_with_reasons);
	return t_summary();
}
