# Sourced by tests/run.sh and tools/fuzz.sh: the kernel reports that fail a
# run (KASAN, KCSAN and every other "BUG:", UBSAN, lockdep, oopses, hung
# tasks, warnings; kmemleak is read by tests/guest/kmemleak-check.sh).
# Boot-time notices such as "RCU lockdep checking is enabled" or KCSAN's
# "non-strict mode configured" are not reports and do not match.
# shellcheck shell=bash
kernel_reports='WARNING:|BUG:|KASAN|UBSAN|Oops|Kernel panic|general protection|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|lockdep is turned off|DEBUG_LOCKS_WARN_ON|locking correctness validator|INFO: possible|INFO: task .* blocked|Call Trace'
