// SPDX-License-Identifier: GPL-2.0
/*
 * bridge_dev NODE: the guest side of the bridge driver's test, run in a UML
 * guest booted with dvs.node=NODE and dvs.bridge=SOCKET, with
 * tests/bridge/bridge_host serving SOCKET on the host (it may start later).
 * Exercises /dev/umlNN as a frame pipe: whole frames both ways, bad frames
 * refused with their reason logged, back pressure, a cut link.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/klog.h>
#include "test_util.h"
#include "../bridge/bridge_frame.h"

const char *t_prog = "bridge-dev";

static char dev[32];
static int fd = -1;
static unsigned char out[DVK_FRAME_MAX + 16], in[DVK_FRAME_MAX + 16];

static ssize_t put(uint32_t paylen, uint32_t cmd, uint32_t a, uint32_t b, uint32_t seq)
{
	struct br_frame t = { cmd, a, b, seq };
	size_t n = br_make(out, paylen, &t);

	return write(fd, out, n) == (ssize_t)n ? 0 : -errno;
}

/* The next frame within @ms: its length, or -errno (-ETIMEDOUT). */
static ssize_t get(int ms, size_t cap)
{
	struct pollfd pf = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (poll(&pf, 1, ms) != 1)
		return -ETIMEDOUT;
	n = read(fd, in, cap);
	return n < 0 ? -errno : n;
}

static bool link_up_within(int ms)
{
	struct pollfd pf = { .fd = fd, .events = POLLOUT };

	return poll(&pf, 1, ms) == 1 && (pf.revents & POLLOUT);
}

static bool in_kernel_log(const char *needle)
{
	static char log[1 << 17];
	int n = klogctl(3, log, sizeof(log) - 1);	/* SYSLOG_ACTION_READ_ALL */

	if (n < 0)
		return false;
	log[n] = 0;
	return strstr(log, needle) != NULL;
}

/* One holder at a time; the host may start after us: the link comes when it does. */
static void open_and_link(void)
{
	fd = open(dev, O_RDWR);
	T_TRUE(fd >= 0);
	T_EQ(open(dev, O_RDWR) < 0 ? errno : 0, EBUSY);
	T_TRUE(link_up_within(30000));
}

/* Frames of every size go out and come back whole. */
static void echo_sizes(void)
{
	static const uint32_t sizes[] = { 0, 1, 191, 4096, 65535, DVK_CMD_MAXPAYLOAD };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct br_frame t;

		T_EQ(put(sizes[i], BR_ECHO, 0, 0, (uint32_t)i + 1), 0);
		T_EQ(get(5000, sizeof(in)), DVK_FRAME_HDR_LEN + sizes[i]);
		T_EQ(br_parse(in, DVK_FRAME_HDR_LEN + sizes[i], &t), 0);
		T_EQ(t.seq, i + 1);
	}
}

/* A buffer too small for the next frame: EMSGSIZE, and the frame stays. */
static void small_buffer(void)
{
	struct br_frame t;

	T_EQ(put(5000, BR_ECHO, 0, 0, 77), 0);
	T_EQ(get(5000, 100), -EMSGSIZE);
	T_EQ(get(5000, sizeof(in)), DVK_FRAME_HDR_LEN + 5000);
	T_EQ(br_parse(in, DVK_FRAME_HDR_LEN + 5000, &t), 0);
	T_EQ(t.seq, 77);
}

/* Bad frames are refused with the reason in the kernel log; the link stays. */
static void bad_frames(void)
{
	struct br_frame t = { BR_ECHO, 0, 0, 5 };
	size_t n = br_make(out, 100, &t);

	T_EQ(write(fd, out, 10) < 0 ? errno : 0, EINVAL);		/* a piece of one */
	T_TRUE(in_kernel_log("wrote a bad frame: shorter than a frame header"));
	T_EQ(write(fd, out, n + 50) < 0 ? errno : 0, EINVAL);		/* more than one */
	T_TRUE(in_kernel_log("bytes for a frame of"));
	out[0] ^= 0xff;
	T_EQ(write(fd, out, n) < 0 ? errno : 0, EINVAL);
	T_TRUE(in_kernel_log("wrote a bad frame: " DVK_FRAME_TEXT_EMAGIC));
	out[0] ^= 0xff;
	out[4] = DVK_FRAME_MAJOR + 1;
	T_EQ(write(fd, out, n) < 0 ? errno : 0, EINVAL);
	T_TRUE(in_kernel_log(DVK_FRAME_TEXT_EVERSION));
	out[4] = DVK_FRAME_MAJOR;
	T_EQ(write(fd, out, DVK_FRAME_MAX + 1) < 0 ? errno : 0, EMSGSIZE);
	T_EQ(write(fd, out, 0) < 0 ? errno : 0, EINVAL);
	T_EQ(put(100, BR_ECHO, 0, 0, 6), 0);				/* still linked */
	T_EQ(get(5000, sizeof(in)), DVK_FRAME_HDR_LEN + 100);
}

