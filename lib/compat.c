// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The original DVK's user API over libdvk (<dvk/compat.h>): slot numbers
 * for endpoints, the original's return values, unbind with a timeout and
 * getproxyinfo with two slot descriptors. A call name in parentheses is
 * libdvk's function, not compat.h's macro of the same name.
 */
#include <signal.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <dvk/compat.h>

_Static_assert(sizeof(message) == sizeof(struct dvk_message), "message is not dvk_message");
_Static_assert(offsetof(message, m1_p1) == offsetof(struct dvk_message, m_u.m1.p1),
	       "m1_p1 is not m1.p1");
_Static_assert(offsetof(message, m9_l1) == offsetof(struct dvk_message, m_u.m9.l1),
	       "m9_l1 is not m9.l1");

/*
 * A result that is an endpoint, as the original shows it: the slot number.
 * Task slots are negative, as in the original, so a bind of task slot -2
 * returns -2 (the original's ambiguity with EDVSNOENT; its notes advise
 * against task slots for this reason). Errors pass unchanged.
 */
static int ep_result(int r)
{
	return r >= 0 ? DVK_EP_NR(r) : r;
}

int dvk_compat_bind_X(int oper, int dcid, int pid, int ep, int nodeid)
{
	if (oper == DVK_SELF_BIND && pid == -1)
		pid = 0;		/* the caller's process (a thread id: that thread) */
	else if (pid == -1 && (oper == DVK_LCL_BIND || oper == DVK_REPLICA_BIND ||
			       oper == DVK_USERMODE_BIND))
		pid = getpid();		/* the original's "myself" */
	return ep_result((dvk_bind_X)(oper, dcid, pid, ep, nodeid));
}

int dvk_compat_tbind(int dcid, int ep)
{
	return ep_result((dvk_tbind)(dcid, ep));
}

int dvk_compat_rmtbind(int dcid, const char *name, int ep, int nodeid)
{
	return ep_result((dvk_rmtbind)(dcid, name, ep, nodeid));
}

int dvk_compat_getep(int pid)
{
	return ep_result((dvk_getep)(pid));
}

int dvk_compat_wait4bind_X(int oper, int ep, long timeout_ms)
{
	int r = (dvk_wait4bind_T)(oper, ep, timeout_ms);

	return oper == DVK_WAIT_BIND ? ep_result(r) : r;
}

/* Is task @tid (a pid in this namespace) a thread of the calling process? */
static int own_thread(int tid)
{
	char path[64], line[128];
	int tgid = -1;
	FILE *f;

	if (tid == getpid())
		return 1;
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid == getpid();
}

/*
 * The original's unbind: the caller's own slot (its process's or one of
 * its threads') or a remote one at once; another local process is sent
 * SIGTERM (this needs the right to signal it) and the caller then waits,
 * at most @timeout_ms, until that binding is gone: the slot free or bound
 * again. Pids are those of the caller's namespace (the original's tools
 * ran as root in the DC's creator's).
 */
int dvk_compat_unbind_T(int dcid, int ep, long timeout_ms)
{
	struct proc_usr p;
	long waited = 0;
	int r, bound;

	if (ep == DVK_SELF)
		return (dvk_unbind)(dcid, ep);
	r = (dvk_getprocinfo)(dcid, DVK_EP_NR(ep), &p);
	if (r)
		return r;
	if (p.p_rts_flags & DVK_SLOT_FREE)
		return EDVSNOTBIND;
	if ((p.p_rts_flags & DVK_REMOTE) || own_thread(p.p_vpid))
		return (dvk_unbind)(dcid, ep);
	bound = p.p_endpoint;
	if (p.p_vpid <= 0 || kill(p.p_vpid, SIGTERM))
		return EDVSBADPID;
	for (;;) {
		r = (dvk_getprocinfo)(dcid, DVK_EP_NR(ep), &p);
		if (r)
			return r;
		if ((p.p_rts_flags & DVK_SLOT_FREE) || p.p_endpoint != bound)
			return 0;
		if (timeout_ms != DVK_TIMEOUT_FOREVER && waited >= timeout_ms)
			return EDVSTIMEDOUT;
		usleep(10 * 1000);
		waited += 10;
	}
}

