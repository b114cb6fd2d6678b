#!/usr/bin/env bash
# Build the guest root filesystem without root privileges.
#
#   rootfs/build-rootfs.sh IMAGE STAGING BUILD_DIR
#
# STAGING is filled with busybox-static and its applets, the init, libdvk,
# the dvs tool and the in-guest tests, then turned into an ext4 IMAGE with
# mke2fs -d (under fakeroot when not root, so files belong to root inside).
set -euo pipefail
img=$1 stage=$2 b=$3
top=$(cd "$(dirname "$0")/.." && pwd)
size=${ROOTFS_SIZE:-128M}
busybox=/bin/busybox
[ -x "$busybox" ] || { echo "build-rootfs: $busybox missing; install busybox-static (make deps)" >&2; exit 1; }
[[ $(file -L "$busybox" 2>/dev/null) == *'dynamically linked'* ]] &&
	{ echo "build-rootfs: $busybox is not static; install busybox-static" >&2; exit 1; }

rm -rf "$stage"
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,usr/lib/dvs-tests,usr/include/dvk,etc,proc,sys,dev,tmp,root,lib64,lib/x86_64-linux-gnu}
cp "$busybox" "$stage/bin/busybox"
# bash, for tools/dvs-lab start --host in the host VM (tests/run.sh).
[ -x /bin/bash-static ] || { echo "build-rootfs: /bin/bash-static missing; install bash-static (make deps)" >&2; exit 1; }
install -m755 /bin/bash-static "$stage/bin/bash"
for applet in $("$busybox" --list-full); do
	[ -e "$stage/$applet" ] || ln -s /bin/busybox "$stage/$applet"
done
install -m755 "$top/rootfs/init" "$stage/sbin/init"
for t in dvs dvs-ping dvs-svc dvs-bench dvs-proxy net-pingpong; do install -m755 "$b/tools/$t" "$stage/usr/bin/$t"; done
# Guests and host VMs make taps for nested guests, and halt them.
install -m755 "$top/net-setup/dvs-tap" "$stage/usr/sbin/dvs-tap"
# uml-utilities' tunctl replaces busybox's (which has no -u); iproute2's tipc
# configures TIPC for the proxies' tipc transport.
for t in sbin/tunctl bin/uml_mconsole sbin/tipc; do
	p=$(PATH=$PATH:/usr/sbin:/sbin command -v "${t#*/}") || { echo "build-rootfs: ${t#*/} missing; install uml-utilities and iproute2" >&2; exit 1; }
	rm -f "$stage/usr/$t"
	install -m755 "$p" "$stage/usr/$t"
	# ... with the libraries they need (libc is there; uml_mconsole wants readline).
	for lib in $(ldd "$p" | awk '$3 ~ /^\// { print $3 }'); do
		cp -L "$lib" "$stage/lib/x86_64-linux-gnu/"
	done
done
install -m755 "$top/tests/guest/run-guest-tests" "$stage/usr/lib/dvs-tests/"
for t in "$b"/guest-tests/* "$top"/tests/guest/*.sh; do install -m755 "$t" "$stage/usr/lib/dvs-tests/"; done
# libdvk for dynamically linked programs, with the libc it needs.
install -m755 "$b/lib/libdvk.so.0" "$stage/usr/lib/"
install -m644 "$top"/include/dvk/{dvk_abi.h,dvk_errno.h,libdvk.h} "$stage/usr/include/dvk/"
cp -L /lib64/ld-linux-x86-64.so.2 "$stage/lib64/"
cp -L /lib/x86_64-linux-gnu/libc.so.6 "$stage/lib/x86_64-linux-gnu/"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$stage/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$stage/etc/group"
printf 'export PS1="\\h:\\w# "\n' > "$stage/etc/profile"

rm -f "$img.tmp"
mk=(mke2fs -q -F -t ext4 -L dvsroot -d "$stage" "$img.tmp" "$size")
if [ "$(id -u)" = 0 ]; then "${mk[@]}"; else fakeroot -- "${mk[@]}"; fi
mv "$img.tmp" "$img"
echo "  [rootfs] ${img} ($(du -sh "$stage" | cut -f1) of files)"
