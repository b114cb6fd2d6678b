// SPDX-License-Identifier: GPL-2.0
/*
 * A call-sequence fuzzer: rounds of worker processes (two threads each)
 * drive the whole local call surface with random but plausible arguments
 * (valid, stale and garbage endpoints, random timeouts), while the
 * controller sends signals, SIGKILLs workers and starts new ones, and ends
 * the DC or the DVS between rounds. After each round it checks:
 *   - every call returned 0, a positive count where one is due, or a
 *     documented EDVS code, and none outlasted its timeout by 2 s;
 *   - every message reached only its addressee, at most once, in order;
 *   - once the workers are gone, every slot is free (nothing left SENDING,
 *     RECEIVING or ONCOPY without a caller), and once node 1's proxy is
 *     gone the kernel holds no remote message (/proc/dvs/info's rmsgs).
 * A scripted proxy pair plays node 1: it registers some of node 1's
 * endpoints, takes what the workers send there (answering with acks,
 * errors, replies or nothing) and pushes random commands of node 1's in,
 * well-formed or not; its death at the round's end takes node 1 down.
 * DVK_FUZZ_SECONDS (default 12) bounds the run; DVK_FUZZ_SEED repeats one
 * (the seed is printed first). make fuzz runs it as long as asked.
 */
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <dvk/libdvk.h>
#include "test_util.h"

const char *t_prog = "test_fuzz";

#define NW		6		/* workers a round */
#define MAGIC		0x6675		/* m_type of a fuzz message ("fu") */
#define MAGIC_REC	0x6676		/* ... sent with sendrec: reply to it */
#define BUF		8192

/* What the workers and the controller share (MAP_SHARED). */
struct shared {
	_Atomic int ep[NW];			/* each worker's current endpoint, or 0 */
	_Atomic int incarnation[NW];		/* bumped whenever a worker starts anew */
	_Atomic long calls, delivered, bad;
	char why[256];				/* the first violation */
	_Atomic int why_taken;
};
static struct shared *sh;

static void violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void violation(const char *fmt, ...)
{
	va_list ap;

	atomic_fetch_add(&sh->bad, 1);
	if (atomic_exchange(&sh->why_taken, 1))
		return;
	va_start(ap, fmt);
	vsnprintf(sh->why, sizeof(sh->why), fmt, ap);
	va_end(ap);
}

/* xorshift64*: each worker and thread its own stream from the run's seed. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static int pick(uint64_t *s, int n)
{
	return (int)(rnd(s) % (uint64_t)n);
}

/*
 * A sender is a worker's thread (id * 2 + thread) in one incarnation; it
 * numbers its messages. Only a worker's main thread receives, so its
 * record of the last number from each sender needs no lock.
 */
#define NSENDERS	(2 * NW)

struct worker {
	int id, slot, incarnation;
	uint64_t seed;
	long deadline_ms;
	int seq[2];			/* messages sent, by thread */
	int last[NSENDERS];		/* the last seq received from each sender ... */
	int last_inc[NSENDERS];		/* ... in this incarnation of it */
	int last_src[NSENDERS];		/* ... and the endpoint it came from */
};

/*
 * What copies read and write: at one address in every worker, and so big
 * that no copy (at most 2 * BUF bytes) reaches past it into the records
 * above, which other workers' copies must not be able to touch.
 */
static unsigned char copybuf[4 * BUF];

static int slot_of(int id)
{
	return id < 4 ? id + 1 : 100 + id;	/* four system slots, two user slots */
}

#define RNODE		1
/* Node 1's endpoints the proxy registers here: system slots and user slots. */
static const int rslots[] = { 20, 21, 22, 150, 151 };
#define NRSLOTS		((int)(sizeof(rslots) / sizeof(rslots[0])))

/*
 * An endpoint worth trying: a live one, a stale one, a bare slot number
 * (the slot's binding now), garbage, a remote or a magic one.
 */
