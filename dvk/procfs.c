// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/dvs: the DVS's state in the original's formats. "info" and
 * "nodes" exist from the moment the core is up, so the open doors show
 * before dvs_init; each DC adds a directory named after it.
 */
#include <linux/cache.h>
#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <dvk/dvk_kernel.h>
#include "dvk_internal.h"

static struct proc_dir_entry *dvk_proc_root;

static int dvk_info_show(struct seq_file *m, void *v)
{
	struct dvs_usr d;
	size_t proc_aligned = roundup_pow_of_two(max_t(size_t, sizeof(struct dvk_proc),
						       L1_CACHE_BYTES));

	dvk_exits_flush();
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
	/* The system call's number while that door is open, else -1. */
	seq_printf(m, "syscall=%d\n", d.d_flags & DVS_IPC ? DVK_SYSCALL_NR : -1);
	/* Remote messages and answers the core holds (0 once the links are quiet). */
	seq_printf(m, "rmsgs=%d\n", dvk_rmsgs());
	return 0;
}

/* A 32-column bitmap, most significant bit first: X member, - not. */
static void dvk_show_map(struct seq_file *m, u32 map)
{
	int i;

	for (i = 31; i >= 0; i--)
		seq_putc(m, map & BIT(i) ? 'X' : '-');
}

static void dvk_show_ruler(struct seq_file *m)
{
	int i;

	for (i = 31; i >= 0; i--)
		seq_putc(m, '0' + i / 10);
	seq_putc(m, ' ');
}

/* /proc/dvs/nodes: the local node, then every attached remote node. */
static int dvk_nodes_show(struct seq_file *m, void *v)
{
	struct node_usr n;
	int i;

	dvk_exits_flush();
	seq_puts(m, "ID Flags Proxies -pxsent- -pxrcvd- ");
	dvk_show_ruler(m);
	seq_puts(m, "Name\n");
	for (i = 0; i < DVK_MAX_NODES; i++) {
		if (dvk_getnodeinfo(i, &n) < 0)
			continue;
		seq_printf(m, "%2d %5X %7d %8llu %8llu ", n.n_nodeid, n.n_flags, n.n_proxies,
			   n.n_pxsent, n.n_pxrcvd);
		dvk_show_map(m, n.n_dcs);
		seq_printf(m, " %s\n", n.n_name);
	}
	return 0;
}

/*
 * /proc/dvs/refused: per node that ever had a command refused, the counts
 * by kind (enum dvk_refusal), since dvs_init.
 */
static int dvk_refused_show(struct seq_file *m, void *v)
{
	int i;

	seq_puts(m, "node rights copy quota queue\n");
	for (i = 0; i < DVK_MAX_NODES; i++) {
		atomic_long_t *r = dvk_nodes[i].refused;
		long n[DVK_RF_NR];
		int k, any = 0;

		for (k = 0; k < DVK_RF_NR; k++)
			any |= (n[k] = atomic_long_read(&r[k])) != 0;
		if (any)
			seq_printf(m, "%4d %6ld %4ld %5ld %5ld\n", i, n[DVK_RF_RIGHTS],
				   n[DVK_RF_COPY], n[DVK_RF_QUOTA], n[DVK_RF_QUEUE]);
	}
	return 0;
}

/* /proc/dvs/proxies/info: one row per bound pair, with the nodes it serves. */
static int dvk_proxies_info_show(struct seq_file *m, void *v)
{
	struct proxies_usr px;
	int i;

	dvk_exits_flush();
	seq_puts(m, "Proxies Flags Sender Receiver --Proxies_Name- ");
	dvk_show_ruler(m);
	seq_putc(m, '\n');
	for (i = 0; i < DVK_MAX_NODES; i++) {
		if (dvk_getproxyinfo(i, &px) < 0)
			continue;
		seq_printf(m, "%7d %5X %6d %8d %15s ", px.px_id, px.px_flags, px.px_spid,
			   px.px_rpid, px.px_name);
		dvk_show_map(m, px.px_nodes);
		seq_putc(m, '\n');
	}
	return 0;
}

