#!/bin/sh
# make bench's host VM <-> guest figures, run in the host VM (tools/bench.sh):
# this VM (Debian's kernel, dvk.ko) is node 1 with two-nodes-bench.sh's
# server; a UML guest launched inside it is node 2 with its client, first
# over a tap (dvs-proxy over TCP, and raw TCP for reference), then over its
# /dev/uml02 bridge, and the two compared.
#   hostvm-bench.sh MODDIR
here=$(cd "$(dirname "$0")" && pwd)
insmod "$1/dvk.ko" && modprobe tun || exit 1
dvs-tap up tap0 10.0.10.254/24 root || exit 1
"$here/two-nodes-bench.sh" server 10.0.10.254 10.0.10.2 > /tmp/bench-server.log 2>&1 &
mkdir -p /tmp/uml
guest() {	# guest ARGS...: node 2, until its client is done; its console in /tmp/uml2.log
	cp /var/lib/dvs/root.img /tmp/root2.img || return 1
	/usr/lib/dvs/linux umid=node2 uml_dir=/tmp/uml mem=128M ubd0=/tmp/root2.img root=/dev/ubda \
		dvs.run=cmd dvs.cmd=/usr/lib/dvs-tests/two-nodes-bench.sh con=null ssl=null \
		con0=null,fd:1 "$@" < /dev/null > /tmp/uml2.log 2>&1
}
figures='^(bridge: )?(dvk remote|tcp round|tcp pull|remote round|remote copy)'
guest vec0:transport=tap,ifname=tap0 dvs.ip=10.0.10.2/24 dvs.bench=client:10.0.10.254:10.0.10.2
grep -E "$figures" /tmp/uml2.log > /tmp/tcp.txt
cat /tmp/tcp.txt
# The same node 2 over the bridge: the host's proxy serves it by its umid.
killall dvs-proxy
sleep 0.5
dvs-proxy --quiet --umid 2=node2 --uml-dir /tmp/uml --dc 0 &
# The killed proxy took node 2 down, and with it the server's registration
# of node 2's client (slot 2: it lends its memory to the server's copies).
dvs rmtbind --dc 0 --endpoint 32770 --node 2 --name client > /dev/null
guest dvs.node=2 dvs.bench=client-uml
grep -E "$figures" /tmp/uml2.log > /tmp/uml.txt
cat /tmp/uml.txt
rc=0
grep -q '^remote copy' /tmp/tcp.txt && grep -q '^bridge: dvk remote vcopy' /tmp/uml.txt || rc=1
[ $rc = 0 ] || tr -d '\r' < /tmp/uml2.log | tail -20
# Bridge against the tap path: round trip (lower is better), copy rate (higher).
awk '/^dvk remote sendrec/ { t = $5 } /^dvk remote vcopy/ { tc = $11 }
     /^bridge: dvk remote sendrec/ { b = $6 } /^bridge: dvk remote vcopy/ { bc = $12 }
     END { if (t && b) printf "bridge vs tap round trip: %.2f (bridge/tap, goal < 1)\n", b / t;
           if (tc && bc) printf "bridge vs tap copy rate: %.2f (bridge/tap, goal > 1)\n", bc / tc }' \
	/tmp/tcp.txt /tmp/uml.txt
dvs-tap down tap0
exit $rc
