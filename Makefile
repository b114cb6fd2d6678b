# DVS-UML top-level Makefile.
#
#   make          ./linux (UML guest with the DVK), libdvk, tools, guest rootfs
#   make demo     the above and dvk.ko, then the teaching demo: node 0 (Debian's kernel
#                 in the host VM, dvk.ko) and node 1 (a UML guest in it) over the bridge
#   make test     every test: host unit tests, KUnit and in-guest tests, dvk.ko in
#                 UML and in the host VM (Debian's kernel under QEMU), remote IPC,
#                 the bridge, the demo
#   make bench    the DVK against pipes, sockets, SysV queues, process_vm_readv, in
#                 the UML guest and in the host VM; remote IPC against raw TCP, and
#                 the bridge against a tap
#   make fuzz     the call-sequence fuzzer in the KASAN/lockdep test kernel, FUZZ_SECONDS
#                 long (300; DVK_FUZZ_SEED=S repeats a run)
#   make deps     install the Debian packages the build needs (sudo if not root)
#
# Build outputs go to build/ (B=...), never into the source tree.

B        ?= build
JOBS     ?= $(shell nproc)
# The guest kernel's source: Debian's linux-source-6.1 (the default) or -6.12.
# A 6.12 kernel is built in $(B)/kernel-<flavour>-6.12.
KVER     ?= 6.1
KSFX     := $(if $(filter 6.1,$(KVER)),,-$(KVER))
# Debian's kernels the host VM boots (tools/hostvm.sh, HOSTVM_KERNEL): the
# one make demo and make modules-debian use, and every one make test covers.
HOSTVM_KERNEL ?= 6.1
HOST_KERNELS  := 6.1 6.12 6.12-rt
CC       ?= cc
WARN     := -Wall -Wextra -Werror
CSTD     := -std=c11 -D_GNU_SOURCE
INC      := -Iinclude
# Guest programs are static: the rootfs then needs no libc of its own for them.
GUEST_CFLAGS := $(CSTD) $(WARN) -O2 -g $(INC) -fsanitize=undefined -fsanitize-undefined-trap-on-error
# Host-side unit tests run under ASan and UBSan.
SAN_CFLAGS   := $(CSTD) $(WARN) -O1 -g $(INC) -fsanitize=address,undefined -fno-omit-frame-pointer

