// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the DVK core's logic: endpoint arithmetic, call decoding,
 * the dvs_init and dc_init checks (dvk_core); privileges, notify
 * coalescing and the queues unbind empties (dvk_slots).
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include "dvk_internal.h"

static void dvk_ep_roundtrip(struct kunit *test)
{
	static const int gens[] = { 1, 2, 3, 4093, 32768, DVK_EP_GEN_MAX - 1, DVK_EP_GEN_MAX };
	int i, nr;

	for (i = 0; i < ARRAY_SIZE(gens); i++) {
		int gen = gens[i];

		for (nr = -DVK_MAX_TASKS; nr < DVK_MAX_PROCS; nr++) {
			s32 ep = DVK_ENDPOINT(gen, nr);

			KUNIT_ASSERT_GT(test, ep, 0);
			KUNIT_ASSERT_EQ(test, DVK_EP_NR(ep), nr);
			KUNIT_ASSERT_EQ(test, DVK_EP_GEN(ep), gen);
		}
	}
}

static void dvk_ep_generations(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, DVK_EP_NEXT_GEN(1), 2);
	KUNIT_EXPECT_EQ(test, DVK_EP_NEXT_GEN(DVK_EP_GEN_MAX), 1);
	/* The same slot in two generations gives two different endpoints. */
	KUNIT_EXPECT_NE(test, DVK_ENDPOINT(1, 5), DVK_ENDPOINT(2, 5));
	KUNIT_EXPECT_EQ(test, DVK_ENDPOINT(1, -35), 32733);
	KUNIT_EXPECT_EQ(test, DVK_ENDPOINT(1, 0), 32768);
}

/* ANY, NONE and SELF must never decode to a slot a DC can have. */
static void dvk_ep_magic(struct kunit *test)
{
	static const s32 magic[] = { DVK_ANY, DVK_NONE, DVK_SELF };
	int i;

	for (i = 0; i < ARRAY_SIZE(magic); i++) {
		s32 nr = DVK_EP_NR(magic[i]);

		KUNIT_EXPECT_TRUE(test, nr < -DVK_MAX_TASKS || nr >= DVK_MAX_PROCS);
	}
}

