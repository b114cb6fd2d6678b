#!/bin/sh
# Migration across three UML guests on one uml_switch (tests/run.sh): the
# server (slot 1) moves from node 1 to node 2 while node 3's client keeps
# calling and copying; node 3 drives the move through an agent on each of
# the other nodes (rmt_peer agent / orchestrate), taking part itself.
#   migrate-nodes.sh 1|2|3
here=$(cd "$(dirname "$0")" && pwd)
me=$1
proxy_args="--dc 0 --heartbeat 300 --dead 1500 --key 000102030405060708090a0b0c0d0e0f"
SRV=32769 CLI=32770 AGENT1=32773 AGENT2=32774 ORCH=32775
peers=
for n in 1 2 3; do [ "$n" = "$me" ] || peers="$peers --peer $n=10.0.9.$n/node$n"; done
dvs init --node "$me" --name MIGR > /dev/null || exit 1
dvs dc-init --dc 0 > /dev/null || exit 1
dvs-proxy $peers $proxy_args &
reg() { dvs rmtbind --dc 0 --endpoint "$1" --node "$2" --name "$3" > /dev/null || exit 1; }
case $me in
1)	reg $CLI 3 client; reg $ORCH 3 orch
	RMT_SLOT=1 "$here/rmt_peer" server /bin/true &
	RMT_SLOT=5 exec "$here/rmt_peer" agent 0 ;;
2)	reg $SRV 1 server; reg $CLI 3 client; reg $ORCH 3 orch
	RMT_WAITBIND=1 "$here/rmt_peer" server /bin/true &
	RMT_SLOT=6 exec "$here/rmt_peer" agent $! ;;
3)	reg $SRV 1 server; reg $AGENT1 1 agent1; reg $AGENT2 2 agent2
	RMT_SLOT=2 "$here/rmt_peer" migrate-client $SRV 40 &
	cli=$!
	sleep 2
	RMT_SLOT=7 "$here/rmt_peer" orchestrate $SRV $AGENT1 $AGENT2 2
	wait $cli
	rc=$?
	dvs ps --dc 0
	exit $rc ;;
*)	echo "usage: migrate-nodes.sh 1|2|3" >&2; exit 2 ;;
esac
