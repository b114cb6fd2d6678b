// SPDX-License-Identifier: GPL-2.0
/*
 * Every call with every kind of bad argument (issue 12, finding 5): one
 * table, one row per call and bad value, each with the error docs/abi.md
 * ("Bad arguments") names for that kind of value. Each row changes one
 * argument of an otherwise valid call, so the row's code is the only one
 * the call may return. After the table, nothing may have changed: the
 * DVS, the DC, every slot and every node read back as before.
 *
 * The run's door (the dvkipc system call in the test kernel, /dev/dvk in
 * the modular kernel and the host VM) is the door tested: the suite runs
 * under both.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <dvk/libdvk.h>
#include "test_util.h"

const char *t_prog = "test_badargs";

/* The fixture: this process is system slot 1, a sleeping child slot 2. */
#define ME_NR		1
#define PEER_NR		2
#define FREE_NR		7		/* never bound */
#define KADDR		0xffff880000000000UL	/* a kernel address */
#define NOWAIT		DVK_TIMEOUT_NOWAIT

static int me, peer, stale;
static struct dvk_message msg;
static struct dvk_cmd cmd;
static char name[DVK_NAME_LEN] = "badargs";
static unsigned char buf[64];
static union {
	struct dc_usr dc;
	struct proc_usr proc;
	struct priv_usr priv;
	struct node_usr node;
	struct proxies_usr px;
	struct dvs_usr dvs;
} out;

/* Argument values named by what they are; resolved when the table runs. */
enum val {
	V_NUM,		/* the row's number as it is */
	V_ME, V_PEER, V_STALE, V_FREE,
	V_MSG, V_OUT, V_NAME, V_BUF, V_CMD, V_PID,
};

struct arg {
	enum val v;
	long n;
};

#define N(x)	{ V_NUM, (long)(x) }
#define A(v)	{ V_##v, 0 }

struct row {
	int call;
	const char *what;
	struct arg a[5];	/* first, second, third, ptr, fifth */
	int want;
};

static long resolve(struct arg a)
{
	switch (a.v) {
	case V_NUM: return a.n;
	case V_ME: return me;
	case V_PEER: return peer;
	case V_STALE: return stale;
	case V_FREE: return DVK_ENDPOINT(1, FREE_NR);
	case V_MSG: return (long)(uintptr_t)&msg;
	case V_OUT: return (long)(uintptr_t)&out;
	case V_NAME: return (long)(uintptr_t)name;
	case V_BUF: return (long)(uintptr_t)buf;
	case V_CMD: return (long)(uintptr_t)&cmd;
	case V_PID: return getpid();
	}
	return 0;
}

/* Garbage as an endpoint: no slot, or no generation (0..0xffff; 0 is the slot number). */
#define GARBAGE_EPS(call, pre, post, want)					\
	{ call, "endpoint INT_MAX", { pre N(INT_MAX) post }, want },		\
	{ call, "endpoint INT_MIN", { pre N(INT_MIN) post }, want },		\
	{ call, "endpoint -32769", { pre N(-32769) post }, want },		\
	{ call, "endpoint of slot 221", { pre N(DVK_ENDPOINT(1, 221)) post }, want }, \
	{ call, "endpoint of slot -36", { pre N(DVK_ENDPOINT(1, -36)) post }, want }
#define BAD_DCIDS(call, pre, post)						\
	{ call, "dcid 32", { pre N(32) post }, EDVSBADDCID },			\
	{ call, "dcid INT_MAX", { pre N(INT_MAX) post }, EDVSBADDCID },	\
	{ call, "dcid INT_MIN", { pre N(INT_MIN) post }, EDVSBADDCID },	\
	{ call, "dcid -2", { pre N(-2) post }, EDVSBADDCID },			\
	{ call, "dcid of no DC", { pre N(5) post }, EDVSDCNOTRUN }
#define BAD_NODES(call, pre, post)						\
	{ call, "node 32", { pre N(32) post }, EDVSBADNODEID },		\
	{ call, "node INT_MAX", { pre N(INT_MAX) post }, EDVSBADNODEID },	\
	{ call, "node INT_MIN", { pre N(INT_MIN) post }, EDVSBADNODEID },	\
	{ call, "node -2", { pre N(-2) post }, EDVSBADNODEID }