static int target(uint64_t *s)
{
	int ep = atomic_load(&sh->ep[pick(s, NW)]);

	switch (pick(s, 12)) {
	case 10: case 11: return DVK_ENDPOINT(1, rslots[pick(s, NRSLOTS)]);
	case 0: return ep ? ep - (1 << DVK_EP_GEN_SHIFT) : DVK_ANY;	/* an older generation */
	case 1: return (int)rnd(s);
	case 3: return ep ? DVK_EP_NR(ep) : slot_of(pick(s, NW));	/* by slot number */
	case 2: return (int[]){ DVK_ANY, DVK_NONE, DVK_SELF, DVK_ENDPOINT(1, 300) }[pick(s, 4)];
	default: return ep ? ep : DVK_ENDPOINT(1, slot_of(pick(s, NW)));
	}
}

static long timeout(uint64_t *s)
{
	return (long[]){ 0, 1, 5, 20, 50 }[pick(s, 5)];
}

/* A call's result: 0, a count where due (@maxpos), or an EDVS code. */
static void result(const char *call, long r, long maxpos, long started, long tmo)
{
	long took = t_now_ms() - started;

	atomic_fetch_add(&sh->calls, 1);
	if (r > maxpos || (r < 0 && (r < EDVSERRCODE * 2 || !dvk_errname((int)r))))
		violation("%s returned %ld, not a documented result", call, r);
	if (took > tmo + 2000)
		violation("%s took %ld ms with a timeout of %ld ms", call, took, tmo);
}

/* A received message: for us, from the sender it names, once, in order. */
static void check_msg(struct worker *w, const struct dvk_message *m, int me)
{
	int from = m->m_u.m1.i1 & 0xff, inc = m->m_u.m1.i1 >> 8, seq = m->m_u.m1.i2;

	if (m->m_type != MAGIC && m->m_type != MAGIC_REC)
		return;			/* a notification */
	atomic_fetch_add(&sh->delivered, 1);
	/* Sent to our endpoint, or to our slot by number (whoever holds it then). */
	if (m->m_u.m1.i3 != me &&
	    (DVK_EP_GEN(m->m_u.m1.i3) != 0 || DVK_EP_NR(m->m_u.m1.i3) != DVK_EP_NR(me)))
		violation("worker %d (ep %d) got a message for ep %d", w->id, me, m->m_u.m1.i3);
	if (from >= NSENDERS) {
		violation("a message from no worker (%d)", from);
		return;
	}
	if (inc != w->last_inc[from]) {
		w->last_inc[from] = inc;
		w->last[from] = 0;
	}
	if (seq <= w->last[from])
		violation("worker %d (ep %d) got seq %d (type %#x) from sender %d.%d (ep %d) after %d (ep %d): twice or out of order",
			  w->id, me, seq, m->m_type, from, inc, m->m_source, w->last[from],
			  w->last_src[from]);
	w->last[from] = seq;
	w->last_src[from] = m->m_source;
}

