# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# The rmcp.ko scenarios of tests/debug/run on the debug kernel (guest side,
# as the payload's run.sh), 4 vCPUs. The debug kernel has no amdgpu: the
# fixture modules named amdgpu (tests/module/fixture, /payload/fixture/
# LAYOUT.amdgpu) stand in for it, the one with this kernel's own layout as
# "the real amdgpu". The scenario functions and helpers are
# tests/module/run.sh's (its part before "the run", as
# /payload/module-lib.sh); the stress scenarios are this file's. Every
# scenario runs through `scenario` (a subshell, the first reason given is
# the one reported, a kernel warning fails it); the host judges the serial
# log of each with tests/debug/splats too, and the whole log after the
# kmemleak scan at the end.
#
# Counts from the kernel command line (tests/debug/run sets them):
# rmcp_debug.cycles= (stress_load_unload), rmcp_debug.reloads=
# (stress_fixture_reload), rmcp_debug.fuzz= (fuzz_params_sysfs, values per
# parameter and per writable file), rmcp_debug.failslab= (failslab_load,
# at most that many failures inside rmcp's init).
# shellcheck disable=SC2015 # "A && B || because" only records a reason
# shellcheck source=../../module/run.sh
. /payload/module-lib.sh
# shellcheck source=../guest.sh
. /payload/debug-guest.sh

RMOD=$RMCP_MODDIR/extra/rmcp.ko
TR=/sys/kernel/tracing
# the layout of this kernel's own amdgpu, by the rule s_layout_evidence uses
case "$RMCP_RELEASE" in
5.*|6.[0-9].*|6.1[0-7].*) OWN=map_mtype; ALT=vm_flags ;;
*) OWN=vm_flags; ALT=map_mtype ;;
esac
echo "$OWN" >"$SHARE/own"

# carg NAME DEFAULT: rmcp_debug.NAME= from the kernel command line
carg() {
	_v=$(tr ' ' '\n' </proc/cmdline | sed -n "s/^rmcp_debug\.$1=\([0-9][0-9]*\)$/\1/p" | tail -n 1)
	echo "${_v:-$2}"
}
CYCLES=$(carg cycles 10)
RELOADS=$(carg reloads 10)
FUZZ=$(carg fuzz 2)
FAILSLAB=$(carg failslab 6)

# ---- no real amdgpu here: the fixture with this kernel's layout is it ----
load_amdgpu() { insmod "$FX/$OWN.amdgpu" "$@"; }
unload_amdgpu() { rmmod amdgpu && [ ! -e /sys/module/amdgpu ]; }
# the plain stand-in (own layout, no PCI driver) is loaded
plain_own() {
	[ "$(cat /sys/module/amdgpu/parameters/fixture_layout 2>/dev/null)" = "$OWN" ] &&
		[ "$(cat /sys/module/amdgpu/parameters/probe 2>/dev/null)" = N ]
}
real() {
	plain_own || [ ! -e /sys/module/amdgpu ] || rmmod amdgpu
	# a scenario that failed half-way may have left rmcp without ati-vga
	[ ! -e /sys/module/rmcp ] || [ "$(cnt "$DV" matched)" = extra_ids ] || modprobe -r rmcp
	[ -e /sys/module/amdgpu ] || load_amdgpu noretry=0 ||
		{ because "the $OWN fixture (the stand-in amdgpu) did not load"; return 1; }
	[ -e /sys/module/rmcp ] || modprobe rmcp extra_ids=1002:5046 || { because "modprobe rmcp failed"; return 1; }
	ctl resolve >/dev/null || { because "selftest resolve failed"; return 1; }
}
# the module step's policy scenarios assume rmcp loaded and matching
with_real() {
	real || return 1
	"$@"
}

# console_quiet / console_loud: the stress scenarios log thousands of
# info lines (rmcp loaded, armed, enable=...) that the serial console
# would print one character at a time; warnings and worse still go there.
console_quiet() { echo 5 >/proc/sys/kernel/printk; }
console_loud() { echo 7 >/proc/sys/kernel/printk; }

