#!/bin/bash
# dvs-lab's command line on the build host, no lab started: every verb's
# help and usage errors, and the message for each kind of bad lab.conf and
# lab.check (the file, the line, what is wrong; nothing started).
#   test-dvs-lab.sh path/to/dvs-lab
lab=${1:?usage: test-dvs-lab.sh path/to/dvs-lab}
prog=test-dvs-lab
. "$(dirname "$0")/../guest/check.sh"
t=$(mktemp -d /tmp/test-dvs-lab.XXXXXX)
trap 'rm -rf "$t"' EXIT
export DVS_LAB_RUN=$t/run B=$t/no-build

check help 0 "start [--host [--module DVK_KO]] DIR" "$lab" --help
check no_verb 2 "usage: dvs-lab VERB" "$lab"
check bad_verb 2 "dvs-lab: unknown verb 'go'" "$lab" go
for v in start status exec console halt trace check stop; do
	check "help_$v" 0 "usage: dvs-lab $v" "$lab" "$v" --help
done
check start_no_dir 2 "start: which lab? (dvs-lab start DIR)" "$lab" start
check start_bad_opt 2 "start: unknown option '--vm'" "$lab" start --vm x
check start_no_conf 1 "$t: no lab.conf (see docs/lab.md)" "$lab" start "$t"
check start_module_no_file 2 "start: --module needs a FILE (dvk.ko)" "$lab" start --module
check trace_save_no_file 2 "trace: --save needs a FILE" "$lab" trace --save
# make demo's script: its arguments (it runs labs/demo with this dvs-lab).
demo=$(dirname "$lab")/demo.sh
check demo_help 0 "tools/demo.sh --host --module DVK_KO" "$demo" --help
check demo_bad_arg 2 "demo: unknown argument '--vm' (see --help)" "$demo" --vm
check demo_module_no_host 2 "demo: --module is for --host" "$demo" --module /x/dvk.ko
check demo_module_no_file 2 "demo: --module needs a FILE (dvk.ko)" "$demo" --host --module
check exec_no_dashes 2 "exec: want NODE -- CMD" "$lab" exec g1 ls
check exec_no_cmd 2 "exec: no command after --" "$lab" exec g1 --
check exec_no_lab 1 "dvs-lab: no lab is running (dvs-lab start DIR)" "$lab" exec g1 -- ls
check stop_no_lab 1 "dvs-lab: no lab is running" "$lab" stop
check stop_extra 2 "stop: unexpected argument 'x'" "$lab" stop x
check status_extra 2 "status: unexpected argument 'now'" "$lab" status now
check halt_extra 2 "halt: unexpected argument 'g2'" "$lab" halt g1 g2
check lab_no_name 2 "--lab needs a NAME" "$lab" status --lab
# A lab name is a name: never a path out of the run directory.
mkdir -p "$t/victim" && : > "$t/victim/lab.conf"
check lab_traversal 1 "'../victim' is not a lab name (1-40 of A-Z a-z 0-9 _ -)" "$lab" stop --lab ../victim
[ -e "$t/victim/lab.conf" ] && echo "PASS: $prog/lab_traversal-nothing-removed" ||
	{ echo "FAIL: $prog/lab_traversal-nothing-removed"; failed=1; }
check exec_lab_traversal 1 "is not a lab name" env DVS_LAB=.. "$lab" exec g1 -- true
# The run root goes on UML's and QEMU's command lines: no comma, no space.
check runroot_comma 1 "has a comma or a space, which UML and QEMU cannot take" env DVS_LAB_RUN="$t/a,b" "$lab" status
check halt_no_node 2 "halt: which node?" "$lab" halt
check check_no_file 1 "$t/lab.check: no such file" "$lab" check "$t"