static void one_call(struct worker *w, uint64_t *s, int thread)
{
	int me = atomic_load(&sh->ep[w->id]);
	struct dvk_message m;
	long t = timeout(s), t0 = t_now_ms(), r;
	int dst = target(s);

	memset(&m, 0, sizeof(m));
	switch (pick(s, 12)) {
	case 0: case 1: case 2:
		m.m_type = pick(s, 2) ? MAGIC_REC : MAGIC;
		m.m_u.m1.i1 = w->incarnation << 8 | (w->id * 2 + thread);
		m.m_u.m1.i2 = ++w->seq[thread];
		m.m_u.m1.i3 = dst;
		r = m.m_type == MAGIC_REC ? dvk_sendrec_T(dst, &m, t) : dvk_send_T(dst, &m, t);
		result(m.m_type == MAGIC_REC ? "sendrec" : "send", r, 0, t0, t);
		break;
	case 3: case 4: case 5:
		if (thread)
			break;		/* only the main thread receives (see struct worker) */
		r = dvk_receive_T(pick(s, 3) ? DVK_ANY : dst, &m, t);
		result("receive", r, 0, t0, t);
		if (r == 0) {
			check_msg(w, &m, me);
			if (m.m_type == MAGIC_REC && pick(s, 5)) {
				t0 = t_now_ms();
				result("reply", dvk_reply_T(m.m_source, &m, 0), 0, t0, 0);
			}
		}
		break;
	case 6:
		if (thread)
			break;
		r = dvk_rcvrqst_T(&m, t);
		result("rcvrqst", r, 0, t0, t);
		if (r == 0)
			check_msg(w, &m, me);
		break;
	case 7:
		result("notify", dvk_notify_X(DVK_SELF, dst, pick(s, 66) - 1), 0, t0, 0);
		break;
	case 8: {
		long n = pick(s, 3) ? pick(s, BUF) : (long)rnd(s) % (2 * BUF);

		r = pick(s, 2) ? dvk_vcopy(DVK_SELF, copybuf, dst, copybuf, n) :
				 dvk_vcopy(dst, copybuf, DVK_SELF, copybuf, n);
		result("vcopy", r, n > 0 ? n : 0, t0, 0);
		break;
	}
	case 9:
		result("wakeup", dvk_wakeup(T_DC, dst), 0, t0, 0);
		break;
	case 10: {
		struct proc_usr p;

		result("getprocinfo", dvk_getprocinfo(T_DC, pick(s, 300) - 40, &p), 0, t0, 0);
		break;
	}
	case 11:
		if (thread || pick(s, 8))
			break;
		/* Unbind and bind again: a new generation for the others to find. */
		atomic_store(&sh->ep[w->id], 0);
		result("unbind", dvk_unbind(T_DC, DVK_SELF), 0, t0, 0);
		r = dvk_bind(T_DC, w->slot);
		result("bind", r, INT32_MAX, t0, 0);
		if (r > 0)
			atomic_store(&sh->ep[w->id], (int)r);
		break;
	}
}

static struct worker *the_worker;

static void *second_thread(void *arg)
{
	uint64_t s = the_worker->seed ^ 0x9e3779b97f4a7c15ULL;

	(void)arg;
	while (t_now_ms() < the_worker->deadline_ms)
		one_call(the_worker, &s, 1);
	return NULL;
}

static void on_signal(int sig)
{
	(void)sig;			/* only to interrupt calls (EDVSINTR) */
}

static int worker_main(void *arg)
{
	struct worker *w = arg;
	pthread_t t;
	int ep;

	signal(SIGUSR1, on_signal);
	the_worker = w;
	ep = dvk_bind(T_DC, w->slot);
	if (ep <= 0)
		return 0;	/* a DC ending under us: nothing to do this round */
	atomic_store(&sh->ep[w->id], ep);
	if (pthread_create(&t, NULL, second_thread, NULL))
		return 1;
	while (t_now_ms() < w->deadline_ms)
		one_call(w, &w->seed, 0);
	pthread_join(t, NULL);
	return 0;
}

static pid_t start_worker(struct worker *w, int id, uint64_t *s, long deadline)
{
	memset(w, 0, sizeof(*w));
	w->id = id;
	w->slot = slot_of(id);
	w->seed = rnd(s) | 1;
	w->deadline_ms = deadline;
	w->incarnation = atomic_fetch_add(&sh->incarnation[id], 1) + 1;
	return t_fork(worker_main, w);
}

/* ---- The scripted proxy pair of node 1 ---- */

static unsigned char payload[DVK_CMD_MAXPAYLOAD];

static int rcode(uint64_t *s)
{
	return (int[]){ 0, EDVSDSTDIED, EDVSNOTBIND, EDVSBADVALUE, 17, EDVSPROCSTS }[pick(s, 6)];
}

