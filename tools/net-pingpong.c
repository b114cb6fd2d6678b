// SPDX-License-Identifier: GPL-2.0
/*
 * net-pingpong: the raw TCP baseline of the remote benchmark. 64-byte
 * messages go back and forth over one connection (TCP_NODELAY), as a DVK
 * sendrec's request and reply cross the proxies.
 *
 *   net-pingpong server PORT              answer every message, for ever
 *   net-pingpong client HOST PORT COUNT   print the median round trip in us
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#define MSG 64

static int full(int fd, char *buf, int rd)
{
	for (int done = 0; done < MSG;) {
		ssize_t n = rd ? read(fd, buf + done, MSG - done) : write(fd, buf + done, MSG - done);

		if (n <= 0)
			return -1;
		done += (int)n;
	}
	return 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
	char buf[MSG] = "ping";
	int one = 1, fd;

	if (argc == 3 && !strcmp(argv[1], "server")) {
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[2])) };
		int l = socket(AF_INET, SOCK_STREAM, 0);

		setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 4)) {
			perror("net-pingpong: listen");
			return 1;
		}
		for (;;) {
			fd = accept(l, NULL, NULL);
			if (fd < 0)
				continue;
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
			while (!full(fd, buf, 1) && !full(fd, buf, 0))
				;
			close(fd);
		}
	}
	if (argc == 5 && !strcmp(argv[1], "client")) {
		struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *ai;
		int count = atoi(argv[4]);
		double *t = calloc(count > 0 ? count : 1, sizeof(*t));

		if (count < 1 || !t || getaddrinfo(argv[2], argv[3], &hints, &ai)) {
			fprintf(stderr, "net-pingpong: bad arguments\n");
			return 2;
		}
		fd = socket(AF_INET, SOCK_STREAM, 0);
		for (int i = 0; i < 50 && connect(fd, ai->ai_addr, ai->ai_addrlen); i++)
			usleep(200 * 1000);
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		for (int i = 0; i < count; i++) {
			double t0 = now_us();

			if (full(fd, buf, 0) || full(fd, buf, 1)) {
				perror("net-pingpong: ping-pong");
				return 1;
			}
			t[i] = now_us() - t0;
		}
		qsort(t, count, sizeof(*t), cmp);
		printf("tcp round trip median %.1f us (%d round trips)\n", t[count / 2], count);
		return 0;
	}
	fprintf(stderr, "usage: net-pingpong server PORT | client HOST PORT COUNT\n");
	return 2;
}