#define BAD_PAIRS(call, pre, post)						\
	{ call, "pair 32", { pre N(32) post }, EDVSPROXYID },			\
	{ call, "pair INT_MAX", { pre N(INT_MAX) post }, EDVSPROXYID },	\
	{ call, "pair -1", { pre N(-1) post }, EDVSPROXYID }
#define BAD_PTRS(call, pre, post)						\
	{ call, "pointer NULL", { pre N(0) post }, EDVSFAULT },		\
	{ call, "pointer 1", { pre N(1) post }, EDVSFAULT },			\
	{ call, "kernel pointer", { pre N(KADDR) post }, EDVSFAULT }
#define BAD_TIMEOUTS(call, pre)							\
	{ call, "timeout -2", { pre N(-2) }, EDVSBADVALUE },			\
	{ call, "timeout LONG_MIN", { pre N(LONG_MIN) }, EDVSBADVALUE }
#define _ ,

static const struct row rows[] = {
	/* SEND, SENDREC: first = destination, ptr = message, fifth = timeout. */
	GARBAGE_EPS(DVK_SEND, , _ N(0) _ N(0) _ A(MSG) _ N(NOWAIT), EDVSRANGE),
	{ DVK_SEND, "stale destination", { A(STALE), N(0), N(0), A(MSG), N(NOWAIT) }, EDVSENDPOINT },
	{ DVK_SEND, "free destination", { A(FREE), N(0), N(0), A(MSG), N(NOWAIT) }, EDVSDSTDIED },
	{ DVK_SEND, "free slot by number", { N(FREE_NR), N(0), N(0), A(MSG), N(NOWAIT) }, EDVSDSTDIED },
	{ DVK_SEND, "itself by slot number", { N(ME_NR), N(0), N(0), A(MSG), N(NOWAIT) }, EDVSBADDEST },
	{ DVK_SEND, "destination ANY", { N(DVK_ANY), N(0), N(0), A(MSG), N(NOWAIT) }, EDVSBADDEST },
	{ DVK_SEND, "destination NONE", { N(DVK_NONE), N(0), N(0), A(MSG), N(NOWAIT) }, EDVSBADDEST },
	{ DVK_SEND, "destination SELF", { N(DVK_SELF), N(0), N(0), A(MSG), N(NOWAIT) }, EDVSBADDEST },
	{ DVK_SEND, "destination itself", { A(ME), N(0), N(0), A(MSG), N(NOWAIT) }, EDVSBADDEST },
	BAD_PTRS(DVK_SEND, A(PEER) _ N(0) _ N(0) _, _ N(NOWAIT)),
	BAD_TIMEOUTS(DVK_SEND, A(PEER) _ N(0) _ N(0) _ A(MSG) _),
	GARBAGE_EPS(DVK_SENDREC, , _ N(0) _ N(0) _ A(MSG) _ N(NOWAIT), EDVSRANGE),
	{ DVK_SENDREC, "stale destination", { A(STALE), N(0), N(0), A(MSG), N(NOWAIT) }, EDVSENDPOINT },
	{ DVK_SENDREC, "free destination", { A(FREE), N(0), N(0), A(MSG), N(NOWAIT) }, EDVSDSTDIED },
	{ DVK_SENDREC, "destination ANY", { N(DVK_ANY), N(0), N(0), A(MSG), N(NOWAIT) }, EDVSBADDEST },
	{ DVK_SENDREC, "destination itself", { A(ME), N(0), N(0), A(MSG), N(NOWAIT) }, EDVSBADDEST },
	BAD_PTRS(DVK_SENDREC, A(PEER) _ N(0) _ N(0) _, _ N(NOWAIT)),
	BAD_TIMEOUTS(DVK_SENDREC, A(PEER) _ N(0) _ N(0) _ A(MSG) _),
	/* REPLY: the destination must wait in sendrec for the caller. */
	GARBAGE_EPS(DVK_REPLY, , _ N(0) _ N(0) _ A(MSG) _ N(NOWAIT), EDVSRANGE),
	{ DVK_REPLY, "stale destination", { A(STALE), N(0), N(0), A(MSG), N(NOWAIT) }, EDVSENDPOINT },
	{ DVK_REPLY, "free destination", { A(FREE), N(0), N(0), A(MSG), N(NOWAIT) }, EDVSDSTDIED },
	{ DVK_REPLY, "destination itself", { A(ME), N(0), N(0), A(MSG), N(NOWAIT) }, EDVSBADDEST },
	{ DVK_REPLY, "destination not in sendrec", { A(PEER), N(0), N(0), A(MSG), N(NOWAIT) }, EDVSPROCSTS },
	BAD_PTRS(DVK_REPLY, A(PEER) _ N(0) _ N(0) _, _ N(NOWAIT)),
	BAD_TIMEOUTS(DVK_REPLY, A(PEER) _ N(0) _ N(0) _ A(MSG) _),
	/* RECEIVE: first = source or ANY; RCVRQST. */
	GARBAGE_EPS(DVK_RECEIVE, , _ N(0) _ N(0) _ A(MSG) _ N(NOWAIT), EDVSRANGE),
	{ DVK_RECEIVE, "stale source", { A(STALE), N(0), N(0), A(MSG), N(NOWAIT) }, EDVSENDPOINT },
	{ DVK_RECEIVE, "free source", { A(FREE), N(0), N(0), A(MSG), N(NOWAIT) }, EDVSSRCDIED },
	{ DVK_RECEIVE, "source NONE", { N(DVK_NONE), N(0), N(0), A(MSG), N(NOWAIT) }, EDVSENDPOINT },
	{ DVK_RECEIVE, "source SELF", { N(DVK_SELF), N(0), N(0), A(MSG), N(NOWAIT) }, EDVSENDPOINT },
	{ DVK_RECEIVE, "source itself", { A(ME), N(0), N(0), A(MSG), N(NOWAIT) }, EDVSENDPOINT },
	BAD_PTRS(DVK_RECEIVE, N(DVK_ANY) _ N(0) _ N(0) _, _ N(NOWAIT)),
	BAD_TIMEOUTS(DVK_RECEIVE, N(DVK_ANY) _ N(0) _ N(0) _ A(MSG) _),
	BAD_PTRS(DVK_RCVRQST, N(0) _ N(0) _ N(0) _, _ N(NOWAIT)),
	BAD_TIMEOUTS(DVK_RCVRQST, N(0) _ N(0) _ N(0) _ A(MSG) _),
	/* NOTIFY: first = SELF, own slot or HARDWARE; second = destination; third = value. */
	GARBAGE_EPS(DVK_NOTIFY, N(DVK_SELF) _, _ N(-1) _ N(0) _ N(0), EDVSRANGE),
	{ DVK_NOTIFY, "stale destination", { N(DVK_SELF), A(STALE), N(-1), N(0), N(0) }, EDVSENDPOINT },
	{ DVK_NOTIFY, "free destination", { N(DVK_SELF), A(FREE), N(-1), N(0), N(0) }, EDVSDSTDIED },
	{ DVK_NOTIFY, "destination ANY", { N(DVK_SELF), N(DVK_ANY), N(-1), N(0), N(0) }, EDVSBADDEST },
	{ DVK_NOTIFY, "source another's slot", { N(PEER_NR), A(PEER), N(-1), N(0), N(0) }, EDVSBADSRCDST },
	{ DVK_NOTIFY, "source INT_MAX", { N(INT_MAX), A(PEER), N(-1), N(0), N(0) }, EDVSBADSRCDST },
	{ DVK_NOTIFY, "value -2", { N(DVK_SELF), A(PEER), N(-2), N(0), N(0) }, EDVSBADVALUE },
	{ DVK_NOTIFY, "value 64", { N(DVK_SELF), A(PEER), N(64), N(0), N(0) }, EDVSBADVALUE },
	{ DVK_NOTIFY, "value INT_MAX", { N(DVK_SELF), A(PEER), N(INT_MAX), N(0), N(0) }, EDVSBADVALUE },
	/* VCOPY: first = source, second = its address, third = destination, ptr, fifth = bytes. */
	GARBAGE_EPS(DVK_VCOPY, , _ A(BUF) _ A(PEER) _ A(BUF) _ N(8), EDVSRANGE),
	GARBAGE_EPS(DVK_VCOPY, N(DVK_SELF) _ A(BUF) _, _ A(BUF) _ N(8), EDVSRANGE),
	{ DVK_VCOPY, "stale source", { A(STALE), A(BUF), A(PEER), A(BUF), N(8) }, EDVSENDPOINT },
	{ DVK_VCOPY, "free source", { A(FREE), A(BUF), N(DVK_SELF), A(BUF), N(8) }, EDVSSRCDIED },
	{ DVK_VCOPY, "free destination", { N(DVK_SELF), A(BUF), A(FREE), A(BUF), N(8) }, EDVSDSTDIED },
	{ DVK_VCOPY, "source is destination", { N(DVK_SELF), A(BUF), A(ME), A(BUF), N(8) }, EDVSENDPOINT },
	{ DVK_VCOPY, "bytes -1", { N(DVK_SELF), A(BUF), A(PEER), A(BUF), N(-1) }, EDVSRANGE },
	{ DVK_VCOPY, "bytes LONG_MIN", { N(DVK_SELF), A(BUF), A(PEER), A(BUF), N(LONG_MIN) }, EDVSRANGE },
	{ DVK_VCOPY, "bytes > max_copylen", { N(DVK_SELF), A(BUF), A(PEER), A(BUF), N(DVK_DEF_MAX_COPYLEN + 1) }, EDVSRANGE },
	/* DCINIT, DCEND, GETDCINFO. */
	BAD_PTRS(DVK_DCINIT, N(0) _ N(0) _ N(0) _, _ N(0)),
	BAD_DCIDS(DVK_DCEND, , _ N(0) _ N(0) _ N(0) _ N(0)),
	{ DVK_DCEND, "dcid -1", { N(-1), N(0), N(0), N(0), N(0) }, EDVSBADDCID },
	BAD_DCIDS(DVK_GETDCINFO, , _ N(0) _ N(0) _ A(OUT) _ N(0)),
	BAD_PTRS(DVK_GETDCINFO, N(0) _ N(0) _ N(0) _, _ N(0)),
	/* BIND: first = oper, second = dcid, third = pid or name, ptr = slot or endpoint, fifth = node. */
	{ DVK_BIND, "oper 3", { N(3), N(0), N(0), N(5), N(-1) }, EDVSBINDTYPE },
	{ DVK_BIND, "oper -1", { N(-1), N(0), N(0), N(5), N(-1) }, EDVSBINDTYPE },
	{ DVK_BIND, "oper INT_MAX", { N(INT_MAX), N(0), N(0), N(5), N(-1) }, EDVSBINDTYPE },
	BAD_DCIDS(DVK_BIND, N(DVK_LCL_BIND) _, _ A(PID) _ N(5) _ N(-1)),
	{ DVK_BIND, "slot 221", { N(DVK_LCL_BIND), N(0), A(PID), N(221), N(-1) }, EDVSBADPROC },
	{ DVK_BIND, "slot -36", { N(DVK_LCL_BIND), N(0), A(PID), N(-36), N(-1) }, EDVSBADPROC },
	{ DVK_BIND, "endpoint INT_MAX", { N(DVK_LCL_BIND), N(0), A(PID), N(INT_MAX), N(-1) }, EDVSENDPOINT },
	{ DVK_BIND, "endpoint INT_MIN", { N(DVK_LCL_BIND), N(0), A(PID), N(INT_MIN), N(-1) }, EDVSENDPOINT },
	{ DVK_BIND, "pid -1", { N(DVK_LCL_BIND), N(0), N(-1), N(5), N(-1) }, EDVSBADPID },
	{ DVK_BIND, "pid INT_MAX", { N(DVK_LCL_BIND), N(0), N(INT_MAX), N(5), N(-1) }, EDVSBADPID },
	{ DVK_BIND, "local bind on node 3", { N(DVK_LCL_BIND), N(0), A(PID), N(5), N(3) }, EDVSBADNODEID },
	BAD_NODES(DVK_BIND, N(DVK_RMT_BIND) _ N(0) _ A(NAME) _ N(DVK_ENDPOINT(1, 5)) _, ),
	BAD_PTRS(DVK_BIND, N(DVK_RMT_BIND) _ N(0) _, _ N(DVK_ENDPOINT(1, 5)) _ N(3)),
	/* UNBIND, GETPRIV, SETPRIV, WAKEUPEP: first = dcid, second = endpoint. */
	BAD_DCIDS(DVK_UNBIND, , _ A(PEER) _ N(0) _ N(0) _ N(0)),
	GARBAGE_EPS(DVK_UNBIND, N(0) _, _ N(0) _ N(0) _ N(0), EDVSRANGE),
	{ DVK_UNBIND, "stale endpoint", { N(0), A(STALE), N(0), N(0), N(0) }, EDVSENDPOINT },
	{ DVK_UNBIND, "free endpoint", { N(0), A(FREE), N(0), N(0), N(0) }, EDVSNOTBIND },
	BAD_DCIDS(DVK_GETPRIV, , _ A(PEER) _ N(0) _ A(OUT) _ N(0)),
	GARBAGE_EPS(DVK_GETPRIV, N(0) _, _ N(0) _ A(OUT) _ N(0), EDVSRANGE),
	{ DVK_GETPRIV, "stale endpoint", { N(0), A(STALE), N(0), A(OUT), N(0) }, EDVSENDPOINT },
	{ DVK_GETPRIV, "free endpoint", { N(0), A(FREE), N(0), A(OUT), N(0) }, EDVSNOTBIND },
	BAD_PTRS(DVK_GETPRIV, N(0) _ A(PEER) _ N(0) _, _ N(0)),
	BAD_DCIDS(DVK_SETPRIV, , _ A(PEER) _ N(0) _ A(OUT) _ N(0)),
	GARBAGE_EPS(DVK_SETPRIV, N(0) _, _ N(0) _ A(OUT) _ N(0), EDVSRANGE),
	{ DVK_SETPRIV, "stale endpoint", { N(0), A(STALE), N(0), A(OUT), N(0) }, EDVSENDPOINT },
	{ DVK_SETPRIV, "free endpoint", { N(0), A(FREE), N(0), A(OUT), N(0) }, EDVSNOTBIND },
	BAD_PTRS(DVK_SETPRIV, N(0) _ A(PEER) _ N(0) _, _ N(0)),
	BAD_DCIDS(DVK_WAKEUPEP, , _ A(PEER) _ N(0) _ N(0) _ N(0)),
	GARBAGE_EPS(DVK_WAKEUPEP, N(0) _, _ N(0) _ N(0) _ N(0), EDVSRANGE),
	{ DVK_WAKEUPEP, "stale endpoint", { N(0), A(STALE), N(0), N(0), N(0) }, EDVSENDPOINT },
	{ DVK_WAKEUPEP, "free endpoint", { N(0), A(FREE), N(0), N(0), N(0) }, EDVSNOTBIND },
	/* GETPROCINFO: first = dcid or -1, second = slot number. */
	BAD_DCIDS(DVK_GETPROCINFO, , _ N(PEER_NR) _ N(0) _ A(OUT) _ N(0)),
	{ DVK_GETPROCINFO, "slot 221", { N(0), N(221), N(0), A(OUT), N(0) }, EDVSBADPROC },
	{ DVK_GETPROCINFO, "slot -36", { N(0), N(-36), N(0), A(OUT), N(0) }, EDVSBADPROC },
	{ DVK_GETPROCINFO, "slot INT_MAX", { N(0), N(INT_MAX), N(0), A(OUT), N(0) }, EDVSBADPROC },
	{ DVK_GETPROCINFO, "slot INT_MIN", { N(0), N(INT_MIN), N(0), A(OUT), N(0) }, EDVSBADPROC },
	BAD_PTRS(DVK_GETPROCINFO, N(0) _ N(PEER_NR) _ N(0) _, _ N(0)),
	/* WAIT4BIND: first = oper, second = endpoint or SELF, third = timeout. */
	{ DVK_WAIT4BIND, "oper 2", { N(2), A(PEER), N(0), N(0), N(0) }, EDVSBADVALUE },
	{ DVK_WAIT4BIND, "oper -1", { N(-1), A(PEER), N(0), N(0), N(0) }, EDVSBADVALUE },
	GARBAGE_EPS(DVK_WAIT4BIND, N(DVK_WAIT_BIND) _, _ N(0) _ N(0) _ N(0), EDVSRANGE),
	{ DVK_WAIT4BIND, "timeout -2", { N(DVK_WAIT_BIND), A(PEER), N(-2), N(0), N(0) }, EDVSBADVALUE },
	/* GETEP: first = pid. */
	{ DVK_GETEP, "pid -1", { N(-1), N(0), N(0), N(0), N(0) }, EDVSBADPID },
	{ DVK_GETEP, "pid INT_MIN", { N(INT_MIN), N(0), N(0), N(0), N(0) }, EDVSBADPID },
	{ DVK_GETEP, "pid INT_MAX", { N(INT_MAX), N(0), N(0), N(0), N(0) }, EDVSBADPID },
	/* Nodes and proxies. */
	BAD_NODES(DVK_GETNODEINFO, , _ N(0) _ N(0) _ A(OUT) _ N(0)),
	BAD_PTRS(DVK_GETNODEINFO, N(0) _ N(0) _ N(0) _, _ N(0)),
	BAD_NODES(DVK_NODEDOWN, , _ N(0) _ N(0) _ N(0) _ N(0)),
	{ DVK_NODEDOWN, "node not attached", { N(5), N(0), N(0), N(0), N(0) }, EDVSNODEFREE },
	BAD_NODES(DVK_NODEUP, , _ N(1) _ N(0) _ A(NAME) _ N(0)),
	BAD_PAIRS(DVK_NODEUP, N(5) _, _ N(0) _ A(NAME) _ N(0)),
	{ DVK_NODEUP, "pair not bound", { N(5), N(1), N(0), A(NAME), N(0) }, EDVSPROXYFREE },
	BAD_DCIDS(DVK_ADDNODE, , _ N(5) _ N(0) _ N(0) _ N(0)),
	BAD_NODES(DVK_ADDNODE, N(0) _, _ N(0) _ N(0) _ N(0)),
	{ DVK_ADDNODE, "node not attached", { N(0), N(5), N(0), N(0), N(0) }, EDVSNODEFREE },
	BAD_DCIDS(DVK_DELNODE, , _ N(5) _ N(0) _ N(0) _ N(0)),
	BAD_NODES(DVK_DELNODE, N(0) _, _ N(0) _ N(0) _ N(0)),
	{ DVK_DELNODE, "node not attached", { N(0), N(5), N(0), N(0), N(0) }, EDVSNODEFREE },
	BAD_PAIRS(DVK_PROXYBIND, , _ A(PID) _ A(PID) _ A(NAME) _ N(4096)),
	{ DVK_PROXYBIND, "sender pid -1", { N(1), N(-1), A(PID), A(NAME), N(4096) }, EDVSBADPID },
	{ DVK_PROXYBIND, "receiver pid INT_MAX", { N(1), A(PID), N(INT_MAX), A(NAME), N(4096) }, EDVSBADPID },
	{ DVK_PROXYBIND, "max payload 0", { N(1), A(PID), A(PID), A(NAME), N(0) }, EDVS2BIG },
	{ DVK_PROXYBIND, "max payload 65537", { N(1), A(PID), A(PID), A(NAME), N(65537) }, EDVS2BIG },
	{ DVK_PROXYBIND, "max payload -1", { N(1), A(PID), A(PID), A(NAME), N(-1) }, EDVS2BIG },
	BAD_PTRS(DVK_PROXYBIND, N(1) _ A(PID) _ A(PID) _, _ N(4096)),
	BAD_PAIRS(DVK_PROXYUNBIND, , _ N(0) _ N(0) _ N(0) _ N(0)),
	{ DVK_PROXYUNBIND, "pair not bound", { N(5), N(0), N(0), N(0), N(0) }, EDVSPROXYFREE },
	BAD_PAIRS(DVK_PROXYCONN, , _ N(DVK_CONNECT_SPROXY) _ N(0) _ N(0) _ N(0)),
	{ DVK_PROXYCONN, "pair not bound", { N(5), N(DVK_CONNECT_SPROXY), N(0), N(0), N(0) }, EDVSPROXYFREE },
	{ DVK_PROXYCONN, "status 99", { N(5), N(99), N(0), N(0), N(0) }, EDVSBADVALUE },
	BAD_PAIRS(DVK_GETPROXYINFO, , _ N(0) _ N(0) _ A(OUT) _ N(0)),
	{ DVK_GETPROXYINFO, "pair not bound", { N(5), N(0), N(0), A(OUT), N(0) }, EDVSPROXYFREE },
	/* Only a bound proxy moves commands. */
	{ DVK_GET2RMT, "not a proxy", { N(0), A(CMD), A(BUF), N(0), N(NOWAIT) }, EDVSBADPROXY },
	{ DVK_PUT2LCL, "not a proxy", { N(0), A(CMD), A(BUF), N(0), N(0) }, EDVSBADPROXY },
	/* The DVS. */
	BAD_PTRS(DVK_GETDVSINFO, N(0) _ N(0) _ N(0) _, _ N(0)),
	{ DVK_DVSINIT, "initialised already", { N(1), N(0), N(0), N(0), N(0) }, EDVSDVSBUSY },
	/* Calls this DVK does not implement. */
	{ DVK_RELAY, "RELAY", { N(0), N(0), N(0), N(0), N(0) }, EDVSNOSYS },
	/* MIGRATE: first = oper, second = pid, third = dcid, ptr = endpoint, fifth = node. */
	{ DVK_MIGRATE, "oper 3", { N(3), N(0), N(0), A(PEER), N(0) }, EDVSBADVALUE },
	{ DVK_MIGRATE, "oper -1", { N(-1), N(0), N(0), A(PEER), N(0) }, EDVSBADVALUE },
	BAD_DCIDS(DVK_MIGRATE, N(DVK_MIGR_ROLLBACK) _ N(0) _, _ A(PEER) _ N(0)),
	GARBAGE_EPS(DVK_MIGRATE, N(DVK_MIGR_ROLLBACK) _ N(0) _ N(0) _, _ N(0), EDVSRANGE),
	{ DVK_MIGRATE, "stale endpoint", { N(DVK_MIGR_ROLLBACK), N(0), N(0), A(STALE), N(0) }, EDVSENDPOINT },
	{ DVK_MIGRATE, "free endpoint", { N(DVK_MIGR_ROLLBACK), N(0), N(0), A(FREE), N(0) }, EDVSNOTBIND },
	{ DVK_MIGRATE, "rollback, not migrating", { N(DVK_MIGR_ROLLBACK), N(0), N(0), A(PEER), N(0) }, EDVSPROCSTS },
	{ DVK_MIGRATE, "commit to node 32", { N(DVK_MIGR_COMMIT), N(0), N(0), A(PEER), N(32) }, EDVSBADNODEID },
	{ DVK_MIGRATE, "commit to node -1", { N(DVK_MIGR_COMMIT), N(0), N(0), A(PEER), N(-1) }, EDVSBADNODEID },
	{ DVK_MIGRATE, "commit here, pid -1", { N(DVK_MIGR_COMMIT), N(-1), N(0), A(PEER), N(0) }, EDVSBADPID },
};

