#!/usr/bin/env bash
# Run every DVS-UML test and print "N passed, N failed" at the end.
#
#   B=build tests/run.sh          (make test builds what it needs first)
#
# 1. host: the ABI/library unit tests (ASan+UBSan) and the dvs CLI;
# 2. guest: the test kernel (KASAN, lockdep, KUnit) boots the rootfs and runs
#    the in-guest test programs; its KUnit suites run during boot;
# 3. node: ./linux boots as a DVS node from dvs.* parameters (the demo), and
#    stays up until uml_mconsole halts it;
# 4. dvk.ko: over the test kernel's built-in core (objective 3, ioctl door
#    only); as the whole DVK in a UML kernel without DVKIPC (the in-guest
#    suite again, through /dev/dvk, then load/unload and the kernel-thread
#    endpoint); the same on Debian's real kernel in the host VM (QEMU);
# 5. the SMP debug kernels (x86_64, KASAN + kmemleak, KCSAN; lockdep in
#    both) with 4 vCPUs in the host VM: dvk.ko's suite and life cycle.
# Any kernel report (tools/kernel-reports.sh: WARNING, BUG, KASAN, KCSAN,
# lockdep, Oops, panic) in a guest log fails the run, and so does a leak
# kmemleak finds after a suite; a KCSAN race wholly outside DVK code is
# listed as a note instead (kcsan_outside_dvk says when a race is that). Logs are kept in $B/test-logs/.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
B=${B:-build}
logs=$B/test-logs
work=$(mktemp -d /tmp/dvs-test.XXXXXX)
rm -rf "$logs"
mkdir -p "$logs"
passed=0 failed=0
pids=()

cleanup() {
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	# UML's helper and user-space processes carry the parent's command line.
	pkill -9 -f "uml_dir=$work" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

result() {	# result PASS|FAIL name [detail]
	if [ "$1" = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
	echo "$1: $2${3:+ ($3)}"
}

# Count PASS:/FAIL: lines of a test's output, echoing them.
count() {
	local line
	while IFS= read -r line; do
		case $line in
		PASS:*) passed=$((passed + 1)); echo "$line" ;;
		FAIL:*) failed=$((failed + 1)); echo "$line" ;;
		*"KTAP version"* | *"# Subtest:"* | *" ok "[0-9]* | "    1.."*) ;;	# KUnit's, counted apart
		"  "*) echo "$line" ;;
		esac
	done < "$1"
}

# Kernel reports that fail a run. Each match is printed with context.
. tools/kernel-reports.sh
# KCSAN races wholly outside DVK code are listed, not failed (kcsan_outside_dvk).
scan_kernel_log() {	# scan_kernel_log name log
	local seen=$work/scan.$$ why rc
	why=$(kernel_reports_in "$2" "$seen")
	rc=$?
	if [ $rc = 1 ]; then
		result PASS "$1/no-kernel-reports"
	elif [ $rc = 0 ]; then
		result FAIL "$1/no-kernel-reports" "see $2"
		grep -En -B2 -A12 "$kernel_reports" "$seen" | head -60 | sed 's/^/    /'
	else
		result FAIL "$1/no-kernel-reports" "$why"
	fi
	grep -o 'kcsan-outside-dvk: .*' "$seen" 2>/dev/null |
		sed "s#^kcsan-outside-dvk: \(.*\)#   note: KCSAN \1: no DVK code in it, not failed (see $2)#"
	rm -f "$seen"
}

# hostvm.sh boots with tsc=unstable, so no TSC watchdog flips sched_clock's
# static key mid-run (the TCG Oops of tools/hostvm.sh); the kernel says so.
need_tsc_unstable() {	# need_tsc_unstable NAME LOG
	if grep -q 'tsc: Marking TSC unstable due to boot parameter' "$2"; then
		result PASS "$1/tsc-unstable-from-boot"
	else
		result FAIL "$1/tsc-unstable-from-boot" "see $2"
	fi
}

# A kernel built with kmemleak must have said something of it.
need_kmemleak() {	# need_kmemleak NAME LOG CHECK...
	local name=$1 log=$2 c
	shift 2
	for c; do
		grep -Eq "^(PASS|FAIL): kmemleak/$c" "$log" ||
			result FAIL "$name/kmemleak-$c-ran" "no kmemleak result; see $log"
	done
}

# boot_uml KERNEL LOG UMID TIMEOUT ARGS...: boot a guest on its own copy of
# the rootfs. Not a COW file: UML 6.1's ubd stalls now and then (3 boots in
# 70 here) reading a COW-backed root; never without one.
boot_uml() {
	local kernel=$1 log=$2 umid=$3 tmo=$4
	shift 4
	cp --sparse=always "$B/rootfs.img" "$work/$umid.img"
	timeout --kill-after=5 "$tmo" "$kernel" umid="$umid" uml_dir="$work" \
		ubd0="$work/$umid.img" root=/dev/ubda mem=256M \
		con=null ssl=null con0=null,fd:1 "$@" < /dev/null 2>&1 | tr -d '\r' > "$log"
}