/* 300 frames from the host, faster than we read: all of them, in order. */
static void burst_from_host(void)
{
	uint32_t got = 0;

	T_EQ(put(0, BR_BURST, 300, 3000, 0), 0);
	usleep(300 * 1000);		/* let them pile up */
	for (uint32_t i = 1; i <= 300; i++) {
		struct br_frame t;

		if (get(5000, sizeof(in)) != DVK_FRAME_HDR_LEN + 3000 ||
		    br_parse(in, DVK_FRAME_HDR_LEN + 3000, &t) || t.seq != i)
			break;
		got = i;
	}
	T_EQ(got, 300);
}

/*
 * The host stops reading: writes fill its side and then wait (EAGAIN when
 * non-blocking) instead of being dropped; when it reads again every frame
 * gets there.
 */
static void back_pressure(void)
{
	int flags = fcntl(fd, F_GETFL), sent = 0, r = 0;
	struct br_frame t;
	long t0;

	T_EQ(put(0, BR_HOLD, 2000, 0, 0), 0);
	T_EQ(fcntl(fd, F_SETFL, flags | O_NONBLOCK), 0);
	while (sent < 10000 && (r = put(60000, BR_DATA, 0, 0, (uint32_t)sent)) == 0)
		sent++;
	T_EQ(r, -EAGAIN);
	T_TRUE(sent > 0 && sent < 10000);
	T_EQ(fcntl(fd, F_SETFL, flags), 0);
	t0 = t_now_ms();
	for (int i = 0; i < 3; i++)		/* these wait for the host */
		T_EQ(put(60000, BR_DATA, 0, 0, (uint32_t)sent + i), 0);
	printf("  %d frames of 60000 bytes before EAGAIN; the next waited %ld ms\n", sent,
	       t_now_ms() - t0);
	T_EQ(put(0, BR_COUNT, 0, 0, 0), 0);
	T_EQ(get(10000, sizeof(in)), DVK_FRAME_HDR_LEN);
	T_EQ(br_parse(in, DVK_FRAME_HDR_LEN, &t), 0);
	T_EQ(t.cmd, BR_COUNT);
	T_EQ(t.a, sent + 3);			/* none lost */
}

/* The host drops the link: ENOTCONN both ways, then it comes back by itself. */
static void link_cut(void)
{
	long t0 = t_now_ms();

	T_EQ(put(0, BR_CUT, 1500, 0, 0), 0);
	T_EQ(get(5000, sizeof(in)), -ENOTCONN);		/* the loss, once */
	T_EQ(put(0, BR_ECHO, 0, 0, 1), -ENOTCONN);	/* while it is down */
	T_TRUE(link_up_within(10000));
	printf("  link back after %ld ms\n", t_now_ms() - t0);
	T_EQ(put(10, BR_ECHO, 0, 0, 9), 0);
	T_EQ(get(5000, sizeof(in)), DVK_FRAME_HDR_LEN + 10);
}

static void quit(void)
{
	T_EQ(put(0, BR_QUIT, 0, 0, 0), 0);
	T_EQ(close(fd), 0);
	fd = open(dev, O_RDWR);		/* free again after close */
	T_TRUE(fd >= 0);
	close(fd);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 2) {
		fprintf(stderr, "usage: bridge_dev NODE\n");
		return 2;
	}
	snprintf(dev, sizeof(dev), "/dev/uml%02d", atoi(argv[1]));
	T_RUN(open_and_link);
	if (fd < 0)
		return t_summary();
	T_RUN(echo_sizes);
	T_RUN(small_buffer);
	T_RUN(bad_frames);
	T_RUN(burst_from_host);
	T_RUN(back_pressure);
	T_RUN(link_cut);
	T_RUN(quit);
	return t_summary();
}
