#!/bin/sh
# The teaching demo's node 1, in the UML guest (its dvs.cmd): link to node
# 0 over /dev/uml01, then call node 0's server. Lines for the class start
# with "| " (tools/demo-node0.sh shows only those).
say() { printf '| \n| %s\n' "$*"; }
out() { while IFS= read -r l; do printf '|   %s\n' "$l"; done; }
for arg in $(cat /proc/cmdline); do
	case $arg in dvs.server=*) ep=${arg#dvs.server=} ;; esac
done

say "node 1 is up: a UML guest, DVS node 1 (its init ran 'dvs init --node 1')"
dvs dc-init --dc 0 --name CLASS > /dev/null || exit 1
dvs trace start > /dev/null 2>&1	# for the message chart at the end
say "6. Its proxy talks to node 0 through /dev/uml01 (the bridge), one frame per write:"
echo "|   \$ dvs-proxy --transport uml --peer 0/node0 --dc 0"
dvs-proxy --transport uml --peer 0/node0 --dc 0 --quiet &
say "7. Node 0's server is endpoint $ep there; here it is registered as remote:"
dvs rmtbind --dc 0 --endpoint "$ep" --node 0 --name server 2>&1 | out
say "8. A client in slot 2 sends 3 messages (send/receive), then 10 requests (sendrec):"
dvs-ping client --dc 0 --slot 2 --server "$ep" --send 3 --count 10 --interval 100 2>&1 | out
say "9. The nodes node 1 knows, and its slots (the server shows as remote):"
dvs nodes 2>&1 | out
dvs ps --dc 0 2>&1 | out
# Node 1's trace, for node 0 to draw the chart (lines not for the class).
dvs trace show 2> /dev/null | sed 's/^/~T /'
