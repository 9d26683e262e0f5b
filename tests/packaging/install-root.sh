#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The in-root half of tests/packaging/install; run by it inside
# `unshare --mount`, so every mount made here ends with this script.
#
#   install-root.sh ROOT KROOT RELEASE WORK DEB OUT
#
# ROOT   the cached build root of RELEASE's suite (tests/kernels/buildroot);
#        never written: it is the lower layer of an overlayfs whose upper
#        and work directories are in WORK (thrown away by the caller)
# KROOT  the unpacked kernel (tests/kernels/fetch): KROOT/lib/modules/RELEASE
#        is laid under the root's /lib/modules/RELEASE (a second overlay), so
#        the throw-away root has the kernel's modules (amdgpu for the
#        initramfs) like a machine with linux-image-RELEASE installed
# DEB    rmcp-dkms_*_all.deb
# OUT    receives what the QEMU half needs: rmcp.ko as dkms installed it,
#        an unsigned dkms build, /etc/modprobe.d/rmcp.conf, the root's kmod
#        with its libraries (kmod/), and logs/
#
# One function per scenario, each run by ktap_scenario (tests/lib/ktap.sh)
# in a subshell: what a scenario needs it finds in the root (dpkg's record,
# the installed module, the image) or makes itself, never in a variable
# another scenario set. The scenarios share the root, in this order:
#   dkms_install  initramfs_contains_rmcp  signing  uninstall_clean
#   build_exclusive  build_exclusive_kernel_hook
# A scenario whose precondition another scenario failed to provide is a SKIP
# saying so; one the root's tools cannot do (bullseye's dkms 2.8.4) is a
# SKIP naming the missing feature.
#
# stdout: KTAP lines "ok N install RELEASE NAME" / "not ok N install RELEASE
# NAME # the one reason"; everything else on stderr and in OUT/logs/.
# RMCP_INSTALL_STOP=dkms (make demo): dkms_install and what the QEMU half
# needs only.
# shellcheck disable=SC2016 # dpkg-query's own ${field} syntax
# shellcheck disable=SC2317 # the scenarios run through ktap_scenario
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../lib/ktap.sh
. "$here/../lib/ktap.sh"

root=${1:?ROOT}
kroot=${2:?KROOT}
r=${3:?RELEASE}
work=${4:?WORK}
deb=${5:?DEB}
out=${6:?OUT}
KTAP_STEP=install
KTAP_KERNEL=$r

m=$work/m
logs=$out/logs
mkdir -p "$work"/{u,w,m,mu,mw} "$logs"
rm -f "$out/setup-failed"

say() { printf 'install-root: %s: %s\n' "$r" "$*" >&2; }
# A setup step that fails stops the script; OUT/setup-failed says which, and
# tests/packaging/install reports it for every scenario not reached.
setup_fail() { say "$*"; echo "$*" >"$out/setup-failed"; exit 1; }
trap 'setup_fail "setup failed (install-root.sh line $LINENO): $BASH_COMMAND"' ERR
# tail_log FILE: the end of a log, for a failure
tail_log() { tail -n 15 "$1" | sed 's/^/  | /' >&2; }

# In the root: a clean environment, the root's own tools.
rr() {
	chroot "$m" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp \
		LC_ALL=C DEBIAN_FRONTEND=noninteractive TMPDIR=/tmp "$@"
}

# --- the throw-away root --------------------------------------------------
mount -t overlay overlay -o "lowerdir=$root,upperdir=$work/u,workdir=$work/w" "$m"
md=usr/lib/modules
[ -L "$root/lib" ] || md=lib/modules
[ -d "$kroot/lib/modules/$r/kernel" ] || setup_fail "no modules in $kroot"
mkdir -p "$m/$md/$r"
mount -t overlay overlay \
	-o "lowerdir=$root/$md/$r:$kroot/lib/modules/$r,upperdir=$work/mu,workdir=$work/mw" \
	"$m/$md/$r"
