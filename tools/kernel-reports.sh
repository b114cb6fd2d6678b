# Sourced by tests/run.sh and tools/fuzz.sh: the kernel reports that fail a
# run (KASAN, KCSAN and every other "BUG:", UBSAN, lockdep, oopses, hung
# tasks, warnings; kmemleak is read by tests/guest/kmemleak-check.sh).
# Boot-time notices such as "RCU lockdep checking is enabled" or KCSAN's
# "non-strict mode configured" are not reports and do not match.
# shellcheck shell=bash
kernel_reports='WARNING:|BUG:|KASAN|UBSAN|Oops|Kernel panic|general protection|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|lockdep is turned off|DEBUG_LOCKS_WARN_ON|locking correctness validator|INFO: possible|INFO: task .* blocked|Call Trace'

# kcsan_outside_dvk < LOG > COPY: LOG with the title of each KCSAN data-race
# report that is not about DVK code rewritten as "kcsan-outside-dvk: TITLE",
# which $kernel_reports does not match; every other line is copied as is, so
# a report printed in the middle of a KCSAN one still counts.
#
# A report is outside DVK code only when KCSAN printed both accesses (not
# "race at unknown origin": the other side may be ours), the report is
# whole (its "Reported by" line came before the next report, nothing was
# dropped, and each access has at least one stack frame under it: a log
# level that hides frames hides ours too), and neither its title nor any
# stack frame in it names dvk.ko ("[dvk" after a frame) or a dvk_ function.
# The SMP KCSAN kernel runs the whole kernel instrumented, and twice in a
# few CI runs it reported a benign race of the core kernel alone (atkbd's
# probe; a page's flags in __filemap_get_folio against do_set_pte's plain
# test_bit). A race involving DVK code always fails the run.
kcsan_outside_dvk() {
	awk '
	{ line[NR] = $0 }
	END {
		for (i = 1; i <= NR; i++) {
			if (line[i] !~ /BUG: KCSAN: /)
				continue
			ours = line[i] ~ /[^A-Za-z0-9_]dvk_|\[dvk/
			unknown = 0; whole = 0; dropped = 0; accesses = 0; bare = 0; frames = 0
			for (j = i + 1; j <= NR && j <= i + 400; j++) {
				if (line[j] ~ /BUG: KCSAN: /)
					break
				if (line[j] ~ /race at unknown origin/)
					unknown = 1
				if (line[j] ~ /messages dropped/)
					dropped = 1
				if (line[j] ~ / to 0x[0-9a-f]+ of [0-9]+ bytes by .* on cpu [0-9]+:/) {
					bare += frames == 0 && accesses > 0
					accesses++
					frames = 0
				}
				if (line[j] ~ /\+0x[0-9a-f]+\/0x[0-9a-f]+/) {
					frames++
					if (line[j] ~ /[^A-Za-z0-9_]dvk_|\[dvk/)
						ours = 1
				}
				if (line[j] ~ /Reported by Kernel Concurrency Sanitizer on:/) {
					bare += frames == 0
					whole = accesses == 2 && !bare && !dropped
					break
				}
			}
			if (whole && !unknown && !ours)
				sub(/BUG: KCSAN: /, "kcsan-outside-dvk: ", line[i])
		}
		for (i = 1; i <= NR; i++)
			print line[i]
	}'
}

# kernel_reports_in LOG COPY: COPY is LOG as kcsan_outside_dvk leaves it (a
# file to show the reports from). Status 0 if COPY holds a report, 1 if
# not, 2 if LOG could not be read or scanned (saying why), which fails a
# run as a report does. The scan goes to a file, never a pipe into grep -q:
# under pipefail, grep -q ending the writer early read as "no report".
kernel_reports_in() {
	if [[ ! -r $1 ]]; then
		echo "cannot read $1"
		return 2
	fi
	if ! kcsan_outside_dvk < "$1" > "$2"; then
		echo "cannot scan $1 into $2"
		return 2
	fi
	grep -Eq "$kernel_reports" "$2" || return 1
}