echo "== host unit tests"
for t in "$B"/host-tests/*; do
	[ -x "$t" ] || continue
	"$t" > "$logs/$(basename "$t").log" 2>&1 || true
	count "$logs/$(basename "$t").log"
	grep -q '^[A-Z]*: ' "$logs/$(basename "$t").log" ||
		result FAIL "$(basename "$t")" "printed no result; see $logs/$(basename "$t").log"
done
tests/host/test-dvs-cli.sh "$B/tools/dvs" > "$logs/test-dvs-cli.log" 2>&1
count "$logs/test-dvs-cli.log"
tests/host/test-dvs-lab.sh tools/dvs-lab > "$logs/test-dvs-lab.log" 2>&1
count "$logs/test-dvs-lab.log"
tests/host/test-kernel-reports.sh > "$logs/test-kernel-reports.log" 2>&1
count "$logs/test-kernel-reports.log"
# The proxies' wire codec under libFuzzer, for a bounded time.
B=$B FUZZ_SECONDS=${FUZZ_SECONDS:-30} tests/fuzz/run-fuzz.sh > "$logs/run-fuzz.log" 2>&1
count "$logs/run-fuzz.log"
grep -q '^[A-Z]*: fuzz/' "$logs/run-fuzz.log" || result FAIL fuzz/wire "printed no result; see $logs/run-fuzz.log"

# guest_suite NAME KERNEL: the in-guest suite in a test kernel (KASAN,
# lockdep, KUnit during boot, kmemleak after the suite).
guest_suite() {
	local name=$1 kernel=$2 log=$logs/$1-test.log start rc kunit suite line
	start=$(date +%s)
	boot_uml "$kernel" "$log" "dvs$name" 900 dvs.run=test kmemleak=on
	rc=$?
	echo "   booted, tested and halted in $(( $(date +%s) - start )) s (exit $rc)"
	[ $rc = 0 ] && result PASS "$name/clean-halt" || result FAIL "$name/clean-halt" "exit $rc; see $log"
	if grep -q '^dvs-tests: end' "$log"; then
		result PASS "$name/all-programs-ran"
	else
		result FAIL "$name/all-programs-ran" "the run stopped early; see $log"
	fi
	# The 6.12 kernel's results are told apart from 6.1's by their name.
	if [ "$name" = guest ]; then
		count "$log"
	else
		sed "s#^\(PASS\|FAIL\): #\1: $name:#" "$log" > "$log.txt"
		count "$log.txt"
	fi
	# KUnit: each case (and each parameter) is one "ok"/"not ok" line of KTAP.
	kunit=$(grep -E '^\s*(\[ *[0-9.]+\] )?\s+(not )?ok [0-9]+ ' "$log" | sed -E 's/^\s*(\[ *[0-9.]+\] )?\s*//')
	for suite in dvk_core dvk_slots; do
		grep -Eq "^(\[ *[0-9.]+\] )?ok [0-9]+ $suite\$" "$log" ||
			result FAIL "$name/kunit/$suite" "suite did not run or failed; see $log"
	done
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		case $line in
		"not ok "*) result FAIL "$name/kunit/${line#not ok [0-9]* }" ;;
		"ok "*) result PASS "$name/kunit/$(echo "$line" | sed -E 's/^ok [0-9]+ //')" ;;
		esac
	done <<< "$kunit"
	scan_kernel_log "$name" "$log"
	need_kmemleak "$name" "$log" suite
}
echo "== guest tests (test kernel, Linux 6.1: KASAN, lockdep, KUnit)"
guest_suite guest "$B/kernel-test/linux"
echo "== guest tests (test kernel, Linux 6.12: KASAN, lockdep, KUnit)"
guest_suite guest-6.12 "$B/kernel-test-6.12/linux"

echo "== node boot (./linux, the demo command line)"
log=$logs/node-demo.log
boot_uml ./linux "$log" dvsdemo 120 dvs.node=1 dvs.name=DVS_CLUSTER1 dvs.run=halt
rc=$?
if [ $rc = 0 ] && grep -q '^name=DVS_CLUSTER1$' "$log" && grep -q '^nodeid=1$' "$log" &&
	grep -q '^flags=101$' "$log" && grep -q '^syscall=500$' "$log"; then
	result PASS node/boot-init-info-halt
else
	result FAIL node/boot-init-info-halt "exit $rc; see $log"
fi
scan_kernel_log node "$log"

log=$logs/node-mconsole.log
boot_uml ./linux "$log" dvshalt 120 dvs.node=2 dvs.run=wait &
pid=$!
pids+=("$pid")
for _ in $(seq 100); do grep -q 'waiting to be halted' "$log" 2>/dev/null && break; sleep 0.3; done
if uml_mconsole "$work/dvshalt/mconsole" halt > "$logs/mconsole-halt.out" 2>&1; then
	wait "$pid"
	rc=$?
	if [ $rc = 0 ] && grep -q '^flags=101$' "$log"; then
		result PASS node/mconsole-halt
	else
		result FAIL node/mconsole-halt "guest exit $rc; see $log"
	fi
else
	result FAIL node/mconsole-halt "uml_mconsole: $(cat "$logs/mconsole-halt.out")"
	kill -9 "$pid" 2>/dev/null
fi
[ -e "$work/dvshalt" ] && result FAIL node/mconsole-cleanup "$work/dvshalt left behind" ||
	result PASS node/mconsole-cleanup

