# SPDX-License-Identifier: GPL-2.0
# tw_stats: build the module against a kernel (KDIR) and twstat (twstat/),
# install them, and run the demo and the test suites (tests/, bench/: they
# build their own helpers).  The module itself is plain kbuild (see
# Kbuild): make -C <kernel source> O=<build> M=$PWD modules.

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
DESTDIR ?=
PREFIX ?= /usr/local
# One version, in MODULE_VERSION; dkms.conf must say the same.
TW_VERSION := $(shell sed -n 's/^MODULE_VERSION("\(.*\)");$$/\1/p' module/main.c)
# The release KDIR was built for (Debian's headers override the
# kernelrelease kbuild would compute, so read what they recorded).
TW_KRELEASE = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' $(KDIR)/include/generated/utsrelease.h)
# What kbuild reads, and so what DKMS needs in /usr/src/tw_stats-<version>:
# the module (core, and below it module/files/ and module/compat/) and the
# KUnit suites, which the same Kbuild builds on kernels with CONFIG_KUNIT.
# tests/build-module.sh copies exactly this list (make kbuild-src), so every
# make check build proves it complete.
TW_KBUILD_SRC := Kbuild dkms.conf $(wildcard include/*.h module/*.[ch] module/*/*.[ch] tests/kunit/*.[ch])

# tests/check-kernel.sh ids: make check-all runs all of these after the
# 6.1 KUnit kernel; .ci/run all but the last three, two debug kernels (the
# PREEMPT_RT lockdep one and the KCSAN one) and the module-signing one
# (Secure Boot's path) that a cold CI run has no time to build; make check
# runs none (TW_KERNELS=...).
TW_KERNELS_ALL := debian-6.1 debian-6.12 kunit-7.2 debian-5.10 rt-6.12 kcsan-6.1 modsig-6.1

.PHONY: all modules tools install install-tools demo check check-all bench torture clean \
	dkms-install dkms-remove kbuild-src

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
	dkms add -m tw_stats -v $(TW_VERSION)
	dkms build -m tw_stats -v $(TW_VERSION) -k $(KVER)
	dkms install -m tw_stats -v $(TW_VERSION) -k $(KVER)

dkms-remove:
	-dkms remove -m tw_stats -v $(TW_VERSION) --all
	rm -rf /usr/src/tw_stats-$(TW_VERSION)

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
# module loads, unsigned ones do not), a real DKMS build, and the full
# torture instead of make check's short one.
check-all:
	@TW_KERNELS="$(TW_KERNELS_ALL)" TW_DKMS=1 TORTURE_SECONDS=$${TORTURE_SECONDS:-300} \
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
