# The proxies' wire codec (docs/wire.md). Included by the top Makefile after
# its variables (B, SAN_CFLAGS, ABI_HDRS) and its host-tests pattern rule.

# The codec's sources: test_wire and the future dvs-proxy link them.
WIRE_SRCS := proxies/wire.c

# An explicit rule: it wins over the $(B)/host-tests/% pattern rule.
# libsodium for the tag; ISA-L (shared only in Debian) to cross-check the CRC32C.
$(B)/host-tests/test_wire: tests/host/test_wire.c $(WIRE_SRCS) proxies/wire.h $(ABI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $< $(WIRE_SRCS) -lsodium -lisal -o $@

# dvs-proxy: static, like the other tools, so the guest's rootfs needs no libc for it.
PROXY_SRCS := proxies/dvs-proxy.c proxies/transport.c proxies/bridge.c $(WIRE_SRCS)
$(B)/tools/dvs-proxy: $(PROXY_SRCS) proxies/transport.h proxies/bridge.h proxies/wire.h $(B)/lib/libdvk.a $(ABI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -Iproxies -static $(PROXY_SRCS) $(B)/lib/libdvk.a -lsodium -lpthread -o $@

# A hostile node's frames at the host (tests/guest/hostile_node.c): the codec, nothing else.
$(B)/guest-tests/hostile_node: tests/guest/hostile_node.c tests/guest/test_util.c tests/guest/test_util.h $(WIRE_SRCS) proxies/wire.h $(B)/lib/libdvk.a $(ABI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -Itests/guest -Iproxies -static $< tests/guest/test_util.c $(WIRE_SRCS) $(B)/lib/libdvk.a -lsodium -o $@