/* /proc/dvs/proxies/procs: the sender and receiver of each bound pair. */
static int dvk_proxies_procs_show(struct seq_file *m, void *v)
{
	struct proxies_usr px;
	int i, r;

	dvk_exits_flush();
	seq_puts(m, "ID Type -lpid- -flag- -misc- -pxsent- -pxrcvd- -getf- -sendt -wmig- name\n");
	for (i = 0; i < DVK_MAX_NODES; i++) {
		if (dvk_getproxyinfo(i, &px) < 0)
			continue;
		for (r = 0; r < 2; r++) {
			u32 conn = r ? DVK_PX_RCONNECTED : DVK_PX_SCONNECTED;
			u32 misc = DVK_MIS_PROXY | (px.px_flags & conn ? DVK_MIS_CONNECTED : 0);

			seq_printf(m, "%2d %4s %6d %6X %6X %8llu %8llu %6d %6d %6d %s\n", px.px_id,
				   r ? "RECV" : "SEND", r ? px.px_rpid : px.px_spid, 0, misc,
				   0ULL, 0ULL, DVK_NONE, DVK_NONE, DVK_NONE, px.px_name);
		}
	}
	return 0;
}

static int dvk_dc_info_show(struct seq_file *m, void *v)
{
	struct dvk_dc *dc = m->private;
	struct dc_usr u;

	dvk_exits_flush();
	spin_lock(&dc->lock);
	u = dc->usr;
	spin_unlock(&dc->lock);
	seq_printf(m, "dcid=%d\nflags=%X\nnr_procs=%d\nnr_tasks=%d\nnr_sysprocs=%d\n",
		   u.dc_dcid, u.dc_flags, u.dc_nr_procs, u.dc_nr_tasks, u.dc_nr_sysprocs);
	seq_printf(m, "nr_nodes=%d\ndc_nodes=%X\ndc_pid=%d\nwarn2proc=%d\nwarnmsg=%d\n",
		   u.dc_nr_nodes, u.dc_nodes, u.dc_pid, u.dc_warn2proc, u.dc_warnmsg);
	seq_printf(m, "dc_name=%s\nowner=%u\nnodes ", u.dc_name, u.dc_owner);
	dvk_show_ruler(m);
	seq_puts(m, "\n      ");
	dvk_show_map(m, u.dc_nodes);
	seq_putc(m, '\n');
	return 0;
}

/*
 * procs and stats list the DC's bound slots. The seq_file iterator walks
 * slot indexes; each row is taken under dc->lock on its own. The DC comes
 * from the proc entry's data (seq files have no m->private of their own).
 */
static struct dvk_dc *dvk_seq_dc(struct seq_file *m)
{
	return pde_data(file_inode(m->file));
}

static void *dvk_slots_start(struct seq_file *m, loff_t *pos)
{
	struct dvk_dc *dc = dvk_seq_dc(m);

	if (*pos == 0) {
		dvk_exits_flush();	/* the list shows no process that has exited */
		return SEQ_START_TOKEN;
	}
	return *pos <= dc->usr.dc_nr_tasks + dc->usr.dc_nr_procs ? pos : NULL;
}

static void *dvk_slots_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return dvk_slots_start(m, pos);
}

static void dvk_slots_stop(struct seq_file *m, void *v)
{
}

static bool dvk_slot_row(struct seq_file *m, void *v, struct proc_usr *u)
{
	struct dvk_dc *dc = dvk_seq_dc(m);
	loff_t idx = *(loff_t *)v - 1;

	spin_lock(&dc->lock);
	*u = dc->procs[idx].usr;
	spin_unlock(&dc->lock);
	return !(u->p_rts_flags & DVK_SLOT_FREE);
}

