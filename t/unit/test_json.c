// SPDX-License-Identifier: GPL-2.0-only
/* test_json.c - the JSON writer: escaping of every kind of byte, invalid
 * UTF-8, the _hex companion, structure and commas, RFC 3339 times; and that
 * every output parses with Python's json module. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json.h"
#include "tap.h"

static bool have_python;

/* Write s as a JSON string value and return it (static buffer). */
static const char *esc(const char *s, size_t n)
{
	static char out[4096];
	struct jbuf b;

	jb_init(&b);
	jb_strn(&b, s, n);
	snprintf(out, sizeof(out), "%s", b.oom ? "OOM" : b.s);
	jb_free(&b);
	return out;
}

#define ESC(lit) esc(lit, sizeof(lit) - 1)

/* Parse json with Python and return json.dumps(ensure_ascii) of it, or NULL. */
static char *py_canon(const char *json)
{
	static char out[65536];
	char path[] = "/tmp/test_json.XXXXXX";
	char cmd[512];
	FILE *f, *p;
	size_t n;
	int fd, st;

	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	fputs(json, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import json,sys; v=json.loads(open(sys.argv[1],\"rb\").read()); "
		 "sys.stdout.write(json.dumps(v, ensure_ascii=True, separators=(\",\",\":\")))' %s",
		 path);
	p = popen(cmd, "r");
	if (!p) {
		unlink(path);
		return NULL;
	}
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	st = pclose(p);
	unlink(path);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? out : NULL;
}

static void roundtrip(const char *json, const char *want, const char *name)
{
	char *got;

	if (!have_python) {
		skip("%s: no python3", name);
		return;
	}
	got = py_canon(json);
	if (want)
		is_string(got, want, "python parses %s", name);
	else
		ok(got != NULL, "python parses %s", name);
}

static void test_escapes(void)
{
	is_string(ESC("plain"), "\"plain\"", "plain string");
	is_string(ESC("a\"b\\c"), "\"a\\\"b\\\\c\"", "quote and backslash");
	is_string(ESC("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"", "short control escapes");
	is_string(ESC("\x01\x1f\x7f x"), "\"\\u0001\\u001f\\u007f x\"", "other controls and DEL");
	is_string(ESC("a\0b"), "\"a\\u0000b\"", "NUL as \\u0000");
	is_string(ESC("/path/to/file"), "\"/path/to/file\"", "slash kept");
	is_string(ESC("h\xc3\xa9llo \xe2\x82\xac \xf0\x9d\x84\x9e"),
		  "\"h\xc3\xa9llo \xe2\x82\xac \xf0\x9d\x84\x9e\"", "valid UTF-8 kept");
	is_string(ESC("\xef\xbf\xbf\xf4\x8f\xbf\xbf"), "\"\xef\xbf\xbf\xf4\x8f\xbf\xbf\"",
		  "U+FFFF and U+10FFFF kept");
	is_string(ESC("\xff"), "\"\\ufffd\"", "0xff replaced");
	is_string(ESC("a\x80z"), "\"a\\ufffdz\"", "stray continuation replaced");
	is_string(ESC("\xc0\xaf"), "\"\\ufffd\"", "overlong 2-byte replaced once");
	is_string(ESC("\xe0\x80\xaf"), "\"\\ufffd\"", "overlong 3-byte replaced once");
	is_string(ESC("\xf0\x80\x80\xaf"), "\"\\ufffd\"", "overlong 4-byte replaced once");
	is_string(ESC("\xed\xa0\x80"), "\"\\ufffd\"", "surrogate replaced");
	is_string(ESC("\xf4\x90\x80\x80"), "\"\\ufffd\"", "above U+10FFFF replaced");
	is_string(ESC("\xf8\x88\x80\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"",
		  "5-byte form replaced byte by byte");
	is_string(ESC("a\xe2\x82"), "\"a\\ufffd\"", "truncated at end replaced");
	is_string(ESC("\xe2\x82" "a"), "\"\\ufffda\"", "truncated before ASCII replaced");
	is_string(ESC("\xc3" "\""), "\"\\ufffd\\\"\"", "truncated before quote");
	is_string(esc(NULL, 0), "\"\"", "NULL bytes give an empty string");
}

static void test_structure(void)
{
	struct jbuf b;

	jb_init(&b);
	jb_obj_open(&b);
	jb_kint(&b, "a", 1);
	jb_key(&b, "b");
	jb_arr_open(&b);
	jb_int(&b, 1);
	jb_uint(&b, 2);
	jb_obj_open(&b);
	jb_kbool(&b, "c", true);
	jb_obj_close(&b);
	jb_arr_open(&b);
	jb_arr_close(&b);
	jb_obj_open(&b);
	jb_obj_close(&b);
	jb_arr_close(&b);
	jb_key(&b, "d");
	jb_null(&b);
	jb_kint(&b, "min", INT64_MIN);
	jb_kuint(&b, "max", UINT64_MAX);
	jb_kstr(&b, "s", "x");
	jb_kstr(&b, "n", NULL);
	jb_kbool(&b, "f", false);
	jb_key(&b, "k\"ey\n");
	jb_str(&b, "v");
	jb_obj_close(&b);
	is_string(b.s, "{\"a\":1,\"b\":[1,2,{\"c\":true},[],{}],\"d\":null,"
		  "\"min\":-9223372036854775808,\"max\":18446744073709551615,"
		  "\"s\":\"x\",\"n\":null,\"f\":false,\"k\\\"ey\\n\":\"v\"}", "structure and commas");
	ok(!b.oom && b.len == strlen(b.s), "len matches");
	roundtrip(b.s, "{\"a\":1,\"b\":[1,2,{\"c\":true},[],{}],\"d\":null,"
		  "\"min\":-9223372036854775808,\"max\":18446744073709551615,"
		  "\"s\":\"x\",\"n\":null,\"f\":false,\"k\\\"ey\\n\":\"v\"}", "the structure");

	jb_reset(&b);
	ok(b.len == 0 && !b.need_comma, "reset empties");
	jb_obj_open(&b);
	jb_raw(&b, "\"r\":1", 5);
	jb_obj_close(&b);
	is_string(b.s, "{\"r\":1}", "raw bytes copied as is");
	jb_free(&b);
	ok(b.s == NULL && b.len == 0, "free clears");
}

static void test_kbytes(void)
{
	struct jbuf b;

	jb_init(&b);
	jb_obj_open(&b);
	jb_kbytes(&b, "path", "/etc/passwd", 11);
	jb_obj_close(&b);
	is_string(b.s, "{\"path\":\"/etc/passwd\"}", "valid bytes: no _hex");

	jb_reset(&b);
	jb_obj_open(&b);
	jb_kbytes(&b, "path", "/tmp/\xff\"x", 8);
	jb_obj_close(&b);
	is_string(b.s, "{\"path\":\"/tmp/\\ufffd\\\"x\",\"path_hex\":\"2f746d702fff2278\"}",
		  "invalid UTF-8: replaced and _hex");
	roundtrip(b.s, "{\"path\":\"/tmp/\\ufffd\\\"x\",\"path_hex\":\"2f746d702fff2278\"}",
		  "the _hex object");

	jb_reset(&b);
	jb_obj_open(&b);
	jb_kbytes(&b, "comm", "a\0b", 3);
	jb_kint(&b, "pid", 7);
	jb_obj_close(&b);
	is_string(b.s, "{\"comm\":\"a\\u0000b\",\"comm_hex\":\"610062\",\"pid\":7}",
		  "NUL: escaped and _hex, commas right");

	jb_reset(&b);
	jb_obj_open(&b);
	jb_kbytes(&b, "p", "line\nbreak", 10);
	jb_obj_close(&b);
	is_string(b.s, "{\"p\":\"line\\nbreak\"}", "control bytes alone need no _hex");

	jb_reset(&b);
	jb_obj_open(&b);
	jb_kbytes(&b, "e", "", 0);
	jb_obj_close(&b);
	is_string(b.s, "{\"e\":\"\"}", "empty bytes");
	jb_free(&b);

	ok(json_utf8_valid("abc", 3), "valid: ascii");
	ok(json_utf8_valid("", 0), "valid: empty");
	ok(json_utf8_valid("\xe2\x82\xac", 3), "valid: euro");
	ok(!json_utf8_valid("a\0", 2), "invalid: NUL");
	ok(!json_utf8_valid("\xe2\x82", 2), "invalid: truncated");
	ok(!json_utf8_valid("\xc1\xbf", 2), "invalid: overlong");
	ok(!json_utf8_valid("\xed\xbf\xbf", 3), "invalid: surrogate");
	ok(!json_utf8_valid("\xf5\x80\x80\x80", 4), "invalid: beyond U+10FFFF");
}

static const char *str_of(const char *s)
{
	return s;
}

static void test_rfc3339(void)
{
	char buf[40];

	json_rfc3339(buf, sizeof(buf), 0);
	is_string(str_of(buf), "1970-01-01T00:00:00.000000000Z", "epoch");
	json_rfc3339(buf, sizeof(buf), 1795559400123456789ULL);
	is_string(str_of(buf), "2026-11-24T22:30:00.123456789Z", "2026 with nanoseconds");
	json_rfc3339(buf, sizeof(buf), 951868799000000001ULL);
	is_string(str_of(buf), "2000-02-29T23:59:59.000000001Z", "leap day");
}

/* Every single byte, every pair of high bytes, and random strings: each
 * line must parse; an object's value must give back its exact bytes (the
 * string itself when they are valid UTF-8 without NUL, else its _hex
 * companion, which must then be present). */
static void hexline(FILE *f, const char *s, size_t n, const char *json)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", (unsigned char)s[i]);
	fprintf(f, "%s %s\n", n ? "" : "-", json);
}

static void test_fuzz(void)
{
	char path[] = "/tmp/test_json_fuzz.XXXXXX";
	struct jbuf b;
	char cmd[1400];
	unsigned seed = 12345;
	int fd, st, lines = 0, objs = 0;
	FILE *f;

	if (!have_python) {
		skip("fuzz: no python3");
		return;
	}
	fd = mkstemp(path);
	f = fdopen(fd, "w");
	jb_init(&b);
	for (int c = 0; c < 256; c++) {
		char s[3] = { 'x', (char)c, 'y' };

		jb_reset(&b);
		jb_obj_open(&b);
		jb_kbytes(&b, "v", s, 3);
		jb_obj_close(&b);
		hexline(f, s, 3, b.s);
		lines++;
		objs++;
	}
	for (int c = 0x80; c < 256; c++)
		for (int d = 0; d < 256; d += 3) {
			char s[2] = { (char)c, (char)d };

			jb_reset(&b);
			jb_strn(&b, s, 2);
			hexline(f, s, 2, b.s);
			lines++;
		}
	for (int i = 0; i < 3000; i++) {
		char s[24];
		size_t n = (size_t)(rand_r(&seed) % (int)sizeof(s));

		for (size_t k = 0; k < n; k++)
			s[k] = (char)rand_r(&seed);
		jb_reset(&b);
		jb_obj_open(&b);
		jb_kbytes(&b, "v", s, n);
		jb_obj_close(&b);
		hexline(f, s, n, b.s);
		lines++;
		objs++;
	}
	jb_free(&b);
	fclose(f);
	/* exit 3: wrong count; an AssertionError (exit 1) names the line */
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import json,sys\n"
		 "n=o=0\n"
		 "for l in open(sys.argv[1],\"rb\"):\n"
		 "    h,j=l.split(b\" \",1)\n"
		 "    raw=b\"\" if h==b\"-\" else bytes.fromhex(h.decode())\n"
		 "    v=json.loads(j)\n"
		 "    n+=1\n"
		 "    if not isinstance(v,dict): assert isinstance(v,str),l; continue\n"
		 "    o+=1\n"
		 "    try: clean=b\"\\0\" not in raw and raw.decode(\"utf-8\")==raw.decode(\"utf-8\")\n"
		 "    except UnicodeDecodeError: clean=False\n"
		 "    if clean: assert v[\"v\"].encode(\"utf-8\")==raw and \"v_hex\" not in v,l\n"
		 "    else: assert bytes.fromhex(v[\"v_hex\"])==raw,l\n"
		 "sys.exit(0 if (n,o)==(%d,%d) else 3)' %s", lines, objs, path);
	st = system(cmd);
	unlink(path);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "python parses %d fuzzed lines; the %d objects give back their exact bytes", lines, objs);
}

int main(void)
{
	have_python = system("python3 -c 'import json' >/dev/null 2>&1") == 0;
	if (!have_python)
		diag("python3 not found: round-trip checks skipped");
	test_escapes();
	roundtrip(ESC("a\"b\\c\n\x01\xff\xe2\x82\xac"), "\"a\\\"b\\\\c\\n\\u0001\\ufffd\\u20ac\"",
		  "escaped string");
	test_structure();
	test_kbytes();
	test_rfc3339();
	test_fuzz();
	return done_testing();
}