# conf NAME LINES...: a lab directory $t/NAME with that lab.conf.
conf() { mkdir -p "$t/$1"; d=$t/$1; shift; printf '%s\n' "$@" > "$d/lab.conf"; }
bad() {	# bad NAME TEXT: start refuses the lab, saying TEXT, and starts nothing
	check "$1" 1 "$2" "$lab" start "$t/$1"
	[ ! -e "$DVS_LAB_RUN/$1" ] || { echo "FAIL: $prog/$1-nothing-started"; failed=1; }
}
conf syntax 'dc[0]=A' 'guest1 node 1'
bad syntax "$t/syntax/lab.conf:2: not KEY=VALUE or NODE[KEY]=VALUE: 'guest1 node 1'"
conf node_range 'dc[0]=A' 'g1[node]=40' 'g1[dc]=0' 'g1[link]=host:bridge'
bad node_range "$t/node_range/lab.conf:2: g1[node]: '40' is not a node id (1-31; 0 is the host)"
conf node_twice 'g1[node]=1' 'g2[node]=1'
bad node_twice "$t/node_twice/lab.conf:2: g2[node]: node 1 is g1 already"
conf no_node 'g1[mem]=64M'
bad no_node "$t/no_node/lab.conf:1: g1 has no [node] (its DVS node id, 1-31)"
conf host_node 'host[node]=3'
bad host_node "$t/host_node/lab.conf:1: host is node 0; it takes no [node]"
conf key 'g1[node]=1' 'g1[colour]=red'
bad key "$t/key/lab.conf:2: g1[colour]: unknown key (node, mem, link, dc)"
conf mem 'g1[node]=1' 'g1[mem]=12G'
bad mem "$t/mem/lab.conf:2: g1[mem]: '12G' is not a memory size (48M-4096M)"
conf peer 'g1[node]=1' 'g1[link]=g9:tcp'
bad peer "$t/peer/lab.conf:2: g1[link]: no node g9 in the lab"
conf transport 'g1[node]=1' 'g1[link]=host:udp'
bad transport "$t/transport/lab.conf:2: g1[link]: 'host:udp' is not PEER:TRANSPORT (TRANSPORT: bridge, tcp or tipc)"
conf bridge 'g1[node]=1' 'g2[node]=2' 'g1[link]=g2:bridge'
bad bridge "$t/bridge/lab.conf:3: g1[link]: a bridge links a guest to its host (guest[link]=host:bridge or host[link]=guest:bridge)"
conf bridge_nohost 'LAB_HOST=none' 'g1[node]=1' 'g2[node]=2' 'g1[link]=g2:bridge'
bad bridge_nohost "$t/bridge_nohost/lab.conf:4: g1[link]: a bridge needs the host node (LAB_HOST=none has none)"
conf self 'g1[node]=1' 'g1[link]=g1:tcp'
bad self "$t/self/lab.conf:2: g1[link]: a node cannot link to itself"
conf twice 'g1[node]=1' 'g1[link]=host:bridge' 'host[link]=g1:tcp'
bad twice "$t/twice/lab.conf:3: host[link]: host and g1 are linked already (line 2)"
conf dc_missing 'g1[node]=1' 'g1[dc]=3'
bad dc_missing "$t/dc_missing/lab.conf:2: g1[dc]: no dc[3]=NAME line"
conf dc_empty 'dc[2]=LONELY' 'g1[node]=1'
bad dc_empty "$t/dc_empty/lab.conf:1: dc[2]: no node joins DC 2 (NODE[dc]=2)"
conf dc_range 'dc[32]=X'
bad dc_range "$t/dc_range/lab.conf:1: dc[32]: a DC number is 0-31"
conf unreachable 'LAB_HOST=none' 'dc[0]=A' 'g1[node]=1' 'g1[dc]=0' 'g2[node]=2' 'g2[dc]=0'
bad unreachable "$t/unreachable/lab.conf:3: g1 and g2 share a DC but have no link, and no node is linked to both"
conf nohost 'LAB_HOST=none' 'host[dc]=0'
bad nohost "$t/nohost/lab.conf:2: host: there is no host node with LAB_HOST=none"
conf hostkind 'LAB_HOST=laptop'
bad hostkind "$t/hostkind/lab.conf:1: LAB_HOST: 'laptop' is not vm or none"
conf setting 'LAB_COLOUR=red'
bad setting "$t/setting/lab.conf:1: unknown setting 'LAB_COLOUR' (LAB_DVS, LAB_HOST, LAB_DESCRIPTION)"
conf quotes 'LAB_DESCRIPTION=two words'
bad quotes "$t/quotes/lab.conf:1: a value with spaces or quotes must be one \"quoted\" word: 'two words'"
conf reserved 'shared[node]=1'
bad reserved "$t/reserved/lab.conf:1: 'shared' is reserved"
conf startup 'g1[node]=1' 'g1[link]=host:bridge'
echo true > "$t/startup/g7.startup"
bad startup "$t/startup/g7.startup: no node 'g7' in lab.conf"
# Numbers too long for bash's arithmetic are refused, not wrapped around.
conf big_dc 'dc[18446744073709551616]=A'
bad big_dc "$t/big_dc/lab.conf:1: dc[18446744073709551616]: a DC number is 0-31"
conf big_node 'g1[node]=18446744073709551617'
bad big_node "$t/big_node/lab.conf:1: g1[node]: '18446744073709551617' is not a node id (1-31; 0 is the host)"
conf big_mem 'g1[node]=1' 'g1[mem]=18446744073709551712M'
bad big_mem "$t/big_mem/lab.conf:2: g1[mem]: '18446744073709551712M' is not a memory size (48M-4096M)"
conf big_dcs 'g1[node]=1' 'g1[dc]=99999999999999999999'
bad big_dcs "$t/big_dcs/lab.conf:2: g1[dc]: '99999999999999999999' is not a list of DC numbers, 0-31 (e.g. 0 or 0,1)"
conf dc_list_range 'g1[node]=1' 'g1[dc]=40'
bad dc_list_range "$t/dc_list_range/lab.conf:2: g1[dc]: DC 40: a DC number is 0-31"
# Given twice: refused, whatever the key.
conf mem_twice 'g1[node]=1' 'g1[mem]=64M' 'g1[mem]=128M'
bad mem_twice "$t/mem_twice/lab.conf:3: g1[mem] is given twice"
conf node_again 'g1[node]=1' 'g1[node]=1'
bad node_again "$t/node_again/lab.conf:2: g1[node] is given twice"
conf set_twice 'LAB_DVS=A' 'LAB_DVS=B'
bad set_twice "$t/set_twice/lab.conf:2: LAB_DVS is given twice (line 1)"
# A relay works inside the DC: the node between two guests must have joined it.
conf relay_dc 'dc[0]=A' 'g1[node]=1' 'g1[dc]=0' 'g1[link]=host:bridge' 'g2[node]=2' 'g2[dc]=0' 'g2[link]=host:bridge'
bad relay_dc "$t/relay_dc/lab.conf:2: g1 and g2 share DC 0 with no link; host, linked to both, must join it to relay (host[dc]=0)"
conf no_guest 'dc[0]=A' 'host[dc]=0'
bad no_guest "$t/no_guest/lab.conf:1: no guest node (e.g. guest1[node]=1)"
conf many 'g1[node]=0' 'g2[node]=x' 'g3[link]=g4'
bad many "$t/many/lab.conf: 4 error(s); nothing was started"
# A good lab passes lab.conf and stops only at the missing build.
conf good '# comment' 'LAB_DESCRIPTION="two guests"   # with a comment' 'LAB_HOST=none' 'dc[0]=A' \
	'g1[node]=1' 'g1[dc]=0' 'g1[link]=g2:tipc' 'g2[node]=2' 'g2[dc]=0'
