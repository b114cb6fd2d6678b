#!/bin/sh
# dvk.ko in a guest: load, refuse or survive unload, cycles, the kernel
# thread endpoint. (An unload that leaves a DC allocated is a kernel
# WARNING, which the log scan catches.) Not run by run-guest-tests:
# tests/run.sh boots a kernel for it with
#
#   module-tests.sh core DIR                a kernel without DVKIPC: dvk.ko carries the core
#   module-tests.sh door DIR                a kernel with DVKIPC: dvk.ko is the ioctl door only
#
# DIR holds dvk.ko and dvk_echo.ko built for the running kernel; neither is loaded on entry.
prog=module-tests.sh
here=$(cd "$(dirname "$0")" && pwd)
. "$here/check.sh"
mode=$1 dir=$2
[ -r "$dir/dvk.ko" ] || { echo "FAIL: $prog/modules: no $dir/dvk.ko"; exit 1; }

# Wait (5 s at most) until CMD's output holds TEXT, or no longer does (-v).
wait_for() {	# wait_for [-v] TEXT CMD...
	neg=; [ "$1" = -v ] && { neg=1; shift; }
	text=$1; shift
	for _ in $(seq 50); do
		if "$@" 2>/dev/null | grep -qF -- "$text"; then [ -z "$neg" ] && return 0
		else [ -n "$neg" ] && return 0; fi
		sleep 0.1
	done
	return 1
}
loaded() { grep -q "^$1 " /proc/modules; }

if [ "$mode" = door ]; then
	# Objective 3: the module opens /dev/dvk over the built-in core.
	check init_syscall 0 "initialised: node 3" dvs init --node 3 --name OBJ3
	check dc_syscall 0 "DC0 DC0 initialised" dvs dc-init --dc 0
	check load 0 "" insmod "$dir/dvk.ko"
	check load_said 0 "DVK IOCTL door open (over the built-in core" dmesg
	check flags_both 0 "flags=103" cat /proc/dvs/info
	check ioctl_sees_same_dvs 0 "flags=103 (IPC IOCTL INITIALIZED)" env DVK_DOOR=ioctl dvs info
	check ioctl_sees_same_dc 0 "DC0" env DVK_DOOR=ioctl dvs dc-info --dc 0
	# A server entered through the ioctl door, a client through the system call.
	DVK_DOOR=ioctl dvs-ping server --dc 0 --slot 1 > /tmp/srv.out &
	srv=$!
	wait_for "dvs-ping" dvs ps --dc 0
	check cross_door_rendezvous 0 "--- 3 round trips" env DVK_DOOR=ipc dvs-ping client --dc 0 --slot 2 --server 32769 --count 3
	kill $srv; wait $srv 2>/dev/null
	check echo_load 0 "" insmod "$dir/dvk_echo.ko" dc=0 nr=5
	wait_for dvk_echo dvs ps --dc 0
	DVK_DOOR=ioctl "$here/mod_kecho" || failed=1
	check echo_unload 0 "" rmmod dvk_echo
	check unload 0 "" rmmod dvk
	check flags_ipc_again 0 "flags=101" cat /proc/dvs/info
	check dev_gone 1 "" test -e /dev/dvk
	check state_kept 0 "DC0" dvs dc-info --dc 0
	check end 0 "DVS ended" dvs end
	# Loaded again into the vmalloc pages it left: UML's KASAN once kept its
	# globals' redzones there, and the next insmod's file buffer tripped on
	# them (uml/patches/0007); the log scan fails any such report.
	check reload 0 "" insmod "$dir/dvk.ko"
	check reload_unload 0 "" rmmod dvk
	exit $failed
fi

check load 0 "" insmod "$dir/dvk.ko"
check load_said 0 "DVK IOCTL door open (core in dvk.ko" dmesg
check device 0 "" test -c /dev/dvk
check flags_ioctl 0 "flags=2" cat /proc/dvs/info
check no_syscall 0 "syscall=-1" cat /proc/dvs/info
# An open /dev/dvk holds the module.
check unload_refused_while_open 1 "can't unload" sh -c 'exec 3<>/dev/dvk; rmmod dvk'
check still_loaded 0 "" loaded dvk

# Door 3: a kernel thread serving a user process.
dvs init --node 0 > /dev/null
dvs dc-init --dc 0 > /dev/null
check echo_load 0 "" insmod "$dir/dvk_echo.ko" dc=0 nr=5
wait_for dvk_echo dvs ps --dc 0
"$here/mod_kecho" || failed=1
# dvk_echo uses dvk.ko's symbols.
check unload_refused_while_used 1 "can't unload" rmmod dvk
check echo_unload 0 "" rmmod dvk_echo
check echo_unbound 0 "" wait_for -v dvk_echo dvs ps --dc 0

# Unloading with the DVS up and a process bound (that holds no /dev/dvk) is safe.
sleep 300 &
bound=$!
check bind_other 0 "endpoint" dvs bind --dc 0 --slot 7 --pid $bound
check unload_while_bound 0 "" rmmod dvk
check proc_gone 1 "" test -e /proc/dvs
check dev_gone 1 "" test -e /dev/dvk
check no_dvk 1 "EDVSNODEV" dvs info
check bound_process_alive 0 "" kill -0 $bound
kill $bound; wait $bound 2>/dev/null

# Load/unload cycles with real work in between.
ok=0
for i in $(seq 20); do
	if insmod "$dir/dvk.ko" && dvs init --node 1 > /dev/null && dvs dc-init --dc 0 > /dev/null &&
		dvs-ping pair --dc 1 --count 5 --quiet > /dev/null && dvs end > /dev/null && rmmod dvk; then
		ok=$((ok + 1))
	else
		echo "  cycle $i failed"
		dvs end > /dev/null 2>&1; rmmod dvk 2>/dev/null
	fi
done
check cycles 0 "20 of 20" echo "$ok of 20"
check unloaded 1 "" loaded dvk
exit $failed
