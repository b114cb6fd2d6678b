#!/bin/sh
# The hostile-link scenario (tests/run.sh boots two UML guests on one
# uml_switch): node 1 (10.0.9.1) is a plain peer with a dvs-ping server;
# node 2 (10.0.9.2) runs its proxy and attacks it with hostile_link.
#   hostile-link.sh peer keyed|unkeyed      node 1
#   hostile-link.sh attack keyed|unkeyed    node 2
# keyed: node 1's proxy dials node 2 through a man in the middle on node 2
# (hostile_link relay, port 3000 -> the proxy's --listen 127.0.0.1:3001),
# which records the live link; the recording is replayed without the key
# on new connections (refused: bad-proof, bad-tag; the live link stays);
# then node 2's proxy restarts and 4 silent connections reach it first
# (node 1's link comes up within 2 s all the same; the 4 are dropped at the
# handshake deadline). unkeyed: a HELLO as node 1 from 127.0.0.2 (not node
# 1's address) is refused. Remote calls between the nodes work after each.
here=$(cd "$(dirname "$0")" && pwd)
role=$1 mode=$2
key="--key 000102030405060708090a0b0c0d0e0f"
[ "$mode" = keyed ] || key=
args="--dc 0 --heartbeat 300 --dead 1500 --handshake 1500 $key"

case $role in
peer)
	dvs init --node 1 --name HOSTILE > /dev/null && dvs dc-init --dc 0 > /dev/null || exit 1
	# Node 2's client (slot 2), registered by this node's administrator.
	dvs rmtbind --dc 0 --endpoint 32770 --node 2 --name client > /dev/null || exit 1
	dvs-proxy --peer 2=10.0.9.2/node2 $args &
	dvs-ping server --dc 0 --slot 1 > /dev/null &
	echo "hostile-link: node 1 up ($mode)"
	while :; do sleep 1; done
	;;
attack) ;;
*)	echo "usage: hostile-link.sh peer|attack keyed|unkeyed" >&2; exit 2 ;;
esac

dvs init --node 2 --name HOSTILE > /dev/null && dvs dc-init --dc 0 > /dev/null || exit 1
register() {	# node 1's server; made again after a proxy restart, which drops it
	dvs rmtbind --dc 0 --endpoint 32769 --node 1 --name server > /dev/null
}
register || exit 1
ping_ok() {	# ping_ok NAME: 5 remote round trips to node 1's server
	if dvs-ping client --dc 0 --slot 2 --server 32769 --count 5 --quiet > /tmp/ping.log 2>&1; then
		echo "PASS: hostile-link/$1"
	else
		echo "FAIL: hostile-link/$1: $(tail -3 /tmp/ping.log | tr '\n' ' ')"
	fi
}
H=$here/hostile_link
if [ "$mode" = keyed ]; then
	"$H" relay 3000 127.0.0.1 3001 /tmp/rec > /tmp/relay.log 2>&1 &
	dvs-proxy --peer 1=10.0.9.1/node1 --listen 127.0.0.1:3001 $args 2> /tmp/proxy.log &
	pid=$!
	ping_ok calls-through-the-man-in-the-middle
	sleep 1		# a few heartbeats more in the recording
	"$H" replay /tmp/rec 127.0.0.1 3001 "$pid" /tmp/proxy.log 1
	ping_ok calls-after-replays
	kill "$pid"
	wait "$pid" 2> /dev/null
	dvs-proxy --peer 1=10.0.9.1/node1 --listen 127.0.0.1:3001 $args 2> /tmp/proxy2.log &
	pid=$!
	"$H" silent 127.0.0.1 3001 4 "$pid" /tmp/proxy2.log
	register
	ping_ok calls-after-silent-connections
	log="/tmp/proxy.log /tmp/proxy2.log"
else
	dvs-proxy --peer 1=10.0.9.1/node1 $args 2> /tmp/proxy.log &
	pid=$!
	ping_ok calls-unkeyed
	"$H" impostor 127.0.0.2 127.0.0.1 3000 "$pid" /tmp/proxy.log 1 2
	ping_ok calls-after-impostor
	grep -q 'links are unauthenticated' /tmp/proxy.log &&
		echo "PASS: hostile-link/unauthenticated-said-at-start" ||
		echo "FAIL: hostile-link/unauthenticated-said-at-start: not in /tmp/proxy.log"
	log=/tmp/proxy.log
fi
for f in $log; do echo "--- $f ---"; cat "$f"; done
