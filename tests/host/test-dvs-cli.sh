#!/bin/sh
# The dvs tool's command line on the build host: help, usage errors and the
# message it gives on a kernel without the DVK.
dvs=${1:?usage: test-dvs-cli.sh path/to/dvs}
prog=test-dvs-cli
. "$(dirname "$0")/../guest/check.sh"

check help 0 "Commands:" "$dvs" --help
check no_args 2 "Usage: dvs COMMAND" "$dvs"
check unknown 2 "unknown command 'frob'" "$dvs" frob
check init_help 0 "--copylen" "$dvs" init --help
check help_init 0 "Usage: dvs init" "$dvs" help init
check bad_number 2 "'x1' is not a number" "$dvs" init --node x1
check long_name 2 "longer than 15 characters" "$dvs" init --node 1 --name ABCDEFGHIJKLMNOP
check bad_option 2 "Try 'dvs init --help'" "$dvs" init --bogus
check extra_arg 2 "unexpected argument 'x'" "$dvs" end x
check migrate_help 0 "Usage: dvs migrate start|commit|rollback" "$dvs" migrate --help
check migrate_no_verb 2 "'(nothing)': want start, commit or rollback" "$dvs" migrate
check migrate_bad_verb 2 "'go': want start, commit or rollback" "$dvs" migrate go --dc 0 --endpoint 5
check migrate_commit_node 2 "commit needs --node" "$dvs" migrate commit --dc 0 --endpoint 5
check migrate_no_dvk 1 "EDVSNODEV -19" "$dvs" migrate start --dc 0 --endpoint 5
check no_dvk 1 "no DVK in this kernel (no dvkipc system call, no /dev/dvk) (EDVSNODEV -19)" "$dvs" info
exit $failed
