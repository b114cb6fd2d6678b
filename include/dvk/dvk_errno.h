/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * DVK error codes, shared by the kernel core and user space.
 *
 * Names and numbers follow the original DVS table so that its users
 * recognise them. Every call returns either a non-negative result or one of
 * these negative codes; 1..40 equal the Linux errno of the same name, so a
 * -EFAULT from copy_to_user() is EDVSFAULT without translation. All codes lie
 * in [-4095, -1], so they survive the libc syscall() errno round trip.
 *
 * DVK_ERRORS(X) expands X(name, value, text) once per code: the enum below,
 * the library's dvk_strerror() and the tests are all generated from it.
 */
#ifndef _DVK_ERRNO_H
#define _DVK_ERRNO_H

#define DVK_ERRORS(X)							\
	X(EDVSPERM,		-1,   "operation not permitted (needs CAP_SYS_ADMIN or DC ownership)") \
	X(EDVSNOENT,		-2,   "no such entry")				\
	X(EDVSSRCH,		-3,   "no such process")			\
	X(EDVSINTR,		-4,   "interrupted by a signal")		\
	X(EDVSIO,		-5,   "input/output error")			\
	X(EDVSNXIO,		-6,   "no such device or address")		\
	X(EDVS2BIG,		-7,   "argument too big")			\
	X(EDVSNOEXEC,		-8,   "exec format error")			\
	X(EDVSBADF,		-9,   "bad file descriptor")			\
	X(EDVSCHILD,		-10,  "no child process")			\
	X(EDVSAGAIN,		-11,  "try again (non-blocking call would block)") \
	X(EDVSNOMEM,		-12,  "out of memory")				\
	X(EDVSACCES,		-13,  "permission denied")			\
	X(EDVSFAULT,		-14,  "bad address (user pointer not accessible)") \
	X(EDVSNOTBLK,		-15,  "block device required")			\
	X(EDVSBUSY,		-16,  "resource busy")				\
	X(EDVSEXIST,		-17,  "already exists")				\
	X(EDVSXDEV,		-18,  "cross-device link")			\
	X(EDVSNODEV,		-19,  "no DVK in this kernel (no dvkipc system call, no /dev/dvk)") \
	X(EDVSNOTDIR,		-20,  "not a directory")			\
	X(EDVSISDIR,		-21,  "is a directory")				\
	X(EDVSINVAL,		-22,  "invalid argument")			\
	X(EDVSNFILE,		-23,  "file table overflow")			\
	X(EDVSMFILE,		-24,  "too many open files")			\
	X(EDVSNOTTY,		-25,  "not a typewriter (unknown ioctl)")	\
	X(EDVSTXTBSY,		-26,  "text file busy")				\
	X(EDVSFBIG,		-27,  "file too large")				\
	X(EDVSNOSPC,		-28,  "no space left")				\
	X(EDVSSPIPE,		-29,  "illegal seek")				\
	X(EDVSROFS,		-30,  "read-only file system")			\
	X(EDVSMLINK,		-31,  "too many links")				\
	X(EDVSPIPE,		-32,  "broken pipe")				\
	X(EDVSDOM,		-33,  "argument out of domain")			\
	X(EDVSRANGE,		-34,  "value out of range")			\
	X(EDVSDEADLK,		-35,  "deadlock avoided")			\
	X(EDVSNAMETOOLONG,	-36,  "name too long")				\
	X(EDVSNOLCK,		-37,  "no locks available")			\
	X(EDVSNOSYS,		-38,  "call not implemented (unknown DVK call number)") \
	X(EDVSNOTEMPTY,		-39,  "not empty")				\
	X(EDVSLOOP,		-40,  "too many levels of indirection")		\
	X(EDVSPACKSIZE,		-50,  "invalid packet size")			\
	X(EDVSOUTOFBUFS,	-51,  "not enough buffers left")		\
	X(EDVSBADIOCTL,		-52,  "illegal ioctl for device")		\
	X(EDVSBADMODE,		-53,  "bad mode in ioctl")			\
	X(EDVSWOULDBLOCK,	-54,  "operation would block")			\
	X(EDVSBADDEST,		-55,  "not a valid destination")		\
	X(EDVSDSTNOTRCH,	-56,  "destination not reachable")		\
	X(EDVSISCONN,		-57,  "already connected")			\
	X(EDVSADDRINUSE,	-58,  "address in use")				\
	X(EDVSCONNREFUSED,	-59,  "connection refused")			\
	X(EDVSCONNRESET,	-60,  "connection reset")			\
	X(EDVSTIMEDOUT,		-61,  "timed out")				\
	X(EDVSURG,		-62,  "urgent data present")			\
	X(EDVSNOURG,		-63,  "no urgent data present")			\
	X(EDVSNOTCONN,		-64,  "not connected (proxy or node link down)") \
	X(EDVSSHUTDOWN,		-65,  "link shut down")				\
	X(EDVSNOCONN,		-66,  "no such connection")			\
	X(EDVSAFNOSUPPORT,	-67,  "address family not supported")		\
	X(EDVSPROTONOSUPPORT,	-68,  "protocol not supported")			\
	X(EDVSPROTOTYPE,	-69,  "wrong protocol type")			\
	X(EDVSINPROGRESS,	-70,  "operation in progress")			\
	X(EDVSADDRNOTAVAIL,	-71,  "address not available")			\
	X(EDVSALREADY,		-72,  "connection already in progress")		\
	X(EDVSMSGSIZE,		-73,  "message too long")			\
	X(EDVSNOTSOCK,		-74,  "not a socket")				\
	X(EDVSNOPROTOOPT,	-75,  "protocol option not available")		\
	X(EDVSGENERIC,		-99,  "generic error")				\
	X(EDVSLOCKED,		-101, "table locked")				\
	X(EDVSBADCALL,		-102, "call not allowed for this process")	\
	X(EDVSBADSRCDST,	-103, "bad source or destination")		\
	X(EDVSCALLDENIED,	-104, "call denied")				\
	X(EDVSDEADSRCDST,	-105, "source or destination is dead")		\
	X(EDVSNOTREADY,		-106, "not ready")				\
	X(EDVSBADREQUEST,	-107, "bad request")				\
	X(EDVSSRCDIED,		-108, "source process died")			\
	X(EDVSDSTDIED,		-109, "destination process died")		\
	X(EDVSTRAPDENIED,	-110, "IPC to this destination not allowed")	\
	X(EDVSDONTREPLY,	-201, "do not reply")				\
	X(EDVSBADNODEID,	-301, "bad node id")				\
	X(EDVSBADDCID,		-302, "bad DC id")				\
	X(EDVSDCNOTRUN,		-303, "DC not running")				\
	X(EDVSBADPROC,		-304, "bad process slot number")		\
	X(EDVSBADPID,		-305, "bad pid")				\
	X(EDVSENDPOINT,		-306, "bad or stale endpoint")			\
	X(EDVSNOPROXY,		-307, "no proxy for that node")			\
	X(EDVSRMTPROC,		-308, "process is remote")			\
	X(EDVSLCLPROC,		-309, "process is local")			\
	X(EDVSNOTBIND,		-310, "process not bound")			\
	X(EDVSPROXYRUN,		-311, "proxy running")				\
	X(EDVSACKDST,		-312, "bad acknowledge destination")		\
	X(EDVSACKSRC,		-313, "bad acknowledge source")			\
	X(EDVSACKWAIT,		-314, "waiting for an acknowledge")		\
	X(EDVSNODEBUSY,		-315, "node busy")				\
	X(EDVSNONODE,		-316, "no such node")				\
	X(EDVSDVSBUSY,		-317, "DVS already initialised")		\
	X(EDVSDVSINIT,		-318, "DVS not initialised")			\
	X(EDVSNODCNODE,		-319, "node not in the DC")			\
	X(EDVSPROCRUN,		-320, "process not in a runnable state")	\
	X(EDVSNOMSG,		-321, "no message")				\
	X(EDVSDCRUN,		-323, "DC running")				\
	X(EDVSPROCSTS,		-324, "process in the wrong state for this call") \
	X(EDVSNODEFREE,		-325, "node not attached")			\
	X(EDVSDCNODE,		-326, "node membership of the DC does not allow this") \
	X(EDVSBADPROXY,		-327, "bad proxy")				\
	X(EDVSONCOPY,		-328, "process busy in a copy")			\
	X(EDVSENQUEUED,		-329, "a command is already queued")		\
	X(EDVSOVERRUN,		-330, "overrun")				\
	X(EDVSBADOWNER,		-331, "bad owner")				\
	X(EDVSMIGRATE,		-332, "process migrating")			\
	X(EDVSPROXYFREE,	-333, "proxy pair not bound")			\
	X(EDVSGRPLEADER,	-334, "not a thread group leader")		\
	X(EDVSPRIVILEGES,	-335, "insufficient privileges")		\
	X(EDVSBINDTYPE,		-336, "bad bind type")				\
	X(EDVSSLOTUSED,		-337, "slot already in use")			\
	X(EDVSBADRANGE,		-338, "limit out of range")			\
	X(EDVSBADVALUE,		-339, "bad value")				\
	X(EDVSBADDIR,		-340, "cannot create /proc directory")		\
	X(EDVSBADFILE,		-341, "cannot create /proc file")		\
	X(EDVSRSCBUSY,		-342, "resource busy")				\
	X(EDVSNAMESIZE,		-343, "name empty, too long or not printable")	\
	X(EDVSALLOCMEM,		-344, "cannot allocate memory")			\
	X(EDVSPROXYID,		-345, "bad proxy id")				\
	X(EDVSREPLPROC,		-346, "process is replicated")			\
	X(EDVSALIGN,		-347, "bad alignment")				\
	X(EDVSWOKENUP,		-348, "woken up by wakeup")			\
	X(EDVSBADTRAMP,		-349, "bad copy trampoline")			\
	X(EDVSPRIMARY,		-401, "process is the primary")			\
	X(EDVSNOREPLICA,	-402, "no replica")				\
	X(EDVSBADVERSION,	-403, "DVK interface version mismatch (library and kernel differ)")

#define DVK_ERR_ENUM(name, value, text) name = (value),
enum dvk_errno { DVK_ERRORS(DVK_ERR_ENUM) };
#undef DVK_ERR_ENUM

/* Results below this are DVS-specific (the original's EDVSERRCODE). */
#define EDVSERRCODE	(-300)

#endif /* _DVK_ERRNO_H */
