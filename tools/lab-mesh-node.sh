#!/bin/sh
# A guest of a mesh lab (tools/lab-mesh.sh), as /usr/local/bin/mesh there:
#   mesh start N   its server at slot NODE, and the other guests' servers and
#                  clients (slot 100+NODE) registered here
#   mesh call N    its client calls every other guest's server once (sendrec)
#   mesh rtt PEER COUNT   COUNT round trips to PEER's server (for make bench)
me=$(dvs info | sed -n 's/^nodeid=//p')
[ -n "$me" ] || { echo "mesh: the DVS is not up" >&2; exit 1; }
case $1 in
start)
	dvs-ping server --dc 0 --slot "$me" > /tmp/mesh-server.log 2>&1 &
	j=1
	while [ $j -le "$2" ]; do
		if [ $j != "$me" ]; then
			dvs rmtbind --dc 0 --endpoint $((32768 + j)) --node $j --name srv$j > /dev/null &&
				dvs rmtbind --dc 0 --endpoint $((32868 + j)) --node $j --name cli$j > /dev/null || exit 1
		fi
		j=$((j + 1))
	done ;;
call)
	ok=0 j=1
	while [ $j -le "$2" ]; do
		if [ $j != "$me" ]; then
			if dvs-ping client --dc 0 --slot $((100 + me)) --server $((32768 + j)) --count 1 --quiet > /tmp/mesh-call.log 2>&1; then
				ok=$((ok + 1))
			else
				echo "node $j: $(cat /tmp/mesh-call.log)"
			fi
		fi
		j=$((j + 1))
	done
	echo "$ok of $(($2 - 1)) servers answered" ;;
rtt)
	dvs-ping client --dc 0 --slot $((100 + me)) --server $((32768 + $2)) --count "$3" --quiet ;;
*)	echo "usage: mesh start N | call N | rtt PEER COUNT" >&2; exit 2 ;;
esac
