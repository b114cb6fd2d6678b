# The proxies' wire codec (docs/wire.md). Included by the top Makefile after
# its variables (B, SAN_CFLAGS, ABI_HDRS) and its host-tests pattern rule.

# The codec's sources: test_wire and the future dvs-proxy link them.
WIRE_SRCS := proxies/wire.c

# An explicit rule: it wins over the $(B)/host-tests/% pattern rule.
$(B)/host-tests/test_wire: tests/host/test_wire.c $(WIRE_SRCS) proxies/wire.h $(ABI_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $< $(WIRE_SRCS) -o $@