# dvs.hostdir= quoted the kernel's way names a directory with a space; one with
# a comma (which hostfs cannot take) is refused clearly (issue 12, finding 8).
d="$work/host dir"
mkdir -p "$d" "$work/comma,dir"
echo 'echo "hostdir: $(cat /host/marker)"' > "$d/cmd.sh"
echo 'the directory named' > "$d/marker"
log=$logs/node-hostdir.log
boot_uml "$B/kernel-test/linux" "$log" dvshd 120 dvs.run=cmd "dvs.hostdir=\"$d\"" dvs.cmd=/host/cmd.sh
if [ $? = 0 ] && grep -q '^hostdir: the directory named$' "$log" && grep -q '^dvs-init: exit status 0$' "$log"; then
	result PASS node/hostdir-with-a-space
else
	result FAIL node/hostdir-with-a-space "see $log"
fi
log=$logs/node-hostdir-comma.log
boot_uml "$B/kernel-test/linux" "$log" dvshc 120 dvs.run=halt "dvs.hostdir=$work/comma,dir"
grep -qF "dvs-init: cannot mount the host's '$work/comma,dir' at /host: hostfs takes no comma in a path" "$log" &&
	result PASS node/hostdir-with-a-comma-refused || result FAIL node/hostdir-with-a-comma-refused "see $log"

# The modules of one kernel, as a hostfs directory with the command to run.
moddir() {	# moddir NAME FLAVOUR CMD: prints the directory
	local d=$work/$1
	mkdir -p "$d"
	cp "$B/host-mod/$2/dvk.ko" "$B/host-mod/$2/dvk_echo.ko" "$d/"
	printf '%s\n' "$3" > "$d/cmd.sh"
	echo "$d"
}

# The end of a dvs.run=cmd boot: its exit status and the kernel log scan.
cmd_done() {	# cmd_done NAME LOG RC
	if [ "$3" = 0 ] && grep -q '^dvs-init: exit status 0$' "$2"; then
		result PASS "$1/clean-run-and-halt"
	else
		result FAIL "$1/clean-run-and-halt" "exit $3, $(grep '^dvs-init: exit status' "$2" || echo no exit status); see $2"
	fi
	count "$2"
	scan_kernel_log "$1" "$2"
}

# Runs the whole in-guest suite through /dev/dvk, then the module's own tests.
# kmemleak, where the kernel has it, after the suite and after the life cycle.
suite_then_module='insmod $M/dvk.ko && /usr/lib/dvs-tests/run-guest-tests; rmmod dvk; /usr/lib/dvs-tests/module-tests.sh core $M; /usr/lib/dvs-tests/kmemleak-check.sh check module-life-cycle'

echo "== dvk.ko over the built-in core (test kernel: objective 3, kernel-thread endpoint)"
log=$logs/module-door.log
d=$(moddir mod-door uml-test '/usr/lib/dvs-tests/module-tests.sh door /host')
boot_uml "$B/kernel-test/linux" "$log" dvsdoor 300 dvs.run=cmd dvs.hostdir="$d" dvs.cmd=/host/cmd.sh
cmd_done module-door "$log" $?

echo "== dvk.ko in UML without DVKIPC (modular test kernel: in-guest suite via /dev/dvk, life cycle)"
log=$logs/module-uml.log
start=$(date +%s)
d=$(moddir mod-uml uml-mod "M=/host; ${suite_then_module}")
boot_uml "$B/kernel-mod/linux" "$log" dvsmod 900 dvs.run=cmd dvs.hostdir="$d" dvs.cmd=/host/cmd.sh dvs.doors=2
rc=$?
echo "   booted, tested and halted in $(( $(date +%s) - start )) s (exit $rc)"
grep -q '^dvs-tests: end' "$log" && result PASS module-uml/all-programs-ran ||
	result FAIL module-uml/all-programs-ran "the run stopped early; see $log"
cmd_done module-uml "$log" $rc

echo "== the bridge driver: /dev/uml01 in the test kernel, a scripted host end on its socket"
d=$work/bridge
mkdir -p "$d"
echo '/usr/lib/dvs-tests/bridge_dev 1' > "$d/cmd.sh"
log=$logs/bridge-dev.log
# The host end starts after the guest has opened the device: the guest waits for it.
( sleep 3; exec "$B/test-helpers/bridge_host" "$d/br.sock" ) > "$logs/bridge-host.log" 2>&1 &
pids+=($!)
boot_uml "$B/kernel-test/linux" "$log" brdev 300 dvs.run=cmd dvs.hostdir="$d" \
	dvs.cmd=/host/cmd.sh dvs.node=1 dvs.bridge="$d/br.sock"
rc=$?
wait "${pids[-1]}"
hrc=$?
count "$logs/bridge-host.log"
[ $hrc = 0 ] || result FAIL bridge-host/exit "exit $hrc; see $logs/bridge-host.log"
cmd_done bridge-dev "$log" $rc

