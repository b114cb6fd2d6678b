#!/bin/sh
# The guest side of the two-node scenario (tests/run.sh boots two UML guests
# on one uml_switch): two-nodes.sh server (node 1, 10.0.9.1) or client
# (node 2, 10.0.9.2). Each node runs dvs-proxy for the other; rmt_peer does
# the calls. The server's proxy is frozen for 8 s, killed and restarted on
# request, and the server node powers itself off on request (tests/run.sh
# boots it again).
here=$(cd "$(dirname "$0")" && pwd)
role=$1
# Frames are authenticated with a key both nodes share.
proxy_args="--dc 0 --heartbeat 300 --dead 1500 --key 000102030405060708090a0b0c0d0e0f"

case $role in
server)
	dvs init --node 1 --name TWO > /dev/null || exit 1
	dvs dc-init --dc 0 > /dev/null || exit 1
	# Node 2's client (slot 2) sends, notifies and copies: only an
	# administrator's registration gives a remote endpoint those rights
	# (autobind gives a user slot's); a dead proxy takes it with its node.
	register='dvs rmtbind --dc 0 --endpoint 32770 --node 2 --name client > /dev/null'
	eval "$register" || exit 1
	cat > /tmp/ctl.sh <<CTL
#!/bin/sh
case \$1 in
cut)	kill \$(cat /tmp/proxy.pid); sleep 1
	dvs-proxy --peer 2=10.0.9.2/node2 $proxy_args & echo \$! > /tmp/proxy.pid
	$register ;;
halt)	sleep 0.3; echo "two-nodes: node 1 powering off"; poweroff -f ;;
freeze)	kill -STOP \$(cat /tmp/proxy.pid); sleep 8; kill -CONT \$(cat /tmp/proxy.pid) ;;
esac
CTL
	chmod +x /tmp/ctl.sh
	dvs-proxy --peer 2=10.0.9.2/node2 $proxy_args &
	echo $! > /tmp/proxy.pid
	exec "$here/rmt_peer" server /tmp/ctl.sh
	;;
client)
	dvs init --node 2 --name TWO > /dev/null || exit 1
	dvs dc-init --dc 0 > /dev/null || exit 1
	dvs-proxy --peer 1=10.0.9.1/node1 $proxy_args &
	dvs rmtbind --dc 0 --endpoint 32769 --node 1 --name server > /dev/null || exit 1
	"$here/rmt_peer" client 32769
	rc=$?
	dvs nodes
	exit $rc
	;;
*)
	echo "usage: two-nodes.sh server|client" >&2
	exit 2
	;;
esac
