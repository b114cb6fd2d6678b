#!/usr/bin/env bash
# make demo: the teaching demo, the lab labs/demo run by tools/dvs-lab. Node 0
# is a Linux host with the DVK as the module dvk.ko; node 1 is a UML guest
# (./linux umid=guest1 ...) started on it, linked to it by the /dev/uml01
# bridge. A server runs on node 0, a client on node 1: send/receive, then
# sendrec with round-trip times; then node 1 halts, and the scene's message
# chart is drawn.
#
#   tools/demo.sh           node 0 is Debian's stock kernel in a QEMU VM
#                           (tools/hostvm.sh): no root needed
#   tools/demo.sh --host    node 0 is this machine's own kernel: needs root,
#                           a kernel that loads modules, and its headers
#                           (dvk.ko is built for it first)
#   tools/demo.sh --host --module DVK_KO
#                           the same with a dvk.ko built already
# The chart, the trace and the lab's logs go to $DEMO_OUT (default build/).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-build}
[[ $B = /* ]] || B=$top/$B
# (Paths given here are the caller's, not the tree's.)
out=${DEMO_OUT:-$B}
[[ $out = /* ]] || out=$PWD/$out
lab=$top/tools/dvs-lab
mode=vm ko=""
while (($#)); do
	case $1 in
	--host) mode=host ;;
	--module)
		ko=${2:-}
		[ -n "$ko" ] || { echo "demo: --module needs a FILE (dvk.ko)" >&2; exit 2; }
		[[ $ko = /* ]] || ko=$PWD/$ko
		shift ;;
	-h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "demo: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
[ -z "$ko" ] || [ "$mode" = host ] || { echo "demo: --module is for --host" >&2; exit 2; }
cd "$top"
# The lab's consoles and logs, kept when it stops (tests/run.sh reads them).
mkdir -p "$out"
out=$(cd "$out" && pwd)
export DVS_LAB_LOGS=$out/demo-logs
show=${out#"$top"/}	# as the class reads it
rm -rf "$DVS_LAB_LOGS" "$out/demo-trace.txt" "$out/demo-chart.svg" "$out/demo-chart.txt" "$out/demo-start.txt"

if [ "$mode" = host ]; then
	[ "$(id -u)" = 0 ] || { echo "demo --host: run it as root (it loads dvk.ko)" >&2; exit 1; }
	! grep -q '^dvk ' /proc/modules || { echo "demo --host: dvk.ko is loaded already; rmmod it first" >&2; exit 1; }
	[ -z "$ko" ] || [ -f "$ko" ] || { echo "demo --host: --module $ko: no such file" >&2; exit 1; }
	if [ -z "$ko" ]; then
		kdir=/lib/modules/$(uname -r)/build
		[ -d "$kdir" ] || { echo "demo --host: no headers for $(uname -r) in $kdir (install linux-headers-$(uname -r))" >&2; exit 1; }
		echo "== Building dvk.ko for this kernel ($(uname -r))"
		ko=$B/host-mod/$(uname -r)/dvk.ko
		make -C host-mod KDIR="$kdir" OUT="${ko%/dvk.ko}" > "$B/demo-host-mod.log" 2>&1 ||
			{ echo "demo --host: the module did not build; see ${B#"$top"/}/demo-host-mod.log" >&2; exit 1; }
	fi
	echo "== The demo, the lab labs/demo run by tools/dvs-lab: this machine ($(uname -r)) is"
	echo "   node 0, a UML guest started on it node 1."
	start=(start --host --module "$ko" labs/demo)
else
	echo "== The demo, the lab labs/demo run by tools/dvs-lab: node 0 is Debian's kernel in a"
	echo "   QEMU VM (no root needed here), node 1 a UML guest started inside it."
	start=(start labs/demo)
fi
"$lab" "${start[@]}" | tee "$out/demo-start.txt"
[ "${PIPESTATUS[0]}" = 0 ] || exit 1
# From here the lab is up: whatever happens, it is stopped.
trap '"$lab" stop --lab demo > /dev/null 2>&1' EXIT
# The chart's events, taken while both nodes are up.
"$lab" trace --lab demo --save "$out/demo-trace.txt" --svg "$out/demo-chart.svg" > "$out/demo-chart.txt" 2>&1 ||
	echo "demo: no message chart: $(tail -n 1 "$out/demo-chart.txt")" >&2
node0() { sed 's/^/[node 0] /'; }

printf '\n9. Node 1 halts; what node 0 knows then (its link to node 1 is down, '"'--'"'):\n' | node0
"$lab" halt --lab demo guest1 > /dev/null
"$lab" exec --lab demo host -- sh -c 'dvs nodes; dvs ps --dc 0' | sed 's/^/  /' | node0
if grep -q '^\[node 1\]   --- 10 round trips' "$out/demo-start.txt"; then
	printf "\nDone: node 1's client reached node 0's server through the bridge and back.\n" | node0
	rc=0
else
	printf '\nThe demo did not finish: the lab'"'"'s logs are in %s.\n' "$show/demo-logs" | node0
	rc=1
fi
"$lab" stop --lab demo > /dev/null
trap - EXIT
if [ -s "$out/demo-chart.svg" ]; then
	echo
	echo "== The messages of the scene, as a sequence chart (dvs-lab trace; each arrow is"
	echo "   a message or a copy, with its type and its time after the first):"
	cat "$out/demo-chart.txt"
	echo "== The same chart as a picture: open $show/demo-chart.svg in a browser."
fi
echo
echo "== The lab's consoles and logs are in $show/demo-logs. The scene is labs/demo: copy it"
echo "   and make it yours with tools/dvs-lab (docs/lab.md); to run nodes by hand, see README.md."
exit $rc
