# SPDX-License-Identifier: GPL-2.0-only
# bench.mk - `make bench` (issue 8): boots the 6.12 kernel once under qemu
# -icount, measures enforcer against no LSM program, empty BPF programs,
# AppArmor and Landlock, and renders BENCHMARKS.md and the plot.  Included
# by the top-level Makefile; not part of `make check`.
#
#   make bench                 build, run (~20 min), write build/bench/results.json,
#                              BENCHMARKS.md, t/bench/open-vs-rules.png and
#                              t/bench/results.json (a copy of the raw samples)
#   make bench-report          re-render from build/bench/results.json
#   BENCH_SIZES="ROUNDS N_OPEN N_EXEC N_CONNECT STORM_SECS RELOADS MAXRULES"

BENCH_BIN     := $(BUILD)/bench-bin
BENCH_STATIC  := $(BENCH_BIN)/bench $(BENCH_BIN)/landlock
BENCH_DYN     := $(BENCH_BIN)/floor $(BENCH_BIN)/bpfstats
BENCH_TOOLS   := $(BENCH_STATIC) $(BENCH_DYN) $(BENCH_BIN)/noop
BENCH_PARSER  := $(BUILD)/bench/apparmor/sbin/apparmor_parser

.PHONY: bench bench-tools bench-report

bench-tools: $(BENCH_TOOLS)

$(BENCH_STATIC): $(BENCH_BIN)/%: t/bench/bin/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -O2 -Wall -Wextra $(WERROR) -static -o $@ $<

$(BENCH_BIN)/noop: t/bench/bin/noop.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) -O2 -Wall -Wextra $(WERROR) -static -nostdlib -o $@ $<

$(BENCH_DYN): $(BENCH_BIN)/%: t/bench/bin/%.c $(BUILD)/empty.skel.h $(BUILD)/enforcer/lib/hook_variants.o
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -o $@ $< $(BUILD)/enforcer/lib/hook_variants.o $(LDLIBS)

$(BENCH_PARSER):
	$(call msg,FETCH,$@)
	$(Q)sh t/bench/fetch-apparmor.sh $(BUILD)/bench/apparmor || \
		echo "bench: apparmor_parser unavailable: P1 will be skipped" >&2

bench:
	$(MAKE) $(BUILD)/kernels/vmlinuz-6.12 $(BUILD)/enforcerd $(BUILD)/enforcerctl \
		$(BUILD)/vm-bin/jsonget bench-tools
	-$(MAKE) $(BENCH_PARSER)
	sh t/bench/run-bench.sh $(BUILD)/bench/results.json
	$(MAKE) bench-report

bench-report:
	sh t/bench/report.sh $(BUILD)/bench/results.json
