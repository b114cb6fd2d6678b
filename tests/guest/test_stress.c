// SPDX-License-Identifier: GPL-2.0
/*
 * 100 client/server pairs at once in one DC: every client makes ROUNDS
 * sendrec calls to its own server and checks each reply.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <dvk/libdvk.h>
#include "test_util.h"

const char *t_prog = "test_stress";

#define PAIRS	100
#define ROUNDS	200
#define TASKS	2
#define SYS	110		/* system slots: -2 .. 107 */
#define CLIENT0	108		/* user slots from here */

static int server(void *arg)
{
	struct dvk_message m;

	(void)arg;
	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 10000) > 0, 1);
	for (int i = 0; i < ROUNDS; i++) {
		C_EQ(dvk_receive_T(DVK_ANY, &m, 20000), 0);
		m.m_u.m4.l2 = m.m_u.m4.l1 + 1;
		C_EQ(dvk_reply_T(m.m_source, &m, 0), 0);
	}
	return 0;
}

static int client(void *arg)
{
	int k = *(int *)arg, srv = DVK_ENDPOINT(1, k);
	struct dvk_message m;

	C_EQ(dvk_wait4bind_T(DVK_WAIT_BIND, DVK_SELF, 10000) > 0, 1);
	for (long i = 0; i < ROUNDS; i++) {
		memset(&m, 0, sizeof(m));
		m.m_u.m4.l1 = i * 1000 + k;
		C_EQ(dvk_sendrec_T(srv, &m, 20000), 0);
		C_EQ(m.m_source, srv);
		C_EQ(m.m_u.m4.l2, i * 1000 + k + 1);
	}
	return 0;
}

static void hundred_pairs(void)
{
	struct dvs_usr d = DVK_DVS_DEFAULTS;
	struct dc_usr u = t_dc0;
	pid_t srv[PAIRS], cli[PAIRS];
	struct proc_usr p;
	long t0;

	dvk_dvs_end();
	d.d_nr_sysprocs = 128;
	T_EQ(dvk_dvs_init(0, &d), 0);
	u.dc_nr_tasks = TASKS;
	u.dc_nr_sysprocs = SYS;
	u.dc_nr_procs = 219;
	T_EQ(dvk_dc_init(&u), 0);
	t0 = t_now_ms();
	for (int k = 0; k < PAIRS; k++) {
		srv[k] = t_fork(server, NULL);
		T_EQ(dvk_lclbind(T_DC, srv[k], k), DVK_ENDPOINT(1, k));
		cli[k] = t_fork(client, &k);
		T_TRUE(dvk_lclbind(T_DC, cli[k], CLIENT0 + k) > 0);
	}
	for (int k = 0; k < PAIRS; k++) {
		T_EQ(t_join(cli[k]), 0);
		T_EQ(t_join(srv[k]), 0);
	}
	printf("# %d pairs x %d sendrec in %ld ms\n", PAIRS, ROUNDS, t_now_ms() - t0);
	for (int k = 0; k < PAIRS; k++)
		T_TRUE(t_wait_free(T_DC, k) && t_wait_free(T_DC, CLIENT0 + k));
	T_EQ(dvk_getprocinfo(T_DC, 0, &p), 0);
	T_EQ(p.p_rts_flags, DVK_SLOT_FREE);
	T_EQ(dvk_dvs_end(), 0);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	T_RUN(hundred_pairs);
	dvk_dvs_end();
	return t_summary();
}
