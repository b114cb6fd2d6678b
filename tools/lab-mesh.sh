#!/bin/sh
# Write a lab of N UML guests (LAB_HOST=none: no host node) in one DC, every
# two linked over TCP on the lab's LAN: labs/mesh16 is lab-mesh.sh 16, and
# make bench times the lab at 2, 4, 8 and 16 nodes with it.
#   lab-mesh.sh N DIR
set -eu
[ $# = 2 ] || { echo "usage: lab-mesh.sh N DIR" >&2; exit 2; }
n=$1 dir=$2
case $n in [2-9] | 1[0-9] | 2[0-9] | 3[01]) ;; *) echo "lab-mesh: N is 2-31" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir/shared/usr/local/bin"
{
	echo "# $n UML guests in one DC, every two linked over TCP: written by tools/lab-mesh.sh $n"
	echo "LAB_DESCRIPTION=\"$n guests in one DC, all-to-all\""
	echo "LAB_DVS=MESH"
	echo "LAB_HOST=none"
	echo "dc[0]=MESH"
	i=1
	while [ $i -le "$n" ]; do
		echo "g$i[node]=$i"
		# 96M, not less: a guest's kernel runs at most about 2 threads per MiB
		# (64 KiB stacks), and a proxy of 15 links, the kernel's own threads
		# and a check's forks left a 64M guest none ("can't fork").
		echo "g$i[mem]=96M"
		echo "g$i[dc]=0"
		j=$((i + 1))
		while [ $j -le "$n" ]; do echo "g$i[link]=g$j:tcp"; j=$((j + 1)); done
		i=$((i + 1))
	done
} > "$dir/lab.conf"
cp "$here/lab-mesh-node.sh" "$dir/shared/usr/local/bin/mesh"
echo "mesh start $n" > "$dir/shared.startup"
{
	echo "# Every guest calls every other guest's server: dvs-lab check $dir"
	i=1
	while [ $i -le "$n" ]; do
		printf 'check g%d calls the other %d guests\non g%d\nrun mesh call %d\noutput %d of %d servers answered\n\n' \
			$i $((n - 1)) $i "$n" $((n - 1)) $((n - 1))
		i=$((i + 1))
	done
} > "$dir/lab.check"
