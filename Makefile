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
#   make install         install rmcp.ko into KDIR's module tree (modules_install)
#   make clean
#
# RMCP_KERNELS="6.1.0-56-amd64 7.2.13+deb14-amd64" picks the kernels for the
# kernel tests (default: the newest of bookworm, trixie and sid).
# RMCP_CACHE (default ~/.cache/rmcp) holds downloads and builds.

KDIR ?= /lib/modules/$(shell uname -r)/build
PWD := $(CURDIR)

.PHONY: all module userspace check demo modules-all kernels support-matrix install clean

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

check:
	@tests/check

demo:
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

install: module
	$(MAKE) -C $(KDIR) M=$(PWD) modules_install

clean:
	@if [ -f "$(KDIR)/Makefile" ]; then $(MAKE) -C $(KDIR) M=$(PWD) clean; fi
	-$(MAKE) -C userspace clean
	rm -rf build