int dvk_compat_getprocinfo(int dcid, int nr, proc_usr_t *p)
{
	int r = (dvk_getprocinfo)(dcid, nr, p);

	if (!r && !(p->p_rts_flags & DVK_SLOT_FREE)) {
		p->p_endpoint = DVK_EP_NR(p->p_endpoint);
		if (p->p_getfrom != DVK_ANY && p->p_getfrom != DVK_NONE)
			p->p_getfrom = DVK_EP_NR(p->p_getfrom);
		if (p->p_sendto != DVK_NONE)
			p->p_sendto = DVK_EP_NR(p->p_sendto);
	}
	return r;
}

/* A message as the original's receiver sees it: the sender by slot number. */
static int received(int r, message *m)
{
	if (!r)
		m->m_source = ep_result(m->m_source);
	return r;
}

int dvk_compat_send_T(int dst, message *m, long timeout_ms)
{
	return (dvk_send_T)(dst, (struct dvk_message *)m, timeout_ms);
}

int dvk_compat_receive_T(int src, message *m, long timeout_ms)
{
	return received((dvk_receive_T)(src, (struct dvk_message *)m, timeout_ms), m);
}

int dvk_compat_sendrec_T(int dst, message *m, long timeout_ms)
{
	return received((dvk_sendrec_T)(dst, (struct dvk_message *)m, timeout_ms), m);
}

int dvk_compat_rcvrqst_T(message *m, long timeout_ms)
{
	return received((dvk_rcvrqst_T)((struct dvk_message *)m, timeout_ms), m);
}

int dvk_compat_reply_T(int dst, message *m, long timeout_ms)
{
	return (dvk_reply_T)(dst, (struct dvk_message *)m, timeout_ms);
}

/* RELAY was a placeholder in the original (0 through one door, EDVSNOSYS the other). */
int dvk_compat_relay(int ep, message *m)
{
	(void)ep;
	(void)m;
	return EDVSNOSYS;
}

int dvk_compat_node_up(const char *name, int nodeid, int pxid)
{
	int r = (dvk_node_up)(name, nodeid, pxid);

	return r < 0 ? r : 0;
}

int dvk_compat_proxies_bind(const char *name, int pxid, int spid, int rpid, int maxbytes)
{
	int r = (dvk_proxies_bind)(name, pxid, spid, rpid, maxbytes);

	return r < 0 ? r : 0;
}

/* The original's proxies are two slots of their own: describe them so. */
static void proxy_slot(proc_usr_t *p, const struct proxies_usr *px, int pid, unsigned int conn)
{
	memset(p, 0, sizeof(*p));
	p->p_nr = px->px_id;
	p->p_endpoint = DVK_NONE;
	p->p_dcid = -1;
	p->p_lpid = pid;
	p->p_vpid = pid;
	p->p_nodeid = -1;
	p->p_misc_flags = DVK_MIS_PROXY | (px->px_flags & conn ? DVK_MIS_CONNECTED : 0);
	p->p_getfrom = DVK_NONE;
	p->p_sendto = DVK_NONE;
	p->p_waitmigr = DVK_NONE;
	p->p_waitunbind = DVK_NONE;
	p->p_proxy = px->px_id;
	memcpy(p->p_name, px->px_name, sizeof(p->p_name));
}

int dvk_compat_getproxyinfo(int pxid, proc_usr_t *sproc, proc_usr_t *rproc)
{
	struct proxies_usr px;
	int r = (dvk_getproxyinfo)(pxid, &px);

	if (r < 0)
		return r;
	if (sproc)
		proxy_slot(sproc, &px, px.px_spid, DVK_PX_SCONNECTED);
	if (rproc)
		proxy_slot(rproc, &px, px.px_rpid, DVK_PX_RCONNECTED);
	return 0;
}