# ---- stress_load_unload ------------------------------------------------------
# churn: until /tmp/churn.stop exists, read every file of /sys/module/rmcp
# and write to each: enable gets 0 then 1, the read-only ones are refused
# (uevent is only read: a write that is no uevent action logs a warning).
# The number of files it went through is left in /tmp/churn.count.
churn() {
	_n=0
	while [ ! -e /tmp/churn.stop ]; do
		for _f in /sys/module/rmcp/* /sys/module/rmcp/parameters/* \
			/sys/module/rmcp/status/* /sys/module/rmcp/devices/*/*; do
			[ -f "$_f" ] || continue
			cat "$_f" >/dev/null 2>&1
			case "$_f" in
			*/uevent) ;;
			*/parameters/enable) { echo 0 >"$_f"; echo 1 >"$_f"; } 2>/dev/null ;;
			*) { echo 1 >"$_f"; } 2>/dev/null ;;
			esac
			_n=$((_n + 1))
		done
	done
	echo "$_n" >/tmp/churn.count
}

# rmcp loaded and unloaded CYCLES times while 3 kthreads call the hooked
# function (rmcp_selftest's hammer) and churn reads and writes its sysfs
# files; then, rmcp armed and nothing else going on, rmcp's counters must
# move by exactly the calls the threads made.
s_stress_load_unload() {
	real || return 1
	modprobe -r rmcp || { because "modprobe -r rmcp failed"; return 1; }
	console_quiet
	rm -f /tmp/churn.stop /tmp/churn.count
	churn &
	cpid=$!
	ctl hammer 3 >/dev/null || because "selftest hammer 3 failed"
	t0=$(uptime_cs)
	i=0
	while [ $i -lt "$CYCLES" ] && [ ! -s "$RMCP_REASON" ]; do
		i=$((i + 1))
		insmod "$RMOD" extra_ids=1002:5046 || { because "cycle $i: insmod rmcp failed"; break; }
		s=$(cnt "$ST" state)
		case "$s" in
		armed|disabled) ;;
		*) because "cycle $i: state $s: $(cnt "$ST" reason)" ;;
		esac
		rmmod rmcp || { because "cycle $i: rmmod rmcp failed"; break; }
		[ ! -e /sys/module/rmcp ] || because "cycle $i: /sys/module/rmcp left after rmmod"
		! rmcp_probes >/dev/null || because "cycle $i: probes left after rmmod: $(rmcp_probes | tr '\n' ' ')"
	done
	dt=$(($(uptime_cs) - t0))
	per=$((dt * 10 / (i > 0 ? i : 1)))
	touch /tmp/churn.stop
	wait "$cpid"
	# shellcheck disable=SC2046
	set -- $(ctl stop)
	console_loud
	info "stress_load_unload: $i of $CYCLES cycles in $((dt / 100)).$((dt % 100 / 10)) s ($per ms/cycle); 3 threads: calls=$1 nc=$2 cc=$3 other=$4; sysfs files churned: $(cat /tmp/churn.count 2>/dev/null)"
	[ "$i" = "$CYCLES" ] || because "only $i of $CYCLES cycles"
	[ "${1:-0}" -gt 0 ] && [ $(($2 + $3)) = "$1" ] && [ "$4" = 0 ] ||
		because "across the cycles: calls=$1 nc=$2 cc=$3 other=$4 (want nc+cc=calls, other=0)"
	[ "${2:-0}" -gt 0 ] || because "no call came back NC across $i cycles"
	# the counters, one armed window
	expect "modprobe rmcp failed after the cycles" modprobe rmcp extra_ids=1002:5046 || return 1
	st_is armed || return 1
	s0=$(snap "$DV")
	ctl hammer 3 >/dev/null || { because "selftest hammer 3 failed"; return 1; }
	sleep 3
	# shellcheck disable=SC2046
	set -- $(ctl stop)
	d=$(delta "$s0" "$(snap "$DV")")
	info "stress_load_unload counters: 3 threads made $1 calls (nc=$2 cc=$3 other=$4); rmcp counted (calls cc_seen cc_rewritten rejected) $d"
	[ "${1:-0}" -gt 0 ] && [ "$2" = "$1" ] || because "armed window: calls=$1 nc=$2 cc=$3 other=$4"
	[ "$d" = "$1 $1 $1 0" ] || because "rmcp counters moved by '$d', the threads made $1 calls (want '$1 $1 $1 0')"
	[ ! -s "$RMCP_REASON" ]
}

