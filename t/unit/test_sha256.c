// SPDX-License-Identifier: GPL-2.0-only
/* test_sha256.c - enforcer/lib/sha256.c against the FIPS 180-4 examples and
 * sha256sum's digests of buffers around the padding boundaries (55, 56, 63,
 * 64 bytes: one or two final blocks). */
#include <stdio.h>
#include <string.h>
#include "tap.h"
#include "../enforcer/lib/sha256.h"

static const char *hex(const void *d, size_t n)
{
	static char s[2 * SHA256_LEN + 1];
	uint8_t out[SHA256_LEN];

	sha256(d, n, out);
	for (int i = 0; i < SHA256_LEN; i++)
		sprintf(s + 2 * i, "%02x", out[i]);
	return s;
}

int main(void)
{
	static const struct { size_t len; const char *want; } as[] = {
		{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
		{ 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
		{ 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
		{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
	};
	char a[64];

	plan(6);
	is_string(hex("", 0), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "empty");
	is_string(hex("abc", 3), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "abc");
	memset(a, 'a', sizeof(a));
	for (size_t i = 0; i < sizeof(as) / sizeof(as[0]); i++)
		is_string(hex(a, as[i].len), as[i].want, "%zu times 'a'", as[i].len);
	return done_testing();
}
