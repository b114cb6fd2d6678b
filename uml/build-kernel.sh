#!/usr/bin/env bash
# Build a DVS-UML guest kernel (ARCH=um, x86_64) out of tree.
#
#   uml/build-kernel.sh main   ->  build/kernel-main/linux   (the ./linux users run)
#   uml/build-kernel.sh test   ->  build/kernel-test/linux   (KASAN, lockdep, KUnit)
#   uml/build-kernel.sh mod    ->  build/kernel-mod/linux    (as test, but no DVKIPC:
#                                  the DVK comes as host-mod's dvk.ko)
#   uml/build-kernel.sh smp-kasan  ->  build/kernel-smp-kasan/arch/x86/boot/bzImage
#   uml/build-kernel.sh smp-kcsan  ->  build/kernel-smp-kcsan/arch/x86/boot/bzImage
#                                  (x86_64 SMP debug kernels for the host VM, which
#                                  loads dvk.ko into them: KASAN + kmemleak, or
#                                  KCSAN; lockdep in both. KASAN excludes KCSAN.)
#
# Each tree is also prepared for out-of-tree modules (host-mod/ builds
# against it with KDIR=build/kernel-<flavour>).
#
# The source is Debian's linux-source-$KVER tarball (KVER 6.1, the default,
# or 6.12), unpacked once into build/src/ and patched with uml/patches/series
# (series-6.12 for 6.12). A 6.12 kernel's tree is build/kernel-<flavour>-6.12. The DVK core (dvk/) and the
# ABI headers (include/dvk/) are linked into that tree as ipc/dvk and
# include/dvk, the bridge driver (guest-driver/) as arch/um/drivers/dvsbridge,
# so editing them needs no re-unpack and rebuilds incrementally.
# The tree is unpacked again only when the tarball or a patch changes.
set -euo pipefail

flavour=${1:?usage: build-kernel.sh main|test|mod|smp-kasan|smp-kcsan}
top=$(cd "$(dirname "$0")/.." && pwd)
build=${DVS_BUILD:-$top/build}
kver=${KVER:-6.1}
jobs=${JOBS:-$(nproc)}
# 6.1 keeps the unsuffixed paths it always had (and their ccache entries).
case $kver in
6.1) sfx= ;;
6.12) sfx=-6.12 ;;
*) echo "build-kernel.sh: KVER=$kver: 6.1 or 6.12" >&2; exit 2 ;;
esac
tarball=${LINUX_TARBALL:-/usr/src/linux-source-$kver.tar.xz}

# UML flavours start from defconfig; the x86 ones from tinyconfig (small, so
# a fresh build with KASAN or KCSAN takes minutes, not an hour).
arch=um base=defconfig targets=(linux modules)
cfg=$top/uml/config
case $flavour in
main) fragments=("$cfg/dvs.config") ;;
test) fragments=("$cfg/dvs.config" "$cfg/debug.config") ;;
mod) fragments=("$cfg/dvs.config" "$cfg/debug.config" "$cfg/modular.config") ;;
smp-kasan | smp-kcsan)
	arch=x86_64 base=tinyconfig targets=(bzImage modules)
	fragments=("$cfg/smp.config" "$cfg/$flavour.config") ;;
*) echo "build-kernel.sh: unknown flavour '$flavour' (main, test, mod, smp-kasan or smp-kcsan)" >&2; exit 2 ;;
esac

if [ ! -r "$tarball" ]; then
	echo "build-kernel.sh: $tarball not found; install Debian's linux-source-$kver (make deps)" >&2
	exit 1
fi

src=$build/src/linux$sfx
objdir=$build/kernel-$flavour$sfx
label=$flavour$sfx
mkdir -p "$build/src" "$objdir"

# 1. A pristine tree with the patch series applied, redone only when an input changes.
# Flavours built in parallel (make -j kernel kernel-test) share it: one unpacks.
exec 9>"$build/src/.lock$sfx"
flock 9
series=$top/uml/patches/series$sfx
stamp=$( { echo "$tarball"; stat -c '%s %Y' "$tarball"; grep -v '^#' "$series" |
	while read -r p; do [ -n "$p" ] && cat "$top/uml/patches/$p"; done; } | sha256sum | cut -c1-16)