check good 1 "is missing: run make first" "$lab" start "$t/good"
check start_module_vm 2 "start: --module is for --host (the VM's dvk.ko is make modules-debian's)" "$lab" start --module /x/dvk.ko "$t/good"
check start_host_none 1 "start --host: this lab has no host node (LAB_HOST=none)" "$lab" start --host "$t/good"
conf withhost 'dc[0]=A' 'host[dc]=0' 'g1[node]=1' 'g1[dc]=0' 'g1[link]=host:bridge'
if [ "$(id -u)" = 0 ]; then
	check start_host_no_module 1 "start --host: --module /x/dvk.ko: no such file" "$lab" start --host --module /x/dvk.ko "$t/withhost"
else
	check start_host_no_module 1 "start --host: run it as root" "$lab" start --host --module /x/dvk.ko "$t/withhost"
fi
printf '%s\n' 'check one' 'on g9' 'run true' 'check two' 'on g1' 'frob 1' 'status 300' 'check three' 'on g2' 'on g1' 'status 010' 'timeout 99999999999' > "$t/good/lab.check"
check check_bad 1 "$t/good/lab.check:2: no node 'g9' in lab.conf (or 'lab')" "$lab" check "$t/good"
check check_kw 1 "$t/good/lab.check:6: unknown keyword 'frob' (check, on, run, status, output, no-output, timeout)" "$lab" check "$t/good"
check check_status 1 "$t/good/lab.check:7: status: '300' is not 0-255" "$lab" check "$t/good"
check check_norun 1 "$t/good/lab.check:8: check 'three' has no 'run COMMAND'" "$lab" check "$t/good"
check check_two_on 1 "$t/good/lab.check:10: check 'three' has two 'on' lines" "$lab" check "$t/good"
check check_timeout 1 "$t/good/lab.check:12: timeout: '99999999999' is not a number of seconds" "$lab" check "$t/good"
check check_count 1 "$t/good/lab.check: 7 error(s); no check was run" "$lab" check "$t/good"