mount -t proc proc "$m/proc"
mount --rbind /dev "$m/dev"
# One kernel, like a workstation: the build root may hold the headers of
# other kernels of the suite; their /lib/modules entries are hidden here
# (overlay whiteouts), so dkms's postinst builds only for RELEASE.
for d in "$m/$md"/*; do
	[ "${d##*/}" = "$r" ] || { say "hiding /lib/modules/${d##*/}"; rm -rf "$d"; }
done
rr test -e "/lib/modules/$r/build/Makefile" || setup_fail "no headers of $r in the root"
# /boot as linux-image-RELEASE leaves it: `update-initramfs -u` (the
# package's trigger) regenerates the image of the newest /boot/vmlinuz-*
# only; another kernel's files in the build root's /boot are hidden too.
mkdir -p "$m/boot"
for f in "$m/boot"/*; do
	case "$f" in *"-$r") ;; *) [ ! -e "$f" ] || { say "hiding /boot/${f##*/}"; rm -f "$f"; } ;; esac
done
cp -L "$kroot/lib/modules/$r/vmlinuz" "$m/boot/vmlinuz-$r" 2>/dev/null ||
	cp -L "$kroot/boot/vmlinuz-$r" "$m/boot/vmlinuz-$r"
cp -L "$kroot/lib/modules/$r/config" "$m/boot/config-$r" 2>/dev/null ||
	cp -L "$kroot/boot/config-$r" "$m/boot/config-$r" 2>/dev/null || true
cp "$deb" "$m/tmp/"
debn=/tmp/$(basename "$deb")
fw=$m/etc/dkms/framework.conf
cp "$fw" "$work/framework.conf.orig"

dkms_ver=$(rr dpkg-query -W -f '${Version}' dkms)
dkms_bin=$m$(rr sh -c 'command -v dkms')
say "dkms $dkms_ver, initramfs-tools $(rr dpkg-query -W -f '${Version}' initramfs-tools)," \
	"kmod $(rr dpkg-query -W -f '${Version}' kmod); host uname -r $(uname -r)"
# RELEASE in an extended regular expression ("+deb14" has a '+')
r_re=$(printf '%s' "$r" | sed 's/[][\\.^$*+?(){}|]/\\&/g')
rmcp_re="(^|/)lib/modules/$r_re/updates/dkms/rmcp\\.ko(\\.xz|\\.zst)?\$"
conf_re='^etc/modprobe\.d/rmcp\.conf$'
amdgpu_re="(^|/)lib/modules/$r_re/kernel/.*/amdgpu\\.ko(\\.xz|\\.zst)?\$"
readonly root kroot r work deb out m logs md debn fw dkms_ver dkms_bin r_re rmcp_re conf_re amdgpu_re

# --- helpers: they read the root, they keep nothing -------------------------
# modfile: the installed rmcp.ko of RELEASE (any compression), or nothing
modfile() {
	local f
	for f in "$m/lib/modules/$r/updates/dkms/rmcp.ko" \
		"$m/lib/modules/$r/updates/dkms/rmcp.ko.xz" \
		"$m/lib/modules/$r/updates/dkms/rmcp.ko.zst"; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}
# uncompressed copy of the installed module to $1
save_ko() {
	local f
	f=$(modfile) || return 1
	case "$f" in
	*.xz) xz -dc "$f" >"$1" ;;
	*.zst) zstd -qdc "$f" >"$1" ;;
	*) cp "$f" "$1" ;;
	esac
}
# signer: modinfo -F signer of the installed rmcp.ko (empty: unsigned)
signer() {
	local f
	f=$(modfile) || return 0
	rr modinfo -F signer "${f#"$m"}" 2>/dev/null || true
}
# lsinit NAME: lsinitramfs of the root's initrd of RELEASE into OUT/logs/NAME.list
lsinit() {
	rr lsinitramfs "/boot/initrd.img-$r" >"$logs/$1.list" 2>"$logs/$1.lserr"
}
# pkg_state: dpkg's two-letter state of rmcp-dkms ("ii", "rc"; "un" if unknown)
pkg_state() {
	local s
	s=$(rr dpkg-query -W -f '${db:Status-Abbrev}' rmcp-dkms 2>/dev/null) || s=un
	printf '%s' "${s%% *}"
}
# dkms_knows WORD: the root's dkms reads WORD (a dkms.conf or framework.conf key)
dkms_knows() { grep -qw -- "$1" "$dkms_bin"; }
# redo_dkms LOG: rebuild and reinstall rmcp for RELEASE with the current settings
redo_dkms() {
	rr dkms remove rmcp/0.1.0 -k "$r" >"$logs/$1.log" 2>&1 || true
	rr dkms install rmcp/0.1.0 -k "$r" >>"$logs/$1.log" 2>&1
}
# dkms_build_error: the first compiler error of the last dkms build of rmcp
dkms_build_error() {
	local f=$m/var/lib/dkms/rmcp/0.1.0/build/make.log
	[ -f "$f" ] || f=$(find "$m/var/lib/dkms/rmcp/0.1.0" -name make.log 2>/dev/null | head -n 1)
	[ -n "$f" ] && [ -f "$f" ] || return 1
	cp "$f" "$logs/dkms-make.log"
	sed -nE '/error:|Error [0-9]|\*\*\*/ { s|^.*/build/||; p; q }' "$f" | grep .
}
# kprobes_off: RELEASE's headers with CONFIG_KPROBES off (copied up into the
# overlay, the cached root keeps them); fails if it cannot
kprobes_off() {
	local hd=$m/usr/src/linux-headers-$r c
	for c in "$hd/.config" "$hd/include/config/auto.conf"; do
		[ -f "$c" ] || continue
		sed -i 's/^CONFIG_KPROBES=y$/# CONFIG_KPROBES is not set/' "$c"
	done
	! grep -q '^CONFIG_KPROBES=y' "$hd/.config"
}
# need_module: the precondition of the scenarios after dkms_install
need_module() {
	modfile >/dev/null && return 0
	because "no dkms-installed rmcp.ko for $r (see dkms_install)"
	return "$KSFT_SKIP"
}

