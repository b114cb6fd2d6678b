#!/bin/sh
# The dvs tool in the guest: init/info/end and their errors, as a user types them.
prog=test-dvs-tool.sh
. "$(dirname "$0")/check.sh"

check info_before_init 0 "flags=1 (IPC not initialised)" dvs info
check init 0 "DVS DVS_CLUSTER1 initialised: node 1" dvs init --node 1 --name DVS_CLUSTER1
check info 0 "flags=101 (IPC INITIALIZED)" dvs info
check proc_info 0 "name=DVS_CLUSTER1" cat /proc/dvs/info
check second_init 1 "DVS already initialised (EDVSDVSBUSY -317)" dvs init --node 2
check end 0 "DVS ended" dvs end
check end_again 1 "DVS not initialised (EDVSDVSINIT -318)" dvs end
check bad_node 1 "bad node id (EDVSBADNODEID -301)" dvs init --node 40
check bad_limits 1 "limit out of range (EDVSBADRANGE -338)" dvs init --node 1 --procs 5000
check need_node 2 "--node N is required" dvs init --name X
check help 0 "Usage: dvs init --node N" dvs init --help
exit $failed
