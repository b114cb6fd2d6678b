// SPDX-License-Identifier: GPL-2.0
/*
 * Privileges of a binding: which calls it may make and which system slots
 * it may IPC to (getpriv, setpriv), MINIX style: system slots may do
 * everything, user slots only sendrec (plus unbind, getep, wait4bind).
 */
#include <linux/capability.h>
#include <linux/export.h>
#include <dvk/dvk_kernel.h>
#include "dvk_internal.h"

#define DVK_ALL_CALLS		(BIT_ULL(DVK_NR_CALLS) - 1)
#define DVK_USER_CALLS		(BIT_ULL(DVK_SENDREC) | BIT_ULL(DVK_UNBIND) | \
				 BIT_ULL(DVK_GETEP) | BIT_ULL(DVK_WAIT4BIND))

static void dvk_bits_set(u64 *map, int nbits)
{
	int i;

	for (i = 0; i < 2; i++)
		map[i] = nbits >= 64 * (i + 1) ? ~0ULL :
			 nbits > 64 * i ? BIT_ULL(nbits - 64 * i) - 1 : 0;
}

/**
 * dvk_priv_default() - the privileges a fresh binding of @p gets.
 * @dc: @p's DC.
 * @p: the slot being bound; dc->lock held.
 */
void dvk_priv_default(struct dvk_dc *dc, struct dvk_proc *p)
{
	int nr = p->usr.p_nr;

	dvk_bits_set(p->priv.ipc_to, dc->usr.dc_nr_sysprocs);
	p->priv.warn = DVK_NONE;
	if (dvk_is_sysproc(dc, nr)) {
		p->priv.id = nr + dc->usr.dc_nr_tasks;
		p->priv.level = nr < 0 ? DVK_TASK_PRIV : DVK_SERVER_PRIV;
		p->priv.allowed = DVK_ALL_CALLS;
	} else {
		p->priv.id = dc->usr.dc_nr_sysprocs;
		p->priv.level = DVK_USER_PRIV;
		p->priv.allowed = DVK_USER_CALLS;
	}
}

bool dvk_call_allowed(const struct dvk_proc *p, int call)
{
	return p->priv.allowed & BIT_ULL(call);
}

/*
 * Whether a remote endpoint registered on the fly in slot @nr could make
 * @call: autobind gives only user slots, with a user binding's rights.
 */
bool dvk_autobind_allows(const struct dvk_dc *dc, int nr, int call)
{
	return !dvk_is_sysproc(dc, nr) && (DVK_USER_CALLS & BIT_ULL(call));
}

/* ipc_to restricts only IPC towards system slots. */
bool dvk_ipc_allowed(const struct dvk_proc *from, const struct dvk_proc *to)
{
	int idx = to->usr.p_nr + to->dc->usr.dc_nr_tasks;

	if (!dvk_is_sysproc(to->dc, to->usr.p_nr))
		return true;
	return from->priv.ipc_to[idx / 64] & BIT_ULL(idx % 64);
}

/**
 * dvk_priv_check() - validate a setpriv descriptor for a slot of @dc.
 * @dc: the DC.
 * @u: kernel copy; priv_id is output only.
 *
 * Return: 0, EDVSBADPROC (warn), EDVSBADVALUE (level, unknown call or
 * system index bits).
 */
int dvk_priv_check(const struct dvk_dc *dc, const struct priv_usr *u)
{
	u64 to[2];

	if (u->priv_warn != DVK_NONE &&
	    (u->priv_warn < -dc->usr.dc_nr_tasks || u->priv_warn >= dc->usr.dc_nr_sysprocs))
		return EDVSBADPROC;
	if (u->priv_level < DVK_USER_PRIV || u->priv_level > DVK_PROXY_PRIV)
		return EDVSBADVALUE;
	if (u->priv_dvk_allowed & ~DVK_ALL_CALLS)
		return EDVSBADVALUE;
	dvk_bits_set(to, dc->usr.dc_nr_sysprocs);
	if ((u->priv_ipc_to[0] & ~to[0]) || (u->priv_ipc_to[1] & ~to[1]))
		return EDVSBADVALUE;
	return 0;
}

static long dvk_priv_op(int dcid, s32 ep, struct priv_usr *u, bool set)
{
	struct dvk_proc *p;
	struct dvk_dc *dc;
	long ret;

	if (set && !capable(CAP_SYS_ADMIN))
		return EDVSPERM;
	ret = dvk_dc_find(dcid, false, &dc);
	if (ret)
		return ret;
	spin_lock(&dc->lock);
	ret = dvk_ep_lookup_locked(dc, ep, &p, EDVSNOTBIND);
	if (!ret && set)
		ret = dvk_priv_check(dc, u);
	if (!ret && set) {
		p->priv.warn = u->priv_warn;
		p->priv.level = u->priv_level;
		p->priv.ipc_to[0] = u->priv_ipc_to[0];
		p->priv.ipc_to[1] = u->priv_ipc_to[1];
		p->priv.allowed = u->priv_dvk_allowed;
	}
	if (!ret) {
		memset(u, 0, sizeof(*u));
		u->priv_id = p->priv.id;
		u->priv_warn = p->priv.warn;
		u->priv_level = p->priv.level;
		u->priv_ipc_to[0] = p->priv.ipc_to[0];
		u->priv_ipc_to[1] = p->priv.ipc_to[1];
		u->priv_dvk_allowed = p->priv.allowed;
	}
	spin_unlock(&dc->lock);
	dvk_dc_put(dc);
	return ret;
}

/**
 * dvk_getpriv() - read a binding's privileges.
 * @dcid: the DC.
 * @ep: the endpoint.
 * @out: filled on success.
 *
 * Return: 0, EDVSDVSINIT, EDVSBADDCID, EDVSDCNOTRUN, EDVSNOTBIND,
 * EDVSRANGE, EDVSENDPOINT.
 */
long dvk_getpriv(int dcid, s32 ep, struct priv_usr *out)
{
	return dvk_priv_op(dcid, ep, out, false);
}
EXPORT_SYMBOL_GPL(dvk_getpriv);

/**
 * dvk_setpriv() - replace a binding's privileges (CAP_SYS_ADMIN).
 * @dcid: the DC.
 * @ep: the endpoint.
 * @u: the new privileges; on success, what is now in force.
 *
 * Return: 0, EDVSPERM, the errors of dvk_getpriv() and dvk_priv_check().
 */
long dvk_setpriv(int dcid, s32 ep, struct priv_usr *u)
{
	return dvk_priv_op(dcid, ep, u, true);
}
EXPORT_SYMBOL_GPL(dvk_setpriv);