# --- setup: the image before the package (negative control), kmod ------------
# amdgpu is asked for explicitly (as for early KMS); MODULES=list keeps the
# image small: only amdgpu's closure, plus whatever hooks add.
stop=${RMCP_INSTALL_STOP:-}
echo amdgpu >>"$m/etc/initramfs-tools/modules"
echo MODULES=list >"$m/etc/initramfs-tools/conf.d/zz-rmcp-test"
t0=$(date +%s)
if [ "$stop" = dkms ]; then
	:
elif rr update-initramfs -c -k "$r" >"$logs/initramfs-before.log" 2>&1 && lsinit before; then
	say "initramfs without rmcp-dkms: $(wc -l <"$logs/before.list") entries, $(($(date +%s) - t0)) s"
else
	say "update-initramfs before the install failed"
	tail_log "$logs/initramfs-before.log"
	: >"$logs/before.list"
fi
# kmod with its libraries, for the guest (busybox modprobe ignores softdeps);
# /usr/bin/kmod, or /bin/kmod in a root without merged /usr (bullseye)
mkdir -p "$out/kmod/lib"
kmod=$(rr sh -c 'command -v kmod')
cp -L "$m$kmod" "$out/kmod/kmod"
rr ldd "$kmod" | awk '/=>/ { print $3 } /^[[:space:]]*\/.*ld-linux/ { print $1 }' |
	while read -r lib; do
		[ -n "$lib" ] || continue
		# an absolute symlink (bullseye's /lib64/ld-linux-x86-64.so.2)
		# points into the root, not this machine
		real=$(rr readlink -f "$lib")
		case "$lib" in
		*ld-linux*) cp "$m$real" "$out/kmod/ld-linux-x86-64.so.2" ;;
		*) cp "$m$real" "$out/kmod/lib/${lib##*/}" ;;
		esac
	done
[ -f "$out/kmod/ld-linux-x86-64.so.2" ] || say "no dynamic loader found for kmod"
trap - ERR