if [ "$(cat "$build/src/.stamp$sfx" 2>/dev/null)" != "$stamp" ]; then
	echo "  [kernel] unpacking $(basename "$tarball") and applying uml/patches"
	rm -rf "$src" "$build/src/.stamp$sfx" "$build/src/unpack$sfx"
	mkdir -p "$build/src/unpack$sfx"
	tar -C "$build/src/unpack$sfx" -xf "$tarball"
	mv "$build/src/unpack$sfx"/* "$src"
	rmdir "$build/src/unpack$sfx"
	grep -v '^#' "$series" | while read -r p; do
		[ -n "$p" ] || continue
		patch -s -p1 -d "$src" < "$top/uml/patches/$p" ||
			{ echo "build-kernel.sh: patch $p does not apply" >&2; exit 1; }
	done
	echo "$stamp" > "$build/src/.stamp$sfx"
fi
ln -sfn "$(realpath --relative-to="$src/ipc" "$top/dvk")" "$src/ipc/dvk"
ln -sfn "$(realpath --relative-to="$src/include" "$top/include/dvk")" "$src/include/dvk"
ln -sfn "$(realpath --relative-to="$src/arch/um/drivers" "$top/guest-driver")" "$src/arch/um/drivers/dvsbridge"
flock -u 9

# ccache keyed on paths relative to the checkout, so a fresh clone elsewhere
# (CI) reuses what an earlier build compiled.
cc=gcc
command -v ccache >/dev/null && cc="ccache gcc"
export CCACHE_BASEDIR=$top CCACHE_NOHASHDIR=1
kmake() { make -s -C "$src" O="$objdir" ARCH=$arch CC="$cc" HOSTCC="$cc" "$@"; }

# 2. The configuration: defconfig + fragments, redone when a fragment changes.
cfgstamp=$(cat "${fragments[@]}" | sha256sum | cut -c1-16)
if [ "$(cat "$objdir/.dvs-config-stamp" 2>/dev/null)" != "$cfgstamp" ] || [ ! -f "$objdir/.config" ]; then
	echo "  [kernel $label] configuring: $base + ${fragments[*]##*/}"
	# A fragment overriding a choice (PREEMPT, the unwinder ...) means it, as
	# does tinyconfig's own: not warned of.
	quiet() { "$@" 2>&1 >/dev/null | { grep -v 'override: .* changes choice state' >&2 || true; }; }
	quiet kmake $base
	(cd "$objdir" && quiet "$src/scripts/kconfig/merge_config.sh" -m -O "$objdir" .config "${fragments[@]}")
	quiet kmake olddefconfig
	# Every symbol as the last fragment setting it says; "is not set" also
	# holds when the symbol is not visible at all.
	missing=$(cat "${fragments[@]}" | awk '
		/^CONFIG_[A-Za-z0-9_]+=/ { s = $0; sub(/=.*/, "", s); want[s] = $0; next }
		/^# CONFIG_[A-Za-z0-9_]+ is not set/ { want[$2] = "unset"; next }
		END { for (s in want) print s " " want[s] }' |
		while read -r sym line; do
			if [ "$line" = unset ]; then
				grep -q "^$sym=" "$objdir/.config" && echo "$sym is set, should not be"
			else
				grep -qxF "$line" "$objdir/.config" || echo "$line did not reach .config"
			fi
		done || true)
	[ -z "$missing" ] || { echo "$missing" | sed 's/^/build-kernel.sh: /' >&2; exit 1; }
	echo "$cfgstamp" > "$objdir/.dvs-config-stamp"
fi

# 3. Build, with a progress line every 500 objects and the log kept for failures.
log=$build/kernel-$label.log
echo "  [kernel $label] building with $jobs jobs (log: ${log#$top/})"
start=$(date +%s)
set +e
make -C "$src" O="$objdir" ARCH=$arch CC="$cc" HOSTCC="$cc" -j"$jobs" "${targets[@]}" 2>&1 | tee "$log" |
	awk -v f="$label" '/^  [A-Z]/ { n++; if (n % 500 == 0) { printf "  [kernel %s] %d steps\n", f, n; fflush() } }'
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" != 0 ]; then
	grep -E 'error|Error' "$log" | head -40 >&2
	echo "build-kernel.sh: kernel build failed (full log: $log)" >&2
	exit 1
fi
out=$objdir/linux
[ $arch = um ] || out=$objdir/arch/x86/boot/bzImage
echo "  [kernel $label] done in $(( $(date +%s) - start )) s: ${out#$top/}"
