# SPDX-License-Identifier: GPL-2.0-only
# Makefile - builds enforcer (BPF objects, skeletons, enforcerd, enforcerctl),
# installs its dependencies, fetches the test kernels and runs the tests.
#
#   make            build everything under build/
#   make deps       install the Debian packages needed to build, demo and test
#   make check      deps + build + unit tests + VM tests on the 6.1 and 6.12 kernels
#   make host-image the cached Debian/systemd image of the real-host VM tests
#   make deb        Debian packages (dpkg-buildpackage) into build/deb/
#   make demo       deps + build + boot a VM and show enforcement working
#   make image      the enforcer container image, offline: build/enforcer-image.tar
#   make clean
# V=1 shows full command lines.

BUILD       ?= build
CC          ?= cc
CLANG       ?= clang
BPFTOOL     ?= bpftool
LLVM_STRIP  ?= llvm-strip
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
PKGS_LIBS   := libbpf libcap

ifeq ($(V),1)
Q :=
msg =
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

WERROR      := $(if $(CI),-Werror,)
CFLAGS      ?= -O2 -g
CFLAGS      += -std=gnu11 -Wall -Wextra $(WERROR) -Iinclude -Ienforcer/lib -Ienforcer/daemon -I$(BUILD) -MMD -MP
# Hardening, on by default (enforcerd runs as root): stack protector,
# FORTIFY (needs -O1 or more), position-independent executables, read-only
# relocations bound at start.  t/33-hardening.t checks the binaries.
HARDEN_CFLAGS  ?= -fstack-protector-strong -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2 -fPIE
HARDEN_LDFLAGS ?= -pie -Wl,-z,relro,-z,now
CFLAGS      += $(HARDEN_CFLAGS)
LDFLAGS     += $(HARDEN_LDFLAGS)
LDLIBS      += $(shell pkg-config --libs $(PKGS_LIBS) 2>/dev/null || echo -lbpf -lelf -lz -lcap)
BPF_CFLAGS  := -O2 -g -target bpf -D__TARGET_ARCH_x86 -Wall -Iinclude -Ibpf-lsm -I$(BUILD) -MMD -MP

# enforcer's BPF object: one source per hook family (bpf-lsm/enforcer.bpf.c
# lists them), compiled apart and linked by `bpftool gen object` into one
# object, so the daemon has one skeleton.  empty.bpf.c (the benchmark's
# floor) is an object of its own.
ENF_BPF_PARTS := enforcer audit govern exec file net unix escape cgroup confine protect tty prog pattern reset
ENF_BPF_OBJS  := $(patsubst %,$(BUILD)/bpf/%.bpf.o,$(ENF_BPF_PARTS))
SKELS       := $(BUILD)/enforcer.skel.h $(BUILD)/empty.skel.h

