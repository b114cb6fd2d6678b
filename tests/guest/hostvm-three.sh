#!/bin/sh
# Scenario 3, in the host VM: a three-node DC. This VM (Debian's kernel,
# dvk.ko) is node 0; two UML guests launched inside it are nodes 1 and 2,
# all on one bridge (net-setup/dvs-tap). Every node's proxy links it to the
# other two; each node's client calls the next node's server (0->1->2->0).
#   hostvm-three.sh MODDIR
here=$(cd "$(dirname "$0")" && pwd)
M=$1
insmod "$M/dvk.ko" && modprobe tun && modprobe bridge || exit 1
dvs init --node 0 --name THREE > /dev/null && dvs dc-init --dc 0 > /dev/null || exit 1
dvs-tap up tap1 10.0.11.201/24 root && dvs-tap up tap2 10.0.11.202/24 root &&
	dvs-tap bridge br0 10.0.11.254/24 tap1 tap2 || exit 1
dvs-proxy --peer 1=10.0.11.1/uml1 --peer 2=10.0.11.2/uml2 --dc 0 --heartbeat 300 --dead 3000 &
RMT_SLOT=1 "$here/rmt_peer" server /bin/true > /tmp/server0.log 2>&1 &
# Slots: node 0 serves on 1, node 1 on 3, node 2 on 5; clients 2, 4, 6.
boot() {	# boot NODE PEERS SRV CLI
	cp /var/lib/dvs/root.img "/tmp/root$1.img"
	/usr/lib/dvs/linux umid="node$1" uml_dir=/tmp/uml mem=96M ubd0="/tmp/root$1.img" \
		root=/dev/ubda eth0=tuntap,"tap$1" dvs.ip="10.0.11.$1/24" dvs.node="$1" \
		dvs.name=THREE dvs.run=cmd dvs.cmd=/usr/lib/dvs-tests/uml-node.sh \
		dvs.peers="$2" dvs.srv="$3" dvs.cli="$4" con=null ssl=null con0=null,fd:1 \
		< /dev/null > "/tmp/uml$1.log" 2>&1 &
}
mkdir -p /tmp/uml
boot 1 0=10.0.11.254/host,2=10.0.11.2/uml2 3 4:32773:2:uml1-to-uml2
pid1=$!
boot 2 0=10.0.11.254/host,1=10.0.11.1/uml1 5 6:32769:0:uml2-to-host
pid2=$!
dvs rmtbind --dc 0 --endpoint 32771 --node 1 --name srv1 > /dev/null || exit 1
"$here/rmt_peer" client 32771 host-to-uml1 basic
rc=$?
for n in 1 2; do
	for _ in $(seq 600); do grep -q '^uml-node: done' "/tmp/uml$n.log" && break; sleep 0.2; done
done
dvs nodes
for n in 1 2; do uml_mconsole "/tmp/uml/node$n/mconsole" halt > /dev/null; done
for _ in $(seq 100); do kill -0 $pid1 2> /dev/null || kill -0 $pid2 2> /dev/null || break; sleep 0.2; done
kill -9 $pid1 $pid2 2> /dev/null
wait $pid1 $pid2
for n in 1 2; do
	echo "--- UML guest node $n ---"
	tr -d '\r' < "/tmp/uml$n.log"
	grep -q '^# uml[12]-to-[a-z0-9]*: [0-9]* passed, 0 failed' "/tmp/uml$n.log" || rc=1
done
dvs-tap down br0 tap1 tap2
exit $rc
