// SPDX-License-Identifier: GPL-2.0
/*
 * hostile_node SOCKET NODE SERVER: a node whose kernel and proxy belong to
 * someone else. It connects to the bridge socket the host's dvs-proxy
 * serves for a --umid peer (node NODE), and writes well-formed frames of its
 * own, as a hacked guest would, at the host node's server SERVER (an
 * rmt_peer server of DC 0, node 0): sources outside its rights, copies the
 * host cannot justify, more endpoints than its quota. Each must be refused
 * with its documented error (read back from the answer the host sends),
 * legitimate calls must still be served, and the host must count every
 * refusal in /proc/dvs/refused (this program runs on the host node).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <dvk/libdvk.h>
#include "test_util.h"
#include "link.h"
#include "wire.h"

const char *t_prog = "hostile-node";

enum { ECHO = 1 };			/* rmt_peer's request types */

static const char *sock_path;
static int node, server, fd = -1;
static uint64_t seq, ids;
static uint8_t frame[WIRE_MAX_FRAME];

/*
 * The link's handshake, unkeyed (docs/wire.md): a guest's proxy dials, so
 * our HELLO goes first; the link is up both ways when the host's HELLO came.
 */
static bool linked(void)
{
	struct dvk_cmd h = { .c_cmd = DVK_CMD_HELLO, .c_snode = node, .c_dnode = 0 };
	ssize_t len;

	h.c_msg.m_source = LINK_VERSION;
	len = wire_encode(frame, sizeof(frame), &h, NULL, 0, 0, NULL);
	if (len < 0 || send(fd, frame, (size_t)len, MSG_NOSIGNAL) != len)
		return false;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		const void *payload;
		struct dvk_cmd c;
		uint64_t s, a;
		ssize_t n;

		if (poll(&p, 1, 5000) != 1)
			return false;
		n = recv(fd, frame, sizeof(frame), 0);
		if (n <= 0 || wire_decode(frame, (size_t)n, &c, &payload, &s, &a, NULL))
			return false;
		if (c.c_cmd == DVK_CMD_HELLO)
			return true;
	}
}

static void connects(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	for (int i = 0; i < 100 && fd < 0; i++) {
		fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
			close(fd);
			fd = -1;
			usleep(100 * 1000);
		}
	}
	seq = 0;
	T_TRUE(fd >= 0);
	T_TRUE(fd >= 0 && linked());
}

/* A command from this node to node 0, DC 0, with a fresh id. */
static struct dvk_cmd cmd(unsigned int code, int src, int dst)
{
	struct dvk_cmd c = { .c_cmd = code, .c_dcid = 0, .c_src = src, .c_dst = dst,
			     .c_snode = node, .c_dnode = 0, .c_id = ++ids };
	return c;
}

static void put(const struct dvk_cmd *c, const void *payload)
{
	ssize_t n = wire_encode(frame, sizeof(frame), c, payload, ++seq, 0, NULL);

	T_TRUE(n > 0);
	if (n > 0)
		T_EQ(send(fd, frame, (size_t)n, MSG_NOSIGNAL), n);
}

/* The next command from the host (its heartbeats skipped); false after 5 s. */
static bool get(struct dvk_cmd *c)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		const void *payload;
		uint64_t s, a;
		ssize_t n;

		if (poll(&p, 1, 5000) != 1)
			return false;
		n = recv(fd, frame, sizeof(frame), 0);
		if (n <= 0 || wire_decode(frame, (size_t)n, c, &payload, &s, &a, NULL))
			return false;
		if ((c->c_cmd & ~DVK_CMD_ACK) != DVK_CMD_HELLO)
			return true;
	}
}

/* Send @c; the host's answer must be @ack with result @rcode. */
static void refused(struct dvk_cmd c, const void *payload, unsigned int ack, int rcode)
{
	struct dvk_cmd a;

	put(&c, payload);
	T_TRUE(get(&a));
	T_EQ(a.c_cmd, ack);
	T_EQ(a.c_rcode, rcode);
	T_EQ(a.c_id, c.c_id);
	T_EQ(a.c_dst, c.c_cmd == DVK_CMD_COPYOUT_RQST || c.c_cmd == DVK_CMD_COPYIN_DATA ?
		      c.c_vcopy.v_rqtr : c.c_src);
}

/* An ECHO sendrec from @src: the server's reply (i1 + 1), or the refusal's code. */
static int echo(int src)
{
	struct dvk_cmd c = cmd(DVK_CMD_SNDREC_MSG, src, server), a;

	c.c_msg.m_type = ECHO;
	c.c_msg.m_u.m1.i1 = 41;
	put(&c, NULL);
	if (!get(&a) || a.c_id != c.c_id)
		return -1000;
	if (a.c_cmd == DVK_CMD_REPLY_MSG)
		return a.c_msg.m_u.m1.i1 == 42 && a.c_src == server ? 0 : -1001;
	return a.c_cmd == DVK_CMD_SNDREC_ACK ? a.c_rcode : -1002;
}

