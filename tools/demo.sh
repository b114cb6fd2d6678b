#!/usr/bin/env bash
# make demo: the teaching demo. Node 0 is a Linux host with the DVK as the
# module dvk.ko; node 1 is a UML guest (./linux umid=node1 ...) started on
# it, linked to it by the /dev/uml01 bridge. A server runs on node 0, a
# client on node 1: send/receive, then sendrec with round-trip times.
#
#   tools/demo.sh           node 0 is Debian's stock kernel in a QEMU VM
#                           (tools/hostvm.sh): no root needed
#   tools/demo.sh --host    node 0 is this machine's own kernel: needs root,
#                           a kernel that loads modules, and its headers
#                           (dvk.ko is built for it first)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
B=${B:-build}
mode=vm
case ${1:-} in
"") ;;
--host) mode=host ;;
-h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
*) echo "demo: unknown argument '$1' (see --help)" >&2; exit 2 ;;
esac

# chart: the scene's messages as a sequence chart, from the traces node 0
# prints between ~TRACE-BEGIN and ~TRACE-END (which the class does not see).
chart() {
	local in=0 l
	while IFS= read -r l; do
		case $l in
		"~TRACE-BEGIN") in=1; : > "$B/demo-trace.txt" ;;
		"~TRACE-END") in=0 ;;
		*) if ((in)); then printf '%s\n' "$l" >> "$B/demo-trace.txt"; else printf '%s\n' "$l"; fi ;;
		esac
	done
}
show_chart() {
	[ -s "$B/demo-trace.txt" ] || { echo "== (no trace came back: no message chart)"; return; }
	echo
	echo "== The messages of the scene, as a sequence chart (dvs trace chart; each arrow is"
	echo "   a message or a copy, with its type and its time after the first):"
	"$B/tools/dvs" trace chart --svg "$B/demo-chart.svg" "$B/demo-trace.txt" &&
		echo "== The same chart as a picture: open $B/demo-chart.svg in a browser."
}

if [ "$mode" = host ]; then
	[ "$(id -u)" = 0 ] || { echo "demo --host: run it as root (it loads dvk.ko)" >&2; exit 1; }
	kdir=/lib/modules/$(uname -r)/build
	[ -d "$kdir" ] || { echo "demo --host: no headers for $(uname -r) in $kdir (install linux-headers-$(uname -r))" >&2; exit 1; }
	! lsmod | grep -q '^dvk ' || { echo "demo --host: dvk.ko is loaded already; rmmod it first" >&2; exit 1; }
	echo "== Building dvk.ko for this kernel ($(uname -r))"
	make -C host-mod KDIR="$kdir" OUT="$top/$B/host-mod/$(uname -r)" > "$B/demo-host-mod.log" 2>&1 ||
		{ echo "demo --host: the module did not build; see $B/demo-host-mod.log" >&2; exit 1; }
	rm -f "$B/demo-trace.txt" "$B/demo-chart.svg"
	PATH=$top/$B/tools:$top/net-setup:$PATH tools/demo-host.sh \
		"$B/host-mod/$(uname -r)/dvk.ko" "$top/linux" "$B/rootfs.img" | chart
	rc=${PIPESTATUS[0]}
	((rc == 0)) && show_chart
	exit "$rc"
fi

echo "== The demo: node 0 is Debian's kernel in a QEMU VM (no root needed here), node 1 a"
echo "   UML guest started inside it. Booting the VM takes a few seconds (TCG)."
rm -f "$B/demo-trace.txt" "$B/demo-chart.svg"
set +e
B=$B tools/hostvm.sh run --mem 1024 --timeout 600 --log "$B/demo-vm.log" --module tun \
	--add "$B/host-mod/debian/dvk.ko:/lib/modules/dvk/dvk.ko" \
	--add "$B/kernel-main/linux:/usr/lib/dvs/linux" --add "$B/rootfs.img:/var/lib/dvs/root.img" \
	-- /usr/lib/dvs/demo-node0.sh /lib/modules/dvk/dvk.ko /usr/lib/dvs/linux \
	/var/lib/dvs/root.img /tmp | chart
rc=${PIPESTATUS[0]}
set -e
((rc == 0)) && show_chart
echo
echo "== The VM's whole console is in $B/demo-vm.log. To run nodes by hand, see README.md;"
echo "   to build scenes of your own, docs/lab.md (tools/dvs-lab)."
exit $rc
