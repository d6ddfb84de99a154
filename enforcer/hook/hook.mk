# hook.mk - builds the OCI runtime hook build/enforcer-oci-hook from
# enforcer/hook/*.c and the shared enforcer/lib objects (included by the
# top-level Makefile; objects come from its $(BUILD)/enforcer/%.o rule).

HOOK_SRCS := $(wildcard enforcer/hook/*.c)
HOOK_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(HOOK_SRCS))

all: $(BUILD)/enforcer-oci-hook

$(BUILD)/enforcer-oci-hook: $(HOOK_OBJS) $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