# ---- stress_fixture_reload ----------------------------------------------------
# the fixture amdgpu loaded and unloaded RELOADS times under an armed rmcp,
# the two layouts in turn: armed with the right layout at every COMING,
# idle with no probe after every GOING, CC -> NC through the last one.
s_stress_fixture_reload() {
	real || return 1
	console_quiet
	t0=$(uptime_cs)
	i=0
	while [ $i -lt "$RELOADS" ] && [ ! -s "$RMCP_REASON" ]; do
		i=$((i + 1))
		l=$OWN
		[ $((i % 2)) = 1 ] || l=$ALT
		rmmod amdgpu || { because "cycle $i: rmmod amdgpu failed"; break; }
		s=$(cnt "$ST" state)
		[ "$s" = idle ] || because "cycle $i: after GOING state $s: $(cnt "$ST" reason)"
		! hook_probes >/dev/null || because "cycle $i: probes left after GOING: $(hook_probes | tr '\n' ' ')"
		insmod "$FX/$l.amdgpu" noretry=0 || { because "cycle $i: insmod $l fixture failed"; break; }
		s=$(cnt "$ST" state)
		[ "$s" = armed ] || because "cycle $i: $l fixture: state $s: $(cnt "$ST" reason)"
		case "$(cnt "$ST" kernel_abi)" in
		"$l:"*) ;;
		*) because "cycle $i: kernel_abi '$(cnt "$ST" kernel_abi)' for the $l fixture" ;;
		esac
	done
	dt=$(($(uptime_cs) - t0))
	console_loud
	info "stress_fixture_reload: $i of $RELOADS cycles in $((dt / 100)).$((dt % 100 / 10)) s ($((dt * 10 / (i > 0 ? i : 1))) ms/cycle)"
	[ "$i" = "$RELOADS" ] || because "only $i of $RELOADS cycles"
	expect "resolve on the last fixture failed" ctl resolve >/dev/null || return 1
	v=$(ctl call good cc 0)
	[ "$(field "$v")" = 0 ] || because "after $i reloads CC came back as $v"
	[ "$(cat /sys/module/rmcp/refcnt)" = 0 ] || because "rmcp refcnt $(cat /sys/module/rmcp/refcnt)"
	rmmod amdgpu || because "final rmmod amdgpu failed"
	! rmcp_probes >/dev/null || because "probes left after the last GOING"
	[ ! -s "$RMCP_REASON" ]
}

# ---- fuzz_params_sysfs ------------------------------------------------------------
# rnd MAX: 1..MAX random bytes
rnd_n() { echo $(($(od -An -N2 -tu2 /dev/urandom) % $1 + 1)); }
# legal PARAM VALUE: what rmcp accepts (docs/design.md §4)
legal() {
	case "$1" in
	enable|apu) case "$2" in 0|1|n|y|N|Y) return 0 ;; esac ;;
	noretry) case "$2" in -1|0|1) return 0 ;; esac ;;
	vm_fragment_size) case "$2" in -1|4|5|6|7|8|9) return 0 ;; esac ;;
	*_ids) printf '%s\n' "$2" |
		grep -qE '^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}(,[0-9a-fA-F]{4}:[0-9a-fA-F]{4}){0,15}$' && return 0 ;;
	esac
	return 1
}
# the first bytes of FILE up to a NUL, as hex pairs: what a sysfs store sees
seen_hex() {
	od -An -v -tx1 "$1" | tr ' ' '\n' | sed '/^$/d' | sed '/^00$/,$d' | tr '\n' ' '
}

