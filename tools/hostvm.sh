#!/usr/bin/env bash
# The host-VM harness: boot one of Debian 12's stock kernels in
# QEMU with an initramfs built from the rootfs tree, run one command inside,
# and return its output and exit status. Needs no root; loading modules into
# the developer's own kernel is never needed.
#
#   tools/hostvm.sh fetch        download + unpack the Debian kernel image and headers
#   tools/hostvm.sh release      print the kernel release (fetches if needed)
#   tools/hostvm.sh kdir         print the headers dir for make -C <kdir> M=<dir> modules
#   tools/hostvm.sh run [options] -- CMD [ARGS...]     (see --help)
#
# Environment: B (build dir, default build, relative to the repo top),
# HOSTVM_KERNEL (which Debian kernel: 6.1, the default, from linux-image-amd64;
# 6.12 from linux-image-6.12-amd64; 6.12-rt from linux-image-6.12-rt-amd64,
# PREEMPT_RT), HOSTVM_DIR (default $B/hostvm, $B/hostvm-6.12 ...),
# HOSTVM_ACCEL (tcg, or kvm where KVM works).
# The guest's /sbin/init is rootfs/init: dvs.run=cmd runs `sh /etc/dvs-cmd`,
# then prints "dvs-init: exit status N" and powers off.
set -euo pipefail
umask 022

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
B=${B:-build}
[[ $B = /* ]] || B=$top/$B
kernel_choice=${HOSTVM_KERNEL:-6.1}
case $kernel_choice in
6.1) meta=linux-image-amd64 HV=${HOSTVM_DIR:-$B/hostvm} ;;
6.12) meta=linux-image-6.12-amd64 HV=${HOSTVM_DIR:-$B/hostvm-6.12} ;;
6.12-rt) meta=linux-image-6.12-rt-amd64 HV=${HOSTVM_DIR:-$B/hostvm-6.12-rt} ;;
*) echo "hostvm: HOSTVM_KERNEL=$kernel_choice: 6.1, 6.12 or 6.12-rt" >&2; exit 2 ;;
esac
[[ $HV = /* ]] || HV=$top/$HV
root=$HV/root	# every package dpkg -x'ed here
rel=

usage() {
	cat <<EOF
usage: tools/hostvm.sh fetch | release | kdir
       tools/hostvm.sh run [options] -- CMD [ARGS...]

fetch     download (apt-get download) and unpack Debian's $meta
          and its headers into $HV (idempotent)
release   print the kernel release, e.g. 6.1.0-41-amd64
kdir      print the headers dir: make -C \$(tools/hostvm.sh kdir) M=\$PWD modules
run       boot the kernel in QEMU (TCG) with an initramfs, run CMD there as root
          (sh /etc/dvs-cmd), print its output (kernel lines go only to --log) and
          exit with its status; 124: timed out, 125: the VM ended first (panic?)

run options:
  --rootfs DIR      initramfs base tree (default: $B/rootfs)
  --add SRC:DST     add host file or dir SRC at absolute DST (repeatable)
  --module NAME     add the Debian kernel's module NAME and its dependencies, so
                    'modprobe NAME' works inside (repeatable)
  --append "ARGS"   extra kernel command-line words (repeatable)
  --mem MB          guest RAM (default 1024)
  --smp N           guest CPUs (default 2)
  --kernel FILE     boot FILE (a bzImage, e.g. the SMP debug kernel of
                    uml/build-kernel.sh smp-kasan) instead of Debian's; its
                    modules are whatever --add brings (not with --module)
  --timeout SEC     whole-run limit (default 600)
  --log FILE        save the complete console log (kernel messages included)
  --share DIR:TAG   share host directory DIR read-write over 9p (virtio), mounted
                    at /TAG inside before CMD runs (with Debian's kernel, its 9p
                    modules are added and loaded first)
Environment: B, HOSTVM_KERNEL (6.1, 6.12 or 6.12-rt; default 6.1), HOSTVM_DIR,
HOSTVM_ACCEL (default tcg; kvm).
EOF
}

say() { echo "  [hostvm] $*" >&2; }
die() { echo "hostvm: $*" >&2; exit 1; }

# Complete = the release file exists (written last by fetch) and the kernel is there.
have_release() { [[ -f $HV/release && -f $root/boot/vmlinuz-$(<"$HV/release") ]]; }
ensure() { have_release || fetch; rel=$(<"$HV/release"); }
# One fetch at a time (parallel make/test runs share $HV).
fetch() { mkdir -p "$HV"; (flock 9 && fetch_locked) 9>"$HV/lock"; }

fetch_locked() {
	local img deps=()
	img=$(apt-cache depends "$meta" 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }') || true
	[[ -n $img ]] || die "apt knows no $meta (no package lists?): run 'make deps' or 'sudo apt-get update'"
	rel=${img#linux-image-}
	rel=${rel%-unsigned}
	if have_release && [[ $(<"$HV/release") = "$rel" ]]; then
		say "Debian kernel $rel already unpacked in $root"
		return
	fi
	# The headers need their arch-independent half and the kbuild scripts.
	mapfile -t deps < <(apt-cache depends "linux-headers-$rel" 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-(headers-.*-common|kbuild-)/ { print $2 }' | sort -u)
	((${#deps[@]} == 2)) || die "cannot find the -common and linux-kbuild packages linux-headers-$rel depends on"
	rm -rf "$HV/release" "$HV/debs" "$root"	# a new release replaces the old one
	mkdir -p "$HV/debs" "$root"
	say "downloading $img linux-headers-$rel ${deps[*]}"
	(cd "$HV/debs" && apt-get -q download "$img" "linux-headers-$rel" "${deps[@]}") >&2 ||
		die "apt-get download failed (in $HV/debs); if the package lists are missing or stale, run 'make deps' or 'sudo apt-get update'"
	local deb
	for deb in "$HV"/debs/*.deb; do
		say "unpacking ${deb##*/}"
		dpkg -x "$deb" "$root"
	done
	[[ -f $root/boot/vmlinuz-$rel ]] || die "$img has no boot/vmlinuz-$rel"
	# Absolute links (lib/modules/*/build, source) point into the host's /usr:
	# make them relative, into the unpacked tree.
	local l
	while IFS= read -r -d '' l; do
		ln -sfnr "$root$(readlink "$l")" "$l"
	done < <(find "$root" -type l -lname '/*' -print0)
	# The arch headers' Makefile includes /usr/src/linux-headers-*-common/Makefile.
	sed -i -E 's|^include /usr/src/|include $(dir $(lastword $(MAKEFILE_LIST)))../|' \
		"$root/usr/src/linux-headers-$rel/Makefile"
	# Debian makes modules.dep in postinst: make it here for --module.
	if [[ ! -f $root/lib/modules/$rel/modules.dep ]]; then
		local depmod
		depmod=$(PATH=$PATH:/usr/sbin:/sbin command -v depmod) || die "depmod not found (Debian package kmod)"
		"$depmod" -b "$root" "$rel"
	fi
	# TCG takes ~3 s of every boot to unpack the bzImage: keep the ELF vmlinux
	# inside it too, which QEMU boots directly (PVH entry). Optional. 6.1's
	# is xz-compressed, 6.12's zstd.
	local k=$root/boot/vmlinuz-$rel off unpack=(xz -dc --single-stream)
	off=$(LC_ALL=C grep -m1 -aboUP '\xfd7zXZ\x00' "$k" | LC_ALL=C sed -n '1s/:.*//p') || true
	if [[ -z $off ]]; then
		off=$(LC_ALL=C grep -m1 -aboUP '\x28\xb5\x2f\xfd' "$k" | LC_ALL=C sed -n '1s/:.*//p') || true
		unpack=(zstd -qdc)
	fi
	if [[ -n $off ]] && "${unpack[@]}" <(tail -c +$((off + 1)) "$k") >"$k.elf" 2>/dev/null;
		[[ $(head -c4 "$k.elf") = $'\x7fELF' ]]; then
		mv "$k.elf" "$root/boot/vmlinux-$rel"
	else
		rm -f "$k.elf"
		say "could not extract vmlinux from $k; booting the compressed kernel (slower)"
	fi
	echo "$rel" >"$HV/release"
	say "Debian kernel $rel ready: $root"
}

