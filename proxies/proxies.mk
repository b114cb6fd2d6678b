# The proxies' wire codec (docs/wire.md). Included by the top Makefile after
# its variables (B, SAN_CFLAGS, ABI_HDRS) and its host-tests pattern rule.

# The codec's sources: test_wire and the future dvs-proxy link them.
WIRE_SRCS := proxies/wire.c

# An explicit rule: it wins over the $(B)/host-tests/% pattern rule.
# libsodium for the tag; ISA-L (shared only in Debian) to cross-check the CRC32C.
$(B)/host-tests/test_wire: tests/host/test_wire.c tests/host/host_check.h $(WIRE_SRCS) proxies/wire.h $(ABI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $< $(WIRE_SRCS) -lsodium -lisal -o $@

# dvs-proxy: static, like the other tools, so the guest's rootfs needs no libc for it.
# LINK_SRCS: the link set-up, which test_link exercises over socketpairs and loopback.
LINK_SRCS := proxies/link.c proxies/acceptor.c proxies/refusal.c proxies/transport.c proxies/bridge.c
LINK_HDRS := proxies/link.h proxies/acceptor.h proxies/refusal.h proxies/transport.h proxies/bridge.h proxies/wire.h
PROXY_SRCS := proxies/dvs-proxy.c $(LINK_SRCS) $(WIRE_SRCS)
$(B)/tools/dvs-proxy: $(PROXY_SRCS) $(LINK_HDRS) $(B)/lib/libdvk.a $(ABI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -Iproxies -static $(PROXY_SRCS) $(B)/lib/libdvk.a -lsodium -lpthread -o $@

# A hostile node's frames at the host (tests/guest/hostile_node.c): the codec, nothing else.
$(B)/guest-tests/hostile_node: tests/guest/hostile_node.c tests/guest/test_util.c tests/guest/test_util.h $(WIRE_SRCS) proxies/wire.h proxies/link.h $(B)/lib/libdvk.a $(ABI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -Itests/guest -Iproxies -static $< tests/guest/test_util.c $(WIRE_SRCS) $(B)/lib/libdvk.a -lsodium -o $@

$(B)/host-tests/test_link: tests/host/test_link.c tests/host/host_check.h $(LINK_SRCS) $(WIRE_SRCS) $(LINK_HDRS) $(ABI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -Iproxies $< $(LINK_SRCS) $(WIRE_SRCS) -lsodium -lpthread -o $@

# The hostile-link test program (in the guest): it writes frames with the codec itself.
$(B)/guest-tests/hostile_link: tests/guest/hostile_link.c $(WIRE_SRCS) proxies/link.h proxies/wire.h $(ABI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -static $< $(WIRE_SRCS) -lsodium -o $@

# The fake guest of the bridge scenario links with a real HELLO: the codec too.
$(B)/guest-tests/bridge_fake: tests/guest/bridge_fake.c tests/guest/test_util.c tests/guest/test_util.h tests/bridge/bridge_frame.h $(WIRE_SRCS) proxies/link.h proxies/wire.h $(B)/lib/libdvk.a $(ABI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -Itests/guest -static $< tests/guest/test_util.c $(WIRE_SRCS) $(B)/lib/libdvk.a -lsodium -lpthread -o $@
