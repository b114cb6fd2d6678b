#!/bin/sh
# Scenario 2, run in the host VM (tools/hostvm.sh): this VM, Debian's kernel
# with dvk.ko, is node 0; a UML guest launched inside it is node 1, linked
# by a tap made with net-setup/dvs-tap (the guest's vector transport, tap).
# Each node runs an rmt_peer server and a client calling the other's:
# send/receive in both directions.
#   hostvm-uml.sh MODDIR TRANSPORT    (TRANSPORT: tcp or tipc; tcp-veth: TCP
#                                      on a veth pair instead, the guest's
#                                      vector transport raw on one end)
here=$(cd "$(dirname "$0")" && pwd)
M=$1 transport=${2:-tcp}
insmod "$M/dvk.ko" || exit 1
modprobe tun || exit 1
dvs init --node 0 --name HOSTVM > /dev/null || exit 1
dvs dc-init --dc 0 > /dev/null || exit 1
[ "$transport" = tcp ] && { "$here/dvs-tap-checks.sh" || rc_checks=1; }
link=tap0
if [ "$transport" = tcp-veth ]; then
	transport=tcp link=raw:veth0
	# busybox ip names no peer: the kernel names the pair veth0, veth1.
	modprobe veth && ip link add type veth && ip addr add 10.0.10.254/24 dev veth1 &&
		ip link set veth0 up && ip link set veth1 up || exit 1
else
	dvs-tap up tap0 10.0.10.254/24 root || exit 1
fi
case $transport in
tcp)	peer=1=10.0.10.1/uml1 peer0=0=10.0.10.254/host ;;
tipc)	# TIPC over the tap: the nodes find each other on the Ethernet bearer.
	modprobe tipc && tipc bearer enable media eth device tap0 || exit 1
	peer=1/uml1 peer0=0/host ;;
*)	echo "hostvm-uml: unknown transport $transport" >&2; exit 2 ;;
esac
dvs rmtbind --dc 0 --endpoint 32772 --node 1 --name umlcli > /dev/null || exit 1	# node 1's client
dvs-proxy --transport "$transport" --peer "$peer" --dc 0 --heartbeat 300 --dead 3000 &
"$here/rmt_peer" server /bin/true > /tmp/server0.log 2>&1 &
dvs rmtbind --dc 0 --endpoint 32771 --node 1 --name umlsrv > /dev/null || exit 1
# Node 1: ./linux as a user would start it, on its own root image.
# Slots 1 and 2 are this node's server and client; node 1 uses 3 and 4.
. "$here/uml-guests.sh"
boot_guest 1 $link 10.0.10.1/24 "$transport" "$peer0" 3 4:32769:0:uml-to-host "" 32770:0 || exit 1
"$here/rmt_peer" client 32771 host-to-uml basic
rc=$?
finish_guests 1 || rc=1
[ -z "${rc_checks:-}" ] || rc=1
if [ $link = tap0 ]; then
	dvs-tap down tap0
else
	ip link del veth0
fi
exit $rc
