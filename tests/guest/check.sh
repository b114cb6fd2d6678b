# Sourced by the shell tests, on the host and in the guest (busybox sh).
# check NAME WANT_STATUS WANT_TEXT CMD...: run CMD; PASS if it exits with
# WANT_STATUS and its output holds WANT_TEXT. Set $prog first; exit $failed.
failed=0
check() {
	name=$1 want=$2 text=$3
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" = "$want" ] && printf '%s\n' "$out" | grep -qF -- "$text"; then
		echo "PASS: $prog/$name"
	else
		echo "FAIL: $prog/$name"
		echo "  '$*' exited $rc (wanted $want, text '$text'), output:"
		printf '%s\n' "$out" | sed 's/^/    /'
		failed=1
	fi
}