static void dvk_decode(struct kunit *test)
{
	unsigned int nr = 1234;

	KUNIT_EXPECT_EQ(test, dvk_call_decode(DVK_CALL_ENCODE(DVK_DVSINIT), &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, (unsigned int)DVK_DVSINIT);
	KUNIT_EXPECT_EQ(test, DVK_CALL_ENCODE(DVK_DVSINIT), 0x11800);
	KUNIT_EXPECT_EQ(test, dvk_call_decode(DVK_CALL_ENCODE(0), &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, 0U);
	KUNIT_EXPECT_EQ(test, dvk_call_decode(DVK_CALL_ENCODE(DVK_NR_CALLS - 1), &nr), 0);
	KUNIT_EXPECT_EQ(test, nr, (unsigned int)DVK_NR_CALLS - 1);

	nr = 1234;
	KUNIT_EXPECT_EQ(test, dvk_call_decode(DVK_CALL_ENCODE(DVK_NR_CALLS), &nr), EDVSNOSYS);
	KUNIT_EXPECT_EQ(test, dvk_call_decode(DVK_CALL_ENCODE(255), &nr), EDVSNOSYS);
	KUNIT_EXPECT_EQ(test, dvk_call_decode(2 << 16 | DVK_DVSINIT << 8, &nr), EDVSBADVERSION);
	KUNIT_EXPECT_EQ(test, dvk_call_decode(DVK_DVSINIT << 8, &nr), EDVSBADVERSION);
	KUNIT_EXPECT_EQ(test, dvk_call_decode(DVK_CALL_ENCODE(DVK_DVSINIT) | 1, &nr), EDVSBADVALUE);
	KUNIT_EXPECT_EQ(test, nr, 1234U);	/* untouched on failure */
}

struct dvk_check_case {
	const char *what;
	void (*mutate)(struct dvs_usr *p);
	int expect;
};

static void set_long_name(struct dvs_usr *p) { memset(p->d_name, 'A', DVK_NAME_LEN); }
static void set_empty_name(struct dvs_usr *p) { p->d_name[0] = 0; }
static void set_bad_char(struct dvs_usr *p) { strscpy(p->d_name, "a/b", DVK_NAME_LEN); }
static void set_max_name(struct dvs_usr *p) { strscpy(p->d_name, "ABCDEFGHIJKLMNO", DVK_NAME_LEN); }
static void set_dcs0(struct dvs_usr *p) { p->d_nr_dcs = 0; }
static void set_dcs_big(struct dvs_usr *p) { p->d_nr_dcs = DVK_MAX_DCS + 1; }
static void set_nodes0(struct dvs_usr *p) { p->d_nr_nodes = 0; }
static void set_nodes_big(struct dvs_usr *p) { p->d_nr_nodes = DVK_MAX_NODES + 1; }
static void set_procs_big(struct dvs_usr *p) { p->d_nr_procs = DVK_MAX_PROCS + 1; }
static void set_procs_neg(struct dvs_usr *p) { p->d_nr_procs = -1; }
static void set_tasks_big(struct dvs_usr *p) { p->d_nr_tasks = DVK_MAX_TASKS + 1; }
static void set_sys_le_tasks(struct dvs_usr *p) { p->d_nr_sysprocs = p->d_nr_tasks; }
static void set_sys_ge_total(struct dvs_usr *p) { p->d_nr_procs = 10; p->d_nr_sysprocs = 10 + p->d_nr_tasks; }
static void set_sys_big(struct dvs_usr *p) { p->d_nr_procs = 1000; p->d_nr_sysprocs = DVK_MAX_SYSPROCS + 1; }
static void set_buf0(struct dvs_usr *p) { p->d_max_copybuf = 0; }
static void set_buf_big(struct dvs_usr *p) { p->d_max_copybuf = DVK_MAX_COPYBUF + 1; }
static void set_len_big(struct dvs_usr *p) { p->d_max_copylen = DVK_MAX_COPYLEN + 1; }
static void set_len_lt_buf(struct dvs_usr *p) { p->d_max_copylen = p->d_max_copybuf - 1; }
static void set_small_ok(struct dvs_usr *p)
{
	p->d_nr_dcs = 1; p->d_nr_nodes = 1; p->d_nr_procs = 2; p->d_nr_tasks = 1;
	p->d_nr_sysprocs = 2; p->d_max_copybuf = 1; p->d_max_copylen = 1;
}
static void set_outputs_ignored(struct dvs_usr *p)
{
	p->d_flags = 0xffffffff; p->d_version = 7; p->d_size_proc = -5; p->d_nodeid = 99;
}

static const struct dvk_check_case dvk_check_cases[] = {
	{ "defaults",			NULL,			0 },
	{ "15-char name",		set_max_name,		0 },
	{ "smallest limits",		set_small_ok,		0 },
	{ "output fields ignored",	set_outputs_ignored,	0 },
	{ "name without NUL",		set_long_name,		EDVSNAMESIZE },
	{ "empty name",			set_empty_name,		EDVSNAMESIZE },
	{ "name with '/'",		set_bad_char,		EDVSBADVALUE },
	{ "0 DCs",			set_dcs0,		EDVSBADRANGE },
	{ "33 DCs",			set_dcs_big,		EDVSBADRANGE },
	{ "0 nodes",			set_nodes0,		EDVSBADRANGE },
	{ "33 nodes",			set_nodes_big,		EDVSBADRANGE },
	{ "too many procs",		set_procs_big,		EDVSBADRANGE },
	{ "negative procs",		set_procs_neg,		EDVSBADRANGE },
	{ "too many tasks",		set_tasks_big,		EDVSBADRANGE },
	{ "sysprocs <= tasks",		set_sys_le_tasks,	EDVSBADRANGE },
	{ "sysprocs >= procs+tasks",	set_sys_ge_total,	EDVSBADRANGE },
	{ "too many sysprocs",		set_sys_big,		EDVSBADRANGE },
	{ "copybuf 0",			set_buf0,		EDVSBADVALUE },
	{ "copybuf too big",		set_buf_big,		EDVSBADVALUE },
	{ "copylen too big",		set_len_big,		EDVSBADVALUE },
	{ "copylen < copybuf",		set_len_lt_buf,		EDVSBADVALUE },
};

static void dvk_check_desc(const struct dvk_check_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(dvk_check, dvk_check_cases, dvk_check_desc);

static void dvk_dvs_params(struct kunit *test)
{
	const struct dvk_check_case *c = test->param_value;
	struct dvs_usr p = DVK_DVS_DEFAULTS;

	if (c->mutate)
		c->mutate(&p);
	KUNIT_EXPECT_EQ(test, dvk_dvs_check(&p), c->expect);
}

static struct kunit_case dvk_core_cases[] = {
	KUNIT_CASE(dvk_ep_roundtrip),
	KUNIT_CASE(dvk_ep_generations),
	KUNIT_CASE(dvk_ep_magic),
	KUNIT_CASE(dvk_decode),
	KUNIT_CASE_PARAM(dvk_dvs_params, dvk_check_gen_params),
	{}
};

static struct kunit_suite dvk_core_suite = {
	.name = "dvk_core",
	.test_cases = dvk_core_cases,
};

/*
 * dvk_slots: the slot logic on a private DC (never published): privileges,
 * notify coalescing, and what unbind does to the queues around a slot.
 * Fake waiters sleep on nothing: their dvk_wait is on the test's stack.
 */
static const struct dc_usr dvk_test_dc = {
	.dc_dcid = 31, .dc_nr_procs = 20, .dc_nr_tasks = 4, .dc_nr_sysprocs = 10,
	.dc_nr_nodes = 2, .dc_warn2proc = DVK_NONE, .dc_name = "KUNIT",
};

static int dvk_slots_init(struct kunit *test)
{
	struct dvk_dc *dc = dvk_dc_alloc(&dvk_test_dc, 0);

	KUNIT_ASSERT_NOT_NULL(test, dc);
	test->priv = dc;
	return 0;
}

static void dvk_slots_exit(struct kunit *test)
{
	dvk_dc_put(test->priv);
}

/* Mark slot @nr bound (remotely: no task to pin) with generation 1. */
static struct dvk_proc *dvk_test_bind(struct dvk_dc *dc, int nr)
{
	struct dvk_proc *p = dvk_slot(dc, nr);

	p->gen = 1;
	p->usr.p_endpoint = DVK_ENDPOINT(1, nr);
	p->usr.p_rts_flags = 0;
	dvk_priv_default(dc, p);
	return p;
}

static void dvk_slot_layout(struct kunit *test)
{
	struct dvk_dc *dc = test->priv;

	KUNIT_EXPECT_EQ(test, dvk_slot(dc, -4)->usr.p_nr, -4);
	KUNIT_EXPECT_EQ(test, dvk_slot(dc, 19)->usr.p_nr, 19);
	KUNIT_EXPECT_TRUE(test, dvk_nr_ok(dc, -4) && dvk_nr_ok(dc, 19));
	KUNIT_EXPECT_FALSE(test, dvk_nr_ok(dc, -5) || dvk_nr_ok(dc, 20));
	KUNIT_EXPECT_TRUE(test, dvk_is_sysproc(dc, 5));
	KUNIT_EXPECT_FALSE(test, dvk_is_sysproc(dc, 6));
	KUNIT_EXPECT_EQ(test, dvk_slot(dc, 3)->usr.p_rts_flags, (u32)DVK_SLOT_FREE);
	KUNIT_EXPECT_NOT_NULL(test, dvk_slot(dc, 5)->notify_arg);
	KUNIT_EXPECT_NULL(test, dvk_slot(dc, 6)->notify_arg);
}

static void dvk_priv_rules(struct kunit *test)
{
	struct dvk_dc *dc = test->priv;
	struct dvk_proc *task = dvk_test_bind(dc, -2), *srv = dvk_test_bind(dc, 1);
	struct dvk_proc *usr = dvk_test_bind(dc, 8);
	struct priv_usr u = { .priv_warn = DVK_NONE, .priv_level = DVK_SERVER_PRIV };

	KUNIT_EXPECT_EQ(test, task->priv.level, DVK_TASK_PRIV);
	KUNIT_EXPECT_EQ(test, srv->priv.level, DVK_SERVER_PRIV);
	KUNIT_EXPECT_EQ(test, srv->priv.id, 5);
	KUNIT_EXPECT_EQ(test, usr->priv.id, 10);
	KUNIT_EXPECT_TRUE(test, dvk_call_allowed(srv, DVK_SEND) && dvk_call_allowed(srv, DVK_VCOPY));
	KUNIT_EXPECT_TRUE(test, dvk_call_allowed(usr, DVK_SENDREC));
	KUNIT_EXPECT_FALSE(test, dvk_call_allowed(usr, DVK_SEND) || dvk_call_allowed(usr, DVK_RECEIVE) ||
			   dvk_call_allowed(usr, DVK_NOTIFY) || dvk_call_allowed(usr, DVK_VCOPY));
	KUNIT_EXPECT_EQ(test, srv->priv.ipc_to[0], 0x3ffULL);	/* 10 system slots */
	KUNIT_EXPECT_TRUE(test, dvk_ipc_allowed(usr, srv));
	usr->priv.ipc_to[0] &= ~BIT_ULL(5);
	KUNIT_EXPECT_FALSE(test, dvk_ipc_allowed(usr, srv));
	KUNIT_EXPECT_TRUE(test, dvk_ipc_allowed(usr, task));
	KUNIT_EXPECT_TRUE(test, dvk_ipc_allowed(srv, usr));	/* user slots are open */

	KUNIT_EXPECT_EQ(test, dvk_priv_check(dc, &u), 0);
	u.priv_level = 6;
	KUNIT_EXPECT_EQ(test, dvk_priv_check(dc, &u), EDVSBADVALUE);
	u.priv_level = 0;
	u.priv_warn = 10;
	KUNIT_EXPECT_EQ(test, dvk_priv_check(dc, &u), EDVSBADPROC);
	u.priv_warn = -4;
	KUNIT_EXPECT_EQ(test, dvk_priv_check(dc, &u), 0);
	u.priv_ipc_to[0] = BIT_ULL(10);
	KUNIT_EXPECT_EQ(test, dvk_priv_check(dc, &u), EDVSBADVALUE);
	u.priv_ipc_to[0] = 0;
	u.priv_dvk_allowed = BIT_ULL(DVK_NR_CALLS);
	KUNIT_EXPECT_EQ(test, dvk_priv_check(dc, &u), EDVSBADVALUE);
}

static void dvk_dc_limits(struct kunit *test)
{
	struct dvs_usr dvs = DVK_DVS_DEFAULTS;
	struct dc_usr u = dvk_test_dc;

	KUNIT_EXPECT_EQ(test, dvk_dc_check(&u, &dvs), 0);
	u.dc_dcid = 32;
	KUNIT_EXPECT_EQ(test, dvk_dc_check(&u, &dvs), EDVSBADDCID);
	u = dvk_test_dc;
	u.dc_nr_sysprocs = u.dc_nr_procs + u.dc_nr_tasks;
	KUNIT_EXPECT_EQ(test, dvk_dc_check(&u, &dvs), EDVSBADRANGE);
	u = dvk_test_dc;
	u.dc_nr_procs = dvs.d_nr_procs + 1;
	KUNIT_EXPECT_EQ(test, dvk_dc_check(&u, &dvs), EDVSBADRANGE);
	u = dvk_test_dc;
	u.dc_name[0] = 0;
	KUNIT_EXPECT_EQ(test, dvk_dc_check(&u, &dvs), EDVSNAMESIZE);
}

static void dvk_notify_coalescing(struct kunit *test)
{
	struct dvk_dc *dc = test->priv;
	struct dvk_proc *dst = dvk_test_bind(dc, 0), *src = dvk_test_bind(dc, 2);
	int idx = 2 + dc->usr.dc_nr_tasks;
	struct dvk_message m;

	spin_lock(&dc->lock);
	dvk_notify_locked(dst, idx, src->usr.p_endpoint, 3);
	dvk_notify_locked(dst, idx, src->usr.p_endpoint, 7);
	dvk_notify_locked(dst, idx, src->usr.p_endpoint, -1);
	KUNIT_EXPECT_TRUE(test, test_bit(idx, dst->notify_pending));
	KUNIT_EXPECT_EQ(test, bitmap_weight(dst->notify_pending, DVK_MAX_SYSPROCS), 1U);
	KUNIT_EXPECT_EQ(test, dst->notify_arg[idx], BIT_ULL(3) | BIT_ULL(7));
	dvk_build_notify_locked(dst, idx, &m);
	spin_unlock(&dc->lock);
	KUNIT_EXPECT_EQ(test, m.m_source, src->usr.p_endpoint);
	KUNIT_EXPECT_EQ(test, m.m_type, DVK_NOTIFY_FROM(idx));
	KUNIT_EXPECT_EQ(test, m.m_u.m9.i1, 2);
	KUNIT_EXPECT_EQ(test, m.m_u.m9.l1, (s64)(BIT_ULL(3) | BIT_ULL(7)));
	KUNIT_EXPECT_FALSE(test, test_bit(idx, dst->notify_pending));
	KUNIT_EXPECT_EQ(test, dst->notify_arg[idx], 0ULL);
}

/* Queue @q as blocked on @p: sending to it, or receiving from it. */
static void dvk_test_block(struct dvk_proc *q, struct dvk_wait *w, struct dvk_proc *p, bool send)
{
	w->task = current;
	w->done = false;
	w->no_notify = false;
	q->wait = w;
	if (send) {
		q->usr.p_rts_flags |= DVK_SENDING;
		q->usr.p_sendto = p->usr.p_endpoint;
		list_add_tail(&q->send_link, &p->senders);
	} else {
		q->usr.p_rts_flags |= DVK_RECEIVING;
		q->usr.p_getfrom = p->usr.p_endpoint;
		list_add_tail(&q->rcv_link, &p->rcv_waiters);
	}
}

static void dvk_unbind_wakes_queues(struct kunit *test)
{
	struct dvk_dc *dc = test->priv;
	struct dvk_proc *p = dvk_test_bind(dc, 1), *a = dvk_test_bind(dc, 2);
	struct dvk_proc *b = dvk_test_bind(dc, 3), *c = dvk_test_bind(dc, 4);
	struct dvk_wait wa, wb, wc, wp;
	int pidx = 1 + dc->usr.dc_nr_tasks;

	spin_lock(&dc->lock);
	dvk_test_block(a, &wa, p, true);
	dvk_test_block(b, &wb, p, true);
	dvk_test_block(c, &wc, p, false);
	/* p itself blocked receiving from ANY, with a notify pending at c. */
	wp.task = current;
	wp.done = false;
	p->wait = &wp;
	p->usr.p_rts_flags |= DVK_RECEIVING;
	set_bit(pidx, c->notify_pending);
	KUNIT_EXPECT_PTR_EQ(test, list_first_entry(&p->senders, struct dvk_proc, send_link), a);
	dvk_unbind_locked(p, EDVSNOTBIND);
	spin_unlock(&dc->lock);

	KUNIT_EXPECT_TRUE(test, wa.done && wb.done && wc.done && wp.done);
	KUNIT_EXPECT_EQ(test, wa.rcode, EDVSDSTDIED);
	KUNIT_EXPECT_EQ(test, wb.rcode, EDVSDSTDIED);
	KUNIT_EXPECT_EQ(test, wc.rcode, EDVSSRCDIED);
	KUNIT_EXPECT_EQ(test, wp.rcode, EDVSNOTBIND);
	KUNIT_EXPECT_TRUE(test, list_empty(&p->senders) && list_empty(&p->rcv_waiters));
	KUNIT_EXPECT_TRUE(test, list_empty(&a->send_link) && list_empty(&c->rcv_link));
	KUNIT_EXPECT_EQ(test, a->usr.p_rts_flags, 0U);
	KUNIT_EXPECT_EQ(test, c->usr.p_rts_flags, 0U);
	KUNIT_EXPECT_EQ(test, a->usr.p_sendto, DVK_NONE);
	KUNIT_EXPECT_NULL(test, a->wait);
	KUNIT_EXPECT_FALSE(test, test_bit(pidx, c->notify_pending));
	KUNIT_EXPECT_EQ(test, p->usr.p_rts_flags, (u32)DVK_SLOT_FREE);
	KUNIT_EXPECT_EQ(test, p->usr.p_endpoint, DVK_ENDPOINT(1, 1));	/* last binding kept */
}

static struct kunit_case dvk_slots_cases[] = {
	KUNIT_CASE(dvk_slot_layout),
	KUNIT_CASE(dvk_priv_rules),
	KUNIT_CASE(dvk_dc_limits),
	KUNIT_CASE(dvk_notify_coalescing),
	KUNIT_CASE(dvk_unbind_wakes_queues),
	{}
};

static struct kunit_suite dvk_slots_suite = {
	.name = "dvk_slots",
	.init = dvk_slots_init,
	.exit = dvk_slots_exit,
	.test_cases = dvk_slots_cases,
};

kunit_test_suites(&dvk_core_suite, &dvk_slots_suite);