LIB_SRCS  := lib/libdvk.c lib/strerror.c lib/compat.c
ABI_HDRS  := $(wildcard include/dvk/*.h)
LIB_OBJS  := $(LIB_SRCS:lib/%.c=$(B)/lib/%.o)
PIC_OBJS  := $(LIB_SRCS:lib/%.c=$(B)/lib/%.pic.o)
DVK_VERSION := $(shell sed -n 's/^\#define DVK_VERSION[[:space:]]*\([0-9]*\).*/\1/p' include/dvk/dvk_abi.h)

GUEST_TESTS := $(patsubst tests/guest/%.c,$(B)/guest-tests/%,$(filter-out tests/guest/test_util.c,$(wildcard tests/guest/*.c)))
HOST_TESTS  := $(patsubst tests/host/%.c,$(B)/host-tests/%,$(wildcard tests/host/*.c))


.PHONY: all deps demo test bench fuzz kernel kernel-test kernel-mod kernel-smp modules modules-uml modules-debian modules-debian-all modules-smp lib tools rootfs clean install help
.DELETE_ON_ERROR:

all: linux lib tools rootfs

help:
	@sed -n '3,14p' Makefile | sed 's/^# \{0,1\}//'

deps:
	@tools/install-deps.sh

# ---- kernels (incremental, out of tree; see uml/build-kernel.sh) -----------
linux: kernel
	@cp $(B)/kernel-main$(KSFX)/linux $@.tmp && mv $@.tmp $@
kernel:
	@DVS_BUILD=$(abspath $(B)) JOBS=$(JOBS) KVER=$(KVER) uml/build-kernel.sh main
kernel-test:
	@DVS_BUILD=$(abspath $(B)) JOBS=$(JOBS) KVER=$(KVER) uml/build-kernel.sh test
kernel-mod:
	@DVS_BUILD=$(abspath $(B)) JOBS=$(JOBS) KVER=$(KVER) uml/build-kernel.sh mod
# x86_64 SMP debug kernels for the host VM (KASAN + kmemleak, KCSAN; lockdep in both).
SMP_FLAVOURS := smp-kasan smp-kcsan
kernel-smp:
	@for f in $(SMP_FLAVOURS); do DVS_BUILD=$(abspath $(B)) JOBS=$(JOBS) uml/build-kernel.sh $$f || exit 1; done

# ---- dvk.ko and the test module, for the kernels the tests boot ------------
#   uml-test: over the test kernel's built-in core (objective 3)
#   uml-mod:  the whole core, for the UML kernel without DVKIPC
#   debian:   the whole core, for Debian's kernel in the host VM (debian-6.12,
#             debian-6.12-rt: for the other kernels of HOST_KERNELS)
#   smp-*:    the whole core, for the SMP debug kernels in the host VM
modules: modules-uml modules-debian-all modules-smp
modules-uml: kernel-test kernel-mod
	@$(MAKE) --no-print-directory -C host-mod TESTS=1 KDIR=$(abspath $(B))/kernel-test OUT=$(abspath $(B))/host-mod/uml-test
	@$(MAKE) --no-print-directory -C host-mod TESTS=1 KDIR=$(abspath $(B))/kernel-mod OUT=$(abspath $(B))/host-mod/uml-mod
debian_out = $(abspath $(B))/host-mod/debian$(if $(filter 6.1,$(1)),,-$(1))
modules-debian:
	@kdir=$$(HOSTVM_KERNEL=$(HOSTVM_KERNEL) B=$(B) tools/hostvm.sh kdir) && \
	$(MAKE) --no-print-directory -C host-mod TESTS=1 KDIR=$$kdir OUT=$(call debian_out,$(HOSTVM_KERNEL))
modules-debian-all:
	@for k in $(HOST_KERNELS); do $(MAKE) --no-print-directory modules-debian HOSTVM_KERNEL=$$k || exit 1; done
modules-smp: kernel-smp
	@for f in $(SMP_FLAVOURS); do \
		$(MAKE) --no-print-directory -C host-mod TESTS=1 KDIR=$(abspath $(B))/kernel-$$f \
			OUT=$(abspath $(B))/host-mod/$$f || exit 1; done

# ---- libdvk ----------------------------------------------------------------
lib: $(B)/lib/libdvk.a $(B)/lib/libdvk.so $(B)/lib/dvk.pc

$(B)/lib/%.o: lib/%.c $(ABI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -c $< -o $@
$(B)/lib/%.pic.o: lib/%.c $(ABI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -g $(INC) -fPIC -c $< -o $@
$(B)/lib/libdvk.a: $(LIB_OBJS)
	$(AR) rcs $@ $^
$(B)/lib/libdvk.so: $(PIC_OBJS)
	$(CC) -shared -Wl,-soname,libdvk.so.0 -o $(B)/lib/libdvk.so.0 $^
	ln -sf libdvk.so.0 $@
$(B)/lib/dvk.pc: lib/dvk.pc.in include/dvk/dvk_abi.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(DVK_VERSION)|' $< > $@

PREFIX ?= /usr/local
install: lib
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include/dvk
	install -m644 $(B)/lib/libdvk.a $(DESTDIR)$(PREFIX)/lib/
	install -m755 $(B)/lib/libdvk.so.0 $(DESTDIR)$(PREFIX)/lib/
	ln -sf libdvk.so.0 $(DESTDIR)$(PREFIX)/lib/libdvk.so
	install -m644 $(B)/lib/dvk.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/
	install -m644 include/dvk/dvk_abi.h include/dvk/dvk_errno.h include/dvk/libdvk.h include/dvk/compat.h $(DESTDIR)$(PREFIX)/include/dvk/

# ---- tools and tests ---------------------------------------------------------
tools: $(B)/tools/dvs $(B)/tools/dvs-ping $(B)/tools/dvs-svc $(B)/tools/dvs-bench $(B)/tools/dvs-proxy $(B)/tools/net-pingpong

$(B)/tools/%: tools/%.c $(B)/lib/libdvk.a $(ABI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -static $< $(B)/lib/libdvk.a -o $@

# dvs: migrate move and agent, and trace, live in files of their own.
DVS_SRCS := tools/dvs.c tools/dvs-migrate.c tools/dvs-trace.c
$(B)/tools/dvs: $(DVS_SRCS) tools/dvs-migrate.h tools/dvs-trace.h $(B)/lib/libdvk.a $(ABI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -static $(DVS_SRCS) $(B)/lib/libdvk.a -o $@

$(B)/guest-tests/%: tests/guest/%.c tests/guest/test_util.c tests/guest/test_util.h tests/bridge/bridge_frame.h $(B)/lib/libdvk.a $(ABI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -Itests/guest -static $< tests/guest/test_util.c $(B)/lib/libdvk.a -lpthread -o $@

$(B)/host-tests/%: tests/host/%.c $(LIB_SRCS) $(ABI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $< $(LIB_SRCS) -o $@

# The in-guest programs' harness, tested on the build host.
$(B)/host-tests/test_harness: tests/host/test_harness.c tests/guest/test_util.c tests/guest/test_util.h $(LIB_SRCS) $(ABI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Itests/guest $< tests/guest/test_util.c $(LIB_SRCS) -o $@

# The bridge driver's test: its scripted host end (the guest end is tests/guest/bridge_dev.c).
$(B)/test-helpers/bridge_host: tests/bridge/bridge_host.c tests/bridge/bridge_frame.h $(ABI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $< -o $@

# The proxies' wire codec: WIRE_SRCS and the rule for its unit test.
include proxies/proxies.mk

# ---- guest root filesystem -------------------------------------------------
rootfs: $(B)/rootfs.img

$(B)/rootfs.img: rootfs/build-rootfs.sh rootfs/init net-setup/dvs-tap $(B)/tools/dvs $(B)/tools/dvs-ping $(B)/tools/dvs-svc $(B)/tools/dvs-bench $(B)/tools/dvs-proxy $(B)/tools/net-pingpong $(B)/lib/libdvk.so $(GUEST_TESTS) $(wildcard tests/guest/*.sh) tests/guest/run-guest-tests
	@rootfs/build-rootfs.sh $@ $(B)/rootfs $(B)

# ---- the two README commands -------------------------------------------------
demo: deps
	@$(MAKE) --no-print-directory all modules-debian
	@tools/demo.sh

test: deps
	@$(MAKE) --no-print-directory all modules $(HOST_TESTS) $(B)/test-helpers/bridge_host
	@$(MAKE) --no-print-directory kernel-test KVER=6.12
	@B=$(B) tests/run.sh

# Figures go to stdout and to $(B)/bench.txt; never asserted (see tools/bench.sh):
# the UML guest (Linux 6.1 and 6.12), then Debian's 6.12 and 6.1 in the host VM with dvk.ko.
bench: deps
	@$(MAKE) --no-print-directory all modules-debian
	@$(MAKE) --no-print-directory kernel KVER=6.12
	@$(MAKE) --no-print-directory modules-debian HOSTVM_KERNEL=6.12
	@B=$(B) tools/bench.sh

fuzz: deps
	@$(MAKE) --no-print-directory kernel-test rootfs
	@B=$(B) tools/fuzz.sh

clean:
	rm -rf $(B) linux linux.tmp
