#!/usr/bin/env bash
# make bench: boot ./linux (the production kernel: no KASAN or lockdep to
# distort timings) with dvs.run=bench, pinned to one host CPU, and print the
# guest's table. Every figure and its baseline come from that one kernel.
#   BENCH_SCALE=N   multiply the iteration counts (default 1)
#   BENCH_CPU=N     the host CPU to pin the guest to (default: the last one)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
B=${B:-build}
cpu=${BENCH_CPU:-$(( $(nproc) - 1 ))}
work=$(mktemp -d /tmp/dvs-bench.XXXXXX)
trap 'pkill -9 -f "uml_dir=$work" 2>/dev/null || true; rm -rf "$work"' EXIT

echo "== make bench: UML guest on host CPU $cpu, scale ${BENCH_SCALE:-1}"
cp --sparse=always "$B/rootfs.img" "$work/root.img"
taskset -c "$cpu" timeout 900 ./linux umid=dvsbench uml_dir="$work" \
	ubd0="$work/root.img" root=/dev/ubda mem=512M \
	con=null ssl=null con0=null,fd:1 dvs.run=bench dvs.scale="${BENCH_SCALE:-1}" \
	< /dev/null 2>&1 | tr -d '\r' > "$work/log"
sed -n '/^DVK local benchmark/,/higher is better)/p' "$work/log" | grep -v '^bench: ' | tee "$B/bench.txt"
grep -q 'higher is better' "$B/bench.txt" || { echo "bench: the guest did not finish; log:"; tail -30 "$work/log"; exit 1; }
