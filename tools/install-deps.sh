#!/usr/bin/env bash
# Install the Debian 12 packages DVS-UML needs to build, boot and test, if any
# is missing. Uses sudo when not root, and says what it installs.
set -euo pipefail

pkgs=(
	build-essential bc flex bison libelf-dev ccache xz-utils patch	# kernel build
	linux-source-6.1 linux-source-6.12				# the guest kernel sources (KVER=6.1, 6.12)
	zstd dwarves dkms						# Debian 6.12's vmlinuz; BTF for dvk.ko; dkms build
	busybox-static bash-static e2fsprogs				# guest root filesystem (bash: dvs-lab in the host VM)
	uml-utilities iproute2						# uml_mconsole, tunctl, uml_switch; tipc
	python3 kmod cpio fakeroot file					# kernel build helpers
	qemu-system-x86							# the host VM (tools/hostvm.sh)
	clang libclang-rt-14-dev					# the wire codec's fuzz target (libFuzzer)
	libsodium-dev							# dvs-proxy: frame tags, handshake, keys, nonces
	libisal-dev							# test_wire: ISA-L cross-checks the CRC32C
	libxml2-utils							# xmllint: dvs trace chart's SVG is checked well-formed
)

missing=()
for p in "${pkgs[@]}"; do
	[[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == 'install ok installed' ]] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
	sudo=sudo
fi
echo "install-deps: installing from Debian: ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
