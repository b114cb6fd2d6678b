#!/usr/bin/env bash
# make bench: boot ./linux (the production kernel: no KASAN or lockdep to
# distort timings) with dvs.run=bench, pinned to one host CPU, and print the
# guest's table; then the same table from Debian's kernel in the host VM
# (tools/hostvm.sh, one vCPU, pinned) with dvk.ko. Every figure and its
# baseline come from one kernel: TCG distorts absolute times, not ratios.
# The local table comes from both guest kernels (Linux 6.1 and 6.12) and
# from the host VM on Debian's 6.1 and 6.12, each against its own baselines.
#   BENCH_SCALE=N   multiply the iteration counts (default 1)
#   BENCH_CPU=N     the host CPU to pin the guest to (default: the last one)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
B=${B:-build}
cpu=${BENCH_CPU:-$(( $(nproc) - 1 ))}
work=$(mktemp -d /tmp/dvs-bench.XXXXXX)
trap 'pkill -9 -f "uml_dir=$work" 2>/dev/null || true; rm -rf "$work"' EXIT

table() {	# table LOG: the bench's table out of a console log
	tr -d '\r' < "$1" | sed -n '/^DVK local benchmark/,/higher is better)/p' | grep -v '^bench: \|^<[0-9]>'
}
: > "$B/bench.txt"
for kv in 6.1 6.12; do
	kernel=$B/kernel-main/linux
	[ $kv = 6.1 ] || kernel=$B/kernel-main-$kv/linux
	echo "== make bench: UML guest (Linux $kv) on host CPU $cpu, scale ${BENCH_SCALE:-1}"
	cp --sparse=always "$B/rootfs.img" "$work/root.img"
	taskset -c "$cpu" timeout 900 "$kernel" umid=dvsbench uml_dir="$work" \
		ubd0="$work/root.img" root=/dev/ubda mem=512M \
		con=null ssl=null con0=null,fd:1 dvs.run=bench dvs.scale="${BENCH_SCALE:-1}" \
		< /dev/null 2>&1 | tr -d '\r' > "$work/log"
	{ [ $kv = 6.1 ] || echo; echo "UML guest, Linux $kv"; table "$work/log"; } | tee -a "$B/bench.txt"
	grep -q 'higher is better' "$work/log" || { echo "bench: the $kv guest did not finish; log:"; tail -30 "$work/log"; exit 1; }
done

echo
echo "== make bench: remote round trip, two UML guests on a uml_switch (dvs-proxy over TCP)"
sw=$work/switch.ctl
uml_switch -unix "$sw" > /dev/null 2>&1 < /dev/null &
swpid=$!
trap 'kill $swpid 2>/dev/null; pkill -9 -f "uml_dir=$work" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -S "$sw" ] && break; sleep 0.1; done
mkdir -p "$work/pair"
echo '/usr/lib/dvs-tests/two-nodes-bench.sh server' > "$work/pair/server.sh"
echo "BENCH_N=$(( 2000 * ${BENCH_SCALE:-1} )) /usr/lib/dvs-tests/two-nodes-bench.sh client" > "$work/pair/client.sh"
pair_node() {	# pair_node UMID CPU ROLE IP
	cp --sparse=always "$B/rootfs.img" "$work/$1.img"
	taskset -c "$2" timeout 600 ./linux umid="$1" uml_dir="$work" ubd0="$work/$1.img" \
		root=/dev/ubda mem=256M con=null ssl=null con0=null,fd:1 dvs.run=cmd \
		dvs.hostdir="$work/pair" dvs.cmd="/host/$3.sh" eth0=daemon,,unix,"$sw" dvs.ip="$4" \
		< /dev/null 2>&1 | tr -d '\r' > "$work/$1.log"
}
pair_node bnode1 0 server 10.0.9.1/24 &
srvpid=$!
pair_node bnode2 "$cpu" client 10.0.9.2/24
uml_mconsole "$work/bnode1/mconsole" halt > /dev/null 2>&1
wait "$srvpid"
{ echo; echo "remote, UML pair over uml_switch (medians; 64-byte messages, 1 MiB copies)";
  grep -E '^(dvk remote|tcp round|tcp pull|remote round|remote copy)' "$work/bnode2.log"; } | tee -a "$B/bench.txt"