/* Everything a bad call could change, read back. */
struct state {
	struct dvs_usr dvs;
	struct dc_usr dc;
	struct proc_usr procs[DVK_DEF_NR_TASKS + DVK_DEF_NR_PROCS];
	struct priv_usr privs[4];
	struct node_usr nodes[DVK_DEF_NR_NODES];
	int node_rc[DVK_DEF_NR_NODES];
};

static void snapshot(struct state *s)
{
	memset(s, 0, sizeof(*s));
	T_EQ(dvk_getdvsinfo(&s->dvs), 0);
	T_EQ(dvk_getdcinfo(T_DC, &s->dc), 0);
	for (int nr = -DVK_DEF_NR_TASKS; nr < DVK_DEF_NR_PROCS; nr++)
		T_EQ(dvk_getprocinfo(T_DC, nr, &s->procs[nr + DVK_DEF_NR_TASKS]), 0);
	T_EQ(dvk_getpriv(T_DC, me, &s->privs[0]), 0);
	T_EQ(dvk_getpriv(T_DC, peer, &s->privs[1]), 0);
	for (int n = 0; n < DVK_DEF_NR_NODES; n++)
		s->node_rc[n] = dvk_getnodeinfo(n, &s->nodes[n]);
}

static int peer_main(void *arg)
{
	(void)arg;
	C_EQ(dvk_bind(T_DC, PEER_NR), DVK_ENDPOINT(1, PEER_NR));
	t_sync_post();
	pause();		/* bound, in no call: killed at the end */
	return 0;
}