/* Slot @nr's first endpoint: DC 0 has 35 task slots, 64 system slots. */
#define EP(nr)		DVK_ENDPOINT(1, nr)
#define USER1		EP(150)		/* becomes an autobound user binding */
#define NOBODY		EP(151)		/* never registered */

static void sources_outside_rights(void)
{
	refused(cmd(DVK_CMD_SEND_MSG, EP(7), server), NULL, DVK_CMD_SEND_ACK, EDVSPERM);
	refused(cmd(DVK_CMD_SNDREC_MSG, EP(-5), server), NULL, DVK_CMD_SNDREC_ACK, EDVSPERM);
	refused(cmd(DVK_CMD_SEND_MSG, USER1, server), NULL, DVK_CMD_SEND_ACK, EDVSBADCALL);
	T_EQ(echo(USER1), 0);			/* what a user binding may do is served */
	refused(cmd(DVK_CMD_SEND_MSG, USER1, server), NULL, DVK_CMD_SEND_ACK, EDVSBADCALL);
}

static void copies_not_justified(void)
{
	static const char data[21] = "not yours to write!!";
	struct dvk_cmd c;

	c = cmd(DVK_CMD_COPYOUT_RQST, USER1, server);
	c.c_vcopy = (struct dvk_vcopy){ .v_src = server, .v_dst = USER1, .v_rqtr = USER1,
		.v_rnode = (short)node, .v_dnode = (short)node, .v_saddr = 0x400000,
		.v_daddr = 0x400000, .v_bytes = 64 };
	refused(c, NULL, DVK_CMD_COPYOUT_DATA, EDVSBADCALL);
	c.c_src = c.c_vcopy.v_dst = c.c_vcopy.v_rqtr = NOBODY;
	c.c_id = ++ids;
	refused(c, NULL, DVK_CMD_COPYOUT_DATA, EDVSNOTBIND);
	c = cmd(DVK_CMD_COPYIN_DATA, NOBODY, server);
	c.c_flags = DVK_CMDF_LAST;
	c.c_vcopy = (struct dvk_vcopy){ .v_src = NOBODY, .v_dst = server, .v_rqtr = NOBODY,
		.v_rnode = (short)node, .v_dnode = 0, .v_daddr = 0x400000,
		.v_bytes = sizeof(data) };
	c.c_len = sizeof(data);
	refused(c, data, DVK_CMD_COPYIN_ACK, EDVSNOTBIND);
	T_EQ(echo(USER1), 0);			/* the server is still there, unharmed */
}

/* 1000 distinct endpoints: the quota (32 a node, USER1 is one) stops them. */
static void endpoint_flood(void)
{
	int served = 0, first_refusal = 0, nr;

	for (nr = 152; nr < 152 + 40; nr++) {
		int r = echo(EP(nr));

		if (r == 0)
			served++;
		else if (!first_refusal)
			first_refusal = r;
	}
	T_EQ(served, 31);
	T_EQ(first_refusal, EDVSNOSPC);
}

/* The host counted every refusal against this node. */
static void refusals_counted(void)
{
	FILE *f = fopen("/proc/dvs/refused", "r");
	long rights = -1, copy = -1, quota = -1, queue = -1;
	char line[160];
	int n;

	T_TRUE(f != NULL);
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%d", &n) == 1 && n == node)
			sscanf(line, "%d %ld %ld %ld %ld", &n, &rights, &copy, &quota, &queue);
	if (f)
		fclose(f);
	T_EQ(rights, 4);
	T_EQ(copy, 3);
	T_EQ(quota, 9);
	T_EQ(queue, 0);
}

/* The link goes: this node's autobound slots go with it. */
static void released_with_the_link(void)
{
	T_EQ(close(fd), 0);
	fd = -1;
	sleep(1);
	connects();
	T_EQ(echo(EP(200)), 0);
	T_EQ(echo(EP(152)), 0);		/* one of the flood's, registered anew */
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 4) {
		fprintf(stderr, "usage: hostile_node SOCKET NODE SERVER_ENDPOINT\n");
		return 2;
	}
	sock_path = argv[1];
	node = atoi(argv[2]);
	server = atoi(argv[3]);
	T_RUN(connects);
	if (fd < 0)
		return t_summary();
	T_RUN(sources_outside_rights);
	T_RUN(copies_not_justified);
	T_RUN(endpoint_flood);
	T_RUN(refusals_counted);
	T_RUN(released_with_the_link);
	return t_summary();
}
