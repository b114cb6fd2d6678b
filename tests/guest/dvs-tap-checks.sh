#!/bin/sh
# net-setup/dvs-tap's checks, where taps can be made (the host VM, tun
# loaded): bad input is refused before anything is made, a failed command
# leaves nothing behind, down of an unknown name fails (issue 12, finding 9).
prog=dvs-tap
. "$(dirname "$0")/check.sh"
gone() { ! [ -e "/sys/class/net/$1" ]; }
long=abcdefghijklmnop					# 16 characters

check bad_prefix 1 "bad prefix length in '10.77.5.1/99'" dvs-tap up dt0 10.77.5.1/99
check bad_prefix_left_nothing 0 "" gone dt0
check bad_octet 1 "bad IPv4 address '10.0.0.256'" dvs-tap up dt0 10.0.0.256/24
check no_length 1 "want ADDR/LEN" dvs-tap up dt0 10.0.0.1
check long_name 1 "longer than 15 characters" dvs-tap up $long 10.77.5.1/24
check long_name_left_nothing 0 "" sh -c "! ls /sys/class/net | grep -q '^abcdefghij'"
check bad_name 1 "bad interface name 'a/b'" dvs-tap up a/b 10.77.5.1/24
check down_unknown 1 "no interface dt9" dvs-tap down dt9
check up 0 "dt0 up, host side 10.77.5.1/24" dvs-tap up dt0 10.77.5.1/24 root
check up_again 1 "dt0 exists already" dvs-tap up dt0 10.77.5.2/24 root
check bridge_missing_tap 1 "no interface dt8 to join to dbr0" dvs-tap bridge dbr0 10.77.6.1/24 dt0 dt8
check bridge_left_nothing 0 "" gone dbr0
check down_one_unknown 1 "no interface dt9" dvs-tap down dt0 dt9
check down_checked_first 0 "" test -e /sys/class/net/dt0
check down 0 "dt0 removed" dvs-tap down dt0
check down_gone 0 "" gone dt0
exit $failed
