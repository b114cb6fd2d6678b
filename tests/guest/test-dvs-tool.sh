#!/bin/sh
# The dvs tool in the guest: init/info/end and their errors, as a user types them.
prog=test-dvs-tool.sh
. "$(dirname "$0")/check.sh"

# The doors this run expects (run-guest-tests sets DVS_DOORS; 1 = IPC).
case ${DVS_DOORS:-1} in
1) doors="IPC " ;; 2) doors="IOCTL " ;; 3) doors="IPC IOCTL " ;;
esac
check info_before_init 0 "flags=${DVS_DOORS:-1} (${doors}not initialised)" dvs info
check init 0 "DVS DVS_CLUSTER1 initialised: node 1" dvs init --node 1 --name DVS_CLUSTER1
check info 0 "flags=10${DVS_DOORS:-1} (${doors}INITIALIZED)" dvs info
check proc_info 0 "name=DVS_CLUSTER1" cat /proc/dvs/info
check second_init 1 "DVS already initialised (EDVSDVSBUSY -317)" dvs init --node 2
check end 0 "DVS ended" dvs end
check end_again 1 "DVS not initialised (EDVSDVSINIT -318)" dvs end
check bad_node 1 "bad node id (EDVSBADNODEID -301)" dvs init --node 40
check bad_limits 1 "limit out of range (EDVSBADRANGE -338)" dvs init --node 1 --procs 5000
check need_node 2 "--node is required" dvs init --name X
check help 0 "Usage: dvs init --node N" dvs init --help

# DCs, bindings and ps, as an administrator drives them.
check init2 0 "initialised: node 0" dvs init --node 0 --name LAB
check dc_init 0 "DC0 DC0 initialised on node 0" dvs dc-init --dc 0
check dc_init_owner 0 "DC1 lab1 initialised on node 0" dvs dc-init --dc=1 --name lab1 --owner 1000 --procs 40
check dc_info 0 "dcid=1 name=lab1 procs=40 tasks=35 sysprocs=64 nodes=32 nodemap=0x1 owner=1000" dvs dc-info --dc 1
check dc_info_all 0 "dcid=0 name=DC0" dvs dc-info
check dc_init_busy 1 "resource busy (EDVSRSCBUSY -342)" dvs dc-init --dc 0
sleep 600 &
victim=$!
# bind records the name at bind time: wait until the child has exec'd sleep.
for _ in 1 2 3 4 5 6 7 8 9 10; do [ "$(cat /proc/$victim/comm)" = sleep ] && break; usleep 50000; done
check bind 0 "pid $victim bound to slot 7 of DC0: endpoint 32775" dvs bind --dc 0 --slot 7 --pid $victim
check bind_used 1 "slot already in use (EDVSSLOTUSED -337)" dvs bind --dc 0 --slot 7 --pid $$
check ps 0 "$(printf '%-3d %5d %-12d %6d %4d %-9s %-14s %-14s %s' 0 7 32775 $victim 0 running - - sleep)" dvs ps --dc 0
check dc_init_small 1 "limit out of range (EDVSBADRANGE -338)" dvs dc-init --dc 2 --procs 10
check priv 0 "id=42 level=1 warn=27342 calls=0x7ffffffff" dvs priv --dc 0 --endpoint 32775
check priv_set 0 "id=42 level=3" dvs priv --dc 0 --endpoint 32775 --level 3
check priv_bad 1 "bad value (EDVSBADVALUE -339)" dvs priv --dc 0 --endpoint 32775 --level 9
check rmtbind 0 "endpoint 65556 of node 3 registered in DC0" dvs rmtbind --dc 0 --endpoint 65556 --node 3 --name far
check ps_remote 0 "remote" dvs ps --dc 0
check unbind 0 "endpoint 32775 unbound" dvs unbind --dc 0 --endpoint 32775
check unbind_stale 1 "process not bound (EDVSNOTBIND -310)" dvs unbind --dc 0 --endpoint 32775
kill $victim
check proc_procs 0 "far" cat /proc/dvs/DC0/procs
check dc_end 0 "DC0 ended" dvs dc-end --dc 0
check dc_end_again 1 "DC not running (EDVSDCNOTRUN -303)" dvs dc-end --dc 0
check end2 0 "DVS ended" dvs end
exit $failed
