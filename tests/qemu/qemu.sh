# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Run one QEMU guest and stop it the moment QEMU reports an error that stops
# the VM, instead of waiting out the timeout. Sourced by tests/qemu/boot and
# tests/qemu/accel, not run.
#
#   qemu_run TIMEOUT ERR_FILE QEMU_ARGS...
#
# Runs qemu-system-x86_64 with QEMU_ARGS, its stderr to ERR_FILE, and returns:
#   0     QEMU exited 0 (the guest powered off)
#   124   the guest ran past TIMEOUT seconds and was killed
#   125   QEMU reported a VM-stopping error; QEMU_WHY holds its first line
#   other QEMU's own exit status (QEMU_WHY: its last error line, if any)

# QEMU's lines after which the guest does not run on: a KVM exit it cannot
# handle (the VM stays paused), a failed vCPU set-up, an assertion.
QEMU_FATAL='KVM internal error|emulation failure|KVM: entry failed|kvm run failed|failed to set MSR|Assertion .* failed|^qemu-system-[^:]*: .*([Ee]rror|[Ff]ailed)'

QEMU_WHY=

qemu_fatal_line() {
	grep -v -i 'warning' "$1" 2>/dev/null | grep -m1 -E "$QEMU_FATAL" |
		sed 's/^qemu-system-[^:]*: //' | cut -c1-160
}

# qemu_kill SIGNAL PID: QEMU (the child of the sh that started it) and the sh.
qemu_kill() {
	pkill "-$1" -P "$2" 2>/dev/null
	kill "-$1" "$2" 2>/dev/null
}

qemu_run() {
	local tmo=$1 err=$2 pid rc t0 now why
	shift 2
	QEMU_WHY=
	: >"$err"
	# Through sh, so that a QEMU killed by a signal (an assertion's abort) is
	# told in ERR_FILE, not as a job notice on the caller's stderr.
	sh -c '"$@"' qemu qemu-system-x86_64 "$@" </dev/null 2>"$err" &
	pid=$!
	t0=$(date +%s)
	while kill -0 "$pid" 2>/dev/null; do
		why=$(qemu_fatal_line "$err")
		if [ -n "$why" ]; then
			qemu_kill KILL "$pid"
			wait "$pid" 2>/dev/null
			QEMU_WHY=$why
			return 125
		fi
		now=$(date +%s)
		if [ $((now - t0)) -ge "$tmo" ]; then
			qemu_kill TERM "$pid"
			sleep 2
			qemu_kill KILL "$pid"
			wait "$pid" 2>/dev/null
			return 124
		fi
		sleep 0.5
	done
	rc=0
	wait "$pid" 2>/dev/null || rc=$?
	if [ "$rc" -ne 0 ]; then
		QEMU_WHY=$(qemu_fatal_line "$err")
		[ -n "$QEMU_WHY" ] || QEMU_WHY=$(tail -n 1 "$err" | sed 's/^qemu-system-[^:]*: //' | cut -c1-160)
	fi
	return "$rc"
}