# --- dkms_install ------------------------------------------------------------
# apt install ./rmcp-dkms_*_all.deb; rmcp.ko in /lib/modules/R/updates/dkms,
# vermagic R, dkms status installed, depmod ran. Leaves OUT/rmcp.ko and
# OUT/rmcp.conf for the QEMU half.
s_dkms_install() {
	local t0 rc=0 how f vm status moddep err need
	# The .deb's dkms dependency comes from the build host's dh-dkms
	# (bookworm's: dkms >= 3.0.3-4~); an older suite's dkms (bullseye's
	# 2.8.4) cannot satisfy it, so apt refuses the package there.
	need=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' |
		sed -nE 's/^ *dkms \(>= *([^)]+)\).*/\1/p' | head -n 1)
	if [ -n "$need" ] && dpkg --compare-versions "$dkms_ver" lt "$need"; then
		because "rmcp-dkms depends on dkms (>= $need) (the build host's dh-dkms); this suite has dkms $dkms_ver"
		return "$KSFT_SKIP"
	fi
	t0=$(date +%s)
	rr apt-get install -y --no-install-recommends "$debn" >"$logs/apt-install.log" 2>&1 || rc=$?
	say "apt-get install $(basename "$deb"): exit $rc, $(($(date +%s) - t0)) s"
	grep -E 'Building for|chroot|Building initial|Skipped|Signing|rmcp\.ko|initramfs|Error' \
		"$logs/apt-install.log" | sed 's/^/  apt| /' >&2 || true
	[ ! -f "$m/etc/modprobe.d/rmcp.conf" ] || cp "$m/etc/modprobe.d/rmcp.conf" "$out/rmcp.conf"
	if [ "$rc" -ne 0 ]; then
		tail_log "$logs/apt-install.log"
		if err=$(dkms_build_error); then
			because "dkms could not build rmcp.ko for $r: $err"
		else
			because "apt-get install exited $rc"
		fi
		return 1
	fi
	how="by the package's postinst"
	if ! modfile >/dev/null; then
		# dh-dkms's postinst builds for `uname -r` when /lib/modules has it,
		# else (a chroot) for every kernel in /lib/modules; should it not
		# have, build for RELEASE explicitly and say so.
		how="by an explicit dkms install (the postinst did not)"
		say "postinst did not install rmcp for $r; dkms install rmcp/0.1.0 -k $r"
		rr dkms install rmcp/0.1.0 -k "$r" >"$logs/dkms-install.log" 2>&1 ||
			tail_log "$logs/dkms-install.log"
	fi
	status=$(rr dkms status rmcp 2>&1 || true)
	say "dkms status: $status"
	if ! f=$(modfile); then
		if err=$(dkms_build_error); then
			because "dkms could not build rmcp.ko for $r: $err"
		else
			because "no /lib/modules/$r/updates/dkms/rmcp.ko* after install"
		fi
		return 1
	fi
	save_ko "$out/rmcp.ko"
	vm=$(rr modinfo -F vermagic "${f#"$m"}" 2>/dev/null || true)
	moddep=$(grep -c 'updates/dkms/rmcp\.ko' "$m/lib/modules/$r/modules.dep" 2>/dev/null || true)
	[ "${vm%% *}" = "$r" ] || { because "modinfo vermagic '$vm', not $r"; return 1; }
	printf '%s\n' "$status" | grep -qE "^rmcp[/,] ?0\.1\.0, $r_re, [^:]*: installed" ||
		{ because "dkms status does not say installed for $r: $status"; return 1; }
	[ "${moddep:-0}" -ge 1 ] ||
		{ because "depmod: rmcp.ko not in /lib/modules/$r/modules.dep"; return 1; }
	say "dkms_install: ${f#"$m"}, vermagic '$vm', built $how, signer '$(signer)'"
}

# --- initramfs_contains_rmcp ---------------------------------------------------
# lsinitramfs of the image the package's trigger and update-initramfs -u -k R
# made lists rmcp.ko and etc/modprobe.d/rmcp.conf; the image built before the
# install (amdgpu in it) does not.
s_initramfs_contains_rmcp() {
	local t0 trig=no
	need_module || return
	# the image as the apt install's update-initramfs trigger left it
	if lsinit after-trigger && grep -qE "$rmcp_re" "$logs/after-trigger.list" &&
		grep -qE "$conf_re" "$logs/after-trigger.list"; then
		trig=yes
	fi
	say "initrd.img-$r regenerated by the apt install's trigger lists rmcp.ko and rmcp.conf: $trig"
	t0=$(date +%s)
	if ! rr update-initramfs -u -k "$r" >"$logs/initramfs-after.log" 2>&1 || ! lsinit after; then
		tail_log "$logs/initramfs-after.log"
		because "update-initramfs -u -k $r failed"
		return 1
	fi
	say "update-initramfs -u -k $r: $(($(date +%s) - t0)) s"
	expect "lsinitramfs lacks rmcp.ko" grep -qE "$rmcp_re" "$logs/after.list" || return
	expect "lsinitramfs lacks etc/modprobe.d/rmcp.conf" grep -qE "$conf_re" "$logs/after.list" || return
	expect "lsinitramfs lacks amdgpu.ko" grep -qE "$amdgpu_re" "$logs/after.list" || return
	[ "$trig" = yes ] ||
		{ because "the package's update-initramfs trigger did not add rmcp to initrd.img-$r"; return 1; }
	expect "negative control: no initramfs with amdgpu before the install" \
		grep -qE "$amdgpu_re" "$logs/before.list" || return
	! grep -qE "$rmcp_re|$conf_re" "$logs/before.list" ||
		{ because "negative control: the initramfs built before the install lists rmcp"; return 1; }
	say "initramfs: $(grep -E "$rmcp_re|$conf_re" "$logs/after.list" | tr '\n' ' ')(absent before the install)"
}

