# SPDX-License-Identifier: GPL-2.0-only
# t/fuzz/fuzz.mk - hostile-input checks (issue 9), included at the end of
# the top-level Makefile: libFuzzer targets (t/fuzz/fuzz_*.c, linked with
# the enforcer/lib sources built with the same sanitizers into build/fuzz/)
# and the unit tests built with ASan + UBSan into build/asan/.
#
#   make fuzz [FUZZ_SECONDS=60]   fuzz every target for that long (each)
#   make fuzz-check               build every target, replay its seed corpus
#                                 t/fuzz/corpus/NAME/ and regression inputs
#                                 t/fuzz/regress/NAME/, then fuzz it for
#                                 FUZZ_CHECK_SECONDS (10); t/30-fuzz.t
#   make fuzz-build               only build build/fuzz/fuzz_*
#   make asan-unit                build and run every t/unit/test_*.c with
#                                 -fsanitize=address,undefined; t/31-asan-unit.t
#
# A crash leaves its input in build/fuzz/artifacts/NAME/; once fixed, copy it
# to t/fuzz/regress/NAME/ so that every fuzz-check replays it.

SAN_CC             ?= $(CLANG)
FUZZ_SECONDS       ?= 60
FUZZ_CHECK_SECONDS ?= 10
FUZZ_DIR           := $(BUILD)/fuzz
ASAN_DIR           := $(BUILD)/asan

SAN_CFLAGS  := -std=gnu11 -g -O1 -fno-omit-frame-pointer -Wall -Wextra $(WERROR) \
	       -Iinclude -Ienforcer/lib -Ienforcer/daemon -I$(BUILD) -MMD -MP \
	       -fno-sanitize-recover=all
FUZZ_CFLAGS := $(SAN_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined
ASAN_CFLAGS := $(SAN_CFLAGS) -fsanitize=address,undefined

FUZZ_SRCS     := $(wildcard t/fuzz/fuzz_*.c)
FUZZ_NAMES    := $(patsubst t/fuzz/%.c,%,$(FUZZ_SRCS))
FUZZ_BINS     := $(addprefix $(FUZZ_DIR)/,$(FUZZ_NAMES))
FUZZ_LIB_OBJS := $(patsubst %.c,$(FUZZ_DIR)/%.o,$(LIB_SRCS))

ASAN_LIB_OBJS     := $(patsubst %.c,$(ASAN_DIR)/%.o,$(LIB_SRCS))
ASAN_BINS         := $(patsubst t/unit/%.c,$(ASAN_DIR)/%,$(UNIT_SRCS))
ASAN_CONTROL_OBJS := $(ASAN_DIR)/enforcer/daemon/control.o $(ASAN_DIR)/enforcer/daemon/loop.o $(ASAN_DIR)/enforcer/daemon/log.o

.PHONY: fuzz fuzz-build fuzz-check asan-unit asan-unit-build

$(FUZZ_DIR)/enforcer/%.o: enforcer/%.c
	$(call msg,CC-FUZZ,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(SAN_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/fuzz_%: t/fuzz/fuzz_%.c t/fuzz/json_check.h $(FUZZ_LIB_OBJS)
	$(call msg,FUZZER,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(SAN_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -It/fuzz -o $@ $< $(FUZZ_LIB_OBJS) $(LDLIBS)

$(ASAN_DIR)/enforcer/%.o: enforcer/%.c
	$(call msg,CC-ASAN,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(SAN_CC) $(ASAN_CFLAGS) -c $< -o $@

$(ASAN_DIR)/test_%: t/unit/test_%.c $(ASAN_LIB_OBJS)
	$(call msg,TEST-ASAN,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(SAN_CC) $(ASAN_CFLAGS) -It -o $@ $< $(ASAN_LIB_OBJS) $(LDLIBS)

# test_control runs the daemon's real server code (as build/t/test_control).
$(ASAN_DIR)/test_control: t/unit/test_control.c $(ASAN_LIB_OBJS) $(ASAN_CONTROL_OBJS)
	$(call msg,TEST-ASAN,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(SAN_CC) $(ASAN_CFLAGS) -It -o $@ $< $(ASAN_LIB_OBJS) $(ASAN_CONTROL_OBJS) $(LDLIBS)

# test_setup_mark runs the daemon's setup_mark.c (as build/t/test_setup_mark).
$(ASAN_DIR)/test_setup_mark: t/unit/test_setup_mark.c $(ASAN_DIR)/enforcer/daemon/setup_mark.o
	$(call msg,TEST-ASAN,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(SAN_CC) $(ASAN_CFLAGS) -It -o $@ $< $(ASAN_DIR)/enforcer/daemon/setup_mark.o

fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	$(Q)for t in $(FUZZ_NAMES); do \
		sh t/fuzz/run.sh fuzz $$t $(FUZZ_DIR) $(FUZZ_SECONDS) || exit 1; \
	done

fuzz-check: $(FUZZ_BINS)
	$(Q)for t in $(FUZZ_NAMES); do \
		sh t/fuzz/run.sh check $$t $(FUZZ_DIR) $(FUZZ_CHECK_SECONDS) || exit 1; \
	done

asan-unit-build: $(ASAN_BINS)

asan-unit: $(ASAN_BINS)
	prove $(PROVE_FLAGS) t/31-asan-unit.t

# ---- enforcerd itself with ASan + UBSan, for the VM (t/vm/guest/71-asan.sh) ----
#   make asan-daemon    build/asan-daemon/enforcerd, from the same sources as
#                       build/enforcerd; also copied to build/enforcerd-asan,
#                       which t/vm/run-vm.sh puts into the guest (with its
#                       shared libraries) when VM_EXTRA_BINS names it.
# Errors are recoverable here (no -fno-sanitize-recover) so that one run
# reports every finding on stderr; the guest test fails on any report.
ASAND_DIR    := $(BUILD)/asan-daemon
ASAND_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer -Wall -Wextra $(WERROR) \
		-Iinclude -Ienforcer/lib -Ienforcer/daemon -I$(BUILD) -MMD -MP \
		-fsanitize=address,undefined
ASAND_OBJS   := $(patsubst %.c,$(ASAND_DIR)/%.o,$(DAEMON_SRCS) $(LIB_SRCS))

.PHONY: asan-daemon

$(ASAND_DIR)/enforcer/%.o: enforcer/%.c | $(SKELS)
	$(call msg,CC-ASAN,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(SAN_CC) $(ASAND_CFLAGS) -c $< -o $@

$(ASAND_DIR)/enforcerd: $(ASAND_OBJS)
	$(call msg,LD-ASAN,$@)
	$(Q)$(SAN_CC) -fsanitize=address,undefined -o $@ $^ $(LDLIBS)

$(BUILD)/enforcerd-asan: $(ASAND_DIR)/enforcerd
	$(Q)cp $< $@

asan-daemon: $(BUILD)/enforcerd-asan