/* Answer what a worker sent to node 1, or not. */
static void answer(const struct dvk_cmd *c, uint64_t *s)
{
	struct dvk_cmd a = *c;
	long t0 = t_now_ms();

	if ((c->c_cmd & DVK_CMD_ACK) || c->c_cmd == DVK_CMD_NTFY_MSG || !pick(s, 4))
		return;			/* nothing to answer, or a node that never does */
	a.c_src = c->c_dst;
	a.c_dst = c->c_src;
	a.c_snode = RNODE;
	a.c_dnode = c->c_snode;
	a.c_len = 0;
	a.c_flags = 0;
	if (c->c_cmd == DVK_CMD_SNDREC_MSG && pick(s, 2)) {
		a.c_cmd = DVK_CMD_REPLY_MSG;
		a.c_msg.m_type = 0x1234;
	} else {
		a.c_cmd = c->c_cmd | DVK_CMD_ACK;
		a.c_rcode = rcode(s);
		if (c->c_cmd == DVK_CMD_COPYIN_DATA)
			a.c_dst = c->c_vcopy.v_rqtr;
	}
	result("put2lcl (answer)", dvk_put2lcl(&a, NULL), 0, t0, 0);
}

/* A command of node 1's own: plausible, or not quite. */
static void inject(uint64_t *s)
{
	static const unsigned int cmds[] = { DVK_CMD_SEND_MSG, DVK_CMD_SNDREC_MSG, DVK_CMD_NTFY_MSG,
		DVK_CMD_REPLY_MSG, DVK_CMD_COPYIN_DATA, DVK_CMD_COPYOUT_RQST, DVK_CMD_COPYLCL_RQST,
		DVK_CMD_COPYIN_RQST, DVK_CMD_SEND_ACK, DVK_CMD_COPYIN_ACK };
	struct dvk_cmd c = { .c_cmd = cmds[pick(s, 10)], .c_dcid = T_DC,
		.c_src = pick(s, 8) ? DVK_ENDPOINT(1, rslots[pick(s, NRSLOTS)]) :
				      DVK_ENDPOINT(1, 29 + pick(s, 190)),
		.c_dst = target(s), .c_snode = RNODE, .c_dnode = 0, .c_id = rnd(s) % 64 };
	long t0 = t_now_ms(), r;

	c.c_msg.m_type = 0x1234;
	c.c_rcode = c.c_cmd == DVK_CMD_NTFY_MSG ? pick(s, 70) - 3 : pick(s, 4);
	c.c_vcopy = (struct dvk_vcopy){ .v_src = pick(s, 2) ? c.c_src : c.c_dst,
		.v_dst = pick(s, 2) ? c.c_dst : c.c_src, .v_rqtr = c.c_src,
		.v_rnode = (short)(pick(s, 4) ? RNODE : 0), .v_dnode = (short)pick(s, 2),
		.v_saddr = (uintptr_t)copybuf, .v_daddr = (uintptr_t)copybuf + pick(s, BUF),
		.v_bytes = 1 + pick(s, BUF) };
	if (c.c_cmd == DVK_CMD_COPYIN_DATA) {
		c.c_len = c.c_vcopy.v_bytes;
		c.c_flags = pick(s, 2) ? DVK_CMDF_LAST : 0;
	}
	r = dvk_put2lcl(&c, payload);
	result("put2lcl", r, 0, t0, 0);
}

static int proxy_main(void *arg)
{
	struct worker *w = arg;
	uint64_t *s = &w->seed;
	pid_t me = getpid();

	if (dvk_proxies_bind("fuzz1", RNODE, me, me, DVK_CMD_MAXPAYLOAD) != RNODE ||
	    dvk_node_up("node1", RNODE, RNODE) != RNODE || dvk_add_node(T_DC, RNODE) ||
	    dvk_proxy_conn(RNODE, DVK_CONNECT_SPROXY) || dvk_proxy_conn(RNODE, DVK_CONNECT_RPROXY))
		return 0;	/* a DC ending under us: nothing to do this round */
	for (int i = 0; i < NRSLOTS; i++)
		dvk_rmtbind(T_DC, "rmt", DVK_ENDPOINT(1, rslots[i]), RNODE);
	while (t_now_ms() < w->deadline_ms) {
		struct dvk_cmd c;
		long t = pick(s, 3) ? 0 : 10, t0 = t_now_ms(), r;

		r = dvk_get2rmt_T(&c, payload, t);
		result("get2rmt", r, 0, t0, t);
		if (r == 0)
			answer(&c, s);
		if (pick(s, 3))
			inject(s);
	}
	return 0;
}

