#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 27-sha256.t - SHA-256 of enforcer/lib/sha256.c (the BPF object's digest)
exec build/t/test_sha256
