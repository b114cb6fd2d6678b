#!/bin/sh
# A lab node's agent (tools/dvs-lab): runs each request dvs-lab puts in
# DIR/req (ID.sh, renamed there once written) with sh, in /, in a session of
# its own, and leaves its output in DIR/out/ID.out and then its exit status
# in DIR/out/ID.rc (renamed in whole, so dvs-lab never reads half of it).
# DIR/req/ID.cancel (a request dvs-lab gave up on) kills that request and
# what it started. Ends when DIR/stop appears, and kills first whatever its
# requests left running (a startup's server): each request, and all it
# starts, carries DVS_LAB_AGENT=DIR in its environment, which no process of
# anyone else's has (a pid or a group id could have been reused). On a real
# host (dvs-lab start --host) nothing of the lab may outlive it, and dvk.ko
# cannot be unloaded while they run. It looks ten times a second while
# requests come, and twice a second after 3 s without one (sixteen idle
# guests of a lab cost little).
# Plain sh: it runs in the guests, in the host VM and on a real host.
#   lab-agent.sh DIR
d=$1
export PATH=/usr/local/sbin:/usr/local/bin:$PATH DVS_LAB_AGENT="$d"
mkdir -p "$d/req" "$d/out" || exit 1
idle=0
while [ ! -e "$d/stop" ]; do
	idle=$((idle + 1))
	for r in "$d"/req/*.sh; do
		[ -e "$r" ] || continue
		id=${r##*/}
		id=${id%.sh}
		mv "$r" "$d/out/$id.sh" 2> /dev/null || continue
		idle=0
		# Twice forked: a request that starts a daemon or runs long does not
		# hold the agent, and init reaps it.
		( (cd / && setsid sh -c 'echo $$ > "$1.pid"; exec sh "$1.sh"' sh "$d/out/$id" \
			> "$d/out/$id.out" 2>&1 < /dev/null
			echo $? > "$d/out/$id.rc.tmp" && mv "$d/out/$id.rc.tmp" "$d/out/$id.rc") &)
	done
	for c in "$d"/req/*.cancel; do
		[ -e "$c" ] || continue
		id=${c##*/}
		id=${id%.cancel}
		p=$(cat "$d/out/$id.pid" 2> /dev/null) && kill -9 "-$p" 2> /dev/null
		rm -f "$c" "$d/out/$id".*
	done
	if [ $idle -lt 30 ]; then sleep 0.1; else sleep 0.5; fi
done
for p in /proc/[0-9]*; do
	[ "${p#/proc/}" = $$ ] && continue
	{ tr '\0' '\n' < "$p/environ"; } 2> /dev/null | grep -qxF "DVS_LAB_AGENT=$d" && kill -9 "${p#/proc/}" 2> /dev/null
done