echo "== two UML nodes on a uml_switch, linked by dvs-proxy over TCP (test kernel)"
sw=$work/switch.ctl
uml_switch -unix "$sw" > "$logs/uml-switch.log" 2>&1 < /dev/null &
pids+=($!)
disown $!	# killed by cleanup, without a job notice after the summary
for _ in $(seq 50); do [ -S "$sw" ] && break; sleep 0.1; done
d=$work/two
mkdir -p "$d"
echo '/usr/lib/dvs-tests/two-nodes.sh server' > "$d/server.sh"
echo '/usr/lib/dvs-tests/two-nodes.sh client' > "$d/client.sh"
two_node() {	# two_node UMID LOG ROLE IP
	boot_uml "$B/kernel-test/linux" "$2" "$1" 300 dvs.run=cmd dvs.hostdir="$d" \
		dvs.cmd="/host/$3.sh" eth0=daemon,,unix,"$sw" dvs.ip="$4"
}
start=$(date +%s)
two_node node1 "$logs/two-nodes-server.log" server 10.0.9.1/24 &
spid=$!
two_node node2 "$logs/two-nodes-client.log" client 10.0.9.2/24 &
cpid=$!
pids+=("$spid" "$cpid")
# The server node powers itself off in the middle (on the client's request):
# boot it again, as an operator would, and let the client find it back.
wait "$spid"
grep -q 'two-nodes: node 1 powering off' "$logs/two-nodes-server.log" &&
	result PASS two-nodes/server-node-killed || result FAIL two-nodes/server-node-killed "see $logs/two-nodes-server.log"
two_node node1 "$logs/two-nodes-server2.log" server 10.0.9.1/24 &
spid=$!
pids+=("$spid")
wait "$cpid"
rc=$?
uml_mconsole "$work/node1/mconsole" halt > /dev/null 2>&1
wait "$spid"
echo "   both nodes ran, the client finished in $(( $(date +%s) - start )) s (exit $rc)"
cmd_done two-nodes "$logs/two-nodes-client.log" "$rc"
scan_kernel_log two-nodes-server "$logs/two-nodes-server.log"
scan_kernel_log two-nodes-server2 "$logs/two-nodes-server2.log"

echo "== migration across three UML nodes: node 1's server moves to node 2 and back under node 3's calls"
mig_node() {	# mig_node N
	boot_uml "$B/kernel-test/linux" "$logs/migrate-node$1.log" "migr$1" 300 dvs.run=cmd \
		dvs.cmd=/usr/lib/dvs-tests/migrate-nodes.sh eth0=daemon,,unix,"$sw" dvs.ip="10.0.9.$1/24" \
		dvs.migme="$1" dvs.mignodes=1:10.0.9.1,2:10.0.9.2,3:10.0.9.3 dvs.mighome=1 \
		dvs.migclient=3 dvs.mighops=1:2,2:1
}
mig_node 1 &
m1=$!
mig_node 2 &
m2=$!
pids+=("$m1" "$m2")
mig_node 3
rc=$?
uml_mconsole "$work/migr1/mconsole" halt > /dev/null 2>&1
uml_mconsole "$work/migr2/mconsole" halt > /dev/null 2>&1
wait "$m1" "$m2"
cmd_done migrate-nodes "$logs/migrate-node3.log" "$rc"
grep -q '^PASS: migrate/every-round-served-once' "$logs/migrate-node3.log" ||
	result FAIL migrate-nodes/ran "no result; see $logs/migrate-node3.log"
scan_kernel_log migrate-node1 "$logs/migrate-node1.log"
scan_kernel_log migrate-node2 "$logs/migrate-node2.log"

# hostile_link against node 2's proxy (tests/guest/hostile-link.sh), node 1 its real peer.
for mode in keyed unkeyed; do
	echo "== hostile links ($mode): replays, silent connections, an impostor (two UML nodes, test kernel)"
	echo "/usr/lib/dvs-tests/hostile-link.sh peer $mode" > "$d/peer.sh"
	echo "/usr/lib/dvs-tests/hostile-link.sh attack $mode" > "$d/attack.sh"
	two_node hpeer "$logs/hostile-$mode-peer.log" peer 10.0.9.1/24 &
	spid=$!
	two_node hattack "$logs/hostile-$mode.log" attack 10.0.9.2/24
	rc=$?
	uml_mconsole "$work/hpeer/mconsole" halt > /dev/null 2>&1
	wait "$spid"
	grep -q '^PASS: hostile-link/' "$logs/hostile-$mode.log" ||
		result FAIL "hostile-$mode/ran" "no result; see $logs/hostile-$mode.log"
	cmd_done "hostile-$mode" "$logs/hostile-$mode.log" "$rc"
	scan_kernel_log "hostile-$mode-peer" "$logs/hostile-$mode-peer.log"
done

