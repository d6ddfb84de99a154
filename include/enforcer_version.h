/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * enforcer_version.h - the release version, one place for enforcerd,
 * enforcerctl (--version, status) and the Debian package (debian/changelog
 * must agree: t/42-deb.t checks it).
 */
#ifndef ENFORCER_VERSION_H
#define ENFORCER_VERSION_H

#define ENFORCER_VERSION "0.1.0"

#endif