# Random bytes as every parameter at load (one token: no NUL, blank or
# quote, which would end or split it; the kernel's isspace() counts 0xa0
# as a blank too, lib/ctype.c) and written raw to every writable
# file: a bad value must fail with EINVAL and leave nothing behind; a
# write must leave the old value or the new legal one, with a true state.
s_fuzz_params_sysfs() {
	real || return 1
	modprobe -r rmcp || { because "modprobe -r rmcp failed"; return 1; }
	nload=0
	nok=0
	for p in enable noretry vm_fragment_size extra_ids exclude_ids apu; do
		k=0
		while [ $k -lt "$FUZZ" ] && [ ! -s "$RMCP_REASON" ]; do
			k=$((k + 1))
			v=$(head -c "$(rnd_n 40)" /dev/urandom | tr -d '\000\t\n\v\f\r "\240')
			[ -n "$v" ] || continue
			nload=$((nload + 1))
			ids=extra_ids=1002:5046
			[ "$p" != extra_ids ] || ids=
			# shellcheck disable=SC2086
			if out=$(insmod "$RMOD" $ids "$p=$v" 2>&1); then
				if legal "$p" "$v"; then
					nok=$((nok + 1))
				else
					because "$p=$(printf '%s' "$v" | od -An -tx1 | tr -d ' \n'): load succeeded"
				fi
				rmmod rmcp || because "rmmod after $p=... failed"
				continue
			fi
			legal "$p" "$v" && because "$p=$v (legal) refused: $out"
			case "$out" in
			*"Invalid argument"*) ;;
			*) because "$p=$(printf '%s' "$v" | od -An -tx1 | tr -d ' \n'): not EINVAL: $out" ;;
			esac
			[ ! -e /sys/module/rmcp ] || because "$p=...: /sys/module/rmcp left after a refused load"
			! rmcp_probes >/dev/null || because "$p=...: probes left after a refused load"
		done
	done
	info "fuzz_params_sysfs: $nload loads with a random parameter, $nok with a legal value"
	expect "modprobe rmcp failed after the fuzzing" modprobe rmcp extra_ids=1002:5046 || return 1
	st_is armed || return 1
	nw=0
	files=$(find /sys/module/rmcp -type f -perm -200 ! -name uevent)
	[ -n "$files" ] || { because "no writable file in /sys/module/rmcp"; return 1; }
	for f in $files; do
		k=0
		while [ $k -lt "$FUZZ" ] && [ ! -s "$RMCP_REASON" ]; do
			k=$((k + 1))
			nw=$((nw + 1))
			head -c "$(rnd_n 24)" /dev/urandom >/tmp/fz
			before=$(cat "$f")
			cat /tmp/fz >"$f" 2>/dev/null
			after=$(cat "$f")
			h=$(seen_hex /tmp/fz)
			# enable: one of 0 1 n y N Y, maybe with a newline
			case "$h" in
			"30 "|"30 0a "|"6e "|"6e 0a "|"4e "|"4e 0a ") want=N ;;
			"31 "|"31 0a "|"79 "|"79 0a "|"59 "|"59 0a ") want=Y ;;
			*) want=$before ;;
			esac
			case "$f" in
			*/parameters/enable) ;;
			*) because "writable file $f: rmcp has only parameters/enable"; break ;;
			esac
			[ "$after" = "$want" ] || because "$f: wrote $h: reads $after, want $want"
			s=$(cnt "$ST" state)
			case "$after$s" in
			Yarmed|Ndisabled) ;;
			*) because "$f: wrote $h: enable $after, state $s" ;;
			esac
		done
		echo 1 >"$f"
	done
	info "fuzz_params_sysfs: $nw random writes to $(echo "$files" | wc -w) writable file(s)"
	st_is armed || return 1
	v=$(ctl call good cc 0)
	[ "$(field "$v")" = 0 ] || because "after the fuzzing CC came back as $v"
	[ ! -s "$RMCP_REASON" ]
}