# hostvm_scenario NAME TRANSPORT [KERNEL]: tests/guest/NAME.sh in the host VM
# (dvk.ko, the UML guests' ./linux and rootfs inside) on Debian's KERNEL (6.1,
# 6.12 or 6.12-rt; 6.1 by default); results are named NAME-TRANSPORT[-KERNEL].
hostvm_scenario() {
	local k=${3:-6.1} sfx= start rc log
	[ "$k" = 6.1 ] || sfx=-$k
	log=$logs/$1-$2$sfx.log
	start=$(date +%s)
	HOSTVM_KERNEL=$k B=$B tools/hostvm.sh run --mem 1536 --timeout 900 --log "$log" \
		--module tun --module tipc --module bridge --module veth \
		--add "$B/host-mod/debian$sfx/dvk.ko:/lib/modules/dvk/dvk.ko" \
		--add "$B/kernel-main/linux:/usr/lib/dvs/linux" --add "$B/rootfs.img:/var/lib/dvs/root.img" \
		-- "/usr/lib/dvs-tests/$1.sh" /lib/modules/dvk "$2" > "$log.out" 2>&1
	rc=$?
	echo "   the VM and its guests ran in $(( $(date +%s) - start )) s (exit $rc)"
	tr -d '\r' < "$log" | sed "s#^\(PASS\|FAIL\): \([a-z0-9-]*\)/#\1: \2-$2$sfx/#" > "$log.txt" 2>/dev/null
	cmd_done "$1-$2$sfx" "$log.txt" "$rc"
}
for transport in tcp tipc; do
	echo "== the host VM (node 0, dvk.ko) and a UML guest inside it (node 1) on a tap, over $transport"
	hostvm_scenario hostvm-uml $transport
done
echo "== the same over TCP on a veth pair, the guest's vector transport raw on one end"
hostvm_scenario hostvm-uml tcp-veth
echo "== a three-node DC: the host VM (node 0) and two UML guests inside it (nodes 1, 2) on a bridge"
hostvm_scenario hostvm-three tcp
echo "== the same over /dev/umlXX bridges: each guest linked to the host only, the host relaying"
hostvm_scenario hostvm-three uml
echo "== migration with the host VM: node 1's server moves to the host (node 0) and back under node 2's calls"
hostvm_scenario hostvm-migrate tcp
echo "== migration between two guests through the host: node 1's server moves to node 2 and back over /dev/umlXX bridges, the host relaying, under the host's calls"
hostvm_scenario hostvm-migrate uml
for k in 6.12 6.12-rt; do
	echo "== Debian's $k kernel as the host VM: a guest inside on a tap (TCP), and the three-node DC over /dev/umlXX bridges"
	hostvm_scenario hostvm-uml tcp "$k"
	hostvm_scenario hostvm-three uml "$k"
done

