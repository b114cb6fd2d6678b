#!/bin/sh
# make bench's remote round trip (tools/bench.sh boots two UML guests on a
# uml_switch): two-nodes-bench.sh server|client. The client measures a DVK
# remote sendrec through dvs-proxy and a raw TCP ping-pong between the same
# two kernels, and prints both with their ratio.
here=$(cd "$(dirname "$0")" && pwd)
n=${BENCH_N:-2000}
case $1 in
server)
	dvs init --node 1 > /dev/null && dvs dc-init --dc 0 > /dev/null || exit 1
	dvs-proxy --quiet --peer 2=10.0.9.2 --dc 0 &
	net-pingpong server 4000 &
	exec "$here/rmt_peer" server /bin/true
	;;
client)
	dvs init --node 2 > /dev/null && dvs dc-init --dc 0 > /dev/null || exit 1
	dvs-proxy --quiet --peer 1=10.0.9.1 --dc 0 &
	dvs rmtbind --dc 0 --endpoint 32769 --node 1 --name server > /dev/null || exit 1
	dvk=$("$here/rmt_peer" bench 32769 "$n") || { echo "bench: remote sendrec failed"; exit 1; }
	tcp=$(net-pingpong client 10.0.9.1 4000 "$n") || { echo "bench: tcp ping-pong failed"; exit 1; }
	echo "$dvk"
	echo "$tcp"
	echo "$dvk $tcp" | awk '{ printf "remote round trip: DVK/TCP = %.2f (goal <= 2)\n", $5 / $14 }'
	;;
esac
