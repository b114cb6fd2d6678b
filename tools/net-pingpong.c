// SPDX-License-Identifier: GPL-2.0
/*
 * net-pingpong: the raw TCP baselines of the remote benchmarks, over one
 * connection (TCP_NODELAY). A request is 64 bytes whose first 8 (u64, host
 * order) say how many bytes to answer with: 0 for a 64-byte echo, as a DVK
 * sendrec's request and reply cross the proxies; N for N bytes, as a remote
 * vcopy pulls a source's memory across.
 *
 *   net-pingpong server PORT                    answer every request, for ever
 *   net-pingpong client HOST PORT COUNT         print the median round trip in us
 *   net-pingpong client HOST PORT COUNT BYTES   print the median time and rate
 *                                               of pulling BYTES (1 .. 16 MiB)
 */
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#define MSG		64
#define MAX_PULL	(16u << 20)

static int full(int fd, char *buf, size_t len, int rd)
{
	for (size_t done = 0; done < len;) {
		ssize_t n = rd ? read(fd, buf + done, len - done) : write(fd, buf + done, len - done);

		if (n <= 0)
			return -1;
		done += (size_t)n;
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

static int server(int port, char *data)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1, l = socket(AF_INET, SOCK_STREAM, 0);
	char req[MSG];

	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 4)) {
		perror("net-pingpong: listen");
		return 1;
	}
	for (;;) {
		int fd = accept(l, NULL, NULL);
		uint64_t n;

		if (fd < 0)
			continue;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		while (!full(fd, req, MSG, 1)) {
			memcpy(&n, req, sizeof(n));
			if (n > MAX_PULL || (n ? full(fd, data, n, 0) : full(fd, req, MSG, 0)))
				break;
		}
		close(fd);
	}
}

static int client(const char *host, const char *port, int count, uint64_t bytes, char *data)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *ai;
	double *t = calloc(count, sizeof(*t));
	char req[MSG] = { 0 };
	int one = 1, fd;

	if (!t || getaddrinfo(host, port, &hints, &ai)) {
		fprintf(stderr, "net-pingpong: cannot resolve %s:%s\n", host, port);
		return 2;
	}
	fd = socket(AF_INET, SOCK_STREAM, 0);
	for (int i = 0; i < 50 && connect(fd, ai->ai_addr, ai->ai_addrlen); i++)
		usleep(200 * 1000);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	memcpy(req, &bytes, sizeof(bytes));
	for (int i = 0; i < count; i++) {
		double t0 = now_us();

		if (full(fd, req, MSG, 0) || full(fd, bytes ? data : req, bytes ? bytes : MSG, 1)) {
			perror("net-pingpong: exchange");
			return 1;
		}
		t[i] = now_us() - t0;
	}
	qsort(t, count, sizeof(*t), cmp);
	if (bytes)
		printf("tcp pull of %llu bytes median %.1f us = %.1f MB/s (%d pulls)\n",
		       (unsigned long long)bytes, t[count / 2], bytes / t[count / 2], count);
	else
		printf("tcp round trip median %.1f us (%d round trips)\n", t[count / 2], count);
	return 0;
}

int main(int argc, char **argv)
{
	char *data = calloc(1, MAX_PULL);
	long long bytes = argc == 6 ? atoll(argv[5]) : 0;

	if (!data) {
		fprintf(stderr, "net-pingpong: out of memory\n");
		return 1;
	}
	if (argc == 3 && !strcmp(argv[1], "server"))
		return server(atoi(argv[2]), data);
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "client") && atoi(argv[4]) > 0 &&
	    bytes >= 0 && bytes <= MAX_PULL && (argc == 5 || bytes > 0))
		return client(argv[2], argv[3], atoi(argv[4]), (uint64_t)bytes, data);
	fprintf(stderr, "usage: net-pingpong server PORT | client HOST PORT COUNT [BYTES]\n");
	return 2;
}
