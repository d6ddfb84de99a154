/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sha256.h - SHA-256 (FIPS 180-4) of a buffer: enforcerd names the BPF
 * object it runs by this digest (pin.c: adopting pinned programs).
 */
#ifndef ENF_SHA256_H
#define ENF_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

void sha256(const void *data, size_t len, uint8_t out[SHA256_LEN]);

#endif
