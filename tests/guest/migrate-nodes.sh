#!/bin/sh
# A node of the migration scenarios: a server (slot 1) starts on the home
# node and moves along the hops while the client node's client keeps
# calling and copying; the client node drives the moves (rmt_peer
# orchestrate) through an agent on every other node (rmt_peer agent), which
# also starts the new server when the endpoint comes to its node.
# Parameters (kernel command line, or as arguments, which win):
#   dvs.migme=N            this node
#   dvs.mignodes=N:IP,...  every node and its address
#   dvs.mighome=N          where the server starts
#   dvs.migclient=N        the client's and orchestrator's node
#   dvs.mighops=F:T,...    the moves
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
	esac
done
[ -n "$me" ] && [ -n "$nodes" ] && [ -n "$home" ] && [ -n "$client" ] && [ -n "$hops" ] ||
	{ echo "migrate-nodes: dvs.migme, mignodes, mighome, migclient and mighops are needed" >&2; exit 2; }
proxy_args="--dc 0 --heartbeat 300 --dead 1500"
SRV=32769 CLI=32770 ORCH=32775
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
if [ "$me" = "$client" ]; then
	for n in $(echo "$ids" | tr , ' '); do
		[ "$n" = "$me" ] || reg $((32768 + 10 + n)) "$n" "agent$n"
	done
	moves=$(echo "$hops" | tr , '\n' | grep -c .)
	# The client starts once every agent answers: the moves come after it.
	RMT_SLOT=7 "$here/rmt_peer" orchestrate $SRV "$ids" $(echo "$hops" | tr , ' ') \
		> /tmp/orchestrate.log 2>&1 &
	orch=$!
	for _ in $(seq 1200); do grep -q 'migrate/agents-reachable' /tmp/orchestrate.log && break; sleep 0.1; done
	RMT_SLOT=2 "$here/rmt_peer" migrate-client $SRV 80 "$moves" &
	cli=$!
	wait $orch
	orc=$?
	cat /tmp/orchestrate.log
	wait $cli
	rc=$?
	[ $orc = 0 ] || rc=1
	dvs ps --dc 0
	exit $rc
fi
reg $CLI "$client" client
reg $ORCH "$client" orch
[ "$me" = "$home" ] && RMT_SLOT=1 "$here/rmt_peer" server /bin/true &
exec "$here/rmt_peer" agent