grep -q '^remote copy' "$work/bnode2.log" || { echo "bench: the pair did not finish; log:"; tail -20 "$work/bnode2.log"; }
# The same pair again over keyed links (--key: handshake, tagged frames), compared with the above.
key=000102030405060708090a0b0c0d0e0f
echo "BENCH_KEY=$key /usr/lib/dvs-tests/two-nodes-bench.sh server" > "$work/pair/server.sh"
echo "BENCH_KEY=$key BENCH_N=$(( 2000 * ${BENCH_SCALE:-1} )) /usr/lib/dvs-tests/two-nodes-bench.sh client" > "$work/pair/client.sh"
pair_node bnode1 0 server 10.0.9.1/24 &
srvpid=$!
pair_node bnode2 "$cpu" client 10.0.9.2/24
uml_mconsole "$work/bnode1/mconsole" halt > /dev/null 2>&1
wait "$srvpid"
{ grep -E '^keyed: dvk remote' "$work/bnode2.log"
  # Keyed against unkeyed: round trip (lower is better), copy rate (higher is better).
  awk '/^dvk remote sendrec/ { u = $5 } /^dvk remote vcopy/ { uc = $11 }
       /^keyed: dvk remote sendrec/ { k = $6 } /^keyed: dvk remote vcopy/ { kc = $12 }
       END { if (u && k) printf "keyed vs unkeyed round trip: %.2f (keyed/unkeyed, goal <= 1.1)\n", k / u;
             if (uc && kc) printf "keyed vs unkeyed copy rate: %.2f (keyed/unkeyed, goal >= 0.95)\n", kc / uc }' \
	"$B/bench.txt" "$work/bnode2.log"; } | tee -a "$B/bench.txt"
grep -q '^keyed: dvk remote vcopy' "$work/bnode2.log" || { echo "bench: the keyed pair did not finish; log:"; tail -20 "$work/bnode2.log"; }

for k in 6.12 6.1; do
	rel=$(HOSTVM_KERNEL=$k B=$B tools/hostvm.sh release)
	m=$B/host-mod/debian
	[ $k = 6.1 ] || m=$m-$k
	echo
	echo "== make bench: host VM, Debian $rel with dvk.ko (QEMU TCG, 1 vCPU on host CPU $cpu)"
	HOSTVM_KERNEL=$k B=$B taskset -c "$cpu" tools/hostvm.sh run --smp 1 --timeout 1800 --log "$work/vmlog" \
		--add "$m/dvk.ko:/lib/modules/dvk/dvk.ko" \
		-- sh -c "insmod /lib/modules/dvk/dvk.ko && dvs-bench ${BENCH_SCALE:-1}" > /dev/null || true
	{ echo; echo "host VM: Debian $rel, dvk.ko, /dev/dvk"; table "$work/vmlog"; } | tee -a "$B/bench.txt"
	grep -q 'higher is better' "$work/vmlog" || { echo "bench: the host VM did not finish; log:"; tail -30 "$work/vmlog"; exit 1; }
done
m=$B/host-mod/debian

echo
echo "== make bench: remote, the host VM (node 1, dvk.ko) and a UML guest inside it (node 2): tap, then bridge"
B=$B taskset -c "$cpu" tools/hostvm.sh run --smp 1 --mem 1536 --timeout 1800 --log "$work/vm2log" \
	--module tun --add "$m/dvk.ko:/lib/modules/dvk/dvk.ko" \
	--add "$B/kernel-main/linux:/usr/lib/dvs/linux" --add "$B/rootfs.img:/var/lib/dvs/root.img" \
	-- /usr/lib/dvs-tests/hostvm-bench.sh /lib/modules/dvk > "$work/vm2out" 2>&1 || true
{ echo; echo "remote, host VM <-> UML guest over a tap, then over the /dev/uml02 bridge (medians; 64-byte messages, 1 MiB copies)";
  grep -E '^(bridge: )?(dvk remote|tcp round|tcp pull|remote round|remote copy|bridge vs)' "$work/vm2out"; } | tee -a "$B/bench.txt"
grep -q '^remote copy' "$work/vm2out" && grep -q '^bridge: dvk remote vcopy' "$work/vm2out" ||
	{ echo "bench: the host VM pair did not finish; output:"; tail -30 "$work/vm2out"; exit 1; }

echo
echo "== make bench: labs of 2, 4, 8 and 16 UML guests in one DC, all to all over TCP (tools/lab-mesh.sh, dvs-lab)"
# Start time: dvs-lab start until every startup is done, median of 3 starts;
# round trip: g1 to g2's server, 200 sendrecs, median, in the last lab of
# each size. Ratios against the 2-node lab, on this machine now.
lab_bench() {	# lab_bench N RUNS: prints "N START_MS RTT_US"
	local n=$1 runs=$2 i t0 st=() rtt
	tools/lab-mesh.sh "$n" "$work/mesh$n"
	for ((i = 0; i < runs; i++)); do
		t0=$(date +%s%N)
		DVS_LAB_RUN=$work/labs tools/dvs-lab start "$work/mesh$n" > "$work/lab$n.log" 2>&1 ||
			{ echo "bench: the $n-node lab did not start:"; tail -20 "$work/lab$n.log"; exit 1; }
		st+=($(( ($(date +%s%N) - t0) / 1000000 )))
		if ((i == runs - 1)); then
			rtt=$(DVS_LAB_RUN=$work/labs tools/dvs-lab exec g1 -- mesh rtt 2 200 |
				sed -n 's/.*median \([0-9.]*\) us.*/\1/p')
		fi
		DVS_LAB_RUN=$work/labs tools/dvs-lab stop --lab "mesh$n" > /dev/null
	done
	echo "$n $(printf '%s\n' "${st[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p") ${rtt:-?}"
}
{
	for n in 2 4 8 16; do lab_bench $n 3; done
} > "$work/labs.txt"
{
	echo
	echo "labs: N UML guests, all to all over TCP (start: dvs-lab start to every startup done; rtt: g1 -> g2, median)"
	printf '%6s %10s %8s %10s %8s\n' nodes start_s ratio rtt_us ratio
	awk 'NR == 1 { s0 = $2; r0 = $3 } { printf "%6d %10.1f %8.2f %10.1f %8.2f\n", $1, $2 / 1000, $2 / s0, $3, $3 / r0 }' "$work/labs.txt"
} | tee -a "$B/bench.txt"
