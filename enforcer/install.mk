# SPDX-License-Identifier: GPL-2.0-only
# install.mk - `make install` and `make uninstall` (included by the Makefile).
#
#   make install   [PREFIX=/usr/local] [DESTDIR=] [SYSCONFDIR=/etc]
#   make uninstall [same variables]
#
# Installs enforcerd and enforcerctl into $(SBINDIR), the systemd unit (with
# its paths rewritten for SBINDIR and SYSCONFDIR), a tmpfiles.d entry for
# /run/enforcer, the man pages, and the example policies into
# $(DOCDIR)/examples.  The live policy directory $(SYSCONFDIR)/enforcer/policies
# is created empty: installing enforces nothing.  An admin enables an
# example by copying it there; install and uninstall never touch the
# policies in it.  Nothing is enabled or started: add policies, then
# `systemctl enable --now enforcer`.

PREFIX      ?= /usr/local
DESTDIR     ?=
SYSCONFDIR  ?= /etc
SBINDIR     ?= $(PREFIX)/sbin
MANDIR      ?= $(PREFIX)/share/man
DOCDIR      ?= $(PREFIX)/share/doc/enforcer
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
		$(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(DOCDIR)/examples
	$(INSTALL) -d -m 750 $(DESTDIR)$(SYSCONFDIR)/enforcer $(DESTDIR)$(POLICYDIR)
	$(INSTALL) -m 755 $(addprefix $(BUILD)/,$(INST_BINS)) $(DESTDIR)$(SBINDIR)/
	sed $(UNIT_SED) systemd/enforcer.service > $(DESTDIR)$(UNITDIR)/enforcer.service
	sed $(UNIT_SED) systemd/enforcer.tmpfiles > $(DESTDIR)$(TMPFILESDIR)/enforcer.conf
	chmod 644 $(DESTDIR)$(UNITDIR)/enforcer.service $(DESTDIR)$(TMPFILESDIR)/enforcer.conf
	$(INSTALL) -m 644 $(INST_MAN8) $(DESTDIR)$(MANDIR)/man8/
	$(INSTALL) -m 644 $(INST_MAN5) $(DESTDIR)$(MANDIR)/man5/
	$(INSTALL) -m 644 $(INST_POLS) $(DESTDIR)$(DOCDIR)/examples/
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then \
		systemctl daemon-reload || true; \
	fi
	@echo "  installed; enable a policy (cp $(DOCDIR)/examples/NAME.ini $(POLICYDIR)/), then: systemctl enable --now enforcer"

uninstall:
	rm -f $(addprefix $(DESTDIR)$(SBINDIR)/,$(INST_BINS))
	rm -f $(DESTDIR)$(UNITDIR)/enforcer.service $(DESTDIR)$(TMPFILESDIR)/enforcer.conf
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(INST_MAN8)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(INST_MAN5)))
	rm -f $(addprefix $(DESTDIR)$(DOCDIR)/examples/,$(notdir $(INST_POLS)))
	-@rmdir $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null || true
	-@rmdir $(DESTDIR)$(POLICYDIR) $(DESTDIR)$(SYSCONFDIR)/enforcer 2>/dev/null || true   # only when empty
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then \
		systemctl daemon-reload || true; \
	fi