# The node agent (plain sh, here): a request's output and status come back;
# what requests leave running (a startup's server) dies when the agent
# stops, so that nothing of a lab outlives it on a real host (start --host);
# nothing else does, even in the same process group.
a=$t/agent
mkdir -p "$a/req"
sh "$(dirname "$lab")/lab-agent.sh" "$a" &
agent=$!
mark=dvs-lab-test-$$
sh -c 'sleep 300; :' "$mark-outsider" &
outsider=$!
for r in r1 r2; do
	printf '%s\n' "echo started $r; sh -c 'sleep 300; :' $mark-$r > /dev/null 2>&1 &" 'exit 7' > "$a/req/$r.sh"
done
for _ in $(seq 100); do [ -e "$a/out/r1.rc" ] && [ -e "$a/out/r2.rc" ] && break; sleep 0.05; done
[ "$(cat "$a/out/r1.out" "$a/out/r2.out" 2> /dev/null)" = "started r1
started r2" ] && [ "$(cat "$a/out/r1.rc" "$a/out/r2.rc" 2> /dev/null)" = "7
7" ] && [ "$(pgrep -fc "$mark-r")" = 2 ]
ok_agent=$?
: > "$a/stop"
for _ in $(seq 100); do kill -0 "$agent" 2> /dev/null || break; sleep 0.05; done
sleep 0.2
if [ $ok_agent = 0 ] && ! kill -0 "$agent" 2> /dev/null && ! pgrep -f "$mark-r" > /dev/null && kill -0 "$outsider"; then
	echo "PASS: $prog/agent-stop-kills-what-requests-left"
else
	echo "FAIL: $prog/agent-stop-kills-what-requests-left (requests ok: $ok_agent; left: $(pgrep -af "$mark-r"))"
	for p in $(pgrep -f "$mark-r"); do kill -9 -- "-$(ps -o pgid= -p "$p" | tr -d ' ')"; done
	kill "$agent" 2> /dev/null
	failed=1
fi
pkill -f "$mark-outsider"
exit $failed
