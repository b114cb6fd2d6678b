#!/bin/sh
# Scenario 3, in the host VM: a three-node DC. This VM (Debian's kernel,
# dvk.ko) is node 0; two UML guests launched inside it are nodes 1 and 2,
# all on one bridge (net-setup/dvs-tap). Every node's proxy links it to the
# other two; each node's client calls the next node's server (0->1->2->0),
# and node 0's copies between the servers of nodes 1 and 2.
#   hostvm-three.sh MODDIR
here=$(cd "$(dirname "$0")" && pwd)
M=$1
insmod "$M/dvk.ko" && modprobe tun && modprobe bridge || exit 1
dvs init --node 0 --name HOSTVM > /dev/null && dvs dc-init --dc 0 > /dev/null || exit 1
dvs-tap up tap1 10.0.11.201/24 root && dvs-tap up tap2 10.0.11.202/24 root &&
	dvs-tap bridge br0 10.0.11.254/24 tap1 tap2 || exit 1
dvs-proxy --peer 1=10.0.11.1/uml1 --peer 2=10.0.11.2/uml2 --dc 0 --heartbeat 300 --dead 3000 &
RMT_SLOT=1 "$here/rmt_peer" server /bin/true > /tmp/server0.log 2>&1 &
# Slots: node 0 serves on 1, node 1 on 3, node 2 on 5; clients 2, 4, 6.
. "$here/uml-guests.sh"
boot_guest 1 tap1 10.0.11.1/24 tcp 0=10.0.11.254/host,2=10.0.11.2/uml2 3 4:32773:2:uml1-to-uml2 &&
	boot_guest 2 tap2 10.0.11.2/24 tcp 0=10.0.11.254/host,1=10.0.11.1/uml1 5 6:32769:0:uml2-to-host ||
	exit 1
dvs rmtbind --dc 0 --endpoint 32771 --node 1 --name srv1 > /dev/null &&
	dvs rmtbind --dc 0 --endpoint 32773 --node 2 --name srv2 > /dev/null || exit 1
# Node 0's client also copies from node 1's server to node 2's (COPYRMT).
"$here/rmt_peer" client 32771 host-to-uml1 basic 32773
rc=$?
dvs nodes
finish_guests 1 2 || rc=1
dvs-tap down br0 tap1 tap2
exit $rc
