// SPDX-License-Identifier: GPL-2.0
/*
 * bridge_fake SOCKET PROXYLOG [NODE HOST_NODE]: a misbehaving UML guest on
 * the host's side of a bridge. Connects to the socket dvs-proxy serves for
 * a --umid peer (node NODE, 3; the host is HOST_NODE, 0), links with an
 * unkeyed HELLO exchange as a guest's proxy would, then writes frames that
 * must be refused (a piece of a header, bad magic, a valid prefix with a
 * bad checksum), and checks that the proxy logged each with its reason
 * (its rate-limited summary line) and kept the link.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "test_util.h"
#include "../bridge/bridge_frame.h"
#include "../../proxies/link.h"
#include "../../proxies/wire.h"

const char *t_prog = "bridge-bad-frames";

static const char *sock_path, *log_path;
static int fd = -1, node = 3, host_node = 0;
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

/* The link's handshake, unkeyed: our HELLO, then the host's (docs/wire.md). */
static void links(void)
{
	struct dvk_cmd c = { .c_cmd = DVK_CMD_HELLO, .c_snode = node, .c_dnode = host_node };
	unsigned char h[WIRE_HDR_LEN + WIRE_TAG_LEN];
	ssize_t n;

	c.c_msg.m_source = LINK_VERSION;
	n = wire_encode(h, sizeof(h), &c, NULL, 0, 0, NULL);
	T_TRUE(n > 0);
	T_EQ(send(fd, h, (size_t)n, MSG_NOSIGNAL), n);
	n = recv(fd, h, sizeof(h), 0);
	T_EQ(wire_decode(h, n > 0 ? (size_t)n : 0, &c, NULL, NULL, NULL, NULL), 0);
	T_EQ(c.c_cmd, DVK_CMD_HELLO);
	T_EQ(c.c_snode, host_node);
	T_EQ(c.c_dnode, node);
}

static void refused_with_reasons(void)
{
	struct br_frame t = { BR_DATA, 0, 0, 1 };
	size_t n = br_make(f, 64, &t);

	T_EQ(send(fd, f, 10, MSG_NOSIGNAL), 10);
	/* One summary line a second at most: each waits for its line. */
	T_TRUE(logged("a frame of 10 bytes: " DVK_FRAME_TEXT_EINCOMPLETE));
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
	if (argc != 3 && argc != 5) {
		fprintf(stderr, "usage: bridge_fake SOCKET PROXYLOG [NODE HOST_NODE]\n");
		return 2;
	}
	sock_path = argv[1];
	log_path = argv[2];
	if (argc == 5) {
		node = atoi(argv[3]);
		host_node = atoi(argv[4]);
	}
	T_RUN(connects);
	if (fd >= 0)
		T_RUN(links);
	if (fd >= 0)
		T_RUN(refused_with_reasons);
	return t_summary();
}
