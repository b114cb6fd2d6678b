// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/dvs: the DVS's state in the original's formats. "info" exists from
 * the moment the core is up, so the open doors show before dvs_init.
 */
#include <linux/cache.h>
#include <linux/log2.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include "dvk_internal.h"

static struct proc_dir_entry *dvk_proc_root;

static int dvk_info_show(struct seq_file *m, void *v)
{
	struct dvs_usr d;
	size_t proc_aligned = roundup_pow_of_two(max_t(size_t, sizeof(struct dvk_proc),
						       L1_CACHE_BYTES));

	dvk_dvs_snapshot(&d);
	seq_printf(m, "name=%s\nnodeid=%d\n", d.d_name, d.d_nodeid);
	seq_printf(m, "nr_dcs=%d\nnr_nodes=%d\n", d.d_nr_dcs, d.d_nr_nodes);
	seq_printf(m, "max_nr_procs=%d\nmax_nr_tasks=%d\nmax_sys_procs=%d\n",
		   d.d_nr_procs, d.d_nr_tasks, d.d_nr_sysprocs);
	seq_printf(m, "max_copy_buf=%d\nmax_copy_len=%d\n", d.d_max_copybuf, d.d_max_copylen);
	seq_printf(m, "dbglvl=%X\nversion=%u\nflags=%X\n", d.d_dbglvl, d.d_version, d.d_flags);
	seq_printf(m, "sizeof(proc)=%zu\nsizeof(proc) aligned=%zu\n",
		   sizeof(struct dvk_proc), proc_aligned);
	seq_printf(m, "sizeof(dc)=%zu\nsizeof(node)=%zu\n",
		   sizeof(struct dvk_dc), sizeof(struct dvk_node));
	seq_printf(m, "syscall=%d\n", DVK_SYSCALL_NR);
	return 0;
}

/**
 * dvk_procfs_init() - create /proc/dvs and its DVS-wide files.
 *
 * Return: 0 or EDVSBADDIR / EDVSBADFILE.
 */
int dvk_procfs_init(void)
{
	dvk_proc_root = proc_mkdir("dvs", NULL);
	if (!dvk_proc_root)
		return EDVSBADDIR;
	if (!proc_create_single("info", 0444, dvk_proc_root, dvk_info_show)) {
		proc_remove(dvk_proc_root);
		dvk_proc_root = NULL;
		return EDVSBADFILE;
	}
	return 0;
}

/**
 * dvk_procfs_exit() - remove /proc/dvs and everything under it.
 */
void dvk_procfs_exit(void)
{
	proc_remove(dvk_proc_root);
	dvk_proc_root = NULL;
}
