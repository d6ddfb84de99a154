// SPDX-License-Identifier: GPL-2.0-only
/* test_stat_memo.c - stat_memo(): outside a pass every call asks the kernel;
 * inside one a path is stat()ed once (a change made during the pass is not
 * seen, one made after it is), follow and no-follow are kept apart, a path
 * below a directory known missing is missing, a put is once per tag (for a
 * path stat()ed in the pass: never for one that was not; again after
 * stat_memo_forget_puts()), and
 * passes nest (the inner end keeps the outer pass's memory). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "stat_memo.h"
#include "tap.h"

int main(void)
{
	char dir[] = "/tmp/stat_memo.XXXXXX", a[256], f[256], l[256], nx[256], below[256];
	struct stat st;

	plan(17);
	if (!mkdtemp(dir))
		return 1;
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(f, sizeof(f), "%s/a/f", dir);
	snprintf(l, sizeof(l), "%s/l", dir);
	snprintf(nx, sizeof(nx), "%s/nx", dir);
	snprintf(below, sizeof(below), "%s/nx/deep/file", dir);
	mkdir(a, 0700);

	ok(stat_memo(f, &st, true) < 0 && errno == ENOENT, "no pass: a missing file is missing");
	ok(!stat_memo_below_missing(below), "no pass: nothing is known missing");
	ok(!stat_memo_put_once(a, 1), "no pass: never 'already put'");

	stat_memo_begin();
	ok(stat_memo(f, &st, true) < 0 && errno == ENOENT, "pass: missing");
	close(creat(f, 0600));
	ok(stat_memo(f, &st, true) < 0 && errno == ENOENT, "pass: created during the pass, still missing");
	ok(stat_memo(f, &st, false) == 0, "lstat() is remembered apart from stat()");
	ok(stat_memo(nx, &st, true) < 0 && stat_memo_below_missing(below), "below a missing directory: missing");
	ok(!stat_memo_below_missing(f), "below an existing directory: not known missing");
	ok(stat_memo(a, &st, true) == 0 && !stat_memo_put_once(a, 7) && stat_memo_put_once(a, 7),
	   "a put once per tag (of a path stat()ed in the pass)");
	ok(!stat_memo_put_once(a, 8), "another tag puts again");
	ok(!stat_memo_put_once(dir, 7) && !stat_memo_put_once(dir, 7), "a path never stat()ed: always put");
	stat_memo_forget_puts();
	ok(!stat_memo_put_once(a, 8) && stat_memo_put_once(a, 8), "after forget_puts: put again, once");
	stat_memo_begin();
	stat_memo_end();
	ok(stat_memo(f, &st, true) < 0 && stat_memo_below_missing(below),
	   "a nested pass's end keeps the outer pass's memory");
	stat_memo_end();

	ok(stat_memo(f, &st, true) == 0, "after the pass: the file created is seen");
	ok(!stat_memo_below_missing(below), "after the pass: nothing known missing");
	stat_memo_begin();
	ok(symlink("a/f", l) == 0 && stat_memo(l, &st, false) == 0 && S_ISLNK(st.st_mode),
	   "lstat() of a symlink: the link");
	ok(stat_memo(l, &st, true) == 0 && S_ISREG(st.st_mode), "stat() of it: the file");
	stat_memo_end();

	unlink(l);
	unlink(f);
	rmdir(a);
	rmdir(dir);
	return done_testing();
}
