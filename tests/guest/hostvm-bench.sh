#!/bin/sh
# make bench's host VM <-> guest figures, run in the host VM (tools/bench.sh):
# this VM (Debian's kernel, dvk.ko) is node 1 with two-nodes-bench.sh's
# server; a UML guest launched inside it on a tap is node 2 with its client.
#   hostvm-bench.sh MODDIR
here=$(cd "$(dirname "$0")" && pwd)
insmod "$1/dvk.ko" && modprobe tun || exit 1
dvs-tap up tap0 10.0.10.254/24 root || exit 1
"$here/two-nodes-bench.sh" server 10.0.10.254 10.0.10.2 > /tmp/bench-server.log 2>&1 &
mkdir -p /tmp/uml
cp /var/lib/dvs/root.img /tmp/root2.img || exit 1
/usr/lib/dvs/linux umid=node2 uml_dir=/tmp/uml mem=128M ubd0=/tmp/root2.img root=/dev/ubda \
	eth0=tuntap,tap0 dvs.ip=10.0.10.2/24 dvs.run=cmd dvs.bench=client:10.0.10.254:10.0.10.2 \
	dvs.cmd=/usr/lib/dvs-tests/two-nodes-bench.sh con=null ssl=null con0=null,fd:1 \
	< /dev/null > /tmp/uml2.log 2>&1
grep -E '^(dvk remote|tcp round|tcp pull|remote round|remote copy)' /tmp/uml2.log
rc=$?
[ $rc = 0 ] || tr -d '\r' < /tmp/uml2.log | tail -20
dvs-tap down tap0
exit $rc
