# install.mk - `make install` and `make uninstall` (included by the Makefile).
#
#   make install   [PREFIX=/usr/local] [DESTDIR=] [SYSCONFDIR=/etc]
#   make uninstall [same variables]
#
# Installs enforcerd and enforcerctl into $(SBINDIR), the systemd unit (with
# its paths rewritten for SBINDIR and SYSCONFDIR), a tmpfiles.d entry for
# /run/enforcer, the man pages, and the example policies into
# $(SYSCONFDIR)/enforcer/policies.  A policy file already there is never
# overwritten (the admin's copy wins); uninstall removes a policy only when
# it is still identical to the shipped one.  Nothing is enabled or started:
# review the policies, then `systemctl enable --now enforcer`.

PREFIX      ?= /usr/local
DESTDIR     ?=
SYSCONFDIR  ?= /etc
SBINDIR     ?= $(PREFIX)/sbin
MANDIR      ?= $(PREFIX)/share/man
# systemd's own directories when installing into /usr, else below PREFIX
# (/usr/local/lib/systemd/system and /usr/local/lib/tmpfiles.d are in
# systemd's search paths).
ifeq ($(PREFIX),/usr)
UNITDIR     ?= /lib/systemd/system
TMPFILESDIR ?= /usr/lib/tmpfiles.d
else
UNITDIR     ?= $(PREFIX)/lib/systemd/system
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
endif
POLICYDIR   := $(SYSCONFDIR)/enforcer/policies

INSTALL     ?= install
INST_BINS   := enforcerd enforcerctl
INST_MAN8   := enforcer/man/enforcerd.8 enforcer/man/enforcerctl.8
INST_MAN5   := enforcer/man/enforcer.ini.5
INST_POLS   := $(wildcard policies/*.ini)

# The unit and the tmpfiles entry get the configured paths (sed at install
# time: nothing in build/ remembers a previous PREFIX).
UNIT_SED    := -e 's|/usr/local/sbin|$(SBINDIR)|g' -e 's|/etc/enforcer|$(SYSCONFDIR)/enforcer|g'

.PHONY: install uninstall

install: $(BUILD)/enforcerd $(BUILD)/enforcerctl
	$(INSTALL) -d -m 755 $(DESTDIR)$(SBINDIR) $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8
	$(INSTALL) -d -m 750 $(DESTDIR)$(SYSCONFDIR)/enforcer $(DESTDIR)$(POLICYDIR)
	$(INSTALL) -m 755 $(addprefix $(BUILD)/,$(INST_BINS)) $(DESTDIR)$(SBINDIR)/
	sed $(UNIT_SED) systemd/enforcer.service > $(DESTDIR)$(UNITDIR)/enforcer.service
	sed $(UNIT_SED) systemd/enforcer.tmpfiles > $(DESTDIR)$(TMPFILESDIR)/enforcer.conf
	chmod 644 $(DESTDIR)$(UNITDIR)/enforcer.service $(DESTDIR)$(TMPFILESDIR)/enforcer.conf
	$(INSTALL) -m 644 $(INST_MAN8) $(DESTDIR)$(MANDIR)/man8/
	$(INSTALL) -m 644 $(INST_MAN5) $(DESTDIR)$(MANDIR)/man5/
	@for p in $(INST_POLS); do \
		t=$(DESTDIR)$(POLICYDIR)/$${p##*/}; \
		if [ -e "$$t" ] || [ -L "$$t" ]; then \
			echo "  keeping existing $$t"; \
		else \
			echo "  $(INSTALL) -m 640 $$p $$t"; \
			$(INSTALL) -m 640 "$$p" "$$t" || exit 1; \
		fi; \
	done
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then \
		systemctl daemon-reload || true; \
	fi
	@echo "  installed; review $(POLICYDIR), then: systemctl enable --now enforcer"

uninstall:
	rm -f $(addprefix $(DESTDIR)$(SBINDIR)/,$(INST_BINS))
	rm -f $(DESTDIR)$(UNITDIR)/enforcer.service $(DESTDIR)$(TMPFILESDIR)/enforcer.conf
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(INST_MAN8)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(INST_MAN5)))
	@for p in $(INST_POLS); do \
		t=$(DESTDIR)$(POLICYDIR)/$${p##*/}; \
		[ -f "$$t" ] || continue; \
		if cmp -s "$$p" "$$t"; then \
			echo "  rm -f $$t"; rm -f "$$t"; \
		else \
			echo "  keeping modified $$t"; \
		fi; \
	done
	-@rmdir $(DESTDIR)$(POLICYDIR) $(DESTDIR)$(SYSCONFDIR)/enforcer 2>/dev/null || true
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then \
		systemctl daemon-reload || true; \
	fi
