#!/bin/sh
# kmemleak around a test suite, on kernels where it runs (the UML test
# kernel booted with kmemleak=on, the SMP KASAN kernel; elsewhere, or when
# it is off, this prints nothing):
#
#   kmemleak-check.sh clear        forget what is unreferenced now
#   kmemleak-check.sh check NAME   scan; PASS: kmemleak/NAME when nothing
#                                  allocated since is unreferenced, else
#                                  FAIL with kmemleak's records
#   kmemleak-check.sh planted NAME the checker checked: after a module that
#                                  leaks on purpose, PASS when it is seen
k=/sys/kernel/debug/kmemleak
[ -e $k ] || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
# Off (kmemleak=off, or the kernel's default): its file refuses commands.
[ -w $k ] && echo scan > $k 2>/dev/null || exit 0
case $1 in
clear)	echo clear > $k ;;
check | planted)
	# kmemleak reports an object only once it is 5 s old; two scans, as
	# its documentation advises, so a pointer in flight is not a leak.
	sleep 6
	echo scan > $k
	echo scan > $k
	if [ $1 = planted ]; then
		n=$(grep -c '^unreferenced object' $k)
		[ "$n" -gt 0 ] && echo "PASS: kmemleak/$2-seen ($n objects)" ||
			echo "FAIL: kmemleak/$2-seen: the planted leak was not reported"
	elif [ -s $k ]; then
		echo "FAIL: kmemleak/$2: $(grep -c '^unreferenced object' $k) unreferenced objects"
		sed 's/^/    /' $k | head -80
	else
		echo "PASS: kmemleak/$2"
	fi
	echo clear > $k ;;
*)	echo "usage: kmemleak-check.sh clear | check NAME | planted NAME" >&2; exit 2 ;;
esac
