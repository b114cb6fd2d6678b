// SPDX-License-Identifier: GPL-2.0
/*
 * bridge_host SOCKET: the scripted host end of the bridge driver's test.
 * Listens on the SOCK_SEQPACKET socket a UML guest's /dev/umlXX connects
 * to (dvs.bridge=SOCKET) and does what the guest's frames say
 * (bridge_frame.h). Checks that every frame arrives whole and intact and
 * prints PASS/FAIL lines for what only this end can see.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "bridge_frame.h"

static unsigned char in[DVK_FRAME_MAX + 1], out[DVK_FRAME_MAX];

static int listen_at(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);

	if (fd < 0 || strlen(path) >= sizeof(sa.sun_path))
		return -1;
	strcpy(sa.sun_path, path);
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 1)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int send_frame(int fd, uint32_t paylen, const struct br_frame *t)
{
	size_t n = br_make(out, paylen, t);

	return send(fd, out, n, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -1;
}

int main(int argc, char **argv)
{
	unsigned long frames = 0, broken = 0, since_hold = 0, links = 0;
	int lfd, fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 2) {
		fprintf(stderr, "usage: bridge_host SOCKET\n");
		return 2;
	}
	lfd = listen_at(argv[1]);
	if (lfd < 0) {
		perror("bridge_host: listen");
		return 1;
	}
	for (;;) {
		struct pollfd pf = { .fd = lfd, .events = POLLIN };

		if (poll(&pf, 1, 60000) != 1) {
			printf("FAIL: bridge-host/guest-connects (nothing for 60 s)\n");
			return 1;
		}
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			continue;
		links++;
		for (;;) {
			struct br_frame t;
			ssize_t n = recv(fd, in, sizeof(in), 0);

			if (n <= 0) {
				printf("bridge-host: the guest closed the link\n");
				close(fd);
				break;
			}
			frames++;
			since_hold++;
			if (br_parse(in, (size_t)n, &t)) {
				broken++;
				printf("bridge-host: frame %lu (%zd bytes) is not whole or not intact\n",
				       frames, n);
				continue;
			}
			if (t.cmd == BR_ECHO) {
				if (send(fd, in, (size_t)n, MSG_NOSIGNAL) != n)
					break;
			} else if (t.cmd == BR_BURST) {
				for (uint32_t i = 1; i <= t.a; i++) {
					struct br_frame b = { BR_DATA, 0, 0, i };

					if (send_frame(fd, t.b, &b))
						break;
				}
			} else if (t.cmd == BR_HOLD) {
				since_hold = 0;
				usleep(t.a * 1000u);
			} else if (t.cmd == BR_COUNT) {
				struct br_frame c = { BR_COUNT, (uint32_t)since_hold - 1, 0, 0 };

				send_frame(fd, 0, &c);
			} else if (t.cmd == BR_CUT) {
				close(fd);
				printf("bridge-host: link cut; listening again in %u ms\n", t.a);
				usleep(t.a * 1000u);
				break;
			} else if (t.cmd == BR_QUIT) {
				printf("%s: bridge-host/frames-whole-and-intact (%lu frames, %lu links)\n",
				       broken ? "FAIL" : "PASS", frames, links);
				printf("%s: bridge-host/relinked-after-cut\n", links == 2 ? "PASS" : "FAIL");
				close(fd);
				return broken || links != 2;
			}
		}
	}
}
