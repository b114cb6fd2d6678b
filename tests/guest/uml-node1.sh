#!/bin/sh
# Scenario 2's UML guest (node 1), inside the host VM: a server for node 0's
# client, and a client of node 0's server. Started by hostvm-uml.sh.
here=/usr/lib/dvs-tests
transport=tcp peer=0=10.0.10.254/host
for arg in $(cat /proc/cmdline); do
	case $arg in dvs.transport=tipc) transport=tipc peer=0/host ;; esac
done
dvs init --node 1 --name HOSTVM > /dev/null || exit 1
dvs dc-init --dc 0 > /dev/null || exit 1
if [ $transport = tipc ]; then
	tipc bearer enable media eth device eth0 || exit 1
fi
dvs-proxy --transport $transport --peer "$peer" --dc 0 --heartbeat 300 --dead 3000 &
# Slots 1 and 2 are node 0's server and client; this node uses 3 and 4.
RMT_SLOT=3 "$here/rmt_peer" server /bin/true > /tmp/server1.log 2>&1 &
dvs rmtbind --dc 0 --endpoint 32769 --node 0 --name hostsrv > /dev/null || exit 1
RMT_SLOT=4 "$here/rmt_peer" client 32769 uml-to-host basic
# Stay up for node 0's client; node 0 halts this guest (uml_mconsole) when done.
echo "uml-node1: done"
while :; do sleep 1; done
