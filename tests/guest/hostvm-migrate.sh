#!/bin/sh
# Migration with the host VM (tests/run.sh): this VM (Debian's kernel,
# dvk.ko) is node 0, two UML guests inside it are nodes 1 and 2; every node
# runs migrate-nodes.sh.
#   hostvm-migrate.sh MODDIR tcp   the guests on a bridge: node 1's server
#                                  moves to the host node and back while
#                                  node 2's client keeps calling and copying
#   hostvm-migrate.sh MODDIR uml   each guest linked to the host only, over
#                                  its /dev/umlXX bridge: node 1's server
#                                  moves to node 2 and back through the
#                                  host, which relays, while the host's
#                                  client keeps calling and copying
here=$(cd "$(dirname "$0")" && pwd)
M=$1 transport=${2:-tcp}
insmod "$M/dvk.ko" && modprobe tun || exit 1
dvs init --node 0 --name MIGR > /dev/null || exit 1
case $transport in
tcp)
	modprobe bridge || exit 1
	dvs-tap up tap1 10.0.11.201/24 root && dvs-tap up tap2 10.0.11.202/24 root &&
		dvs-tap bridge br0 10.0.11.254/24 tap1 tap2 || exit 1
	params="dvs.mignodes=0:10.0.11.254,1:10.0.11.1,2:10.0.11.2 dvs.mighome=1 dvs.migclient=2 dvs.mighops=1:0,0:1"
	client=2
	;;
uml)
	params="dvs.mignodes=0,1,2 dvs.migvia=0 dvs.mighome=1 dvs.migclient=0 dvs.mighops=1:2,2:1 dvs.migbad=2:1 dvs.mighalt=1:2"
	client=0
	;;
*)	echo "hostvm-migrate: unknown transport $transport" >&2; exit 2 ;;
esac
mkdir -p /tmp/uml
for n in 1 2; do
	net=
	[ "$transport" = tcp ] && net="vec0:transport=tap,ifname=tap$n dvs.ip=10.0.11.$n/24"
	cp /var/lib/dvs/root.img "/tmp/root$n.img" || exit 1
	# shellcheck disable=SC2086 # $net and $params are several words
	/usr/lib/dvs/linux umid="node$n" uml_dir=/tmp/uml mem=96M ubd0="/tmp/root$n.img" \
		root=/dev/ubda $net dvs.node=$n dvs.name=MIGR dvs.run=cmd \
		dvs.cmd=/usr/lib/dvs-tests/migrate-nodes.sh dvs.migme=$n $params \
		con=null ssl=null con0=null,fd:1 < /dev/null > "/tmp/uml$n.log" 2>&1 &
	eval "guest_$n=\$!"
done
# shellcheck disable=SC2086
"$here/migrate-nodes.sh" dvs.migme=0 $params > /tmp/node0.log 2>&1 &
node0=$!
rc=1
if [ $client = 0 ]; then
	wait $node0 && rc=0
else
	wait "$guest_2"
	grep -q '^dvs-init: exit status 0' /tmp/uml2.log && rc=0
fi
for n in 1 2; do
	uml_mconsole "/tmp/uml/node$n/mconsole" halt > /dev/null 2>&1
done
for n in 1 2; do
	eval "pid=\$guest_$n"
	for _ in $(seq 100); do kill -0 "$pid" 2> /dev/null || break; sleep 0.2; done
	kill -9 "$pid" 2> /dev/null
done
kill $node0 2> /dev/null
# The guests' own "dvs-init: exit status" lines would end this VM's output early.
for n in 0 1 2; do
	if [ $n = $client ]; then
		echo "--- node $n (client, mover) ---"
	else
		echo "--- node $n ---"
	fi
	if [ $n = 0 ]; then
		cat /tmp/node0.log
	elif [ $n = $client ]; then
		tr -d '\r' < "/tmp/uml$n.log" | grep -v '^\[\|dvs-init:'
	else
		tr -d '\r' < "/tmp/uml$n.log" | grep -E '^(server|dvs migrate agent|dvs-proxy):'
	fi
done
[ "$transport" = tcp ] && dvs-tap down br0 tap1 tap2
exit $rc