# Quote words for sh (POSIX single quotes; busybox ash reads the result).
shquote() {
	local a out="" sq="'" esc="'\\''"
	for a; do
		if [[ $a =~ ^[A-Za-z0-9_./=:,+@%-]+$ ]]; then out+=" $a"; else out+=" '${a//$sq/$esc}'"; fi
	done
	printf '%s\n' "${out# }"
}

# Copy modules $@ and their dependencies into $1/lib/modules/$rel, decompressed,
# with a modules.dep listing just those.
add_modules() {
	local dst=$1/lib/modules/$rel src=$root/lib/modules/$rel f
	shift
	mkdir -p "$dst"
	# modules.dep lines are "path: dep-path..." with all dependencies, transitively.
	awk -v want="$*" '
		function key(p) { sub(/:$/, "", p); sub(/.*\//, "", p); sub(/\.ko(\.[a-z]+)?$/, "", p); gsub(/-/, "_", p); return p }
		FNR == NR { builtin[key($1)] = 1; next }
		{ line[$1] = $0; byname[key($1)] = $1 }
		END {
			n = split(want, w, " ")
			for (i = 1; i <= n; i++) {
				k = key(w[i])
				if (!(k in byname)) {
					if (k in builtin) { print "  [hostvm] " w[i] " is built into the kernel" > "/dev/stderr"; continue }
					print "hostvm: no module " w[i] " in the Debian kernel" > "/dev/stderr"; bad = 1; continue
				}
				m = split(line[byname[k]], d, " ")
				for (j = 1; j <= m; j++) { p = d[j]; sub(/:$/, "", p); print line[p ":"] }
			}
			exit bad
		}' "$src/modules.builtin" "$src/modules.dep" | sort -u >"$dst/modules.dep.in" ||
		die "--module: see $src/modules.dep and modules.builtin"
	for f in $(cut -d: -f1 "$dst/modules.dep.in"); do
		mkdir -p "$dst/$(dirname "$f")"
		case $f in	# busybox modprobe may not read compressed modules
		*.ko.xz) xz -dc "$src/$f" >"$dst/${f%.xz}" ;;
		*.ko.zst) zstd -qdc "$src/$f" >"$dst/${f%.zst}" ;;
		*.ko.gz) gzip -dc "$src/$f" >"$dst/${f%.gz}" ;;
		*) cp "$src/$f" "$dst/$f" ;;
		esac
	done
	sed -E 's/\.ko\.(xz|zst|gz)\b/.ko/g' "$dst/modules.dep.in" >"$dst/modules.dep"
	rm "$dst/modules.dep.in"
}