# --- signing -------------------------------------------------------------------
# A test MOK pair in the throw-away root, configured as the root's dkms reads
# it, then a rebuild: modinfo -F signer is its CN (the default build's is
# not). dkms 3.x: mok_signing_key/mok_certificate in framework.conf; dkms 2.8
# (bullseye) signs only through a framework.conf sign_tool, given the kernel
# release and the module: there, the kernel's own scripts/sign-file with the key.
s_signing() {
	local cn def got k=/var/lib/rmcp-test-mok
	need_module || return
	def=$(signer)
	cn="rmcp install-test MOK $(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
	if ! rr mkdir -p "$k" || ! rr openssl req -new -x509 -nodes -days 2 -subj "/CN=$cn" \
		-newkey rsa:2048 -keyout "$k/test.key" -outform DER -out "$k/test.der" \
		>"$logs/openssl.log" 2>&1; then
		tail_log "$logs/openssl.log"
		because "openssl could not make a key pair"
		return 1
	fi
	if dkms_knows mok_signing_key; then
		printf '%s\n' "mok_signing_key=\"$k/test.key\"" "mok_certificate=\"$k/test.der\"" >>"$fw"
	elif dkms_knows sign_tool; then
		printf '%s\n' '#!/bin/sh' \
			"exec /lib/modules/\$1/build/scripts/sign-file sha256 $k/test.key $k/test.der \"\$2\"" \
			>"$m$k/sign-tool"
		chmod 755 "$m$k/sign-tool"
		echo "sign_tool=\"$k/sign-tool\"" >>"$fw"
	else
		because "dkms $dkms_ver reads neither mok_signing_key nor sign_tool: it cannot sign"
		return "$KSFT_SKIP"
	fi
	if ! redo_dkms dkms-signed; then
		cp "$work/framework.conf.orig" "$fw"
		tail_log "$logs/dkms-signed.log"
		because "dkms install with the test key failed"
		return 1
	fi
	cp "$work/framework.conf.orig" "$fw"
	got=$(signer)
	grep -iE 'sign' "$logs/dkms-signed.log" | sed 's/^/  dkms| /' >&2 || true
	say "signing: signer '$got' (default build: '$def')"
	[ "$got" = "$cn" ] || { because "modinfo -F signer: '$got', want '$cn'"; return 1; }
	[ "$def" != "$cn" ] || { because "negative control: the default build is signed with the test key"; return 1; }
}

# unsigned_build: OUT/rmcp-unsigned.ko for the sig_enforce guest. dkms 3.x
# signs by default (its own /var/lib/dkms/mok.key); a sign-file that does not
# exist turns that off. Not a result of its own: sig_enforce_refused says
# when it is missing.
unsigned_build() {
	modfile >/dev/null || return 0
	cp "$work/framework.conf.orig" "$fw"
	echo 'sign_file="/nonexistent/sign-file"' >>"$fw"
	if redo_dkms dkms-unsigned && save_ko "$out/rmcp-unsigned.ko"; then
		if [ -n "$(signer)" ]; then
			say "the build meant to be unsigned is signed"
			rm -f "$out/rmcp-unsigned.ko"
		fi
	else
		say "unsigned dkms build failed"
		tail_log "$logs/dkms-unsigned.log"
	fi
	cp "$work/framework.conf.orig" "$fw"
}

