#!/bin/sh
# dvs-ping in the guest: the pair mode and the client/server mode by hand.
prog=test-dvs-ping.sh
. "$(dirname "$0")/check.sh"

check pair 0 "--- 20 round trips: min" dvs-ping pair --count 20 --quiet
check pair_replies 0 "64 bytes from endpoint 32769: seq=2 time=" dvs-ping pair --count 3
check usage 2 "Usage: dvs-ping server" dvs-ping
check bad_count 2 "--count must be at least 1" dvs-ping pair --count 0
check no_slot 2 "--slot N is required" dvs-ping server --dc 0
dvs init --node 0 >/dev/null
dvs dc-init --dc 0 >/dev/null
dvs-ping server --dc 0 --slot 1 > /tmp/ping-server.out &
srv=$!
sleep 1
check client 0 "--- 5 round trips" dvs-ping client --dc 0 --slot 2 --server 32769 --count 5
check server_said 0 "endpoint 32769 (DC0 slot 1)" cat /tmp/ping-server.out
check client_user 0 "--- 2 round trips" dvs-ping client --dc 0 --slot 150 --server 32769 --count 2
kill $srv
wait $srv 2> /dev/null	# gone, not just signalled: the next call must find it dead
check dead_server 1 "destination process died (EDVSDSTDIED -109)" dvs-ping client --dc 0 --slot 2 --server 32769 --count 1
dvs end >/dev/null
exit $failed
