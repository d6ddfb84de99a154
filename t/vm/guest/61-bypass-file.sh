# SPDX-License-Identifier: GPL-2.0-only
# 61-bypass-file.sh - issue 5, files: tricks around deny and readonly file
# rules, tried by a confined root and a confined uid 1000 (trick:
# t/vm/bin/trick.c).  Aliases (symlink, hard links before and after the
# load, relative paths, //, /proc/self/root, O_PATH reopen, bind mounts by
# unconfined root, openat2 RESOLVE flags, open_by_handle_at, io_uring
# openat); mounts by the confined process; moving protection away (rename,
# link, unlink, rmdir, rename of a directory above); readonly content
# (write open, O_TRUNC, truncate, ftruncate, fallocate, shared writable
# mmap, chmod, chown, new names); a file replaced by a package upgrade and
# a file created after the load.
# guest-timeout: 900

# the pins the bypass script before this one left are adopted (t/vm/lib.sh):
# its programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol61
T=/srv61                # a tmpfs of its own: handles, renames above
D=$T/a/t61
cg_make t61/bound
cg_make t61/caps
cg_make t61/sibling
mkdir -p $T
mount -t tmpfs -o mode=777 t61 $T
mkdir -p $D/ro $D/vault $D/emptyvault /mnt/t61
for f in secret rofile upgrade plain ro/f vault/x; do echo data > $D/$f; done
chmod 777 $T/a $D $D/ro $D/vault $D/emptyvault
chmod 666 $D/secret $D/rofile $D/upgrade $D/plain $D/ro/f $D/vault/x
chown 1000:1000 $D/rofile $D/ro/f $D/secret   # uid 1000 passes DAC for chmod/chown
ln -s $D/secret $D/sym-secret
ln $D/secret $D/hl-before

write_policy $P file <<INI
[policy]
cgroup = /t61/bound
[file]
deny = $D/secret
readonly = $D/ro/
readonly = $D/rofile
deny = $D/vault/
deny = $D/emptyvault/
deny = $D/upgrade
deny = $D/later         ; does not exist when the policy loads
INI
# The same rules with the privileges to make a new root or a detached
# mount (by default a governed process has neither: 64-escape-privilege.sh):
# the rules must hold by identity there too.
write_policy $P file-caps <<INI
[policy]
cgroup = /t61/caps
[file]
deny = $D/secret
readonly = $D/ro/
readonly = $D/rofile
deny = $D/vault/
deny = $D/emptyvault/
deny = $D/upgrade
deny = $D/later
[capabilities]
allow = CAP_SYS_CHROOT, CAP_SYS_ADMIN
INI

start_enforcerd $P
ln $D/secret $D/hl-after            # by unconfined root, after the load

both() {
	_cg=$1 _want=$2 _desc=$3
	shift 3
	is "$(in_cg "$_cg" "$@")" "$_want" "$_desc (root)"
	is "$(in_cg "$_cg" /bin/runas 1000 "$@")" "$_want" "$_desc (uid 1000)"
}
B=/t61/bound
BC=/t61/caps
S=/t61/sibling

# ---- aliases of a denied file ----
both $B EPERM "file: plain open of the denied file" probe open $D/secret r
is "$(in_cg $S probe open $D/secret r)" ok "file: the denied file opens in the sibling"
both $B EPERM "file: symlink to the denied file" probe open $D/sym-secret r
both $B EPERM "file: a symlink the confined process made" sh -c "ln -s $D/secret /tmp/own-sym-\$\$ && exec probe open /tmp/own-sym-\$\$ r"
both $B EPERM "file: hard link made before the load" probe open $D/hl-before r
both $B EPERM "file: hard link made after the load" probe open $D/hl-after r
both $B EPERM "file: relative path" sh -c "cd $D && exec probe open secret r"
both $B EPERM "file: ../t61/secret" sh -c "cd $D/ro && exec probe open ../secret r"
both $B EPERM "file: doubled slashes" probe open "//srv61//a/t61///secret" r
both $B EPERM "file: /proc/self/root/..." probe open /proc/self/root$D/secret r
both $B EPERM "file: O_PATH fd reopened through /proc/self/fd" trick opath-reopen $D/secret r
for fl in none no-symlinks no-magiclinks beneath in-root cached; do
	both $B EPERM "file: openat2 RESOLVE flags $fl" trick openat2 $D/secret $fl
done
# no-xdev: resolved from a directory on the same mount (from / it is EXDEV)
for fl in no-xdev no-symlinks,no-magiclinks,no-xdev,beneath; do
	both $B EPERM "file: openat2 RESOLVE flags $fl (relative, same mount)" sh -c "cd $T && exec trick openat2 a/t61/secret $fl"
