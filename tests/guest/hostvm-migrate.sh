#!/bin/sh
# Migration with the host VM (tests/run.sh): this VM (Debian's kernel,
# dvk.ko) is node 0, two UML guests inside it on a bridge are nodes 1 and
# 2. Node 1's server moves to the host node and back while node 2's client
# keeps calling and copying (migrate-nodes.sh on every node).
#   hostvm-migrate.sh MODDIR tcp
here=$(cd "$(dirname "$0")" && pwd)
M=$1
insmod "$M/dvk.ko" && modprobe tun && modprobe bridge || exit 1
dvs init --node 0 --name MIGR > /dev/null || exit 1
dvs-tap up tap1 10.0.11.201/24 root && dvs-tap up tap2 10.0.11.202/24 root &&
	dvs-tap bridge br0 10.0.11.254/24 tap1 tap2 || exit 1
params="dvs.mignodes=0:10.0.11.254,1:10.0.11.1,2:10.0.11.2 dvs.mighome=1 dvs.migclient=2 dvs.mighops=1:0,0:1"
mkdir -p /tmp/uml
for n in 1 2; do
	cp /var/lib/dvs/root.img "/tmp/root$n.img" || exit 1
	# shellcheck disable=SC2086 # $params is several words
	/usr/lib/dvs/linux umid="node$n" uml_dir=/tmp/uml mem=96M ubd0="/tmp/root$n.img" \
		root=/dev/ubda eth0=tuntap,tap$n dvs.ip=10.0.11.$n/24 dvs.run=cmd \
		dvs.cmd=/usr/lib/dvs-tests/migrate-nodes.sh dvs.migme=$n $params \
		con=null ssl=null con0=null,fd:1 < /dev/null > "/tmp/uml$n.log" 2>&1 &
	eval "guest_$n=\$!"
done
# shellcheck disable=SC2086
"$here/migrate-nodes.sh" dvs.migme=0 $params > /tmp/node0.log 2>&1 &
wait "$guest_2"
rc=1
grep -q '^dvs-init: exit status 0' /tmp/uml2.log && rc=0
uml_mconsole /tmp/uml/node1/mconsole halt > /dev/null 2>&1
for _ in $(seq 100); do kill -0 "$guest_1" 2> /dev/null || break; sleep 0.2; done
kill -9 "$guest_1" 2> /dev/null
# The guests' own "dvs-init: exit status" lines would end this VM's output early.
echo "--- node 0 (this VM) ---"; cat /tmp/node0.log
echo "--- node 1 ---"; tr -d '\r' < /tmp/uml1.log | grep -E '^(server|agent|dvs-proxy):'
echo "--- node 2 (client, orchestrator) ---"; tr -d '\r' < /tmp/uml2.log | grep -v '^\[\|dvs-init:'
dvs-tap down br0 tap1 tap2
exit $rc
