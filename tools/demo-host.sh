#!/bin/sh
# The demo's --host mode once dvk.ko is built for this kernel (tools/demo.sh
# --host builds it, then runs this): this machine's own kernel is node 0.
# Loads the module, plays the scene (demo-node0.sh, the same as make demo's),
# then unloads the module. Needs root. Plain sh: it also runs in the host VM
# (tests/run.sh), whose Debian kernel stands in for a laptop's.
#   demo-host.sh DVK_KO LINUX ROOT_IMAGE
here=$(cd "$(dirname "$0")" && pwd)
[ $# = 3 ] || { echo "usage: demo-host.sh DVK_KO LINUX ROOT_IMAGE" >&2; exit 2; }
ko=$1 linux=$2 img=$3
[ "$(id -u)" = 0 ] || { echo "demo --host: run it as root (it loads dvk.ko)" >&2; exit 1; }
for f in "$ko" "$linux" "$img"; do
	[ -f "$f" ] || { echo "demo --host: no such file: $f" >&2; exit 1; }
done
if lsmod | grep -q '^dvk '; then
	echo "demo --host: dvk.ko is loaded already; rmmod it first" >&2
	exit 1
fi
work=$(mktemp -d /tmp/dvs-demo.XXXXXX) || exit 1
# Whatever happens, nothing of the demo stays: the guest, its helpers, the module.
cleanup() {
	pkill -9 -f "uml_dir=$work/uml" 2> /dev/null
	lsmod | grep -q '^dvk ' && rmmod dvk 2> /dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
echo "== The demo: this machine ($(uname -r)) is node 0, a UML guest is node 1"
"$here/demo-node0.sh" "$ko" "$linux" "$img" "$work"
rc=$?
if rmmod dvk; then
	echo "== dvk.ko unloaded: /dev/dvk and /proc/dvs are gone"
else
	echo "demo --host: rmmod dvk failed" >&2
	rc=1
fi
exit $rc