done
both $B EPERM "file: openat2 in-root through the symlink" trick openat2 $D/sym-secret in-root
is "$(in_cg $B trick handle-open $D/secret)" EPERM "file: open_by_handle_at (root: CAP_DAC_READ_SEARCH)"
is "$(in_cg $S trick handle-open $D/secret)" ok "file: open_by_handle_at works in the sibling (control)"
# io_uring: whether this kernel lets anyone use it is decided by an
# unconfined control run in the sibling, never inside the confined cgroup.
r=$(in_cg $S trick uring-openat $D/secret)
if [ "$r" = ENOSYS-setup ]; then
	skip "file: io_uring IORING_OP_OPENAT" "io_uring_setup refused to unconfined root in the sibling on kernel $(uname -r)"
else
	is "$r" ok "file: io_uring openat works in the sibling (control)"
	is "$(in_cg $B trick uring-openat $D/secret)" EPERM "file: io_uring IORING_OP_OPENAT (root)"
	is "$(in_cg $B /bin/runas 1000 trick uring-openat $D/secret)" EPERM "file: io_uring IORING_OP_OPENAT (uid 1000)"
fi

# Bind mounts made by unconfined root: a file named by a rule is caught by
# its inode, directly and inside a bind of its directory.
touch /mnt/t61/file
mount -o bind $D/secret /mnt/t61/file
both $B EPERM "file: bind mount of the denied file (by unconfined root)" probe open /mnt/t61/file r
umount /mnt/t61/file
mkdir -p /mnt/t61/dir
mount -o bind $D /mnt/t61/dir
both $B EPERM "file: the denied file inside a bind mount of its directory" probe open /mnt/t61/dir/secret r
both $B EPERM "file: readonly file inside a bind mount of its directory, write" probe open /mnt/t61/dir/rofile w
both $B EPERM "file: a file under a denied directory, reached through a bind of its parent" probe open /mnt/t61/dir/vault/x r
is "$(in_cg $S probe open /mnt/t61/dir/vault/x r)" ok "file: ... opens in the sibling through the same bind (control)"
mkdir -p /mnt/t61/vb
mount -o bind $D/vault /mnt/t61/vb
both $B EPERM "file: a file inside a bind mount of the denied directory itself" probe open /mnt/t61/vb/x r
is "$(in_cg $S probe open /mnt/t61/vb/x r)" ok "file: ... opens in the sibling (control)"
umount /mnt/t61/vb
umount /mnt/t61/dir

# Mounts by the confined process itself.
out=$(in_cg $B mount -o bind $D/secret /mnt/t61/file 2>&1)
rc=$?
ok "file: confined root cannot bind-mount the denied file (exit $rc)" [ "$rc" -ne 0 ]
like "$out" "Operation not permitted|EPERM|permission denied" "file: ... refused with EPERM (busybox: 'permission denied')"
out=$(in_cg $B mount -t tmpfs x /mnt/t61/dir 2>&1)
ok "file: confined root cannot mount a tmpfs" [ $? -ne 0 ]
if command -v unshare >/dev/null 2>&1; then
	out=$(in_cg $B unshare -m mount -o bind $D/secret /mnt/t61/file 2>&1)
	ok "file: confined root cannot bind-mount in a new mount namespace" [ $? -ne 0 ]
fi
# A new root or a detached mount makes d_path relative to it: a rule on a
# directory must still hold (a rule on a file is held by its inode).
is "$(in_cg $BC trick chroot-open $D /secret r)" EPERM "file: chroot to the rules' directory, open /secret (root)"
is "$(in_cg $BC trick chroot-open $D/vault /x r)" EPERM "file: chroot into a denied directory, open /x (root)"
is "$(in_cg $BC trick chroot-open $D/ro /f w)" EPERM "file: chroot into a readonly directory, write /f (root)"
# Unprivileged chroot needs a user namespace: the sibling (unconfined)
# decides whether uid 1000 may make one on this kernel.
r=$(in_cg $S /bin/runas 1000 trick userns-chroot-open $D/vault /x r)
case $r in
unshare:*) skip "file: user namespace + chroot into a denied directory, open /x (uid 1000)" \
	"uid 1000 cannot make a user namespace in the unconfined sibling on kernel $(uname -r): $r" ;;
*)
	is "$r" ok "file: user namespace + chroot, open /x works in the sibling (control, uid 1000)"
	is "$(in_cg $BC /bin/runas 1000 trick userns-chroot-open $D/vault /x r)" EPERM \
		"file: user namespace + chroot into a denied directory, open /x (uid 1000)"
	;;