LIB_SRCS    := $(wildcard enforcer/lib/*.c)
DAEMON_SRCS := $(wildcard enforcer/daemon/*.c)
CTL_SRCS    := $(wildcard enforcer/ctl/*.c)
LIB_OBJS    := $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRCS))
DAEMON_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(DAEMON_SRCS))
CTL_OBJS    := $(patsubst %.c,$(BUILD)/%.o,$(CTL_SRCS))

# Unit tests: t/unit/test_NAME.c -> build/t/test_NAME, run by t/*.t wrappers.
UNIT_SRCS   := $(wildcard t/unit/test_*.c)
UNIT_BINS   := $(patsubst t/unit/%.c,$(BUILD)/t/%,$(UNIT_SRCS))
# Helpers run inside the VM: t/vm/bin/NAME.c -> build/vm-bin/NAME (static).
VMBIN_SRCS  := $(wildcard t/vm/bin/*.c)
VMBINS      := $(patsubst t/vm/bin/%.c,$(BUILD)/vm-bin/%,$(VMBIN_SRCS))
# ... and 32-bit ones without libc (the compat syscall paths): t/vm/bin32/NAME.c
VMBIN32_SRCS := $(wildcard t/vm/bin32/*.c)
VMBINS      += $(patsubst t/vm/bin32/%.c,$(BUILD)/vm-bin/%,$(VMBIN32_SRCS))
# ... and one dynamic (ld.so can run it as a mapped program: 98-lineage-attack.sh)
VMBINS      += $(BUILD)/vm-bin/atk97-dyn

.PHONY: all clean deps check unit vmtest demo bench kernels host-image host-unit deb host-vmtest
.DELETE_ON_ERROR:
.SECONDARY:

all: $(SKELS) $(BUILD)/enforcerd $(BUILD)/enforcerctl $(UNIT_BINS) $(VMBINS)

$(BUILD)/vmlinux.h:
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@

$(BUILD)/bpf/%.bpf.o: bpf-lsm/%.bpf.c $(BUILD)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@   # DWARF is not needed at run time; BTF stays

$(BUILD)/enforcer.bpf.o: $(ENF_BPF_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(BPFTOOL) gen object $@ $^

$(BUILD)/empty.bpf.o: $(BUILD)/bpf/empty.bpf.o
	$(call msg,LINK,$@)
	$(Q)$(BPFTOOL) gen object $@ $^

# A static pattern rule, not an implicit one: the objects' .d files (-MP)
# name the skeletons as targets without a recipe, which would hide an
# implicit rule and leave a deleted skeleton unbuilt.
$(SKELS): $(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

$(BUILD)/enforcer/%.o: enforcer/%.c | $(SKELS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/enforcerd: $(DAEMON_OBJS) $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# enforcerctl links only the library objects it calls (an archive): no
# libbpf, libelf or libz for the dynamic loader at each start (a timed
# `enforcerctl reload` pays its process start).
$(BUILD)/libenforcer.a: $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/enforcerctl: $(CTL_OBJS) $(BUILD)/libenforcer.a
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -Wl,--as-needed -o $@ $^ $(LDLIBS)

$(BUILD)/t/%: t/unit/%.c $(LIB_OBJS)
	$(call msg,TEST,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -It -o $@ $< $(LIB_OBJS) $(LDLIBS)

$(BUILD)/vm-bin/%: t/vm/bin/%.c $(wildcard t/vm/bin/*.h)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -O2 -Wall -Wextra $(WERROR) -static -o $@ $<

$(BUILD)/vm-bin/atk97-dyn: t/vm/bin/atk97.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -O2 -Wall -Wextra $(WERROR) -o $@ $<

$(BUILD)/vm-bin/%: t/vm/bin32/%.c
	$(call msg,CC32,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -m32 -O2 -Wall -Wextra $(WERROR) -static -nostdlib -ffreestanding -fno-pic \
		-fno-stack-protector -o $@ $<

# The control socket test runs the daemon's real server code.
CONTROL_TEST_OBJS := $(BUILD)/enforcer/daemon/control.o $(BUILD)/enforcer/daemon/loop.o $(BUILD)/enforcer/daemon/log.o
$(BUILD)/t/test_control: t/unit/test_control.c $(LIB_OBJS) $(CONTROL_TEST_OBJS)
	$(call msg,TEST,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -It -o $@ $< $(LIB_OBJS) $(CONTROL_TEST_OBJS) $(LDLIBS)

# setup_mark() runs against a simulated map and cgroup (a removal mid-bind).
$(BUILD)/t/test_setup_mark: t/unit/test_setup_mark.c $(BUILD)/enforcer/daemon/setup_mark.o
	$(call msg,TEST,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -It -o $@ $< $(BUILD)/enforcer/daemon/setup_mark.o

-include $(shell find $(BUILD) \( -name '.host-image.*' -o -name host-image -o -name host-vm -o -name kernels -o -name deb-build \) -prune -o -name '*.d' -type f -print 2>/dev/null)

clean:
	rm -rf $(BUILD)

# ---- deps, kernels, VM tests, demo (below this line) ----

# Debian's cloud kernels for the VM tests (6.1 and 6.12 LTS, bpf LSM built in),
# and the SCTP module of each (with its dependencies) from the same package.
KVERS       := 6.1 6.12
KERNELS     := $(patsubst %,$(BUILD)/kernels/vmlinuz-%,$(KVERS)) \
	       $(patsubst %,$(BUILD)/kernels/modules-%/order,$(KVERS))
# The longest groups first (the real Kubernetes node, t/66,67, about 10
# minutes a boot under TCG; the real host, t/64,65), so that the two slots
# of prove -j2 end together.
VM_SLOW     := $(wildcard t/*-vm-node-*.t t/*-vm-host-*.t)
VM_TESTS    := $(VM_SLOW) $(filter-out $(VM_SLOW),$(wildcard t/*-vm-*.t))
UNIT_TESTS  := $(filter-out $(VM_TESTS),$(wildcard t/*.t))
# Each VM test boots one TCG guest on one core: run them side by side.
PROVE_FLAGS ?= -j2


deps:
	@sh t/vm/deps.sh

kernels: $(KERNELS)

# Debian bookworm with systemd as PID 1 and Debian's 6.1/6.12 kernels and
# initrds, for the real-host VM tests (t/vm/run-host-vm.sh).  Rebuilt only
# when t/vm/debian-image.sh or t/vm/host-image.packages change.
host-image:
	@sh t/vm/debian-image.sh

$(BUILD)/kernels/vmlinuz-%:
	@sh t/vm/fetch-kernel.sh $* $@

# (after the vmlinuz: one run of fetch-kernel.sh writes both, the modules last;
# run again when the script, and so maybe its list of modules, changed)
$(BUILD)/kernels/modules-%/order: $(BUILD)/kernels/vmlinuz-% t/vm/fetch-kernel.sh
	@sh t/vm/fetch-kernel.sh $* $<

# check = unit tests on the host + VM tests on both kernels.  Ordered
# prerequisites so a fresh machine installs packages before building.
# Skipped tests are listed at the end (t/report-skips.sh); a skip of a test
# that must run on these kernels (t/vm/must-run.txt) is a failure.
SKIP_LOG    := $(abspath $(BUILD))/skipped.log
check:
	$(MAKE) deps
	$(MAKE) kernels host-image all image deb
	@rm -f $(SKIP_LOG)
	ENFORCER_SKIP_LOG=$(SKIP_LOG) prove $(PROVE_FLAGS) $(VM_SLOW) $(UNIT_TESTS) $(filter-out $(VM_SLOW),$(VM_TESTS)); \
	rc=$$?; sh t/report-skips.sh $(SKIP_LOG); exit $$rc

unit: all deb
	prove $(PROVE_FLAGS) $(UNIT_TESTS)

# The quick host unit tests (no fuzzing, sanitizers, install or VM): what
# the Debian package build runs.
HOST_UNIT_TESTS := $(wildcard t/1*.t t/2*.t) t/32-limits.t t/41-policies.t
host-unit: all
	prove $(HOST_UNIT_TESTS)

# Debian packages with Debian's tools (debian/): dpkg-buildpackage on a
# clean copy of the tree (git's files) under build/deb-build; the .debs
# land in build/deb/.
DEB_VERSION := $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
deb:
	rm -rf $(BUILD)/deb-build $(BUILD)/deb
	mkdir -p $(BUILD)/deb-build/enforcer-$(DEB_VERSION) $(BUILD)/deb
	if git rev-parse --git-dir >/dev/null 2>&1; then git ls-files -co --exclude-standard; \
	else find . -path ./build -prune -o \( -type f -o -type l \) -print; fi | \
		while read -r f; do [ -e "$$f" ] && printf '%s\n' "$$f"; done | \
		tar -cf - -T - | tar -xf - -C $(BUILD)/deb-build/enforcer-$(DEB_VERSION)
	cd $(BUILD)/deb-build/enforcer-$(DEB_VERSION) && dpkg-buildpackage -b -us -uc
	cp $(BUILD)/deb-build/*.deb $(BUILD)/deb/
	@ls -l $(BUILD)/deb/

vmtest: kernels host-image all image deb
	prove $(PROVE_FLAGS) $(VM_TESTS)

# The real-host runs of make check alone (Debian/systemd image): the
# Kubernetes node (t/66,67: t/vm/host/5*.sh) and the real host (t/64,65:
# t/vm/host/[0-4]*.sh), both kernels.
host-vmtest: kernels host-image all image deb
	prove $(PROVE_FLAGS) $(VM_SLOW)

# Boot the 6.12 kernel and show enforcement with policies/demo.ini.
demo:
	$(MAKE) deps
	$(MAKE) kernels all
	t/vm/run-vm.sh --demo 6.12
include t/fuzz/fuzz.mk
include enforcer/install.mk
-include t/bench/bench.mk
include enforcer/hook/hook.mk
include enforcer/image/image.mk