static int dvk_procs_show(struct seq_file *m, void *v)
{
	struct dvk_dc *dc = dvk_seq_dc(m);
	struct proc_usr u;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, "DC pnr -endp- -lpid/vpid- nd  flag misc -getf- -sndt- -wmig- -prxy- name\n");
		return 0;
	}
	if (dvk_slot_row(m, v, &u))
		seq_printf(m, "%2d %3d %6d %5d/%-5d %2d %5X %4X %6d %6d %6d %6d %s\n",
			   dc->usr.dc_dcid, u.p_nr, u.p_endpoint, u.p_lpid, u.p_vpid, u.p_nodeid,
			   u.p_rts_flags, u.p_misc_flags, u.p_getfrom, u.p_sendto, u.p_waitmigr,
			   u.p_proxy, u.p_name);
	return 0;
}

static int dvk_stats_show(struct seq_file *m, void *v)
{
	struct dvk_dc *dc = dvk_seq_dc(m);
	struct proc_usr u;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, "DC pnr -endp- -lpid/vpid- nd --lsnt-- --rsnt-- -lcopy-- -rcopy-- name\n");
		return 0;
	}
	if (dvk_slot_row(m, v, &u))
		seq_printf(m, "%2d %3d %6d %5d/%-5d %2d %8llu %8llu %8llu %8llu %s\n",
			   dc->usr.dc_dcid, u.p_nr, u.p_endpoint, u.p_lpid, u.p_vpid, u.p_nodeid,
			   u.p_lclsent, u.p_rmtsent, u.p_lclcopy, u.p_rmtcopy, u.p_name);
	return 0;
}

static const struct seq_operations dvk_procs_ops = {
	.start = dvk_slots_start, .next = dvk_slots_next,
	.stop = dvk_slots_stop, .show = dvk_procs_show,
};

static const struct seq_operations dvk_stats_ops = {
	.start = dvk_slots_start, .next = dvk_slots_next,
	.stop = dvk_slots_stop, .show = dvk_stats_show,
};

/**
 * dvk_procfs_dc_add() - create /proc/dvs/<name>/{info,procs,stats}.
 * @dc: the new DC; the files read it through m->private and live no
 *	longer than it (dvk_procfs_dc_remove() runs before the DC is freed).
 *
 * Return: 0 or EDVSBADDIR.
 */
int dvk_procfs_dc_add(struct dvk_dc *dc)
{
	dc->proc_dir = proc_mkdir(dc->usr.dc_name, dvk_proc_root);
	if (!dc->proc_dir)
		return EDVSBADDIR;
	if (!proc_create_single_data("info", 0444, dc->proc_dir, dvk_dc_info_show, dc) ||
	    !proc_create_seq_data("procs", 0444, dc->proc_dir, &dvk_procs_ops, dc) ||
	    !proc_create_seq_data("stats", 0444, dc->proc_dir, &dvk_stats_ops, dc)) {
		proc_remove(dc->proc_dir);
		dc->proc_dir = NULL;
		return EDVSBADDIR;
	}
	return 0;
}

void dvk_procfs_dc_remove(struct dvk_dc *dc)
{
	proc_remove(dc->proc_dir);
	dc->proc_dir = NULL;
}

/**
 * dvk_procfs_init() - create /proc/dvs and its DVS-wide files.
 *
 * Return: 0 or EDVSBADDIR / EDVSBADFILE.
 */
int dvk_procfs_init(void)
{
	struct proc_dir_entry *proxies;

	dvk_proc_root = proc_mkdir("dvs", NULL);
	if (!dvk_proc_root)
		return EDVSBADDIR;
	proxies = proc_mkdir("proxies", dvk_proc_root);
	if (!proxies ||
	    !proc_create_single("info", 0444, dvk_proc_root, dvk_info_show) ||
	    !proc_create_single("nodes", 0444, dvk_proc_root, dvk_nodes_show) ||
	    !proc_create_single("refused", 0444, dvk_proc_root, dvk_refused_show) ||
	    !proc_create_single("info", 0444, proxies, dvk_proxies_info_show) ||
	    !proc_create_single("procs", 0444, proxies, dvk_proxies_procs_show)) {
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