static uint64_t seed;
static long seconds;

static void all_slots_free(void)
{
	for (int nr = -t_dc0.dc_nr_tasks; nr < t_dc0.dc_nr_procs; nr++) {
		struct proc_usr p;

		if (dvk_getprocinfo(T_DC, nr, &p) == 0 && p.p_rts_flags != DVK_SLOT_FREE &&
		    !t_wait_free(T_DC, nr))
			t_fail(__FILE__, __LINE__, "slot %d left with flags %#x, endpoint %d", nr,
			       p.p_rts_flags, p.p_endpoint);
	}
}

static void rounds(void)
{
	static struct worker w[NW], px;
	uint64_t s = seed;
	long end = t_now_ms() + seconds * 1000;
	int round = 0;

	T_TRUE(sh != MAP_FAILED);
	t_up();
	while (t_now_ms() < end) {
		long deadline = t_now_ms() + 1500;
		pid_t pid[NW], pxpid;

		round++;
		px.seed = rnd(&s) | 1;
		px.deadline_ms = deadline;
		pxpid = t_fork(proxy_main, &px);
		for (int i = 0; i < NW; i++)
			pid[i] = start_worker(&w[i], i, &s, deadline);
		while (t_now_ms() < deadline) {
			int i = pick(&s, NW);

			usleep(20 * 1000 + pick(&s, 80) * 1000);
			switch (pick(&s, 6)) {
			case 0:	/* a sudden death, and a newcomer in its slot */
				kill(pid[i], SIGKILL);
				waitpid(pid[i], NULL, 0);
				atomic_store(&sh->ep[i], 0);
				pid[i] = start_worker(&w[i], i, &s, deadline);
				break;
			case 1: case 2:
				kill(pid[i], SIGUSR1);
				break;
			}
		}
		for (int i = 0; i < NW; i++) {
			kill(pid[i], SIGKILL);
			waitpid(pid[i], NULL, 0);
			atomic_store(&sh->ep[i], 0);
		}
		kill(pxpid, SIGKILL);		/* node 1 goes down with its proxy */
		waitpid(pxpid, NULL, 0);
		all_slots_free();
		T_EQ(t_live_rmsgs(), 0);
		/* Between rounds: the DC, or the whole DVS, ends and comes back. */
		if (round % 3 == 0) {
			t_down();
			t_up();
		} else {
			T_EQ(dvk_dc_end(T_DC), 0);
			T_EQ(dvk_dc_init(&t_dc0), 0);
		}
	}
	t_down();
	printf("  %d rounds, %ld calls, %ld messages delivered, seed %llu\n", round,
	       atomic_load(&sh->calls), atomic_load(&sh->delivered), (unsigned long long)seed);
	T_TRUE(atomic_load(&sh->delivered) > 0);	/* the rendezvous were exercised */
	if (atomic_load(&sh->bad))
		t_fail(__FILE__, __LINE__, "%ld violations; the first: %s", atomic_load(&sh->bad),
		       sh->why);
}

int main(void)
{
	const char *e;

	setvbuf(stdout, NULL, _IOLBF, 0);
	e = getenv("DVK_FUZZ_SEED");
	seed = e ? strtoull(e, NULL, 0) : (uint64_t)time(NULL) * 2654435761ULL ^ (uint64_t)getpid();
	seed |= 1;
	e = getenv("DVK_FUZZ_SECONDS");
	seconds = e ? atol(e) : 12;
	printf("# test_fuzz: seed %llu (DVK_FUZZ_SEED=%llu repeats this run), %ld s\n",
	       (unsigned long long)seed, (unsigned long long)seed, seconds);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	T_RUN(rounds);
	return t_summary();
}