tmp="" qpid="" spid="" fpid="" log=""
# Runs on every exit (normal, timeout, Ctrl-C): qemu first, so tail ends too.
cleanup() {
	if [[ -n $qpid ]]; then
		kill "$qpid" 2>/dev/null || true
		for _ in {1..20}; do kill -0 "$qpid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$qpid" 2>/dev/null || true
		wait "$qpid" 2>/dev/null || true
	fi
	if [[ -n $spid ]]; then kill "$spid" 2>/dev/null || true; wait "$spid" 2>/dev/null || true; fi
	if [[ -n $fpid ]]; then wait "$fpid" 2>/dev/null || true; fi
	if [[ -n $log && -f $tmp/console ]]; then mkdir -p "$(dirname "$log")"; tr -d '\r' <"$tmp/console" >"$log"; fi
	if [[ -n $tmp ]]; then rm -rf "$tmp"; fi
	qpid="" spid="" fpid="" tmp=""
}

run() {
	local rootfs=$B/rootfs mem=1024 smp=2 timeout=600 adds=() mods=() append=() a kernel= shares=()
	while (($#)); do
		case $1 in
		--) shift; break ;;
		-h | --help) usage; exit 0 ;;
		--rootfs | --add | --module | --append | --mem | --smp | --timeout | --log | --kernel | --share)
			(($# >= 2)) || die "run: $1 needs an argument"
			case $1 in
			--rootfs) rootfs=$2 ;; --add) adds+=("$2") ;; --module) mods+=("$2") ;;
			--append) append+=("$2") ;; --mem) mem=$2 ;; --smp) smp=$2 ;;
			--timeout) timeout=$2 ;; --log) log=$(realpath -m -- "$2") ;;
			--kernel) kernel=$(realpath -m -- "$2") ;;
			--share) shares+=("$2") ;;
			esac
			shift 2 ;;
		-*) die "run: unknown option $1 (see --help)" ;;
		*) break ;;
		esac
	done
	(($#)) || die "run: no command given (run [options] -- CMD [ARGS...])"
	for a in "$mem" "$smp" "$timeout"; do [[ $a =~ ^[1-9][0-9]*$ ]] || die "run: '$a' is not a positive number"; done
	[[ -f $rootfs/sbin/init ]] || die "no $rootfs/sbin/init: build the rootfs (make rootfs) or pass --rootfs DIR"
	grep -q dvs-cmd "$rootfs/sbin/init" || echo "hostvm: warning: $rootfs/sbin/init does not know dvs.run=cmd (an older build?)" >&2
	rootfs=$(realpath -- "$rootfs")
	if [[ -n $kernel ]]; then
		[[ -f $kernel ]] || die "--kernel $kernel: no such file"
		((${#mods[@]} == 0)) || die "--module is for Debian's kernel; with --kernel, --add the modules"
	else
		ensure
	fi

	local virtfs=() tag dir
	for a in "${shares[@]}"; do
		[[ $a =~ ^(.+):([A-Za-z0-9_]{1,31})$ ]] || die "--share $a: want DIR:TAG (TAG: letters, digits, _)"
		dir=${BASH_REMATCH[1]} tag=${BASH_REMATCH[2]}
		[[ -d $dir ]] || die "--share $a: no such directory $dir"
		[[ $dir != *,* ]] || die "--share $a: QEMU takes no comma in the path"
		virtfs+=(-virtfs "local,path=$(realpath -- "$dir"),mount_tag=$tag,security_model=none,multidevs=remap")
	done
	if ((${#shares[@]})) && [[ -z $kernel ]]; then mods+=(virtio_pci 9pnet_virtio 9p); fi

	tmp=$(mktemp -d /tmp/hostvm.XXXXXX)
	trap cleanup EXIT
	trap 'exit 130' INT; trap 'exit 143' TERM; trap 'exit 129' HUP
	local x=$tmp/extra src dst
	mkdir -p "$x/etc"
	for a in "${adds[@]}"; do
		[[ $a = *:/* ]] || die "--add $a: want SRC:/absolute/DST"
		src=${a%:/*} dst=/${a##*:/}
		[[ -e $src ]] || die "--add $a: no such file $src"
		mkdir -p "$x$(dirname "$dst")"
		cp -RL -- "$src" "$x$dst"
	done
	((${#mods[@]} == 0)) || add_modules "$x" "${mods[@]}"
	{
		# The 9p modules, then the shares, then the command.
		((${#shares[@]} == 0)) || [[ -n $kernel ]] || echo "modprobe -a virtio_pci 9pnet_virtio 9p"
		for a in "${shares[@]}"; do
			tag=${a##*:}
			echo "mkdir -p /$tag && mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 $tag /$tag ||" \
				"{ echo 'hostvm: cannot mount share $tag at /$tag'; exit 1; }"
		done
		shquote "$@"
	} >"$x/etc/dvs-cmd"
	# Two newc archives, concatenated (the kernel unpacks both): the base tree,
	# then the extras without the dirs the base has (keeps their modes).
	(cd "$rootfs" && find . -print0 | cpio -o -0 -H newc -R 0:0 --quiet) >"$tmp/initrd"
	(cd "$x" && find . -mindepth 1 -print0 | while IFS= read -r -d '' a; do
		[[ -d $a && -d $rootfs/$a ]] || printf '%s\0' "$a"
	done | cpio -o -0 -H newc -R 0:0 --quiet) >>"$tmp/initrd"

	# console_msg_format=syslog puts "<level>" before kernel lines on the
	# console, so they can be told apart from the command's output (and dmesg's).
	local accel=${HOSTVM_ACCEL:-tcg} cpu=()
	if [[ -z $kernel ]]; then
		kernel=$root/boot/vmlinux-$rel
		[[ -f $kernel ]] || kernel=$root/boot/vmlinuz-$rel
	fi
	# TCG's default CPU has no RDRAND: the kernel's random pool then starts
	# from timer jitter alone, which under TCG can take minutes, and the
	# first getrandom() (dvs-proxy's, a UML guest's) soft-locks a vCPU
	# meanwhile. With RDRAND (RANDOM_TRUST_CPU=y) the pool is ready at boot.
	cpu=(-cpu qemu64,+rdrand)
	[[ $accel = kvm ]] && cpu=(-cpu host)
	# tsc=unstable: under TCG the clocksource watchdog may find the TSC skewed
	# mid-run and switch sched_clock's static key while other vCPUs run the
	# code being patched; Debian's 6.12 then died of "Oops: int3" in
	# sched_clock_cpu (once, in a test run). Unstable from boot, the key never flips.
	local cmdline="console=ttyS0 console_msg_format=syslog rdinit=/sbin/init panic=-1 tsc=unstable dvs.run=cmd ${append[*]}"
	: >"$tmp/console"
	qemu-system-x86_64 -accel "$accel" "${cpu[@]}" -machine pc -m "$mem" -smp "$smp" \
		-nodefaults -display none -no-reboot -kernel "$kernel" \
		-initrd "$tmp/initrd" -append "$cmdline" -serial "file:$tmp/console" "${virtfs[@]}" </dev/null >&2 &
	qpid=$!
	# Stream the command's output: drop kernel lines, stop at the marker (which
	# follows the output's last line if that has no newline).
	tail -s 0.1 -n +1 -f --pid="$qpid" "$tmp/console" | sed -u -n -e 's/\r//g' \
		-e '/^<[0-9]*>\[ *[0-9]*\.[0-9]*\]/d' -e '/dvs-init: exit status [0-9]*$/{s///;/./p;q;}' -e p &
	fpid=$!
	sleep "$timeout" &
	spid=$!
	local first="" qrc=0
	wait -n -p first "$qpid" "$spid" || qrc=$?
	if [[ $first = "$spid" ]]; then
		spid=
		cleanup	# kills qemu and flushes the output first
		echo "hostvm: timed out after ${timeout}s; the VM was killed" >&2
		exit 124
	fi
	qpid=
	kill "$spid" 2>/dev/null || true
	wait "$spid" 2>/dev/null || true
	spid=
	wait "$fpid" || true
	fpid=
	local st
	st=$(tr -d '\r' <"$tmp/console" | sed -n 's/.*dvs-init: exit status \([0-9]\{1,\}\)$/\1/p' | tail -n 1)
	if [[ -z $st ]]; then
		{
			echo "hostvm: the VM ended without 'dvs-init: exit status N' (qemu exit $qrc; kernel panic or init failure?)${log:+; full log: $log}"
			tr -d '\r' <"$tmp/console" | grep -a -m3 -E 'Kernel panic|BUG:|Oops|RIP:' || true
			echo "  ... console tail:"
			tr -d '\r' <"$tmp/console" | tail -n 8
		} >&2
		exit 125
	fi
	exit "$st"
}

case ${1:-} in
fetch) fetch ;;
release) ensure; echo "$rel" ;;
kdir) ensure; echo "$root/usr/src/linux-headers-$rel" ;;
run) shift; run "$@" ;;
-h | --help | help) usage ;;
'') usage >&2; exit 2 ;;
*) echo "hostvm: unknown command '$1'" >&2; usage >&2; exit 2 ;;
esac
