// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side checks of the ABI header and the library's tables, built with
 * ASan and UBSan: every EDVS code has a unique value, a name and a text;
 * call names; the seed's encoding; endpoint arithmetic and the magic values.
 */
#include <stdio.h>
#include <string.h>
#include <dvk/libdvk.h>

static int failed;

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			printf("  %s:%d: ", __FILE__, __LINE__);	\
			printf(__VA_ARGS__);				\
			printf("\n");					\
			failed++;					\
		}							\
	} while (0)

#define DVK_ERR_ROW(name, value, text) { #name, value, text },
static const struct { const char *name; int value; const char *text; } errs[] = {
	DVK_ERRORS(DVK_ERR_ROW)
};

static void test_errors(void)
{
	size_t n = sizeof(errs) / sizeof(errs[0]);

	for (size_t i = 0; i < n; i++) {
		CHECK(errs[i].value < 0 && errs[i].value > -4096, "%s out of range", errs[i].name);
		CHECK(!strncmp(errs[i].name, "EDVS", 4), "%s lacks the EDVS prefix", errs[i].name);
		CHECK(!strcmp(dvk_errname(errs[i].value), errs[i].name), "name of %d", errs[i].value);
		CHECK(!strcmp(dvk_strerror(errs[i].value), errs[i].text), "text of %s", errs[i].name);
		CHECK(strcmp(dvk_strerror(errs[i].value), "unknown DVK error"), "%s unexplained", errs[i].name);
		for (size_t j = i + 1; j < n; j++)
			CHECK(errs[i].value != errs[j].value, "%s and %s share %d",
			      errs[i].name, errs[j].name, errs[i].value);
	}
	CHECK(n == 129, "%zu codes, expected the 129 of the table", n);
	CHECK(EDVSTIMEDOUT == -61 && EDVSNOTCONN == -64 && EDVSDVSBUSY == -317 &&
	      EDVSBADRANGE == -338 && EDVSSRCDIED == -108 && EDVSFAULT == -14,
	      "original numbers");
	CHECK(!strcmp(dvk_strerror(-9999), "unknown DVK error"), "unknown code");
	CHECK(dvk_errname(-9999) == NULL, "unknown name");
	CHECK(!strcmp(dvk_strerror(0), "success"), "zero");
}

static void test_calls(void)
{
	CHECK(DVK_NR_CALLS == 35, "35 calls");
	CHECK(!strcmp(dvk_callname(DVK_DVSINIT), "DVSINIT"), "DVSINIT");
	CHECK(!strcmp(dvk_callname(0), "VOID"), "VOID");
	CHECK(!strcmp(dvk_callname(34), "WAKEUPEP"), "WAKEUPEP");
	CHECK(dvk_callname(35) == NULL && dvk_callname(-1) == NULL, "out of range");
	CHECK(DVK_CALL_ENCODE(DVK_DVSINIT) == 0x11800, "seed encoding 71680");
	CHECK(DVK_SEND == 2 && DVK_SENDREC == 5 && DVK_GETDVSINFO == 27, "numbering");
}

static void test_endpoints(void)
{
	for (int gen = 1; gen <= DVK_EP_GEN_MAX; gen += 1 + gen / 3) {
		for (int nr = -DVK_MAX_TASKS; nr < DVK_MAX_PROCS; nr++) {
			int ep = DVK_ENDPOINT(gen, nr);

			CHECK(ep > 0 && DVK_EP_NR(ep) == nr && DVK_EP_GEN(ep) == gen,
			      "gen %d nr %d -> %d -> %d/%d", gen, nr, ep, DVK_EP_GEN(ep), DVK_EP_NR(ep));
		}
	}
	CHECK(DVK_ENDPOINT(DVK_EP_GEN_MAX, DVK_MAX_PROCS - 1) > 0, "largest endpoint fits in s32");
	CHECK(DVK_EP_NEXT_GEN(DVK_EP_GEN_MAX) == 1, "generation wraps to 1");
	int magic[] = { DVK_ANY, DVK_NONE, DVK_SELF };
	for (int i = 0; i < 3; i++)
		CHECK(DVK_EP_NR(magic[i]) < -DVK_MAX_TASKS || DVK_EP_NR(magic[i]) >= DVK_MAX_PROCS,
		      "magic %#x decodes to a slot", magic[i]);
	CHECK(sizeof(struct dvk_message) == 64 && sizeof(struct dvs_usr) == 64, "sizes");
}

int main(void)
{
	int before;
	struct { const char *name; void (*fn)(void); } tests[] = {
		{ "errors", test_errors }, { "calls", test_calls }, { "endpoints", test_endpoints },
	};

	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		before = failed;
		tests[i].fn();
		printf("%s: test_abi/%s\n", failed == before ? "PASS" : "FAIL", tests[i].name);
	}
	return failed ? 1 : 0;
}
