#!/usr/bin/env bash
# The main demo at this stage: boot ./linux as DVS node 1 of DVS_CLUSTER1.
# The guest's init reads dvs.node and dvs.name, initialises the DVS, prints
# /proc/dvs/info and powers off. Nothing here needs root.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
B=${B:-build}
node=${NODE:-1} name=${NAME:-DVS_CLUSTER1}
work=$(mktemp -d /tmp/dvs-demo.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "== Booting a UML guest as DVS node $node of $name:"
# A private copy of the root (sparse, so quick); see tests/run.sh on COW.
cp --sparse=always "$B/rootfs.img" "$work/root.img"
cmd=(./linux umid=demo$node uml_dir="$work" ubd0="$work/root.img"
     root=/dev/ubda mem=256M con=null ssl=null con0=null,fd:1
     dvs.node="$node" dvs.name="$name" dvs.run=halt)
echo "   ${cmd[*]}"
echo
start=$(date +%s.%N)
"${cmd[@]}" < /dev/null 2>&1 | tr -d '\r' | sed -n -e '/dvk:/p' -e '/^DVS .* initialised/p' \
	-e '/^--- \/proc\/dvs\/info/,/^-------/p' -e '/dvs-init: powering off/p'
printf '\n== The guest booted, initialised the DVS and halted in %.1f s.\n' \
	"$(echo "$(date +%s.%N) - $start" | bc)"
echo "   For a shell on a node: see README.md, 'Run a node by hand'."
