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

# dvs trace: usage (start, stop and show need the DVK's events: tests/guest/test_trace.c).
check trace_help 0 "Usage: dvs trace start|stop|show|chart" "$dvs" trace --help
check trace_chart_help 0 "TIME_NS NODE KIND DC SRC_EP SRC_NODE DST_EP DST_NODE MTYPE BYTES" "$dvs" trace chart --help
check trace_no_verb 2 "dvs trace: '(nothing)': want start, stop, show or chart" "$dvs" trace
check trace_bad_verb 2 "'go': want start, stop, show or chart" "$dvs" trace go
check trace_extra_arg 2 "dvs trace stop: unexpected argument 'now'" "$dvs" trace stop now
check chart_no_file 2 "chart needs a FILE (- for stdin)" "$dvs" trace chart
check chart_bad_width 2 "--width 'x': want columns, 20 to 100000" "$dvs" trace chart --width x -
check chart_no_svg_file 2 "option '--svg' needs a value" "$dvs" trace chart - --svg
check chart_bad_option 2 "unknown option '--colour'" "$dvs" trace chart --colour -
check chart_missing_file 1 "cannot open /nonexistent/t.txt: No such file or directory" "$dvs" trace chart /nonexistent/t.txt

# The chart of three nodes' traces (tests/host/trace-node*.txt): the golden text, in any
# order and from stdin; node 2's duplicate line drawn once.
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n0=$here/trace-node0.txt n1=$here/trace-node1.txt n2=$here/trace-node2.txt
check chart_golden 0 "" sh -c '"$1" trace chart "$2" "$3" "$4" | diff -u "$5" -' - "$dvs" "$n0" "$n1" "$n2" "$here/trace-chart.txt"
check chart_golden_stdin 0 "" sh -c 'cat "$4" "$2" "$3" | "$1" trace chart - | diff -u "$5" -' - "$dvs" "$n0" "$n1" "$n2" "$here/trace-chart.txt"
check chart_twice_same 0 "" sh -c '"$1" trace chart "$2" "$3" "$4" "$2" | diff -u "$5" -' - "$dvs" "$n0" "$n1" "$n2" "$here/trace-chart.txt"
# The SVG: well-formed, one arrow element per event (8 events; a duplicate dropped).
check chart_svg 0 "" "$dvs" trace chart --svg "$tmp/c.svg" "$n0" "$n1" "$n2"
check svg_well_formed 0 "" xmllint --noout "$tmp/c.svg"
check svg_arrows 0 "arrows=8" sh -c 'echo "arrows=$(grep -c "class=\"arrow " "$1")"' - "$tmp/c.svg"
check svg_self_arrow 0 "path class=\"arrow notify\"" cat "$tmp/c.svg"
check svg_node_boxes 0 "boxes=3" sh -c 'echo "boxes=$(grep -c "<rect class=\"node\"" "$1")"' - "$tmp/c.svg"
# A name that needs escaping stays well-formed XML.
{ echo '# name 0 0 5 <a&b "c">'; echo '10 0 send 0 6 0 5 0 1 0'; } > "$tmp/esc.txt"
check svg_escaped 0 "" "$dvs" trace chart --svg "$tmp/esc.svg" "$tmp/esc.txt"
check svg_escaped_valid 0 "" xmllint --noout "$tmp/esc.svg"
check svg_escaped_name 0 "&lt;a&amp;b &quot;c&quot;&gt;" cat "$tmp/esc.svg"
# Bad input: FILE:LINE and why, and no chart.
printf '%s\n' '# a comment' '5 0 send 0 1 0 2 0 3 0' '6 0 sned 0 1 0 2 0 3 0' > "$tmp/bad1.txt"
check chart_bad_kind 1 "$tmp/bad1.txt:3: KIND 'sned' is not send, sendrec, notify, reply or copy" "$dvs" trace chart "$tmp/bad1.txt"
printf '%s\n' '5 0 send 0 1 0 2 0 3' > "$tmp/bad2.txt"
check chart_bad_fields 1 "$tmp/bad2.txt:1: has 9 fields, want 10" "$dvs" trace chart "$tmp/bad2.txt"
printf '%s\n' '5 0 copy 0 1 0 2 0 3 4' > "$tmp/bad3.txt"
check chart_copy_mtype 1 "$tmp/bad3.txt:1: a copy's MTYPE is not 0" "$dvs" trace chart "$tmp/bad3.txt"
printf '%s\n' '5 0 send 0 1 0 2 1 3 0' > "$tmp/bad4.txt"
check chart_dst_node 1 "$tmp/bad4.txt:1: DST_NODE 1 is not NODE 0" "$dvs" trace chart "$tmp/bad4.txt"
printf '%s\n' '-5 0 send 0 1 0 2 0 3 0' '5 32 send 0 1 0 2 0 3 0' '# name 0 0 x y' > "$tmp/bad5.txt"
check chart_bad_time 1 "$tmp/bad5.txt:1: TIME_NS '-5' is not a number of nanoseconds" "$dvs" trace chart "$tmp/bad5.txt"
check chart_bad_node 1 "$tmp/bad5.txt:2: NODE '32' is not a node id (0-31)" "$dvs" trace chart "$tmp/bad5.txt"
check chart_bad_name 1 "$tmp/bad5.txt:3: a name line's NODE, DC or EP is not a number in range" "$dvs" trace chart "$tmp/bad5.txt"
check chart_bad_count 1 "dvs trace chart: 3 bad lines: no chart" "$dvs" trace chart "$tmp/bad5.txt"
check chart_stdin_line 1 "(stdin):1: has 1 fields" sh -c 'echo garbage | "$1" trace chart -' - "$dvs"
check chart_no_events 1 "no events in the input" "$dvs" trace chart /dev/null
# Bounds: 100000 events at most, 256 lifelines at most.
awk 'BEGIN { for (i = 0; i < 100001; i++) print i, 0, "send", 0, 1, 0, 2, 0, 0, 0 }' > "$tmp/many.txt"
check chart_too_many_events 1 "$tmp/many.txt:100001: more than 100000 events: refused" "$dvs" trace chart "$tmp/many.txt"
head -n 100000 "$tmp/many.txt" > "$tmp/enough.txt"
check chart_enough_events 0 "send(0) +0.099 ms" sh -c '"$1" trace chart "$2" | tail -n 1' - "$dvs" "$tmp/enough.txt"
awk 'BEGIN { for (i = 0; i < 129; i++) print i, 0, "send", 0, 1000 + i, 1, 2000 + i, 0, 0, 0 }' > "$tmp/wide.txt"
check chart_too_many_lifelines 1 "more than 256 lifelines" "$dvs" trace chart "$tmp/wide.txt"
head -n 128 "$tmp/wide.txt" > "$tmp/wide-ok.txt"
check chart_256_lifelines 0 "" "$dvs" trace chart "$tmp/wide-ok.txt"

