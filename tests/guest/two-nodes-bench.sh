#!/bin/sh
# make bench's remote figures between two nodes (tools/bench.sh runs it in
# two UML guests on a uml_switch, and in the host VM and a guest inside it):
# two-nodes-bench.sh server|client [SERVER_IP CLIENT_IP] (10.0.9.1 and 10.0.9.2),
# or with no arguments dvs.bench=ROLE:SERVER_IP:CLIENT_IP from the kernel
# command line (a guest's dvs.cmd takes no arguments). The client measures a DVK
# remote sendrec through dvs-proxy against a raw TCP ping-pong between the
# same two kernels, and a remote vcopy of 1 MiB (pulled from the server)
# against pulling 1 MiB over a raw TCP connection; it prints all four and
# the two ratios. Server node 1, client node 2.
#   two-nodes-bench.sh client-uml   the client in a UML guest booted with
#       dvs.node=2, over its /dev/uml02 bridge to the host (whose proxy serves
#       it with --umid): the same DVK figures, no raw TCP ones.
# BENCH_KEY=HEX32 (both roles): the proxies link with --key (the keyed
# handshake, tagged frames); the client then prefixes its DVK figures with
# "keyed: " and skips the raw TCP ones (tools/bench.sh compares the two runs).
here=$(cd "$(dirname "$0")" && pwd)
if [ $# = 0 ]; then
	for arg in $(cat /proc/cmdline); do
		case $arg in dvs.bench=*) set -- $(echo "${arg#dvs.bench=}" | tr : ' ') ;; esac
	done
fi
n=${BENCH_N:-2000}
copies=${BENCH_COPIES:-50}
bytes=1048576
srv_ip=${2:-10.0.9.1}
cli_ip=${3:-10.0.9.2}
key=${BENCH_KEY:+--key $BENCH_KEY}
case $1 in
server)
	dvs init --node 1 > /dev/null && dvs dc-init --dc 0 > /dev/null || exit 1
	# The client (node 2, slot 2) lends its memory to the server's copies.
	dvs rmtbind --dc 0 --endpoint 32770 --node 2 --name client > /dev/null || exit 1
	dvs-proxy --quiet --peer 2="$cli_ip" --dc 0 $key &
	net-pingpong server 4000 &
	exec "$here/rmt_peer" server /bin/true
	;;
client-uml)
	dvs dc-init --dc 0 > /dev/null || exit 1
	dvs-proxy --quiet --transport uml --peer 1 --dc 0 &
	dvs rmtbind --dc 0 --endpoint 32769 --node 1 --name server > /dev/null || exit 1
	"$here/rmt_peer" bench 32769 "$n" | sed 's/^dvk remote/bridge: dvk remote/' || exit 1
	"$here/rmt_peer" bench-copy 32769 "$copies" "$bytes" | sed 's/^dvk remote/bridge: dvk remote/' || exit 1
	;;
client)
	dvs init --node 2 > /dev/null && dvs dc-init --dc 0 > /dev/null || exit 1
	dvs-proxy --quiet --peer 1="$srv_ip" --dc 0 $key &
	dvs rmtbind --dc 0 --endpoint 32769 --node 1 --name server > /dev/null || exit 1
	if [ -n "$key" ]; then
		"$here/rmt_peer" bench 32769 "$n" | sed 's/^dvk remote/keyed: dvk remote/' || exit 1
		"$here/rmt_peer" bench-copy 32769 "$copies" "$bytes" | sed 's/^dvk remote/keyed: dvk remote/' || exit 1
		exit 0
	fi
	dvk=$("$here/rmt_peer" bench 32769 "$n") || { echo "bench: remote sendrec failed"; exit 1; }
	tcp=$(net-pingpong client "$srv_ip" 4000 "$n") || { echo "bench: tcp ping-pong failed"; exit 1; }
	dvkc=$("$here/rmt_peer" bench-copy 32769 "$copies" "$bytes") || { echo "bench: remote vcopy failed"; exit 1; }
	tcpc=$(net-pingpong client "$srv_ip" 4000 "$copies" "$bytes") || { echo "bench: tcp pull failed"; exit 1; }
	echo "$dvk"
	echo "$tcp"
	echo "$dvk $tcp" | awk '{ printf "remote round trip: DVK/TCP = %.2f (goal <= 2)\n", $5 / $14 }'
	echo "$dvkc"
	echo "$tcpc"
	echo "$dvkc $tcpc" | awk '{ printf "remote copy throughput: DVK/TCP = %.2f (goal >= 0.7)\n", $11 / $24 }'
	;;
esac
