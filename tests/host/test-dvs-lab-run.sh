#!/bin/bash
# dvs-lab's failure paths, on small labs of UML guests (LAB_HOST=none: no
# VM): a startup that fails stops the lab and leaves nothing; a request that
# times out is killed with what it started; a halted node answers nothing;
# two labs at once are told apart by --lab.
#   test-dvs-lab-run.sh path/to/dvs-lab
lab=${1:?usage: test-dvs-lab-run.sh path/to/dvs-lab}
lab=$(realpath "$lab")
prog=test-dvs-lab-run
. "$(dirname "$0")/../guest/check.sh"
t=$(mktemp -d /tmp/test-dvs-lab-run.XXXXXX)
export DVS_LAB_RUN=$t/run
cleanup() {
	for l in "$DVS_LAB_RUN"/*/; do [ -d "$l" ] && "$lab" stop --lab "$(basename "$l")" > /dev/null 2>&1; done
	rm -rf "$t"
}
trap cleanup EXIT
ok() {	# ok NAME: PASS if the last command's condition held
	if [ "$1" = 0 ]; then echo "PASS: $prog/$2"; else echo "FAIL: $prog/$2${3:+ ($3)}"; failed=1; fi
}

mkdir -p "$t/broken" "$t/one" "$t/two"
printf '%s\n' 'LAB_HOST=none' 'dc[0]=A' 'g1[node]=1' 'g1[dc]=0' 'g1[mem]=64M' > "$t/broken/lab.conf"
printf '%s\n' 'echo half done' 'exit 3' > "$t/broken/g1.startup"
check startup_fails 1 "FAILED: g1.startup exited with status 3; its output:" "$lab" start "$t/broken"
[ -z "$(ls -A "$DVS_LAB_RUN" 2>/dev/null)" ] && ! pgrep -f "uml_dir=$DVS_LAB_RUN" > /dev/null
ok $? failed-start-leaves-nothing "$(ls "$DVS_LAB_RUN")"

# A node that does not come up is named, with the tail of its console.
mkdir -p "$t/nocopy/g1/proc/dvs"
printf '%s\n' 'LAB_HOST=none' 'g1[node]=1' 'g1[mem]=64M' > "$t/nocopy/lab.conf"
echo x > "$t/nocopy/g1/proc/dvs/x"
check node_fails 1 "FAILED: g1 (node 1): copying g1/ into the node failed" "$lab" start "$t/nocopy"
check node_fails_tail 1 "--- the tail of $DVS_LAB_RUN/nocopy/nodes/g1/console.log ---" "$lab" start "$t/nocopy"
[ -z "$(ls -A "$DVS_LAB_RUN" 2>/dev/null)" ]
ok $? failed-node-leaves-nothing

cp "$t/broken/lab.conf" "$t/one/lab.conf"
cp "$t/broken/lab.conf" "$t/two/lab.conf"
check start_one 0 "lab one is up" "$lab" start "$t/one"
check start_two 0 "lab two is up" "$lab" start "$t/two"
check two_labs 1 "several labs are running" "$lab" exec g1 -- true
check lab_opt 0 "on g1" "$lab" exec --lab two g1 -- sh -c 'echo on $(hostname)'
check args_kept 0 "[a b] [\$x] ['q'] []" "$lab" exec --lab one g1 -- sh -c 'for a; do printf "[%s] " "$a"; done' - 'a b' '$x' "'q'" ''
start=$(date +%s)
check exec_timeout 124 "g1 did not answer in 2 s" "$lab" exec --lab one --timeout 2 g1 -- sleep 40
[ $(( $(date +%s) - start )) -le 5 ]
ok $? exec-timeout-is-bounded
sleep 1
check timed_out_killed 0 "sleepers: 0" "$lab" exec --lab one g1 -- sh -c 'echo "sleepers: $(ps | grep -c "[s]leep 40")"'
check halt 0 "g1 (node 1) halted" "$lab" halt --lab two g1
check halted_exec 125 "g1 is halted" "$lab" exec --lab two g1 -- true
check halt_again 1 "g1 is halted already" "$lab" halt --lab two g1
check stop_two 0 "lab two stopped" "$lab" stop --lab two
check stop_one 0 "lab one stopped" "$lab" stop --lab one
[ -z "$(ls -A "$DVS_LAB_RUN")" ] && ! pgrep -f "uml_dir=$DVS_LAB_RUN" > /dev/null
ok $? stop-leaves-nothing
exit $failed
