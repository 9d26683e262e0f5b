# SPDX-License-Identifier: GPL-2.0
#
# rmcp: RDNA Memory Coherency Patch
#
#   make                 rmcp.ko for KDIR and the userspace tools
#   make module          rmcp.ko for KDIR (default: the running kernel)
#   make userspace       rmcp-probe
#   make demo            boot sid's newest kernel with its real amdgpu.ko in
#                        QEMU, load rmcp, run rmcp-probe
#   make check           every test; ends with "N passed, N failed"
#   make modules-all     rmcp.ko against every kernel of the test set
#   make deb             rmcp-dkms and rmcp-probe .debs in build/deb/
#   make rpm             the rmcp-dkms .rpm in build/rpm/ (rpmbuild)
#   make install         as root, without packages: sources to
#                        /usr/src/rmcp-<ver>, dkms add/build/install,
#                        modprobe.d file, initramfs hook, rmcp-probe in
#                        /usr/local/bin, update-initramfs (DESTDIR=: files only)
#   make uninstall       undo make install (dkms remove --all, files, initramfs)
#   make clean
#
# RMCP_KERNELS="6.1.0-56-amd64 7.2.13+deb14-amd64" picks the kernels for the
# kernel tests (default: the newest of bookworm, trixie and sid).
# RMCP_CACHE (default ~/.cache/rmcp) holds downloads and builds.

KDIR ?= /lib/modules/$(shell uname -r)/build
PWD := $(CURDIR)

.PHONY: all module userspace check demo modules-all kernels support-matrix install \
	uninstall deb rpm clean

all: module userspace

module:
	@if [ ! -f "$(KDIR)/Makefile" ]; then \
		echo "rmcp: no kernel build tree at $(KDIR)" >&2; \
		echo "rmcp: install the headers of your kernel (Debian: apt install linux-headers-$$(uname -r))" >&2; \
		echo "rmcp: or pass KDIR=/path/to/linux-headers" >&2; \
		exit 1; \
	fi
	$(MAKE) -C $(KDIR) M=$(PWD) modules

userspace:
	$(MAKE) -C userspace

# both install the Debian packages they need first (tests/deps, as root)
check:
	@tests/deps
	@tests/check

demo:
	@tests/deps
	@tests/demo

modules-all:
	@tests/kernels/modules-all $(RMCP_KERNELS)

kernels:
	@tests/kernels/fetch $(RMCP_KERNELS)

# docs/support-matrix.md from the last `make check` run (build/check/)
support-matrix:
	@test -f build/check/support-matrix.md || \
		{ echo "no build/check/support-matrix.md: run make check first" >&2; exit 1; }
	cp build/check/support-matrix.md docs/support-matrix.md

deb:
	@packaging/build-deb

rpm:
	@packaging/build-rpm

# DESTDIR, PREFIX (rmcp-probe, default /usr/local) and RMCP_PROBE=no (skip
# rmcp-probe) are passed through the environment.
install:
	@packaging/install install

uninstall:
	@packaging/install uninstall

clean:
	@if [ -f "$(KDIR)/Makefile" ]; then $(MAKE) -C $(KDIR) M=$(PWD) clean; fi
	-$(MAKE) -C userspace clean
	rm -rf build