# --- uninstall_clean -------------------------------------------------------------
# apt-get purge rmcp-dkms (prerm: dkms remove --all; the update-initramfs
# trigger; then an explicit update-initramfs -u) leaves none of:
#   /usr/src/rmcp-0.1.0  /var/lib/dkms/rmcp  /lib/modules/RELEASE/updates/dkms/rmcp.ko*
#   /lib/modules/RELEASE/extra/rmcp.ko*  rmcp in /lib/modules/RELEASE/modules.dep
#   /etc/modprobe.d/rmcp.conf  /usr/share/initramfs-tools/hooks/rmcp
#   dpkg's record of rmcp-dkms (no config-files state)  `dkms status rmcp`
#   rmcp.ko and etc/modprobe.d/rmcp.conf in initrd.img-RELEASE as the purge's
#   trigger regenerated it, and after an explicit update-initramfs -u
# Every leftover is listed on stderr; the line gives the first.
s_uninstall_clean() {
	local t0 rc=0 p bad=0
	# left WHAT: one thing left behind
	left() { say "uninstall_clean: left behind: $*"; because "left behind: $*"; bad=1; }
	# a half-configured package (its dkms build failed) is purged all the same
	[ "$(pkg_state)" != un ] ||
		{ because "rmcp-dkms was never installed (see dkms_install)"; return "$KSFT_SKIP"; }
	t0=$(date +%s)
	rr apt-get purge -y rmcp-dkms >"$logs/apt-purge.log" 2>&1 || rc=$?
	say "apt-get purge rmcp-dkms: exit $rc, $(($(date +%s) - t0)) s"
	if [ "$rc" -ne 0 ]; then
		tail_log "$logs/apt-purge.log"
		because "apt-get purge exited $rc"
		return 1
	fi
	# the image as the purge's trigger left it, then regenerated explicitly
	if lsinit purged-trigger; then
		! grep -qE "$rmcp_re|/rmcp\\.ko" "$logs/purged-trigger.list" ||
			left "rmcp.ko in initrd.img-$r as the purge's trigger made it"
		# dpkg runs the trigger before it deletes the conffiles of a purge
		! grep -qE "$conf_re" "$logs/purged-trigger.list" ||
			left "etc/modprobe.d/rmcp.conf in initrd.img-$r as the purge's trigger made it (the trigger ran before dpkg purged the conffile)"
	fi
	rr update-initramfs -u -k "$r" >"$logs/initramfs-purged.log" 2>&1 || true
	for p in /usr/src/rmcp-0.1.0 /var/lib/dkms/rmcp /etc/modprobe.d/rmcp.conf \
		/usr/share/initramfs-tools/hooks/rmcp; do
		if [ -e "$m$p" ] || [ -L "$m$p" ]; then left "$p"; fi
	done
	for p in "$m/lib/modules/$r"/updates/dkms/rmcp.ko* "$m/lib/modules/$r"/extra/rmcp.ko*; do
		[ ! -e "$p" ] || left "${p#"$m"}"
	done
	! grep -q 'rmcp\.ko' "$m/lib/modules/$r/modules.dep" || left "rmcp in modules.dep"
	[ "$(pkg_state)" = un ] || left "dpkg's record of rmcp-dkms ($(pkg_state))"
	! rr dkms status rmcp 2>/dev/null | grep -q . || left "rmcp in dkms status"
	if lsinit purged; then
		! grep -qE "$rmcp_re|/rmcp\\.ko" "$logs/purged.list" || left "rmcp.ko in initrd.img-$r"
		! grep -qE "$conf_re" "$logs/purged.list" || left "etc/modprobe.d/rmcp.conf in initrd.img-$r"
		grep -qE "$amdgpu_re" "$logs/purged.list" ||
			left "no amdgpu.ko in initrd.img-$r (the check is void)"
	else
		left "initrd.img-$r unreadable"
	fi
	[ "$bad" = 0 ]
}

