# Sourced by the host-VM scenarios (hostvm-uml.sh, hostvm-three.sh): start
# UML guest nodes inside the VM and finish them. Each guest runs uml-node.sh.

# boot_guest NODE TAP IP/LEN TRANSPORT PEERS SRV CLI VIAS CLIENTS: ./linux as node NODE,
# on its own copy of the root image; console in /tmp/umlNODE.log, pid in
# guest_NODE. The guest's vec0 is the vector transport on TAP (a tap), or
# on raw:IF (a raw socket on interface IF, e.g. a veth end). TAP and IP "-":
# no network (the uml transport needs none).
# CLIENTS (EP:NODE,...): the other nodes' clients it registers (uml-node.sh).
boot_guest() {
	case $2 in
	-) net= ;;
	raw:*) net="vec0:transport=raw,ifname=${2#raw:} dvs.ip=$3" ;;
	*) net="vec0:transport=tap,ifname=$2 dvs.ip=$3" ;;
	esac
	mkdir -p /tmp/uml
	cp /var/lib/dvs/root.img "/tmp/root$1.img" || return 1
	# shellcheck disable=SC2086 # $net is zero or two words
	/usr/lib/dvs/linux umid="node$1" uml_dir=/tmp/uml mem=96M ubd0="/tmp/root$1.img" \
		root=/dev/ubda $net dvs.node="$1" dvs.name=HOSTVM \
		dvs.run=cmd dvs.cmd=/usr/lib/dvs-tests/uml-node.sh dvs.transport="$4" \
		dvs.peers="$5" dvs.srv="$6" dvs.cli="$7" dvs.vias="$8" dvs.clients="$9" \
		con=null ssl=null con0=null,fd:1 < /dev/null > "/tmp/uml$1.log" 2>&1 &
	eval "guest_$1=\$!"
}

# finish_guests NODE...: wait until each guest's client is done, halt them all
# (uml_mconsole, SIGKILL if that fails), print their consoles. Returns 1 when
# a guest's client had a failure or never finished.
finish_guests() {
	ok=0
	for n in "$@"; do
		for _ in $(seq 600); do grep -q '^uml-node: done' "/tmp/uml$n.log" && break; sleep 0.2; done
	done
	for n in "$@"; do
		uml_mconsole "/tmp/uml/node$n/mconsole" halt > /dev/null ||
			echo "uml-guests: uml_mconsole halt of node $n failed"
	done
	for n in "$@"; do
		eval "pid=\$guest_$n"
		for _ in $(seq 100); do kill -0 "$pid" 2> /dev/null || break; sleep 0.2; done
		kill -9 "$pid" 2> /dev/null && echo "uml-guests: node $n did not halt; killed"
		wait "$pid"
		echo "--- the console of UML guest node $n ---"
		tr -d '\r' < "/tmp/uml$n.log"
		echo "--- end of node $n's console ---"
		grep -q '^# [a-z0-9-]*: [0-9]* passed, 0 failed' "/tmp/uml$n.log" || ok=1
	done
	return $ok
}
