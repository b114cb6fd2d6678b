#!/bin/sh
# The dvs tool's node and proxy subcommands, as an administrator types them.
prog=test-dvs-nodes.sh
. "$(dirname "$0")/check.sh"

dvs init --node 0 > /dev/null
dvs dc-init --dc 0 > /dev/null
sleep 1000 &
px=$!
check no_pairs 0 "no proxy pair bound" dvs proxies
check bind 0 "proxy pair 2 (px2) bound: sender $px, receiver $px" \
	dvs proxies-bind --id 2 --name px2 --sender $px --receiver $px
check bind_busy 1 "resource busy (EDVSRSCBUSY -342)" \
	dvs proxies-bind --id 2 --name px2 --sender $px --receiver $px
check bind_usage 2 "--sender is required" dvs proxies-bind --id 3 --name x --receiver 1
check node_up 0 "node 2 (uml2) up through proxy pair 2" dvs node-up --node 2 --name uml2 --proxy 2
check node_up_local 1 "bad node id (EDVSBADNODEID -301)" dvs node-up --node 0 --name me --proxy 2
check add_node 0 "node 2 added to DC0" dvs add-node --dc 0 --node 2
check add_again 1 "(EDVSDCNODE -326)" dvs add-node --dc 0 --node 2
check conn 0 "proxy pair 2: connect-sender" dvs proxy-conn --id 2 --status connect-sender
check conn_bad 2 "unknown --status 'up'" dvs proxy-conn --id 2 --status up
check nodes 0 "   2 uml2                2   S- 0x1        0/0" dvs nodes
check nodes_self 0 "   0 node0              -1 self 0x1        0/0" dvs nodes
check proxies 0 "$(printf '%2d %-15s %7d %8d %4s %8u %s' 2 px2 $px $px S- 65536 0x4)" dvs proxies
check proc_nodes 0 " 2     6       2        0        0 -------------------------------X uml2" cat /proc/dvs/nodes
check del_node 0 "node 2 removed from DC0" dvs del-node --dc 0 --node 2
check node_down 0 "node 2 down" dvs node-down --node 2
check node_down_again 1 "node not attached (EDVSNODEFREE -325)" dvs node-down --node 2
check unbind 0 "proxy pair 2 unbound" dvs proxies-unbind --id 2
check unbind_again 1 "proxy pair not bound (EDVSPROXYFREE -333)" dvs proxies-unbind --id 2
check help 0 "Usage: dvs node-up" dvs node-up --help
kill $px
dvs end > /dev/null
exit $failed
