#!/usr/bin/env bash
# Fuzz the proxies' wire codec (tests/fuzz/fuzz_wire.c) for a bounded time.
#
#   [B=build] [FUZZ_SECONDS=30] tests/fuzz/run-fuzz.sh
#
# Builds $B/fuzz/fuzz_wire (libFuzzer, ASan, UBSan) and the seed writer
# $B/fuzz/fuzz_wire_seeds, writes the seeds into a temporary directory, fuzzes
# there, and removes it. Prints one line, "PASS: fuzz/wire (N runs in S s)"
# or "FAIL: fuzz/wire: reason"; exit status 0 or 1. A crashing input and the
# log are kept in $B/fuzz/. Needs clang with libFuzzer (Debian: clang and
# libclang-rt-14-dev).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
B=${B:-build}
secs=${FUZZ_SECONDS:-30}
CLANG=${CLANG:-clang}

fail() {
	echo "FAIL: fuzz/wire: $*"
	exit 1
}

case $secs in '' | *[!0-9]*) fail "FUZZ_SECONDS=$secs is not a number of seconds" ;; esac
command -v "$CLANG" > /dev/null || fail "no $CLANG: install clang and libclang-rt-14-dev"
mkdir -p "$B/fuzz" || fail "cannot create $B/fuzz"
out=$(cd "$B/fuzz" && pwd)
tmp=$(mktemp -d /tmp/fuzz-wire.XXXXXX) || fail "mktemp"
trap 'rm -rf "$tmp"' EXIT

printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' > "$tmp/probe.c"
"$CLANG" -fsanitize=fuzzer "$tmp/probe.c" -o "$tmp/probe" > "$tmp/probe.log" 2>&1 ||
	fail "$CLANG cannot link libFuzzer: install clang and libclang-rt-14-dev"

flags=(-g -O1 -Wall -Wextra -Werror -Iinclude -fno-omit-frame-pointer -fno-sanitize-recover=all)
srcs=(tests/fuzz/fuzz_wire.c proxies/wire.c)
"$CLANG" "${flags[@]}" -fsanitize=fuzzer,address,undefined "${srcs[@]}" -lsodium -o "$out/fuzz_wire" > "$out/build.log" 2>&1 ||
	fail "build failed, see $out/build.log"
"$CLANG" "${flags[@]}" -fsanitize=address,undefined -DFUZZ_WIRE_SEEDS "${srcs[@]}" -lsodium -o "$out/fuzz_wire_seeds" >> "$out/build.log" 2>&1 ||
	fail "seed writer build failed, see $out/build.log"

mkdir "$tmp/corpus"
"$out/fuzz_wire_seeds" "$tmp/corpus" > "$tmp/seeds.log" 2>&1 || {
	cp "$tmp/seeds.log" "$out/seeds.log"
	fail "seed writer failed, see $out/seeds.log"
}

log=$out/fuzz-wire.log
(cd "$tmp" && "$out/fuzz_wire" -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$tmp/" corpus) > "$log" 2>&1
rc=$?

artifacts=()
for a in "$tmp"/crash-* "$tmp"/leak-* "$tmp"/timeout-* "$tmp"/oom-* "$tmp"/slow-unit-*; do
	[ -e "$a" ] || continue
	cp "$a" "$out/" && artifacts+=("$out/$(basename "$a")")
done
if [ $rc != 0 ] || [ ${#artifacts[@]} != 0 ]; then
	what=$(grep -m1 -Eo 'ERROR: (libFuzzer|AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer): [^ ]*( [^ ]*)?|fuzz_wire: [^ ]*: .*|runtime error: .*' "$log")
	fail "${what:-exit status $rc}; input ${artifacts[*]:-not saved}; log $log"
fi
done_line=$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1)
runs=$(echo "$done_line" | awk '{print $2}')
took=$(echo "$done_line" | awk '{print $5}')
[ -n "$runs" ] || fail "no run count in $log"
echo "PASS: fuzz/wire ($runs runs in $took s)"
