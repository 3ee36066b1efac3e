# SPDX-License-Identifier: GPL-2.0
# tw_stats: build the module against a kernel (KDIR) and twstat (twstat/),
# install them, and run the demo and the test suites (tests/, bench/: they
# build their own helpers).  The module itself is plain kbuild (see
# Kbuild): make -C <kernel source> O=<build> M=$PWD modules.

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
DESTDIR ?=
PREFIX ?= /usr/local
# One version, in MODULE_VERSION; debian/changelog must say the same
# (tests/check-deb.sh and debian/rules check it), dkms.conf gets it put in.
TW_VERSION := $(shell sed -n 's/^MODULE_VERSION("\(.*\)");$$/\1/p' module/main.c)
# The release KDIR was built for (Debian's headers override the
# kernelrelease kbuild would compute, so read what they recorded).
TW_KRELEASE = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' $(KDIR)/include/generated/utsrelease.h)
# What kbuild reads, and so what DKMS needs in /usr/src/tw_stats-<version>
# (next to dkms.conf, which make dkms-install and the Debian package
# install from the template ./dkms.conf):
# the module (core, and below it module/files/ and module/compat/) and the
# KUnit suites, which the same Kbuild builds on kernels with CONFIG_KUNIT.
# tests/build-module.sh copies exactly this list (make kbuild-src), so every
# make check build proves it complete.
TW_KBUILD_SRC := Kbuild $(wildcard include/*.h module/*.[ch] module/*/*.[ch] tests/kunit/*.[ch])

# tests/check-kernel.sh ids: make check-all runs all of these after the
# 6.1 KUnit kernel; .ci/run all but the last three, two debug kernels (the
# PREEMPT_RT lockdep one and the KCSAN one) and the module-signing one
# (Secure Boot's path) that a cold CI run has no time to build; make check
# runs none (TW_KERNELS=...).
TW_KERNELS_ALL := debian-6.1 debian-6.12 kunit-7.2 debian-5.10 rt-6.12 kcsan-6.1 modsig-6.1

.PHONY: all modules tools install install-tools demo check check-all bench torture clean \
	dkms-install dkms-remove kbuild-src deb

all: modules tools

modules:
	@test -d $(KDIR) || { echo "tw_stats: no kernel build tree at $(KDIR): install linux-headers-$$(uname -r) or set KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# twstat only: the test helpers (tests/tools) and twbench (bench/) are
# built by the runs that need them.
tools:
	$(MAKE) -C twstat

# For hosts without DKMS: installs into /lib/modules/<release>/updates
# of the kernel KDIR belongs to (rebuild after every kernel update).
install: modules install-tools
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=updates modules_install
	$(if $(DESTDIR),,depmod -a $(TW_KRELEASE))

# DKMS rebuilds the module for every kernel installed later.  KVER= picks
# the kernel to build for now (default: the running one).
dkms-install:
	@command -v dkms > /dev/null || { echo "tw_stats: dkms is not installed (apt-get install dkms), or use make install" >&2; exit 1; }
	rm -rf /usr/src/tw_stats-$(TW_VERSION)
	mkdir -p /usr/src/tw_stats-$(TW_VERSION)
	cp --parents $(TW_KBUILD_SRC) /usr/src/tw_stats-$(TW_VERSION)/
	sed 's/#MODULE_VERSION#/$(TW_VERSION)/' dkms.conf > /usr/src/tw_stats-$(TW_VERSION)/dkms.conf
	dkms add -m tw_stats -v $(TW_VERSION)
	dkms build -m tw_stats -v $(TW_VERSION) -k $(KVER)
	dkms install -m tw_stats -v $(TW_VERSION) -k $(KVER)

dkms-remove:
	-dkms remove -m tw_stats -v $(TW_VERSION) --all
	rm -rf /usr/src/tw_stats-$(TW_VERSION)

# The Debian packages tw-stats-dkms and twstat (debian/, docs/packaging.md):
# dpkg-buildpackage -us -uc -b in a copy of the tree under
# $(DEB_OUT)/build, since it writes its results into the parent of the
# tree it builds; the .deb, .changes and .buildinfo files end up in
# $(DEB_OUT) (default ./deb-out), nothing else of the tree changes.
DEB_OUT ?= $(CURDIR)/deb-out
deb:
	@command -v dpkg-buildpackage > /dev/null && test -e /usr/share/perl5/Debian/Debhelper/Sequence/dkms.pm || \
		{ echo "tw_stats: make deb needs debhelper and dh-dkms (apt-get install debhelper dh-dkms)" >&2; exit 1; }
	rm -rf $(DEB_OUT)/build && mkdir -p $(DEB_OUT)/build/tw-stats
	if git -C $(CURDIR) rev-parse --is-inside-work-tree > /dev/null 2>&1; then \
		git -C $(CURDIR) ls-files -z --cached --others --exclude-standard | \
			(cd $(CURDIR) && xargs -0 sh -c 'for f; do [ ! -e "$$f" ] || printf "%s\0" "$$f"; done' sh) | \
			(cd $(CURDIR) && xargs -0 cp --parents -t $(DEB_OUT)/build/tw-stats); \
	else \
		tar -C $(CURDIR) --exclude=./deb-out -cf - . | tar -C $(DEB_OUT)/build/tw-stats -xf -; \
	fi
	cd $(DEB_OUT)/build/tw-stats && DEB_BUILD_OPTIONS="noddebs $${DEB_BUILD_OPTIONS-}" \
		dpkg-buildpackage -us -uc -b
	rm -f $(DEB_OUT)/*.deb $(DEB_OUT)/*.changes $(DEB_OUT)/*.buildinfo
	mv $(DEB_OUT)/build/*.deb $(DEB_OUT)/build/*.changes $(DEB_OUT)/build/*.buildinfo $(DEB_OUT)/
	rm -rf $(DEB_OUT)/build
	@ls -1 $(DEB_OUT)/*.deb

# twstat to $(DESTDIR)$(PREFIX)/sbin, its man page to share/man/man8.
install-tools:
	$(MAKE) -C twstat install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

# Shows the module working: here if this host can load modules, else in a
# QEMU guest with the bundled test kernel (built once, cached).
demo:
	@tests/demo.sh

# Every test: lint, W=1 build, KUnit suites and QEMU integration scenarios.
check:
	@tests/check.sh

# The whole kernel matrix (docs/kernels.md): make check plus bookworm-
# backports' stock 6.12, a KUnit kernel from sid's 7.2 source, Debian 11's
# headers (must be refused in one line), a PREEMPT_RT lockdep kernel, a
# KCSAN kernel, a kernel that enforces module signatures (a DKMS-signed
# module loads, unsigned ones do not), a real DKMS build, the Debian
# packages end to end on the stock 6.1 and 6.12 images, and the full
# torture instead of make check's short one.
check-all:
	@TW_KERNELS="$(TW_KERNELS_ALL)" TW_DKMS=1 TW_DEB_E2E=1 TORTURE_SECONDS=$${TORTURE_SECONDS:-300} \
		TORTURE_FUZZ_SECONDS=$${TORTURE_FUZZ_SECONDS:-120} tests/check.sh

# The module under churn, namespaces, readers, writers, unload/reload and
# fault injection on a KASAN/kmemleak/lockdep kernel, plus the parser
# fuzzer (docs/testing.md: Torture).  TORTURE_SECONDS= (300), TORTURE_FUZZ_SECONDS= (120).
torture:
	@tests/torture.sh

# A million TIME_WAIT sockets in a QEMU guest, every way of counting them
# timed side by side; writes BENCHMARKS.md.  Reports, never fails on a
# timing; not part of make check.
bench:
	@bench/bench.sh

# The list of TW_KBUILD_SRC, one a line (tests/build-module.sh reads it).
kbuild-src:
	@printf '%s\n' $(TW_KBUILD_SRC)

clean:
	-test -d $(KDIR) && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C twstat clean
	$(MAKE) -C tests/tools clean
	$(MAKE) -C bench clean
