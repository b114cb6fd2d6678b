// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the DVK core's pure logic: endpoint arithmetic, call
 * decoding and the dvs_init parameter checks.
 */
#include <kunit/test.h>
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
kunit_test_suite(dvk_core_suite);
