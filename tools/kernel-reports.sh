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
# whole (its "Reported by" line came before the next report), and neither
# its title nor any stack frame in it names dvk.ko ("[dvk" after a frame) or
# a dvk_ function. The SMP KCSAN kernel runs the whole kernel instrumented,
# and in 3 fresh CI runs it twice reported benign races of the core kernel
# (atkbd's probe; a page's flags in __filemap_get_folio against do_set_pte's
# plain test_bit). A race involving DVK code always fails the run.
kcsan_outside_dvk() {
	awk '
	{ line[NR] = $0 }
	END {
		for (i = 1; i <= NR; i++) {
			if (line[i] !~ /BUG: KCSAN: /)
				continue
			ours = line[i] ~ /[^A-Za-z0-9_]dvk_|\[dvk/
			unknown = 0; whole = 0
			for (j = i + 1; j <= NR && j <= i + 400; j++) {
				if (line[j] ~ /BUG: KCSAN: /)
					break
				if (line[j] ~ /race at unknown origin/)
					unknown = 1
				if (line[j] ~ /\+0x[0-9a-f]+\/0x[0-9a-f]+/ && line[j] ~ /[^A-Za-z0-9_]dvk_|\[dvk/)
					ours = 1
				if (line[j] ~ /Reported by Kernel Concurrency Sanitizer on:/) {
					whole = 1
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
