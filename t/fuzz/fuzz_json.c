// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_json.c - libFuzzer target for the JSON writer (enforcer/lib/json.c):
 * arbitrary bytes through jb_kbytes(), jb_strn() and jb_key() must always
 * give valid JSON (strict check in json_check.h) that is valid UTF-8; a
 * valid UTF-8 input must come back unchanged when decoded, and the
 * "<key>_hex" companion must appear exactly when the bytes are not valid
 * UTF-8 or hold a NUL, and hold the exact bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "json_check.h"

#define FAIL(...) do { fprintf(stderr, "fuzz_json: " __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

/* Expect the literal text w at s[*i]. */
static void expect(const char *s, size_t n, size_t *i, const char *w)
{
	size_t l = strlen(w);

	if (*i + l > n || memcmp(s + *i, w, l))
		FAIL("expected '%s' at offset %zu of %.*s", w, *i, (int)(n > 300 ? 300 : n), s);
	*i += l;
}

/* Decode the string token at s[*i] into a new buffer. */
static char *decode(const char *s, size_t n, size_t *i, size_t *len)
{
	char *out = malloc(n + 1);

	if (!out)
		abort();
	if (jcheck_string(s, n, i, out, len) < 0)
		FAIL("bad string at offset %zu", *i);
	return out;
}

static int unhex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;        /* uppercase is not what json.h promises */
}

/* Layout of the input: byte 0 = length of the key (mod 32), then the key,
 * then the value bytes. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *val;
	size_t klen = 0, vlen, i = 0, dlen;
	char key[40], *dec;
	struct jbuf b;
	bool valid;

	if (size) {
		klen = data[0] % 32;
		if (klen > size - 1)
			klen = size - 1;
		memcpy(key, data + 1, klen);
		data += 1 + klen;
		size -= 1 + klen;
	}
	key[klen] = 0;
	val = (const char *)data;
	vlen = size;
	valid = json_utf8_valid(val, vlen);
	if (valid != (jcheck_utf8_valid(val, vlen) && !memchr(val, 0, vlen)))
		FAIL("json_utf8_valid() says %d", valid);

	jb_init(&b);
	jb_obj_open(&b);
	jb_kbytes(&b, "v", val, vlen);
	jb_key(&b, "s");
	jb_strn(&b, val, vlen);
	jb_kstr(&b, key, "x");
	jb_key(&b, "a");
	jb_arr_open(&b);
	jb_strn(&b, val, vlen);
	jb_int(&b, -(int64_t)vlen);
	jb_uint(&b, UINT64_MAX - vlen);
	jb_bool(&b, vlen & 1);
	jb_null(&b);
	jb_arr_close(&b);
	jb_obj_close(&b);
	if (b.oom)
		FAIL("out of memory");
	if (strlen(b.s) != b.len)
		FAIL("NUL byte in the output");
	if (!json_check(b.s, b.len))
		FAIL("invalid JSON: %.*s", (int)(b.len > 2000 ? 2000 : b.len), b.s);
	if (!jcheck_utf8_valid(b.s, b.len))
		FAIL("output is not valid UTF-8");

	/* {"v":"...",["v_hex":"...",]"s":"...",... */
	expect(b.s, b.len, &i, "{\"v\":");
	dec = decode(b.s, b.len, &i, &dlen);
	if (jcheck_utf8_valid(val, vlen) && (dlen != vlen || memcmp(dec, val, vlen)))
		FAIL("valid UTF-8 value changed by jb_kbytes");
	free(dec);
	if (!valid) {
		expect(b.s, b.len, &i, ",\"v_hex\":\"");
		for (size_t k = 0; k < vlen; k++, i += 2) {
			int hi, lo;

			if (i + 2 > b.len || (hi = unhex(b.s[i])) < 0 || (lo = unhex(b.s[i + 1])) < 0)
				FAIL("bad v_hex at offset %zu", i);
			if ((uint8_t)(hi << 4 | lo) != (uint8_t)val[k])
				FAIL("v_hex byte %zu differs", k);
		}
		expect(b.s, b.len, &i, "\"");
	}
	expect(b.s, b.len, &i, ",\"s\":");
	dec = decode(b.s, b.len, &i, &dlen);
	if (jcheck_utf8_valid(val, vlen) && (dlen != vlen || memcmp(dec, val, vlen)))
		FAIL("valid UTF-8 value changed by jb_strn");
	free(dec);
	expect(b.s, b.len, &i, ",");
	dec = decode(b.s, b.len, &i, &dlen);
	if (jcheck_utf8_valid(key, klen) && strlen(key) == klen && (dlen != klen || memcmp(dec, key, klen)))
		FAIL("valid UTF-8 key changed by jb_key");
	free(dec);
	jb_free(&b);

	/* timestamps: always 2026-11-24T22:30:00.123456789Z shaped */
	if (vlen >= 8) {
		uint64_t ns;
		char ts[40];
		static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddddddddZ";

		memcpy(&ns, val, sizeof(ns));
		json_rfc3339(ts, sizeof(ts), ns);
		if (strlen(ts) != sizeof(shape) - 1)
			FAIL("json_rfc3339(%llu) = '%s'", (unsigned long long)ns, ts);
		for (size_t k = 0; k < sizeof(shape) - 1; k++)
			if (shape[k] == 'd' ? !jcheck_digit(ts[k]) : ts[k] != shape[k])
				FAIL("json_rfc3339(%llu) = '%s'", (unsigned long long)ns, ts);
	}
	return 0;
}
