#!/bin/sh
# The teaching demo's node 0 (tools/demo.sh runs it in the host VM, or on
# this machine with --host): the host node, with the DVK as dvk.ko, a
# server, and a UML guest started here as node 1 and linked to it by the
# /dev/uml01 bridge. Everything it prints is meant to be read by a class.
#   demo-node0.sh DVK_KO LINUX ROOT_IMAGE WORKDIR
ko=$1 linux=$2 img=$3 work=$4
say() { printf '\n[node 0] %s\n' "$*"; }
run() { printf '[node 0] $ %s\n' "$*"; "$@"; }
# The same for a command left running: exec'd, so no shell waits for it and
# prints "Terminated" when the demo stops it.
run_bg() { printf '[node 0] $ %s\n' "$*"; exec "$@"; }
# Prefix each line as it comes (busybox sed buffers into a pipe).
prefix() { while IFS= read -r l; do printf '%s%s\n' "$1" "$l"; done; }

say "1. This machine becomes DVS node 0. Its DVK is the module dvk.ko ($(uname -r))."
lsmod 2>/dev/null | grep -q '^dvk ' || run insmod "$ko" || exit 1
run dvs init --node 0 --name DEMO > /dev/null || exit 1
run dvs dc-init --dc 0 --name CLASS > /dev/null || exit 1
dvs trace start > /dev/null 2>&1	# for the message chart at the end
echo "[node 0]   DC 0 (CLASS) spans the nodes that join it; endpoints live in its slots."

say "2. A server in DC 0, slot 1. It tells us every message it receives."
dvs-ping server --dc 0 --slot 1 --verbose 2>&1 | prefix '[node 0] ' &
for _ in $(seq 50); do
	ep=$(dvs ps --dc 0 2>/dev/null | awk '$2 == 1 { print $3 }')
	[ -n "$ep" ] && break
	sleep 0.1
done
[ -n "$ep" ] || { echo "[node 0] the server did not start"; exit 1; }
dvs ps --dc 0 2>/dev/null | prefix '[node 0]   '

say "3. Node 1's client (slot 2 there) is to send to our server: registered by node 0's"
echo "[node 0]   administrator (a node's endpoints get only what this node grants them)."
run dvs rmtbind --dc 0 --endpoint 32770 --node 1 --name client > /dev/null || exit 1

say "4. The proxy that links node 0 to node 1, over node 1's bridge socket."
mkdir -p "$work/uml"
run_bg dvs-proxy --umid 1=node1/node1 --uml-dir "$work/uml" --dc 0 --quiet &
sleep 0.5

say "5. Node 1: a User-Mode Linux guest, an ordinary process here, started as:"
cp "$img" "$work/node1.img" || exit 1
set -- "$linux" umid=node1 uml_dir="$work/uml" mem=128M ubd0="$work/node1.img" root=/dev/ubda \
	dvs.node=1 dvs.name=DEMO dvs.server="$ep" dvs.run=cmd dvs.cmd=/usr/lib/dvs/demo-node1.sh \
	con=null ssl=null con0=null,fd:1
echo "[node 0]   $*"
echo "[node 0]   Its kernel has the DVK built in, and /dev/uml01: one write there is one"
echo "[node 0]   message frame, which the kernel passes to node 0 through the socket."
# The guest's own lines start with "| "; its kernel's boot messages are left out.
"$@" < /dev/null 2>&1 | tr -d '\r' | tee "$work/node1.log" |
	while IFS= read -r l; do case $l in "| "*) printf '[node 1] %s\n' "${l#| }" ;; esac; done

say "10. What node 0 knows now (node 1 has halted: its link is down, '--'):"
dvs nodes | prefix '[node 0]   '
dvs ps --dc 0 2>/dev/null | prefix '[node 0]   '
# Both nodes' traces, between markers (tools/demo.sh draws the chart from them).
echo "~TRACE-BEGIN"
dvs trace show 2> /dev/null
sed -n 's/^~T //p' "$work/node1.log"
echo "~TRACE-END"
dvs trace stop > /dev/null 2>&1
{ kill $(pidof dvs-ping dvs-proxy); wait; } 2>/dev/null
dvs end > /dev/null
if grep -q '^|   --- 10 round trips' "$work/node1.log"; then
	say "Done: node 1's client reached node 0's server through the bridge and back."
else
	say "The demo did not finish: node 1's console is in $work/node1.log."
	exit 1
fi