static void every_call_every_bad_value(void)
{
	struct state before, after;
	int bad = 0;
	pid_t pid;

	t_up();
	me = dvk_bind(T_DC, ME_NR);
	T_EQ(me, DVK_ENDPOINT(1, ME_NR));
	stale = DVK_ENDPOINT(2, ME_NR);		/* slot 1, another generation */
	t_sync_init();
	pid = t_fork(peer_main, NULL);
	T_TRUE(t_sync_wait());
	peer = DVK_ENDPOINT(1, PEER_NR);
	snapshot(&before);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		long a[5], got;

		for (int k = 0; k < 5; k++)
			a[k] = resolve(r->a[k]);
		got = dvk_call(r->call, (int)a[0], (unsigned long)a[1], (unsigned long)a[2],
			       (void *)(uintptr_t)a[3], a[4]);
		if (got != r->want) {
			printf("  %s, %s: got %ld %s, expected %d %s\n", dvk_callname(r->call),
			       r->what, got, dvk_errname((int)got) ?: "", r->want,
			       dvk_errname(r->want) ?: "");
			bad++;
		}
	}
	printf("  %zu rows, %d wrong\n", sizeof(rows) / sizeof(rows[0]), bad);
	T_EQ(bad, 0);
	snapshot(&after);
	T_EQ(memcmp(&before.dvs, &after.dvs, sizeof(before.dvs)), 0);
	T_EQ(memcmp(&before.dc, &after.dc, sizeof(before.dc)), 0);
	for (size_t k = 0; k < sizeof(before.procs) / sizeof(before.procs[0]); k++)
		if (memcmp(&before.procs[k], &after.procs[k], sizeof(before.procs[k])))
			t_fail(__FILE__, __LINE__, "slot %d changed", (int)k - DVK_DEF_NR_TASKS);
	T_EQ(memcmp(before.privs, after.privs, sizeof(before.privs)), 0);
	T_EQ(memcmp(before.nodes, after.nodes, sizeof(before.nodes)), 0);
	T_EQ(memcmp(before.node_rc, after.node_rc, sizeof(before.node_rc)), 0);
	T_EQ(dvk_receive_T(DVK_ANY, &msg, NOWAIT), EDVSAGAIN);	/* nothing was delivered */
	kill(pid, SIGKILL);
	T_EQ(t_join_signal(pid), SIGKILL);
	t_down();
}

