#!/bin/sh
# A node of the migration scenarios: a server (slot 1) starts on the home
# node and moves along the hops while the client node's client keeps
# calling and copying; the client node drives each move with one command
# (dvs migrate move) through an agent on every other node (dvs migrate
# agent, slot 10 + its node id), which also starts the new server when the
# endpoint comes to its node.
# Parameters (kernel command line, or as arguments, which win):
#   dvs.migme=N            this node
#   dvs.mignodes=N:IP,...  every node and its address
#   dvs.mighome=N          where the server starts
#   dvs.migclient=N        the client's and orchestrator's node
#   dvs.mighops=F:T,...    the moves
#   dvs.migbad=F:T         after the first hop, a move F -> T whose new node
#                          cannot provide the process (a pid that does not
#                          exist): refused at the start, rolled back on
#                          every node, the endpoint served where it was
#   dvs.mighalt=F:T        (with migvia, on H) at the end, guest T is halted
#                          (uml_mconsole), then a move F -> T must fail within
#                          its timeout, leave the endpoint on F and not
#                          migrating, and F's server must still answer
#   dvs.migvia=H           links are /dev/umlXX bridges to node H, the host
#                          of the other nodes (UML guests inside it), which
#                          relays between them; mignodes then needs no IPs
# Used by tests/run.sh (three UML guests) and hostvm-migrate.sh (the host
# VM and two guests).
here=$(cd "$(dirname "$0")" && pwd)
for arg in $(cat /proc/cmdline) "$@"; do
	case $arg in
	dvs.migme=*) me=${arg#*=} ;;
	dvs.mignodes=*) nodes=${arg#*=} ;;
	dvs.mighome=*) home=${arg#*=} ;;
	dvs.migclient=*) client=${arg#*=} ;;
	dvs.mighops=*) hops=${arg#*=} ;;
	dvs.migvia=*) via=${arg#*=} ;;
	dvs.migbad=*) bad=${arg#*=} ;;
	dvs.mighalt=*) halt=${arg#*=} ;;
	esac
done
[ -n "$me" ] && [ -n "$nodes" ] && [ -n "$home" ] && [ -n "$client" ] && [ -n "$hops" ] ||
	{ echo "migrate-nodes: dvs.migme, mignodes, mighome, migclient and mighops are needed" >&2; exit 2; }
proxy_args="--dc 0 --heartbeat 300 --dead 1500"
SRV=32769 CLI=32770 MOVER=7 AGENTS=10
if dvs info | grep -q '^nodeid=-1$'; then
	dvs init --node "$me" --name MIGR > /dev/null || exit 1
fi
dvs dc-init --dc 0 > /dev/null || exit 1
peers= ids=
for n in $(echo "$nodes" | tr , ' '); do
	n=${n%%:*}
	ids="$ids${ids:+,}$n"
	[ "$n" = "$me" ] && continue
	if [ -z "$via" ]; then
		peers="$peers --peer $n=$(echo "$nodes" | tr , '\n' | sed -n "s/^$n://p")/node$n"
	elif [ "$me" = "$via" ]; then
		peers="$peers --umid $n=node$n/node$n"
	elif [ "$n" = "$via" ]; then
		peers="$peers --peer $n/node$n"
	else
		peers="$peers --via $n:$via"
	fi
done
if [ -z "$via" ]; then
	dvs-proxy $peers $proxy_args &
elif [ "$me" = "$via" ]; then
	dvs-proxy $peers --uml-dir /tmp/uml $proxy_args &
else
	dvs-proxy --transport uml $peers $proxy_args &
fi
reg() { dvs rmtbind --dc 0 --endpoint "$1" --node "$2" --name "$3" > /dev/null || exit 1; }
[ "$me" = "$home" ] || reg $SRV "$home" server
mig="--dc 0 --nodes $ids --agents $AGENTS --slot $MOVER"
if [ "$me" = "$client" ]; then
	moves=$(echo "$hops" | tr , '\n' | grep -c .)
	# The client starts once every agent answers: the moves come after it.
	# shellcheck disable=SC2086 # $mig is several words
	if dvs migrate ping $mig --timeout 120000; then
		echo "PASS: migrate/agents-reachable"
	else
		echo "FAIL: migrate/agents-reachable"
		exit 1
	fi
	RMT_SLOT=2 "$here/rmt_peer" migrate-client $SRV 80 "$moves" &
	cli=$!
	rc=0 pause=3	# the client calls the server where it is first
	for hop in $(echo "$hops" | tr , ' '); do
		sleep $pause
		pause=2
		# shellcheck disable=SC2086
		if out=$(dvs migrate move $mig --endpoint $SRV --from "${hop%:*}" --to "${hop#*:}" 2>&1); then
			echo "PASS: migrate/moved-from-${hop%:*}-to-${hop#*:} ($out)"
		else
			echo "FAIL: migrate/moved-from-${hop%:*}-to-${hop#*:} ($out)"
			rc=1
		fi
		[ -n "${bad:-}" ] || continue
		# shellcheck disable=SC2086
		out=$(dvs migrate move $mig --endpoint $SRV --from "${bad%:*}" --to "${bad#*:}" \
			--pid 999999 2>&1)
		if [ $? = 1 ] && echo "$out" | grep -q 'rolled back on' &&
			echo "$out" | grep -q EDVSBADPID; then
			echo "PASS: migrate/refused-move-rolled-back"
		else
			echo "FAIL: migrate/refused-move-rolled-back ($out)"
			rc=1
		fi
		echo "$out" | sed 's/^/  /'
		bad=
	done
	wait $cli || rc=1
	if [ -n "${halt:-}" ]; then
		f=${halt%:*} t=${halt#*:}
		uml_mconsole "/tmp/uml/node$t/mconsole" halt > /dev/null 2>&1
		start=$(date +%s)
		# shellcheck disable=SC2086
		out=$(dvs migrate move $mig --endpoint $SRV --from "$f" --to "$t" --timeout 3000 2>&1)
		st=$? took=$(( $(date +%s) - start ))
		echo "$out" | sed 's/^/  /'
		echo "  the move to a halted node ended after $took s (exit $st)"
		if [ $st = 1 ] && [ $took -le 20 ] &&
			dvs ps --dc 0 | awk -v n="$f" '$2 == 1 && $5 == n && $6 == "remote" { ok = 1 } END { exit !ok }'; then
			echo "PASS: migrate/move-to-a-halted-node-fails-cleanly"
		else
			echo "FAIL: migrate/move-to-a-halted-node-fails-cleanly"
			rc=1
		fi
		# The endpoint is still served where it was: 4 more rounds, no move.
		RMT_SLOT=2 "$here/rmt_peer" migrate-client $SRV 4 0 migrate-after-halt || rc=1
	fi
	dvs ps --dc 0
	exit $rc
fi
reg $CLI "$client" client
reg $MOVER "$client" mover		# by number: whichever binding the mover has
[ "$me" = "$home" ] && RMT_SLOT=1 "$here/rmt_peer" server /bin/true &
# The server for an endpoint that comes here waits to be bound (RMT_WAITBIND).
RMT_WAITBIND=1 exec dvs migrate agent --dc 0 --agents $AGENTS --exec "$here/rmt_peer server /bin/true"