# Clocks that disagree (a guest's is set once, at boot): node 1 records its
# replies 60 ms early. Its round trips with node 0 put its times back in order.
B0=1700000001000000000
printf '%s\n' "$B0 0 sendrec 0 32770 1 32769 0 0 0" "$((B0 + 100000000)) 0 sendrec 0 32770 1 32769 0 0 0" > "$tmp/skew0.txt"
printf '%s\n' "$((B0 - 50000000)) 1 reply 0 32769 0 32770 1 1 0" "$((B0 + 50000000)) 1 reply 0 32769 0 32770 1 1 0" > "$tmp/skew1.txt"
cat > "$tmp/skew.want" <<'CHART'
(node 1's times moved +100.000 ms onto node 0's clock: its round trips with node 0 say so)
node 0              node 1
32769               32770
0:32769             0:32770
|                   |
|<------------------|     sendrec(0) +0.000 ms
|------------------>|     reply(1) +50.000 ms
|<------------------|     sendrec(0) +100.000 ms
|------------------>|     reply(1) +150.000 ms
CHART
check chart_clock_aligned 0 "" sh -c '"$1" trace chart "$2" "$3" | diff -u "$4" -' - "$dvs" "$tmp/skew0.txt" "$tmp/skew1.txt" "$tmp/skew.want"
# Clocks that agree with the round trips are left alone.
printf '%s\n' "$((B0 + 10000000)) 1 reply 0 32769 0 32770 1 1 0" > "$tmp/skew2.txt"
check chart_clock_kept 0 "reply(1) +10.000 ms" sh -c '"$1" trace chart "$2" "$3" | grep -v moved' - "$dvs" "$tmp/skew0.txt" "$tmp/skew2.txt"
exit $failed
