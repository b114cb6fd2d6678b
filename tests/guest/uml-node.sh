#!/bin/sh
# A UML guest node of the host-VM scenarios (hostvm-uml.sh, hostvm-three.sh),
# configured from its kernel command line (the init has run dvs init):
#   dvs.peers=PEER,...          its proxy's peers (dvs-proxy --peer syntax)
#   dvs.transport=tcp|tipc|uml  the proxy's transport (tcp; uml: the bridge)
#   dvs.vias=NODE:PEER,...      nodes reached through a peer (dvs-proxy --via)
#   dvs.srv=SLOT                its server's slot
#   dvs.cli=SLOT:EP:NODE:NAME   its client's slot, and the server it calls
#   dvs.clients=EP:NODE,...     other nodes' clients, registered here with
#                               rmtbind (they send, notify and copy: more than
#                               autobind's user rights)
# Its server's "cut" request kills the proxy and starts a new one (which
# takes the registrations of the nodes it served with it: made again).
here=/usr/lib/dvs-tests
for arg in $(cat /proc/cmdline); do
	case $arg in
	dvs.peers=*) peers=${arg#dvs.peers=} ;;
	dvs.srv=*) srv=${arg#dvs.srv=} ;;
	dvs.cli=*) cli=${arg#dvs.cli=} ;;
	dvs.transport=*) transport=${arg#dvs.transport=} ;;
	dvs.vias=*) vias=${arg#dvs.vias=} ;;
	dvs.clients=*) clients=${arg#dvs.clients=} ;;
	esac
done
dvs dc-init --dc 0 > /dev/null || exit 1
: > /tmp/register.sh
for c in $(echo "$clients" | tr , ' '); do
	echo "dvs rmtbind --dc 0 --endpoint ${c%%:*} --node ${c#*:} --name cli > /dev/null" >> /tmp/register.sh
done
sh -e /tmp/register.sh || exit 1
if [ "${transport:=tcp}" = tipc ]; then
	dev=eth0
	[ -e /sys/class/net/vec0 ] && dev=vec0
	tipc bearer enable media eth device $dev || exit 1
fi
set --
for p in $(echo "$peers" | tr , ' '); do set -- "$@" --peer "$p"; done
for v in $(echo "$vias" | tr , ' '); do set -- "$@" --via "$v"; done
echo "exec dvs-proxy --transport $transport $* --dc 0 --heartbeat 300 --dead 3000" > /tmp/proxy-cmd
sh /tmp/proxy-cmd & echo $! > /tmp/proxy.pid
cat > /tmp/ctl.sh <<'CTL'
#!/bin/sh
case $1 in
cut)	kill $(cat /tmp/proxy.pid); sleep 1
	sh /tmp/proxy-cmd & echo $! > /tmp/proxy.pid
	sh /tmp/register.sh ;;
freeze)	kill -STOP $(cat /tmp/proxy.pid); sleep 8; kill -CONT $(cat /tmp/proxy.pid) ;;
esac
CTL
RMT_SLOT=$srv "$here/rmt_peer" server "sh /tmp/ctl.sh" > /tmp/server.log 2>&1 &
IFS=: read -r slot ep node name <<CLI
$cli
CLI
dvs rmtbind --dc 0 --endpoint "$ep" --node "$node" --name srv > /dev/null || exit 1
RMT_SLOT=$slot "$here/rmt_peer" client "$ep" "$name" basic
echo "uml-node: done"
while :; do sleep 1; done
