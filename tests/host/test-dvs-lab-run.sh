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
check startup_fails 1 "FAILED: g1.startup exited with status 3" "$lab" start "$t/broken"
# Its lines were shown as they came, after the node's name, before the verdict.
"$lab" start "$t/broken" 2>&1 | grep -E '^\[node 1\] half done$|FAILED' | tr '\n' '|' | grep -qx '\[node 1\] half done|\[dvs-lab\] FAILED: g1.startup exited with status 3|'
ok $? startup-output-before-its-verdict
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
# What a startup leaves running (a server) is shown while the others' run.
mkdir -p "$t/late"
printf '%s\n' 'LAB_HOST=none' 'dc[0]=A' 'g1[node]=1' 'g1[dc]=0' 'g1[mem]=64M' 'dc[1]=B' 'g2[node]=2' 'g2[dc]=1' 'g2[mem]=64M' > "$t/late/lab.conf"
printf '%s\n' 'echo g1 starts' '(sleep 2; echo late from g1) &' > "$t/late/g1.startup"
printf '%s\n' 'sleep 4' 'echo g2 done' > "$t/late/g2.startup"
"$lab" start "$t/late" > "$t/late.out" 2>&1
grep -E '^\[node [12]\]|startup done|lab late is up' "$t/late.out" | sed -E 's/ \(.*//; s/: dvs-lab.*//' | tr '\n' '|' |
	grep -qx '\[node 1\] g1 starts|\[dvs-lab\] g1: g1.startup done|\[node 1\] late from g1|\[node 2\] g2 done|\[dvs-lab\] g2: g2.startup done|\[dvs-lab\] lab late is up in [0-9.]* s|'
ok $? startup-lines-as-they-come "$(cat "$t/late.out")"
# exec's output comes as CMD prints it, not at its end.
"$lab" exec --lab late g1 -- sh -c 'echo first; sleep 6; echo second' > "$t/exec.out" 2>&1 &
sleep 3
[ "$(cat "$t/exec.out")" = first ]
ok $? exec-output-as-it-comes "$(cat "$t/exec.out")"
wait
[ "$(cat "$t/exec.out" | tr '\n' ' ')" = "first second " ]
ok $? exec-output-whole "$(cat "$t/exec.out")"
check stop_late 0 "lab late stopped" "$lab" stop --lab late
cp "$t/broken/lab.conf" "$t/two/lab.conf"
check start_one 0 "lab one is up" "$lab" start "$t/one"
check start_two 0 "lab two is up" "$lab" start "$t/two"
check two_labs 1 "several labs are running" "$lab" exec g1 -- true
check lab_opt 0 "on g1" "$lab" exec --lab two g1 -- sh -c 'echo on $(hostname)'
check args_kept 0 "[a b] [\$x] ['q'] []" "$lab" exec --lab one g1 -- sh -c 'for a; do printf "[%s] " "$a"; done' - 'a b' '$x' "'q'" ''
# exec passes CMD's output on byte for byte: a NUL, no newline added.
[ "$("$lab" exec --lab one g1 -- printf 'a\000b' | od -An -c | tr -d ' ')" = 'a\0b' ] &&
	[ "$("$lab" exec --lab one g1 -- printf x | od -An -c | tr -d ' ')" = x ]
ok $? exec-output-byte-for-byte "$("$lab" exec --lab one g1 -- printf 'a\000b' | od -An -c)"
# An exec stopped (a signal, a closed pipe) withdraws its request: nothing
# it asked for runs on there.
"$lab" exec --lab one g1 -- sh -c 'sleep 41; :' > /dev/null 2>&1 &
sleep 2
kill -TERM $!
wait $!
rc=$?
start=$(date +%s)
"$lab" exec --lab one --timeout 30 g1 -- yes 2> /dev/null | head -n 2 > "$t/yes.out"
[ $rc = 130 ] && [ "$(tr '\n' ' ' < "$t/yes.out")" = "y y " ] && [ $(( $(date +%s) - start )) -le 10 ]
ok $? exec-stopped-returns "term: exit $rc; pipe: '$(head -c 20 "$t/yes.out")' after $(( $(date +%s) - start )) s"
sleep 1
check exec_stopped_withdrawn 0 "left: 0 0" "$lab" exec --lab one g1 -- sh -c 'echo "left: $(ps | grep -c "[s]leep 41") $(ps | grep -c "[y]es$")"'
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
