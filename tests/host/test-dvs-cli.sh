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
check migrate_help 0 "Usage: dvs migrate start|commit|rollback|move|agent|ping" "$dvs" migrate --help
check migrate_no_verb 2 "'(nothing)': want start, commit, rollback, move, agent or ping" "$dvs" migrate
check migrate_bad_verb 2 "'go': want start, commit, rollback, move, agent or ping" "$dvs" migrate go --dc 0 --endpoint 5
check migrate_commit_node 2 "commit needs --node" "$dvs" migrate commit --dc 0 --endpoint 5
check migrate_start_ep 2 "start needs --endpoint" "$dvs" migrate start --dc 0
check migrate_no_dvk 1 "EDVSNODEV -19" "$dvs" migrate start --dc 0 --endpoint 5
mv="$dvs migrate move --dc 0 --endpoint 5 --agents 10 --slot 7"
check move_needs 2 "move needs --from" $mv --nodes 0,1 --to 1
check move_twice 2 "--nodes: node 0 is listed twice" $mv --nodes 0,0,1 --from 0 --to 1
check move_bad_node 2 "--nodes: 'x' is not a node id" $mv --nodes 0,x --from 0 --to 1
check move_node_range 2 "--nodes: '32' is not a node id" $mv --nodes 0,32 --from 0 --to 32
check move_from_to 2 "must hold --from and --to, two different nodes" $mv --nodes 0,1 --from 1 --to 1
check move_to_missing 2 "must hold --from and --to" $mv --nodes 0,1 --from 0 --to 2
check move_pid 2 "--pid: want a process id, 1 or more" $mv --nodes 0,1 --from 0 --to 1 --pid 0
check move_pid_exec 2 "--pid and --exec: give one of them" $mv --nodes 0,1 --from 0 --to 1 --pid 5 --exec x
check move_exec_blank 2 "--exec: an empty command" $mv --nodes 0,1 --from 0 --to 1 --exec " "
check move_timeout 2 "--timeout: want milliseconds, 0 or more" $mv --nodes 0,1 --from 0 --to 1 --timeout -1
check move_no_dvk 1 "EDVSNODEV -19" $mv --nodes 0,1 --from 0 --to 1
check ping_needs 2 "ping needs --agents" "$dvs" migrate ping --dc 0 --nodes 0,1 --slot 7
check agent_needs 2 "agent needs --agents" "$dvs" migrate agent --dc 0
check agent_no_dvk 1 "EDVSNODEV -19" "$dvs" migrate agent --dc 0 --agents 10
check no_dvk 1 "no DVK in this kernel (no dvkipc system call, no /dev/dvk) (EDVSNODEV -19)" "$dvs" info
exit $failed
