#!/bin/sh
# Scenario 2, run in the host VM (tools/hostvm.sh): this VM, Debian's kernel
# with dvk.ko, is node 0; a UML guest launched inside it is node 1, linked
# by a tap made with net-setup/dvs-tap. Each node runs an rmt_peer server
# and a client calling the other's: send/receive in both directions.
#   hostvm-uml.sh MODDIR TRANSPORT    (TRANSPORT: tcp or tipc)
here=$(cd "$(dirname "$0")" && pwd)
M=$1 transport=${2:-tcp}
insmod "$M/dvk.ko" || exit 1
modprobe tun || exit 1
dvs init --node 0 --name HOSTVM > /dev/null || exit 1
dvs dc-init --dc 0 > /dev/null || exit 1
dvs-tap up tap0 10.0.10.254/24 root || exit 1
case $transport in
tcp)	peer=1=10.0.10.1/uml1 peer0=0=10.0.10.254/host ;;
tipc)	# TIPC over the tap: the nodes find each other on the Ethernet bearer.
	modprobe tipc && tipc bearer enable media eth device tap0 || exit 1
	peer=1/uml1 peer0=0/host ;;
*)	echo "hostvm-uml: unknown transport $transport" >&2; exit 2 ;;
esac
dvs-proxy --transport "$transport" --peer "$peer" --dc 0 --heartbeat 300 --dead 3000 &
"$here/rmt_peer" server /bin/true > /tmp/server0.log 2>&1 &
dvs rmtbind --dc 0 --endpoint 32771 --node 1 --name umlsrv > /dev/null || exit 1
# Node 1: ./linux as a user would start it, on its own root image.
mkdir -p /tmp/uml
# Slots 1 and 2 are this node's server and client; node 1 uses 3 and 4.
/usr/lib/dvs/linux umid=nodeU uml_dir=/tmp/uml mem=128M ubd0=/var/lib/dvs/root.img \
	root=/dev/ubda eth0=tuntap,tap0 dvs.ip=10.0.10.1/24 dvs.node=1 dvs.name=HOSTVM \
	dvs.run=cmd dvs.cmd=/usr/lib/dvs-tests/uml-node.sh dvs.transport="$transport" \
	dvs.peers="$peer0" dvs.srv=3 dvs.cli=4:32769:0:uml-to-host \
	con=null ssl=null con0=null,fd:1 < /dev/null > /tmp/uml.log 2>&1 &
uml=$!
"$here/rmt_peer" client 32771 host-to-uml basic
rc=$?
for _ in $(seq 600); do grep -q '^uml-node: done' /tmp/uml.log && break; sleep 0.2; done
uml_mconsole /tmp/uml/nodeU/mconsole halt || echo "hostvm-uml: uml_mconsole halt failed"
for _ in $(seq 100); do kill -0 $uml 2> /dev/null || break; sleep 0.2; done
kill -9 $uml 2> /dev/null && echo "hostvm-uml: the UML guest did not halt; killed"
wait $uml
echo "--- the UML guest's console ---"
tr -d '\r' < /tmp/uml.log
echo "--- end of the UML guest's console ---"
grep -q '^# uml-to-host: [0-9]* passed, 0 failed' /tmp/uml.log || rc=1
dvs-tap down tap0
exit $rc
