#!/bin/sh
# Scenario 3, in the host VM: a three-node DC. This VM (Debian's kernel,
# dvk.ko) is node 0; two UML guests launched inside it are nodes 1 and 2.
#   hostvm-three.sh MODDIR tcp   all on one bridge (net-setup/dvs-tap); every
#                                node's proxy links it to the other two
#   hostvm-three.sh MODDIR uml   each guest linked to the host only, over its
#                                /dev/umlXX bridge; the guests reach each other
#                                through the host, which relays (--via)
# Each node's client calls the next node's server (0->1->2->0), and node 0's
# copies between the servers of nodes 1 and 2. Over the bridge, a fake
# guest then writes bad frames to its socket (refused, reasons logged), then
# well-formed ones outside its rights (hostile_node: refused, counted), and
# node 0's client has node 1's proxy killed mid-call: the bridge link drops
# and comes back.
here=$(cd "$(dirname "$0")" && pwd)
M=$1 transport=${2:-tcp}
insmod "$M/dvk.ko" && modprobe tun || exit 1
dvs init --node 0 --name HOSTVM > /dev/null && dvs dc-init --dc 0 > /dev/null || exit 1
proxy_args="--dc 0 --heartbeat 300 --dead 3000"
. "$here/uml-guests.sh"
# Slots: node 0 serves on 1, node 1 on 3, node 2 on 5; clients 2, 4, 6. Every
# node registers the other nodes' clients (rmtbind: they send, notify and copy).
dvs rmtbind --dc 0 --endpoint 32772 --node 1 --name cli1 > /dev/null &&
	dvs rmtbind --dc 0 --endpoint 32774 --node 2 --name cli2 > /dev/null || exit 1
case $transport in
tcp)
	modprobe bridge || exit 1
	dvs-tap up tap1 10.0.11.201/24 root && dvs-tap up tap2 10.0.11.202/24 root &&
		dvs-tap bridge br0 10.0.11.254/24 tap1 tap2 || exit 1
	dvs-proxy --peer 1=10.0.11.1/uml1 --peer 2=10.0.11.2/uml2 $proxy_args &
	boot_guest 1 tap1 10.0.11.1/24 tcp 0=10.0.11.254/host,2=10.0.11.2/uml2 3 4:32773:2:uml1-to-uml2 \
		"" 32770:0,32774:2 &&
		boot_guest 2 tap2 10.0.11.2/24 tcp 0=10.0.11.254/host,1=10.0.11.1/uml1 5 \
			6:32769:0:uml2-to-host "" 32770:0,32772:1 ||
		exit 1
	;;
uml)
	# Node 3 is a misbehaving guest (bridge_fake) writing bad frames to its socket.
	mkdir -p /tmp/uml/fake
	dvs-proxy --umid 1=node1/uml1 --umid 2=node2/uml2 --umid 3=fake/fake --uml-dir /tmp/uml \
		$proxy_args > /tmp/proxy0.log 2>&1 &
	boot_guest 1 - - uml 0/host 3 4:32773:2:uml1-to-uml2 2:0 32770:0,32774:2 &&
		boot_guest 2 - - uml 0/host 5 6:32769:0:uml2-to-host 1:0 32770:0,32772:1 || exit 1
	;;
*)	echo "hostvm-three: unknown transport $transport" >&2; exit 2 ;;
esac
RMT_SLOT=1 "$here/rmt_peer" server /bin/true > /tmp/server0.log 2>&1 &
dvs rmtbind --dc 0 --endpoint 32771 --node 1 --name srv1 > /dev/null &&
	dvs rmtbind --dc 0 --endpoint 32773 --node 2 --name srv2 > /dev/null || exit 1
# Node 0's client also copies from node 1's server to node 2's (COPYRMT).
"$here/rmt_peer" client 32771 host-to-uml1 basic 32773
rc=$?
if [ "$transport" = uml ]; then
	"$here/bridge_fake" /tmp/uml/fake/dvsbr /tmp/proxy0.log || rc=1
	# The same guest, hacked: well-formed frames outside its rights.
	"$here/hostile_node" /tmp/uml/fake/dvsbr 3 32769 || rc=1
	cat /proc/dvs/refused
	# Once the guests' clients are done, cut node 1's bridge link mid-call.
	for n in 1 2; do
		for _ in $(seq 600); do grep -q '^uml-node: done' "/tmp/uml$n.log" && break; sleep 0.2; done
	done
	"$here/rmt_peer" client 32771 bridge-cut cut || rc=1
fi
dvs nodes
[ "$transport" = uml ] && { echo "--- node 0's proxy ---"; cat /tmp/proxy0.log; }
finish_guests 1 2 || rc=1
[ "$transport" = tcp ] && dvs-tap down br0 tap1 tap2
exit $rc
