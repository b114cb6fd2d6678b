#!/usr/bin/env bash
# tools/kernel-reports.sh: which kernel log lines fail a run. A KCSAN race
# in which DVK code takes part always does; one wholly outside it is named
# "kcsan-outside-dvk" and does not (tools/kernel-reports.sh says why).
set -uo pipefail	# as tests/run.sh and tools/fuzz.sh, which call it
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tools/kernel-reports.sh"
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# report A_FRAME B_FRAME [unknown|cut]: a KCSAN report as the SMP kernel
# prints it (syslog levels, times), A's access from the other thread.
report() {
	local t='<3>[   15.128236]' f='<4>[   15.128236]'
	echo "$t =================================================================="
	if [ "${3:-}" = unknown ]; then
		echo "$t BUG: KCSAN: data-race in ${2%%+*}"
		echo "$t "
		echo "$t race at unknown origin, with read to 0xffff88807c0bd0c0 of 8 bytes by task 228 on cpu 0:"
	else
		echo "$t BUG: KCSAN: data-race in ${1%%+*} / ${2%%+*}"
		echo "$t "
		echo "$t read-write (marked) to 0xffff88807c0bd0c0 of 8 bytes by task 229 on cpu 1:"
		echo "$f  $1"
		echo "$f  shmem_get_folio_gfp.constprop.0+0xeb/0x1060"
		echo "$f  asm_exc_page_fault+0x27/0x30"
		echo "$t "
		echo "$t read to 0xffff88807c0bd0c0 of 8 bytes by task 228 on cpu 0:"
	fi
	echo "$f  $2"
	echo "$f  finish_fault+0x1b0/0x2c0"
	echo "$f  asm_exc_page_fault+0x27/0x30"
	[ "${3:-}" = cut ] && return
	echo "$t "
	echo "$t Reported by Kernel Concurrency Sanitizer on:"
	echo "$t CPU: 0 PID: 228 Comm: test_fuzz Tainted: G           O       6.1.0 #1"
	echo "$t =================================================================="
}

# expect NAME FAILING OUTSIDE < LOG: FAILING lines of the log still match
# $kernel_reports once KCSAN reports outside DVK code are set aside, and
# OUTSIDE are set aside; kernel_reports_in's status says whether any fail.
expect() {
	local name=$1 want_fail=$2 want_out=$3 fail out rc want_rc=1
	cat > "$tmp/log"
	kernel_reports_in "$tmp/log" "$tmp/out"
	rc=$?
	[ "$want_fail" = 0 ] || want_rc=0
	fail=$(grep -Ec "$kernel_reports" "$tmp/out")
	out=$(grep -c 'kcsan-outside-dvk: data-race in ' "$tmp/out")
	if [ "$rc" = "$want_rc" ] && [ "$fail" = "$want_fail" ] && [ "$out" = "$want_out" ]; then
		echo "PASS: kernel-reports/$name"
	else
		echo "FAIL: kernel-reports/$name"
		echo "  status $rc (wanted $want_rc), $fail lines fail the run (wanted $want_fail), $out set aside (wanted $want_out):"
		sed 's/^/    /' "$tmp/out"
		failed=1
	fi
}

core_a='__filemap_get_folio+0x30a/0x6d0' core_b='do_set_pte+0x1c0/0x270'
report "$core_a" "$core_b" | expect core_kernel_race_set_aside 0 1
report "$core_a" 'dvk_copy_pages+0x9a/0x310 [dvk]' | expect dvk_frame_in_title_fails 1 0
report "$core_a" 'copy_page_to_iter+0x9a/0x310 [dvk]' | expect dvk_module_frame_fails 1 0
{ report "$core_a" "$core_b" | sed 's/finish_fault+0x1b0\/0x2c0/dvk_do_send+0x21\/0x90 [dvk]/'; } |
	expect dvk_frame_deeper_in_a_stack_fails 1 0
report "$core_a" "$core_b" unknown | expect unknown_origin_fails 1 0
report "$core_a" "$core_b" cut | expect report_cut_short_fails 1 0
# Lines of other reports printed inside a KCSAN report still count.
{ report "$core_a" "$core_b" | sed '5a <4>[   15.130000] WARNING: CPU: 1 PID: 7 at kernel/workqueue.c:88 process_one_work'; } |
	expect warning_inside_a_set_aside_report_fails 1 1
# Interleaved kernel lines naming dvk are not frames: still outside DVK code.
{ report "$core_a" "$core_b" | sed '2a <6>[   15.120000] dvk: DC0 DC0 up: 221 procs, 35 tasks'; } |
	expect dvk_message_inside_is_not_a_frame 0 1
{ report "$core_a" "$core_b"; report "$core_a" 'dvk_reply+0x9a/0x310 [dvk]'; report "$core_b" "$core_a"; } |
	expect three_reports_one_of_dvk 1 2
# A report cut short by the next one is not whole.
{ report "$core_a" "$core_b" cut; report "$core_a" "$core_b"; } | expect cut_then_whole 1 1
printf '%s\n' 'dvk: up' 'BUG: kernel NULL pointer dereference' | expect other_reports_unchanged 1 0
# A report not printed whole cannot show that DVK code is absent.
{ report "$core_a" "$core_b" | grep -v '^<4>'; } | expect no_frames_printed_fails 1 0
{ report "$core_a" "$core_b" | sed '/read to 0x/,/Reported by/{/+0x/d}'; } | expect second_access_without_frames_fails 1 0
{ report "$core_a" "$core_b" | sed '/read to 0x/a <4>[   15.128300] ** 16 printk messages dropped **'; } |
	expect messages_dropped_fails 1 0
# The whole log is read, however long (grep -q on a pipe once ended it).
{ echo '<4>[    1.000000] WARNING: CPU: 0 PID: 1 at kernel/x.c:1 f+0x1/0x2'; yes '<6>[    1.000000] filler' | head -20000; } |
	expect long_log_warning_on_line_1 1 0
# A log that cannot be read fails, saying so.
why=$(kernel_reports_in "$tmp/no-such-log" "$tmp/out")
rc=$?
if [ $rc = 2 ] && [ "$why" = "cannot read $tmp/no-such-log" ]; then
	echo "PASS: kernel-reports/unreadable_log_fails"
else
	echo "FAIL: kernel-reports/unreadable_log_fails"
	echo "  kernel_reports_in: status $rc, said '$why'"
	failed=1
fi
exit $failed
