#!/usr/bin/env bash
# make fuzz: the call-sequence fuzzer (tests/guest/test_fuzz.c) in the test
# kernel (KASAN, lockdep) for as long as asked, then the kernel log scanned.
#   FUZZ_SECONDS=N (default 300)   DVK_FUZZ_SEED=S (repeat a run: its first line prints S)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
B=${B:-$top/build}
secs=${FUZZ_SECONDS:-300}
work=$(mktemp -d /tmp/dvs-fuzz.XXXXXX)
trap 'pkill -9 -f "uml_dir=$work" 2>/dev/null; rm -rf "$work"' EXIT
echo "cd /usr/lib/dvs-tests && DVK_FUZZ_SECONDS=$secs ${DVK_FUZZ_SEED:+DVK_FUZZ_SEED=$DVK_FUZZ_SEED} ./test_fuzz" > "$work/cmd.sh"
cp --sparse=always "$B/rootfs.img" "$work/root.img"
log=$B/fuzz.log
echo "fuzz: $secs s in the test kernel; log: $log"
timeout --kill-after=5 $((secs + 300)) "$B/kernel-test/linux" umid=fuzz uml_dir="$work" \
	ubd0="$work/root.img" root=/dev/ubda mem=256M con=null ssl=null con0=null,fd:1 \
	dvs.run=cmd dvs.hostdir="$work" dvs.cmd=/host/cmd.sh < /dev/null 2>&1 | tr -d '\r' > "$log"
grep -E '^(# test_fuzz|  [0-9]+ rounds|PASS|FAIL|  tests)' "$log"
. "$top/tools/kernel-reports.sh"
kernel_reports_in "$log" "$work/log"
case $? in
1) ;;
0) echo "fuzz: kernel reports in $log"; exit 1 ;;
*) exit 1 ;;
esac
grep -q '^PASS: test_fuzz/rounds' "$log"