# ---- failslab_load ------------------------------------------------------------
# One slab allocation inside rmcp's init fails: /proc/self/fail-nth N (per
# task; failslab then counts GFP_KERNEL allocations too) makes the task's
# Nth allocation fail. A calibration load, traced with kprobe events on
# should_failslab (the counted calls, but for the few it filters out
# before counting), do_one_initcall (entry and return value) and the write
# of fail-nth, counts the allocations of `sh -c "echo N >fail-nth; exec
# insmod rmcp.ko"` before rmcp's init (C1) and inside it (C2); then
# N = C1 + k for FAILSLAB values of k spread over 1..C2. busybox insmod tries
# finit_module and, when that fails, init_module: the injected failure
# hits the first attempt, the second has none, so each N is "a load that
# failed, then a normal load". For each: did the first attempt's init fail
# (its do_one_initcall returned < 0), no splat, and after the second
# attempt's rmmod no /sys/module/rmcp and no probe; a load that succeeded
# in spite of the failure is true about itself (armed means CC becomes NC).
FSEV=$TR/events/rmcp_fs
# fs_load N: one `insmod rmcp.ko` whose Nth allocation fails; its events
# in /tmp/fs.trace; exit 0 if rmcp is loaded afterwards
fs_load() {
	: >"$TR/trace"
	sh -c "echo $1 >/proc/self/fail-nth && exec insmod $RMOD extra_ids=1002:5046" >/dev/null 2>&1
	cat "$TR/trace" >/tmp/fs.trace
	[ -e /sys/module/rmcp ]
}
# fs_first: what the first attempt (before any init_module) did:
# none (did not reach an init), fail (its init failed), ok (init returned 0)
fs_first() {
	awk '/ rmcp_fs_im: / { exit }
		/ rmcp_fs_ret: / { r = ($0 ~ /ret=0$/) ? "ok" : "fail"; exit }
		END { print r ? r : "none" }' /tmp/fs.trace
}
# fs_count: "C1 C2" of the traced load (the task that wrote fail-nth)
fs_count() {
	awk '{ ev = ""
		for (i = 1; i <= NF; i++) if ($i ~ /^rmcp_fs_[a-z]*:$/) { ev = $i; break }
		t = $1; sub(/.*-/, "", t)
		if (ev == "rmcp_fs_mark:" && !p) { p = t; next }
		if (!p || t != p) next
		if (ev == "rmcp_fs_init:" && !in_init) { in_init = 1; next }
		if (ev == "rmcp_fs_ret:" && in_init) exit
		if (ev == "rmcp_fs_sf:") { if (in_init) c2++; else c1++ } }
		END { print c1 + 0, c2 + 0 }' /tmp/fs.trace
}
# shellcheck disable=SC2016 # $retval is the kprobe event's own syntax
fs_events() {
	for e in 'p:rmcp_fs/rmcp_fs_fi __x64_sys_finit_module' \
		'p:rmcp_fs/rmcp_fs_im __x64_sys_init_module' \
		'p:rmcp_fs/rmcp_fs_init do_one_initcall' \
		'r:rmcp_fs/rmcp_fs_ret do_one_initcall ret=$retval:s32' \
		'r:rmcp_fs/rmcp_fs_mark proc_fail_nth_write' \
		'p:rmcp_fs/rmcp_fs_sf should_failslab'; do
		echo "$e" >>"$TR/kprobe_events" || { because "cannot add the kprobe event '$e'"; return 1; }
	done
	echo 'comm == "sh" || comm == "insmod"' >"$FSEV/rmcp_fs_sf/filter" &&
		echo 1 >"$FSEV/enable"
}
fs_events_off() {
	echo 0 >"$FSEV/enable" 2>/dev/null
	for e in rmcp_fs_fi rmcp_fs_im rmcp_fs_init rmcp_fs_ret rmcp_fs_mark rmcp_fs_sf; do
		echo "-:rmcp_fs/$e" >>"$TR/kprobe_events"
	done 2>/dev/null
}
# fs_after N: the checks after every fs_load
fs_after() {
	if [ -e /sys/module/rmcp ]; then
		s=$(cnt "$ST" state)
		if [ "$s" = armed ]; then
			v=$(ctl call good cc 0)
			[ "$(field "$v")" = 0 ] || because "fail-nth $1: state armed, yet CC came back as $v"
		elif hook_probes >/dev/null; then
			because "fail-nth $1: state $s with probes registered: $(hook_probes | tr '\n' ' ')"
		fi
		rmmod rmcp || because "fail-nth $1: rmmod rmcp failed"
	fi
	[ ! -e /sys/module/rmcp ] || because "fail-nth $1: /sys/module/rmcp left"
	! rmcp_probes >/dev/null || because "fail-nth $1: probes left: $(rmcp_probes | tr '\n' ' ')"
}
s_failslab_load() {
	real || return 1
	modprobe -r rmcp || { because "modprobe -r rmcp failed"; return 1; }
	FS=/sys/kernel/debug/failslab
	[ -d "$FS" ] && [ -e /proc/self/fail-nth ] || { because "no $FS or /proc/self/fail-nth on this kernel"; return 1; }
	fs_events || { fs_events_off; because "cannot add the kprobe events (filter)"; return 1; }
	echo N >"$FS/ignore-gfp-wait"
	echo 0 >"$FS/verbose"
	t0=$(uptime_cs)
	# calibration: a fail-nth that is never reached
	fs_load 1000000
	# shellcheck disable=SC2046
	set -- $(fs_count)
	c1=${1:-0}
	c2=${2:-0}
	fs_after calibration
	echo 0 >"$FSEV/rmcp_fs_sf/enable"
	[ "$c2" -gt 0 ] || { fs_events_off; because "calibration: no allocation counted inside rmcp's init (C1=$c1)"; return 1; }
	# FAILSLAB points spread over the C2, two neighbours each: with
	# kmemleak every allocation is followed by one of its own (which it
	# survives), and the count drifts by one or two between loads
	j=0
	nt=0
	ninit=0
	nload=0
	hits=
	other=
	while [ $j -lt "$FAILSLAB" ] && [ ! -s "$RMCP_REASON" ]; do
		k0=$((1 + j * c2 / FAILSLAB))
		j=$((j + 1))
		for k in $k0 $((k0 + 1)); do
			n=$((c1 + k))
			nt=$((nt + 1))
			fs_load $n && nload=$((nload + 1))
			f=$(fs_first)
			fs_after $n
			if [ "$f" = fail ]; then
				ninit=$((ninit + 1))
				hits="$hits $k"
			else
				other="$other $k:$f"
			fi
		done
	done
	dt=$(($(uptime_cs) - t0))
	fs_events_off
	info "failslab_load: $c1 allocations before rmcp's init, $c2 inside it; $nt loads with fail-nth $c1+k: the first attempt's init failed at k=${hits:- none} ($ninit), passed or was not reached at k=${other:- none}; the load after the failure succeeded $nload of $nt times ($((dt / 100)) s)"
	[ $ninit -gt 0 ] || because "no injected failure made rmcp's init fail (C1=$c1 C2=$c2; per k:$other)"
	expect "a normal load failed after the failslab sweep" modprobe rmcp extra_ids=1002:5046 || return 1
	st_is armed || return 1
	v=$(ctl call good cc 0)
	[ "$(field "$v")" = 0 ] || because "after the sweep CC came back as $v"
	[ ! -s "$RMCP_REASON" ]
}