/* A call number libdvk would refuse itself, straight through the run's door. */
static long raw_door(unsigned int ipc_call, unsigned long ioc_cmd)
{
	struct dvk_ioc_args a = { 0 };
	long r;
	int fd;

	if (dvk_door() != DVS_IOCTL)
		return syscall(DVK_SYSCALL_NR, ipc_call, 0, 0, 0, NULL, 0) < 0 ? -errno : 0;
	fd = open(DVK_DEV_PATH, O_RDWR);
	if (fd < 0)
		return -1000;
	r = ioctl(fd, ioc_cmd, &a) < 0 ? -errno : 0;
	close(fd);
	return r;
}

static void bad_call_numbers(void)
{
	t_up();
	T_EQ(raw_door(DVK_CALL_ENCODE(DVK_NR_CALLS), DVK_IOC(DVK_NR_CALLS)), EDVSNOSYS);
	T_EQ(raw_door(DVK_CALL_ENCODE(255), DVK_IOC(255)), EDVSNOSYS);
	if (dvk_door() == DVS_IOCTL) {
		/* Another size or direction is another command: ENOTTY. */
		T_EQ(raw_door(0, _IOR(DVK_IOC_MAGIC, DVK_GETEP, struct dvk_ioc_args)), EDVSNOTTY);
		T_EQ(raw_door(0, _IOWR(DVK_IOC_MAGIC, DVK_GETEP, int)), EDVSNOTTY);
	} else {
		T_EQ(raw_door((2 << 16) | (DVK_GETEP << 8), 0), EDVSBADVERSION);
		T_EQ(raw_door(DVK_CALL_ENCODE(DVK_GETEP) | 1, 0), EDVSBADVALUE);
	}
	t_down();
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	T_RUN(every_call_every_bad_value);
	T_RUN(bad_call_numbers);
	return t_summary();
}