esac
is "$(in_cg $BC trick opentree-open $D secret r)" EPERM "file: open_tree(OPEN_TREE_CLONE) of the rules' directory, open secret (root)"
is "$(in_cg $BC trick opentree-open $D/vault x r)" EPERM "file: open_tree(OPEN_TREE_CLONE) of a denied directory, open x (root)"
is "$(in_cg $BC trick opentree-open $D/ro f w)" EPERM "file: open_tree(OPEN_TREE_CLONE) of a readonly directory, write f (root)"
is "$(in_cg $B trick opentree-move $D /mnt/t61/dir)" "open_tree: EPERM" "file: open_tree + move_mount by confined root: EPERM (at open_tree: no CAP_SYS_ADMIN)"
is "$(in_cg $S trick chroot-open $D/vault /x r)" ok "file: chroot-open works in the sibling (control)"
ok "file: no mount appeared" sh -c "! grep -q /mnt/t61 /proc/mounts"

# ---- moving protection away ----
both $B EPERM "file: rename the denied file" trick rename $D/secret $D/moved
both $B EPERM "file: rename another file over the denied file" trick rename $D/plain $D/secret
both $B EPERM "file: hard-link the denied file" trick link $D/secret $D/newlink
both $B EPERM "file: unlink the denied file" trick unlink $D/secret
both $B EPERM "file: unlink a hard link of the denied file" trick unlink $D/hl-before
both $B EPERM "file: rename a readonly-covered file" trick rename $D/ro/f $D/ro-moved
both $B EPERM "file: unlink a readonly-covered file" trick unlink $D/ro/f
both $B EPERM "file: hard-link a readonly-covered file" trick link $D/ro/f $D/ro-link
both $B EPERM "file: rename the readonly file" trick rename $D/rofile $D/rofile2
both $B EPERM "file: rename a denied directory" trick rename $D/vault $D/vault2
both $B EPERM "file: rename a readonly directory" trick rename $D/ro $D/ro2
both $B EPERM "file: rmdir a denied (empty) directory" trick rmdir $D/emptyvault
both $B EPERM "file: rename the directory holding the rules" trick rename $D $T/a/t61-moved
both $B EPERM "file: rename a directory two levels above" trick rename $T/a $T/b
both $B EPERM "file: move a file into a readonly directory" trick rename $D/plain $D/ro/plain
both $B EPERM "file: create a new name in a readonly directory" sh -c "echo x > $D/ro/new-\$\$ 2>/dev/null && echo ok || echo EPERM"
ok "file: nothing was moved, linked or removed" sh -c "[ -f $D/secret ] && [ -f $D/ro/f ] && [ -f $D/rofile ] && [ -d $D/vault ] && [ -d $D/emptyvault ] && [ -d $T/a ] && [ ! -e $D/moved ] && [ ! -e $D/newlink ] && ! ls $D/ro | grep -q new"
is "$(in_cg $S trick rename $D/plain $D/plain2)" ok "file: the sibling may rename an unprotected file (control)"
mv $D/plain2 $D/plain

# ---- readonly content ----
for f in $D/rofile $D/ro/f; do
	both $B ok "readonly: read open of $f" probe open $f r
	both $B EPERM "readonly: write open of $f" probe open $f w
	both $B EPERM "readonly: O_RDONLY|O_TRUNC of $f" trick open-trunc $f
	both $B EPERM "readonly: truncate(2) of $f" trick truncate $f
	both $B EPERM "readonly: ftruncate of $f" trick ftruncate $f
	both $B EPERM "readonly: fallocate of $f" trick fallocate $f
	both $B EPERM "readonly: shared writable mmap of $f" trick mmap-shared-write $f
	both $B EPERM "readonly: chmod of $f" trick chmod $f
	both $B EPERM "readonly: chown of $f" trick chown $f
	both $B EPERM "readonly: write via an O_PATH reopen of $f" trick opath-reopen $f w
	both $B EPERM "readonly: openat2 write of $f" trick openat2 $f none w
done
is "$(cat $D/rofile $D/ro/f | tr '\n' ' ')" "data data " "readonly: the content is unchanged"
is "$(in_cg $S trick chmod $D/rofile)" ok "readonly: the sibling may chmod (control)"
is "$(in_cg $S trick truncate $D/plain)" ok "readonly: the sibling may truncate an unprotected file (control)"

# ---- new inodes at governed paths ----
echo new > $D/upgrade.new
mv $D/upgrade.new $D/upgrade          # a package upgrade, by unconfined root
both $B EPERM "file: a file replaced by a package upgrade (new inode) is still denied" probe open $D/upgrade r
echo new > $D/later                    # created after the load, by unconfined root
chmod 666 $D/later
both $B EPERM "file: a file created after the load is denied" probe open $D/later r
is "$(in_cg $S probe open $D/later r)" ok "file: the later file opens in the sibling (control)"

stop_enforcerd
umount $T