echo "== dvs-lab: the sample labs (labs/), each started, checked (dvs-lab check) and stopped"
lab_check() {	# lab_check NAME: dvs-lab check labs/NAME, its results named lab-NAME/...
	local log=$logs/lab-$1.log start rc f
	start=$(date +%s)
	DVS_LAB_RUN=$work/labs DVS_LAB_LOGS=$logs/lab-$1 B=$B tools/dvs-lab check "labs/$1" > "$log" 2>&1
	rc=$?
	echo "   lab $1: $(tail -n 1 "$log") in $(( $(date +%s) - start )) s (exit $rc)"
	sed "s#^\(PASS\|FAIL\): #\1: lab-$1/#" "$log" > "$log.txt"
	count "$log.txt"
	grep -q '^[0-9]* passed, 0 failed$' "$log" && [ "$rc" = 0 ] &&
		result PASS "lab-$1/checked-and-stopped" || result FAIL "lab-$1/checked-and-stopped" "exit $rc; see $log"
	[ -z "$(ls -A "$work/labs" 2>/dev/null)" ] && result PASS "lab-$1/nothing-left" ||
		result FAIL "lab-$1/nothing-left" "$(ls "$work/labs")"
	for f in "$logs/lab-$1"/*console.log "$logs/lab-$1"/vm.log; do
		[ -f "$f" ] && scan_kernel_log "lab-$1-$(basename "$f" .log)" "$f"
	done
}
for l in client-server failover file-transfer; do lab_check $l; done
echo "== dvs-lab: 16 UML guests in one DC (labs/mesh16, no host node), every guest calling every other"
lab_check mesh16
echo "== dvs-lab's failure paths on guests-only labs: a failing startup, a timed-out request, a halted node, two labs"
B=$B tests/host/test-dvs-lab-run.sh tools/dvs-lab > "$logs/test-dvs-lab-run.log" 2>&1
count "$logs/test-dvs-lab-run.log"
grep -q '^PASS: test-dvs-lab-run/stop-leaves-nothing' "$logs/test-dvs-lab-run.log" ||
	result FAIL test-dvs-lab-run/finished "see $logs/test-dvs-lab-run.log"

echo "== make demo's demo (tools/demo.sh): the lab labs/demo, the host VM as node 0, a UML guest in it as node 1"
log=$logs/demo.log
start=$(date +%s)
DVS_LAB_RUN=$work/demo-lab B=$B tools/demo.sh > "$log" 2>&1
rc=$?
echo "   the demo ran in $(( $(date +%s) - start )) s (exit $rc)"
if [ $rc = 0 ] && grep -q "^\[node 0\] Done: node 1's client reached node 0's server" "$log" &&
	grep -q '^\[node 1\]   --- 10 round trips' "$log" &&
	[ "$(grep -c '^\[node 0\] server: received from endpoint' "$log")" = 3 ] &&
	[ "$(grep -c '^\[node 0\] server: request [0-9] from endpoint 32770 (client on node 1): replying$' "$log")" = 10 ]; then
	result PASS demo/send-receive-and-sendrec-over-the-bridge
else
	result FAIL demo/send-receive-and-sendrec-over-the-bridge "exit $rc; see $log"
fi
# Run by dvs-lab: each node up, the link, both startups, node 1 halted, the
# lab stopped with nothing left; its steps numbered in the order they print.
steps=$(sed -En 's/^\[node [01]\] ([0-9]+)\. .*/\1/p' "$log" | tr '\n' ' ')
if grep -q '^\[dvs-lab\] host (node 0): up' "$log" && grep -q '^\[dvs-lab\] guest1 (node 1): up' "$log" &&
	grep -q '^\[dvs-lab\] link guest1 - host (bridge): up' "$log" && grep -q '^\[dvs-lab\] guest1: guest1.startup done' "$log" &&
	grep -q "^\[node 0\]   *1 node1 .* -- " "$log" && [ "$steps" = "1 2 3 4 5 6 7 8 9 " ] &&
	[ -z "$(ls -A "$work/demo-lab" 2>/dev/null)" ]; then
	result PASS demo/a-lab-run-by-dvs-lab
else
	result FAIL demo/a-lab-run-by-dvs-lab "steps '$steps', left: $(ls "$work/demo-lab" 2>/dev/null); see $log"
fi
# What a class reads: each node called by one name on both sides, no shell noise.
if grep -Eq '^\[node 1\] +0 node0 ' "$log" && grep -Eq '^\[node 0\] +1 node1 ' "$log" &&
	! grep -q 'Terminated' "$log"; then
	result PASS demo/one-name-per-node-no-shell-noise
else
	result FAIL demo/one-name-per-node-no-shell-noise "see $log"
fi
for f in "$B/demo-logs/vm.log" "$B/demo-logs/guest1.console.log"; do
	[ -f "$f" ] && scan_kernel_log "demo-$(basename "$f" .log)" "$f" || result FAIL "demo/kept-$(basename "$f")" "no $f"
done
# The scene's message chart: both nodes' traces, as text and as an SVG.
tev() { awk -v n="$1" -v k="$2" '$2 == n && $3 == k' "$B/demo-trace.txt" 2>/dev/null | wc -l; }
if [ "$(tev 0 send)" = 3 ] && [ "$(tev 0 sendrec)" = 10 ] && [ "$(tev 1 reply)" = 10 ] &&
	xmllint --noout "$B/demo-chart.svg" && grep -q "open ${B#"$top"/}/demo-chart.svg in a browser" "$log" &&
	[ "$(grep -c 'sendrec(0) +' "$log")" = 10 ]; then
	result PASS demo/message-chart-of-both-nodes
else
	result FAIL demo/message-chart-of-both-nodes "node 0: $(tev 0 send) sends, $(tev 0 sendrec) sendrecs; node 1: $(tev 1 reply) replies (want 3, 10, 10); see $B/demo-trace.txt, $log"
fi

# The demo's --host mode, on Debian's kernels standing in for a laptop's:
# dvk.ko built as demo.sh --host builds it (make -C host-mod against that
# kernel's headers), then, as root in the VM, tools/demo.sh --host --module
# that dvk.ko from this tree (9p): dvs-lab start --host with the VM's own
# kernel as node 0, the module loaded, the scene, the module unloaded. The
# scene must be make demo's, line for line (node lines in any order: the
# two nodes print concurrently; times, pids, paths and the release aside).
scene() {	# scene LOG RELEASE
	local rel
	rel=$(printf '%s' "$2" | sed 's/[].+*^$[\/|]/\\&/g')
	grep '^\[node [01]\]' "$1" | sed -E -e "s/$rel/REL/g" -e 's#/(tmp|lab)[^ ]*#PATH#g' \
		-e 's/[0-9]+/N/g' | sort
}
demo_rel=$(B=$B tools/hostvm.sh release)
for k in 6.1 6.12; do
	echo "== tools/demo.sh --host on Debian's $k kernel (in the host VM): dvs-lab start --host, the scene, dvk.ko unloaded"
	rel=$(HOSTVM_KERNEL=$k B=$B tools/hostvm.sh release)
	kdir=$(HOSTVM_KERNEL=$k B=$B tools/hostvm.sh kdir)
	out=$B/host-mod/demo-host-$rel
	log=$logs/demo-host-$k.log
	make -s -C host-mod KDIR="$kdir" OUT="$top/$out" > "$logs/demo-host-$k-build.log" 2>&1 &&
		result PASS "demo-host-$k/module-built-for-$rel" ||
		result FAIL "demo-host-$k/module-built-for-$rel" "see $logs/demo-host-$k-build.log"
	rm -rf "$work/demo-host-$k"
	mkdir -p "$work/demo-host-$k"
	# In the VM: this tree at /src, the results in /out; busybox and bash-static.
	# On 6.1, then, a lab whose dvk.ko is held open by a process not of the
	# lab: its stop must fail, and say so.
	cat > "$work/demo-host-$k/vm.sh" <<EOF
cd /src || exit 1
export DVS_LAB_RUN=/tmp/lab B=/src/${B#"$top"/}
DEMO_OUT=/out bash tools/demo.sh --host --module /src/${out#"$top"/}/dvk.ko || exit 1
if grep -q '^dvk ' /proc/modules; then echo 'dvk.ko is still loaded'; exit 1; fi
echo '== dvk.ko unloaded'
if ps -o args | grep -E '[d]vs-ping|[d]vs-proxy|[u]ml_dir=|[a]gent[.]sh'; then echo 'left running: above'; exit 1; fi
[ -z "\$(ls -A /tmp/lab)" ] || { ls -l /tmp/lab; exit 1; }
echo '== nothing of the lab is left'
[ $k = 6.1 ] || exit 0
mkdir -p /tmp/held
printf '%s\n' 'dc[0]=A' 'host[dc]=0' 'g1[node]=1' 'g1[dc]=0' 'g1[mem]=64M' 'g1[link]=host:bridge' > /tmp/held/lab.conf
bash tools/dvs-lab start --host --module /src/${out#"$top"/}/dvk.ko /tmp/held > /out/held-start.txt 2>&1 || exit 1
sleep 120 < /dev/dvk &
bash tools/dvs-lab stop > /out/held-stop.txt 2>&1
echo "== the held lab's stop: exit \$?"
kill \$!
sleep 0.5
rmmod dvk && echo '== dvk.ko unloaded once let go'
EOF
	start=$(date +%s)
	HOSTVM_KERNEL=$k B=$B tools/hostvm.sh run --mem 1536 --timeout 600 --log "$log.vm" --module tun \
		--share "$top:src" --share "$work/demo-host-$k:out" \
		-- sh /out/vm.sh \
		> "$log" 2>&1
	rc=$?
	echo "   the demo ran in $(( $(date +%s) - start )) s (exit $rc)"
	[ $rc = 0 ] && grep -q '^== dvk.ko unloaded' "$log" && grep -q '^== nothing of the lab is left' "$log" &&
		grep -q "^\[node 0\] 1\. .*($rel)" "$log" &&
		result PASS "demo-host-$k/loaded-played-unloaded" ||
		result FAIL "demo-host-$k/loaded-played-unloaded" "exit $rc; see $log"
	if [ -s "$log" ] && diff <(scene "$logs/demo.log" "$demo_rel") <(scene "$log" "$rel") > "$log.diff"; then
		result PASS "demo-host-$k/the-scene-of-make-demo"
	else
		result FAIL "demo-host-$k/the-scene-of-make-demo" "see $log.diff"
	fi
	if [ $k = 6.1 ]; then
		grep -q '^== the held lab.s stop: exit 1$' "$log" && grep -q '^== dvk.ko unloaded once let go$' "$log" &&
			grep -qx 'dvs-lab: FAILED: rmmod dvk (it stays loaded)' "$work/demo-host-$k/held-stop.txt" &&
			grep -q "^dvs-lab: lab held stopped, but not cleanly (above)$" "$work/demo-host-$k/held-stop.txt" &&
			result PASS "demo-host-$k/stop-says-dvk-stays-loaded" ||
			result FAIL "demo-host-$k/stop-says-dvk-stays-loaded" "see $log, $work/demo-host-$k/held-*.txt: $(cat "$work/demo-host-$k"/held-*.txt 2>/dev/null | tail -n 4)"
	fi
	tr -d '\r' < "$log.vm" > "$log.vm.txt" 2>/dev/null
	scan_kernel_log "demo-host-$k" "$log.vm.txt"
	f=$work/demo-host-$k/demo-logs/guest1.console.log
	[ -f "$f" ] && scan_kernel_log "demo-host-$k-guest1" "$f" || result FAIL "demo-host-$k/kept-guest1.console.log" "no $f"
done

echo "== DKMS: dkms add and dkms build of make -C host-mod dkms-src's tree, for each of Debian's kernels"
# A private DKMS tree and source tree: nothing is installed on this machine.
make -s -C host-mod dkms-src DKMS_SRC="$work/dkms" > "$logs/dkms.log" 2>&1
src=$(ls -d "$work"/dkms/dvk-* 2>/dev/null | head -1)
ver=${src##*/dvk-}
dkms_opts=(--dkmstree "$work/dkmstree" --sourcetree "$work/dkms" -m dvk -v "$ver")
mkdir -p "$work/dkmstree"
if [ -n "$src" ] && dkms add "${dkms_opts[@]}" >> "$logs/dkms.log" 2>&1; then
	result PASS dkms/add
else
	result FAIL dkms/add "see $logs/dkms.log"
fi
for k in 6.1 6.12 6.12-rt; do
	rel=$(HOSTVM_KERNEL=$k B=$B tools/hostvm.sh release)
	kdir=$(HOSTVM_KERNEL=$k B=$B tools/hostvm.sh kdir)
	ko=$work/dkmstree/dvk/$ver/$rel/x86_64/module/dvk.ko
	echo "--- dkms build for $rel" >> "$logs/dkms.log"
	if dkms build "${dkms_opts[@]}" -k "$rel" --kernelsourcedir "$kdir" >> "$logs/dkms.log" 2>&1 &&
		[[ $(modinfo -F vermagic "$ko" 2>> "$logs/dkms.log") == "$rel "* ]]; then
		result PASS "dkms/build-$k"
	else
		result FAIL "dkms/build-$k" "see $logs/dkms.log"
	fi
done

# dvk.ko on each of Debian's kernels: the whole suite through /dev/dvk, then
# the module's life cycle and the kernel-thread endpoint. 6.12-rt is
# PREEMPT_RT: its spinlocks sleep.
for k in 6.1 6.12 6.12-rt; do
	sfx=
	[ $k = 6.1 ] || sfx=-$k
	rel=$(HOSTVM_KERNEL=$k B=$B tools/hostvm.sh release)
	echo "== dvk.ko in the host VM (Debian $rel, QEMU)"
	log=$logs/module-hostvm$sfx.log
	start=$(date +%s)
	m=$B/host-mod/debian$sfx
	# A VM whose kernel died before it ran init (seen once: Debian's 6.12-rt
	# hit an int3 Oops in sched_clock_cpu at 1.3 s under TCG, no module
	# loaded yet) has tested nothing: it boots once more, and says so. (That
	# Oops came from sched_clock's static key flipping when the TSC was found
	# unstable; hostvm.sh now boots with tsc=unstable, which removes that
	# trigger, but not other live code patching under TCG.)
	for try in 1 2; do
		HOSTVM_KERNEL=$k B=$B tools/hostvm.sh run --timeout 1200 --log "$log" --append dvs.doors=2 \
			--add "$m/dvk.ko:/lib/modules/dvk/dvk.ko" --add "$m/dvk_echo.ko:/lib/modules/dvk/dvk_echo.ko" \
			-- sh -c "M=/lib/modules/dvk; ${suite_then_module}" > "$logs/module-hostvm$sfx.out" 2>&1
		rc=$?
		[ $rc = 125 ] && [ $try = 1 ] && ! grep -q 'Run /sbin/init' "$log" || break
		echo "   the kernel died before init (see $log.boot1); booting again"
		cp "$log" "$log.boot1"
	done
	echo "   booted, tested and halted in $(( $(date +%s) - start )) s (exit $rc)"
	grep -q "^dvs-tests: begin .*kernel $rel)" "$log" && result PASS "hostvm$sfx/kernel-$rel" ||
		result FAIL "hostvm$sfx/kernel-$rel" "see $log"
	need_tsc_unstable "hostvm$sfx" "$log"
	if [ $k = 6.1 ]; then
		tr -d '\r' < "$log" > "$log.txt" 2>/dev/null
	else
		tr -d '\r' < "$log" | sed "s#^\(PASS\|FAIL\): #\1: hostvm$sfx:#" > "$log.txt" 2>/dev/null
	fi
	grep -q '^dvs-tests: end' "$log.txt" && result PASS "hostvm$sfx/all-programs-ran" ||
		result FAIL "hostvm$sfx/all-programs-ran" "the run stopped early; see $log and $logs/module-hostvm$sfx.out"
	cmd_done "hostvm$sfx" "$log.txt" $rc
done

# The SMP debug kernels (issue 12): x86_64 from the same source, 4 vCPUs,
# lockdep in both, KASAN and kmemleak in one, KCSAN in the other (they
# exclude each other). Any report fails the run, as everywhere (KCSAN races
# of the core kernel alone are listed, not failed: scan_kernel_log).
for k in smp-kasan smp-kcsan; do
	echo "== dvk.ko on the $k kernel (x86_64, 4 vCPUs in the host VM): the suite through /dev/dvk, the fuzzer, the life cycle"
	log=$logs/$k.log
	m=$B/host-mod/$k
	start=$(date +%s)
	# On the KASAN kernel, last, a module that leaks on purpose: kmemleak must see it.
	leak=() planted=
	if [ $k = smp-kasan ]; then
		leak=(--add "$B/kernel-$k/samples/kmemleak/kmemleak-test.ko:/lib/modules/dvk/kmemleak-test.ko")
		planted='; insmod $M/kmemleak-test.ko; rmmod kmemleak_test; /usr/lib/dvs-tests/kmemleak-check.sh planted kmemleak-test'
	fi
	B=$B tools/hostvm.sh run --kernel "$B/kernel-$k/arch/x86/boot/bzImage" --smp 4 --mem 2048 \
		--timeout 1500 --log "$log" --append dvs.doors=2 "${leak[@]}" \
		--add "$m/dvk.ko:/lib/modules/dvk/dvk.ko" --add "$m/dvk_echo.ko:/lib/modules/dvk/dvk_echo.ko" \
		-- sh -c "M=/lib/modules/dvk; ${suite_then_module}${planted}" > "$logs/$k.out" 2>&1
	rc=$?
	echo "   booted, tested and halted in $(( $(date +%s) - start )) s (exit $rc)"
	tr -d '\r' < "$log" > "$log.txt" 2>/dev/null
	grep -q 'smp: Brought up 1 node, 4 CPUs' "$log.txt" && result PASS "$k/4-cpus" ||
		result FAIL "$k/4-cpus" "see $log"
	need_tsc_unstable "$k" "$log.txt"
	grep -q '^dvs-tests: end' "$log.txt" && result PASS "$k/all-programs-ran" ||
		result FAIL "$k/all-programs-ran" "the run stopped early; see $log and $logs/$k.out"
	cmd_done "$k" "$log.txt" $rc
	[ $k = smp-kasan ] && need_kmemleak "$k" "$log.txt" suite module-life-cycle kmemleak-test-seen
done

echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