# ---- the run -------------------------------------------------------------------
kmemleak_baseline || tap_fail kmemleak_baseline "kmemleak is not available"
modprobe rmcp_selftest || tap_fail selftest_module "modprobe rmcp_selftest failed"
info "debug kernel $RMCP_RELEASE: the stand-in amdgpu has layout $OWN, the other one $ALT; cycles=$CYCLES reloads=$RELOADS fuzz=$FUZZ failslab=$FAILSLAB"
scenario layout_evidence s_layout_evidence
scenario backport_other_layout s_backport_other_layout
scenario selftest_harmless s_selftest_harmless
scenario reprove_kprobes_disabled s_reprove_kprobes_disabled
scenario policy_rebind with_real s_policy_rebind
scenario policy_unload_mid_probe with_real s_policy_unload_mid_probe
scenario policy_parallel_probe with_real s_policy_parallel_probe
scenario stress_fixture_reload s_stress_fixture_reload
scenario fuzz_params_sysfs s_fuzz_params_sysfs
scenario failslab_load s_failslab_load
scenario stress_load_unload s_stress_load_unload
# last: it replaces ati-vga's pci_dev, which rmcp_selftest holds until it
# is reloaded (at its end, if it gets there)
scenario policy_rescan s_policy_rescan

# everything out, then the leak scan the host's detector requires
[ ! -e /sys/module/amdgpu ] || rmmod amdgpu
[ ! -e /sys/module/rmcp ] || rmmod rmcp
modprobe -r rmcp_selftest
kmemleak_report || tap_fail kmemleak_scan "kmemleak scan failed"
