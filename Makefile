# SPDX-License-Identifier: GPL-2.0
# tw_stats: build the module against a kernel (KDIR), build the tools,
# and run the demo and the test suites.  The module itself is plain
# kbuild (see Kbuild): make -C <kernel source> O=<build> M=$PWD modules.

KDIR ?= /lib/modules/$(shell uname -r)/build
DESTDIR ?=
PREFIX ?= /usr/local

.PHONY: all modules tools install install-tools demo check clean

all: modules tools

modules:
	@test -d $(KDIR) || { echo "tw_stats: no kernel build tree at $(KDIR): install linux-headers-$$(uname -r) or set KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C tools

install: modules install-tools
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(shell basename $$(readlink -f $(KDIR)/..) 2>/dev/null || uname -r) || depmod -a

# twstat to $(DESTDIR)$(PREFIX)/sbin, its man page to share/man/man8.
install-tools:
	$(MAKE) -C tools install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

# Shows the module working: here if this host can load modules, else in a
# QEMU guest with the bundled test kernel (built once, cached).
demo:
	@kunit/demo.sh

# Every test: lint, W=1 build, KUnit suites and QEMU integration scenarios.
check:
	@kunit/check.sh

clean:
	-test -d $(KDIR) && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools clean