# --- build_exclusive ---------------------------------------------------------------
# RELEASE's headers with CONFIG_KPROBES off, the package installed again into
# a root without it: apt install and dkms autoinstall succeed, dkms install
# says BUILD_EXCLUSIVE (exit 77), dpkg --audit empty, no rmcp.ko.
# excl_tools: the root's dkms can exclude by kernel config (dkms.conf's
# BUILD_EXCLUSIVE_CONFIG; bullseye's 2.8.4 cannot, and builds anyway)
excl_tools() {
	dkms_knows BUILD_EXCLUSIVE_CONFIG && return 0
	because "dkms $dkms_ver does not know BUILD_EXCLUSIVE_CONFIG (dkms.conf's exclusion of kernels without kprobes): it would try the build"
	return "$KSFT_SKIP"
}
s_build_exclusive() {
	local t0 rc=0 irc=0 audit
	excl_tools || return
	if [ "$(pkg_state)" != un ]; then
		rr apt-get purge -y rmcp-dkms >"$logs/apt-purge-excl.log" 2>&1 ||
			{ because "cannot purge rmcp-dkms first"; return 1; }
	fi
	! modfile >/dev/null || { because "rmcp.ko is installed before the test"; return 1; }
	kprobes_off || { because "could not turn CONFIG_KPROBES off in the headers"; return 1; }
	t0=$(date +%s)
	rr apt-get install -y --no-install-recommends "$debn" >"$logs/apt-excl.log" 2>&1 || rc=$?
	say "apt-get install with CONFIG_KPROBES off: exit $rc, $(($(date +%s) - t0)) s"
	sed 's/^/  apt| /' "$logs/apt-excl.log" | grep -iE 'exclu|skip|error|building' >&2 || true
	rr dkms install rmcp/0.1.0 -k "$r" >"$logs/dkms-install-excl.log" 2>&1 || irc=$?
	say "dkms install rmcp/0.1.0 -k $r: exit $irc"
	sed 's/^/  dkms| /' "$logs/dkms-install-excl.log" >&2
	audit=$(rr dpkg --audit 2>&1 || true)
	[ "$rc" -eq 0 ] || { tail_log "$logs/apt-excl.log"; because "apt-get install exited $rc"; return 1; }
	[ -z "$audit" ] || { because "dpkg --audit: $(printf '%s' "$audit" | head -n 1)"; return 1; }
	[ "$(pkg_state)" = ii ] || { because "rmcp-dkms is '$(pkg_state)', not ii"; return 1; }
	! modfile >/dev/null || { because "rmcp.ko was installed for a kernel without kprobes"; return 1; }
	[ "$irc" -eq 0 ] || [ "$irc" -eq 77 ] || { because "dkms install exited $irc (want 0 or 77)"; return 1; }
	expect "dkms install does not mention BUILD_EXCLUSIVE" \
		grep -q 'BUILD_EXCLUSIVE' "$logs/dkms-install-excl.log" || return
	! grep -qE 'Bad return status|make.log' "$logs/dkms-install-excl.log" "$logs/apt-excl.log" ||
		{ because "a build was attempted"; return 1; }
}

# --- build_exclusive_kernel_hook ------------------------------------------------------
# What linux-image-RELEASE's postinst runs for a kernel without kprobes
# (run-parts --exit-on-error of /etc/kernel/postinst.d/dkms) and dkms
# autoinstall succeed with rmcp-dkms installed. dkms before 3.1 (bookworm's
# 3.0.10) counts a BUILD_EXCLUSIVE skip as a failed autoinstall and exits 11:
# nothing in dkms.conf avoids it, so that case is a SKIP naming the defect.
s_build_exclusive_kernel_hook() {
	local arc=0 hrc=0
	excl_tools || return
	kprobes_off || { because "could not turn CONFIG_KPROBES off in the headers"; return 1; }
	if [ "$(pkg_state)" != ii ]; then
		rr apt-get install -y --no-install-recommends "$debn" >"$logs/apt-excl-hook.log" 2>&1 ||
			{ because "cannot install rmcp-dkms"; return 1; }
	fi
	rr dkms autoinstall -k "$r" >"$logs/dkms-autoinstall-excl.log" 2>&1 || arc=$?
	rr /etc/kernel/postinst.d/dkms "$r" >"$logs/kernel-hook-excl.log" 2>&1 || hrc=$?
	say "dkms autoinstall -k $r: exit $arc; /etc/kernel/postinst.d/dkms $r: exit $hrc"
	[ "$arc" -eq 0 ] && [ "$hrc" -eq 0 ] && return 0
	tail_log "$logs/dkms-autoinstall-excl.log"
	if [ "$arc" -eq 11 ] && dpkg --compare-versions "$dkms_ver" lt 3.1; then
		because "dkms $dkms_ver: autoinstall of an excluded module exits 11, so installing a kernel without kprobes fails its postinst (fixed in newer dkms)"
		return "$KSFT_SKIP"
	fi
	because "dkms $dkms_ver autoinstall -k $r exited $arc, /etc/kernel/postinst.d/dkms $hrc (a kernel's postinst would fail)"
	return 1
}

rc=0
ktap_scenario dkms_install s_dkms_install || rc=1
[ "$stop" != dkms ] || exit $rc
ktap_scenario initramfs_contains_rmcp s_initramfs_contains_rmcp || rc=1
ktap_scenario signing s_signing || rc=1
unsigned_build
ktap_scenario uninstall_clean s_uninstall_clean || rc=1
ktap_scenario build_exclusive s_build_exclusive || rc=1
ktap_scenario build_exclusive_kernel_hook s_build_exclusive_kernel_hook || rc=1
exit $rc
