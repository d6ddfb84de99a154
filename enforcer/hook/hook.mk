# SPDX-License-Identifier: GPL-2.0-only
# hook.mk - builds the OCI runtime hook build/enforcer-oci-hook from
# enforcer/hook/*.c and the enforcer/lib objects it uses (included by
# the top-level Makefile; objects come from its $(BUILD)/enforcer/%.o rule).
# Linked statically and with nothing but libc: it is copied onto nodes of
# any distribution (kubernetes/README.md) and runs inside the runtime.
# -static-pie: static and position-independent (the hardening flags of the
# top-level Makefile otherwise apply).

HOOK_SRCS := $(wildcard enforcer/hook/*.c)
HOOK_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(HOOK_SRCS)) \
	     $(BUILD)/enforcer/lib/oci_state.o $(BUILD)/enforcer/lib/jparse.o \
	     $(BUILD)/enforcer/lib/proto_client.o $(BUILD)/enforcer/lib/array.o \
	     $(BUILD)/enforcer/lib/hook_avail.o

all: $(BUILD)/enforcer-oci-hook

$(BUILD)/enforcer-oci-hook: $(HOOK_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(filter-out -pie,$(LDFLAGS)) -static-pie -o $@ $^
