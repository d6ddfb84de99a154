// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpf_setup.c - check that the kernel can run BPF LSM programs, load the
 * enforcer BPF object and attach it, turning every refusal into one clear
 * line that says what to check.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "daemon.h"
#include "hook_variants.h"
#include "proto_client.h"
#include "enforcer.skel.h"

static int verbose_libbpf;
static char last_libbpf_msg[512];

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	va_list ap2;

	va_copy(ap2, ap);
	vsnprintf(last_libbpf_msg, sizeof(last_libbpf_msg), fmt, ap2);
	va_end(ap2);
	if (level == LIBBPF_DEBUG && !verbose_libbpf)
		return 0;
	if (!verbose_libbpf && level == LIBBPF_INFO)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int bpf_setup_check_lsm(void)
{
	char lsms[512] = "";
	FILE *f = fopen("/sys/kernel/security/lsm", "re");

	if (!f)
		return log_err(-ENOENT, "cannot read /sys/kernel/security/lsm (%s): "
			       "is securityfs mounted? (mount -t securityfs securityfs /sys/kernel/security)",
			       strerror(errno));
	if (!fgets(lsms, sizeof(lsms), f))
		lsms[0] = 0;
	fclose(f);
	lsms[strcspn(lsms, "\n")] = 0;
	char list[sizeof(lsms)];
	memcpy(list, lsms, sizeof(list));   /* strtok cuts lsms */
	for (char *tok = strtok(lsms, ","); tok; tok = strtok(NULL, ","))
		if (!strcmp(tok, "bpf"))
			return 0;
	return log_err(-EOPNOTSUPP, "the bpf LSM is not active (active LSMs: %s): append bpf to that "
		       "list on the kernel command line, keeping the others: lsm=%s%sbpf "
		       "(CONFIG_BPF_LSM=y needed; README: Kernel: the bpf LSM)",
		       list[0] ? list : "none", list, list[0] ? "," : "");
}

static int explain(int err, const char *what)
{
	if (err == -EACCES)
		return log_err(err, "%s: %s: the BPF verifier rejected a program (its log is above); "
			       "this kernel may be too old or built without BTF (need >= 6.1, CONFIG_BPF_LSM=y)",
			       what, strerror(-err));
	if (err == -EPERM)
		return log_err(err, "%s: %s: the kernel refused BPF LSM programs; check that enforcerd "
			       "runs as root with CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN, that kernel lockdown "
			       "does not forbid BPF, that 'bpf' is in the lsm= boot parameter, and that the "
			       "kernel is not a sandbox that blocks BPF trampolines", what, strerror(-err));
	return log_err(err, "%s: %s%s%s", what, strerror(-err),
		       last_libbpf_msg[0] ? " (libbpf: " : "",
		       last_libbpf_msg[0] ? last_libbpf_msg : "");
}

/* ENFORCER_VERIFIER_STATS=1 in the environment: the verifier's statistics
 * (BPF_LOG_STATS: instructions processed against the 1M limit, time) of
 * every program, one line each on stderr.  The VM test 01-verifier.sh reads
 * them, so a change that nears the limit shows before it breaks loading. */
struct verifier_stats {
	struct bpf_object *obj;
	size_t n;
	char (*buf)[8192];
};

static struct verifier_stats *verifier_stats_request(struct bpf_object *obj)
{
	const char *env = getenv("ENFORCER_VERIFIER_STATS");
	struct verifier_stats *vs;
	struct bpf_program *prog;
	size_t i = 0;

	if (!env || strcmp(env, "1"))
		return NULL;
	vs = calloc(1, sizeof(*vs));
	if (!vs)
		return NULL;
	vs->obj = obj;
	bpf_object__for_each_program(prog, obj)
		vs->n++;
	vs->buf = calloc(vs->n ? vs->n : 1, sizeof(*vs->buf));
	if (!vs->buf) {
		free(vs);
		return NULL;
	}
	bpf_object__for_each_program(prog, obj) {
		bpf_program__set_log_buf(prog, vs->buf[i++], sizeof(*vs->buf));
		bpf_program__set_log_level(prog, 4);   /* BPF_LOG_STATS */
	}
	return vs;
}

static void verifier_stats_report(struct verifier_stats *vs)
{
	struct bpf_program *prog;
	size_t i = 0;

	if (!vs)
		return;
	bpf_object__for_each_program(prog, vs->obj) {
		char *line = vs->buf[i++];
		char *p;

		if (!bpf_program__autoload(prog))
			continue;
		for (p = line; *p; p++)
			if (*p == '\n')
				*p = ' ';
		log_info("verifier: %s: %s", bpf_program__name(prog), line[0] ? line : "(no statistics)");
	}
	free(vs->buf);
	free(vs);
}

/* What the verifier processed for the three largest programs (each has a
 * 1M instruction budget: enf_file_open and enf_rename run close to it);
 * with --verbose, for each program. */
static void log_insns(struct enforcer_bpf *skel, int verbose)
{
	const char *top[3] = { NULL, NULL, NULL };
	__u32 max[3] = { 0, 0, 0 };
	struct bpf_program *p;

	bpf_object__for_each_program(p, skel->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info), n;
		const char *name = bpf_program__name(p);

		if (bpf_program__fd(p) < 0 ||
		    bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len) < 0)
			continue;
		n = info.verified_insns;
		if (verbose)
			log_info("verifier: %s verified_insns %u", name, n);
		for (int i = 0; i < 3; i++) {
			if (n > max[i]) {
				const char *tn = top[i];
				__u32 tm = max[i];

				top[i] = name;
				max[i] = n;
				name = tn;
				n = tm;
			}
		}
	}
	if (top[0])
		log_info("verifier: largest programs %s %u, %s %u, %s %u instructions (of 1000000 each)",
			 top[0], max[0], top[1] ? top[1] : "-", max[1], top[2] ? top[2] : "-", max[2]);
}

int bpf_setup_load(struct enforcer_bpf **out, int verbose, bool adopt)
{
	struct enforcer_bpf *skel;
	int err;

	verbose_libbpf = verbose;
	libbpf_set_print(print_fn);
	skel = enforcer_bpf__open();
	if (!skel)
		return explain(-errno, "opening the BPF object");
	/* two generations side by side: room for two compiled sets */
	bpf_map__set_max_entries(skel->maps.path_rules, 2 * D.max_rules);
	bpf_map__set_max_entries(skel->maps.path_exact, 2 * D.max_rules);
	bpf_map__set_max_entries(skel->maps.inode_rules, 2 * D.max_rules);
	bpf_map__set_max_entries(skel->maps.cg_bind, D.max_cgroups);
	hook_variants_pick(skel->obj, "enf_");
	if (adopt && (err = pin_adopt_maps(skel)) < 0) {
		enforcer_bpf__destroy(skel);
		return err;
	}
	/* the pinned programs themselves, when provably from this object */
	D.progs_adopted = adopt && pin_adopt_progs(skel) == 1;
	struct verifier_stats *vs = verifier_stats_request(skel->obj);
	long long t0 = proto_now_ms();

	err = enforcer_bpf__load(skel);
	log_info("bpf: programs loaded and verified in %lld ms", proto_now_ms() - t0);
	verifier_stats_report(vs);
	if (err) {
		last_libbpf_msg[strcspn(last_libbpf_msg, "\n")] = 0;
		explain(err, "loading the BPF LSM programs");
		enforcer_bpf__destroy(skel);
		return err;
	}
	if (D.progs_adopted) {
		if ((err = pin_open_links(skel)) < 0) {
			enforcer_bpf__destroy(skel);
			return err;
		}
		log_info("bpf: kept the pinned programs and their links (same BPF object, SHA-256 "
			 "checked): nothing to verify");
	} else {
		log_insns(skel, verbose);
	}
	*out = skel;
	return 0;
}

/* Attach one program; the skeleton keeps the link and destroys it. */
static int attach_one(struct bpf_program *prog, struct bpf_link **link)
{
	*link = bpf_program__attach(prog);
	if (!*link)
		return -errno;
	return 0;
}

int bpf_setup_attach(struct enforcer_bpf *skel)
{
	/* Enforcement: every one of these must attach, or nothing runs. */
	struct { struct bpf_program *p; struct bpf_link **l; } must[] = {
		{ skel->progs.enf_cgroup_mkdir, &skel->links.enf_cgroup_mkdir },
		{ skel->progs.enf_exec, &skel->links.enf_exec },
		{ skel->progs.enf_file_open, &skel->links.enf_file_open },
		{ skel->progs.enf_connect, &skel->links.enf_connect },
		{ skel->progs.enf_sendmsg, &skel->links.enf_sendmsg },
		{ skel->progs.enf_sctp_connect, &skel->links.enf_sctp_connect },
		{ skel->progs.enf_bind, &skel->links.enf_bind },
		{ skel->progs.enf_listen, &skel->links.enf_listen },
		{ skel->progs.enf_socket_create, &skel->links.enf_socket_create },
		{ skel->progs.enf_file_receive, &skel->links.enf_file_receive },
		{ skel->progs.enf_unix_connect, &skel->links.enf_unix_connect },
		{ skel->progs.enf_unix_send, &skel->links.enf_unix_send },
		{ skel->progs.enf_mmap_file, &skel->links.enf_mmap_file },
		{ skel->progs.enf_mprotect, &skel->links.enf_mprotect },
		{ skel->progs.enf_task_alloc, &skel->links.enf_task_alloc },
		{ skel->progs.enf_unlink, &skel->links.enf_unlink },
		{ skel->progs.enf_rmdir, &skel->links.enf_rmdir },
		{ skel->progs.enf_rename, &skel->links.enf_rename },
		{ skel->progs.enf_link, &skel->links.enf_link },
		{ skel->progs.enf_vc_link, &skel->links.enf_vc_link },
		{ skel->progs.enf_vc_unlink, &skel->links.enf_vc_unlink },
		{ skel->progs.enf_vc_free, &skel->links.enf_vc_free },
		{ skel->progs.enf_truncate, &skel->links.enf_truncate },
		{ skel->progs.enf_chmod, &skel->links.enf_chmod },
		{ skel->progs.enf_chown, &skel->links.enf_chown },
		{ skel->progs.enf_mknod, &skel->links.enf_mknod },
		{ skel->progs.enf_mkdir, &skel->links.enf_mkdir },
		{ skel->progs.enf_symlink, &skel->links.enf_symlink },
		{ skel->progs.enf_capable, &skel->links.enf_capable },
		{ skel->progs.enf_prctl_exe, &skel->links.enf_prctl_exe },
		{ skel->progs.enf_route_setsockopt, &skel->links.enf_route_setsockopt },
		{ skel->progs.enf_exec_commit, &skel->links.enf_exec_commit },
		{ skel->progs.enf_task_kill, &skel->links.enf_task_kill },
		{ skel->progs.enf_ptrace, &skel->links.enf_ptrace },
		{ skel->progs.enf_task_setrlimit, &skel->links.enf_task_setrlimit },
		{ skel->progs.enf_task_setnice, &skel->links.enf_task_setnice },
		{ skel->progs.enf_task_setioprio, &skel->links.enf_task_setioprio },
		{ skel->progs.enf_task_setscheduler, &skel->links.enf_task_setscheduler },
		{ skel->progs.enf_task_movememory, &skel->links.enf_task_movememory },
		{ bpf_program__autoload(skel->progs.enf_bpf) ? skel->progs.enf_bpf : skel->progs.enf_bpf_kernel,
		  bpf_program__autoload(skel->progs.enf_bpf) ? &skel->links.enf_bpf : &skel->links.enf_bpf_kernel },
		{ skel->progs.enf_cgroup_rmdir, &skel->links.enf_cgroup_rmdir },
		{ skel->progs.enf_task_moved, &skel->links.enf_task_moved },
		{ skel->progs.enf_procs_write, &skel->links.enf_procs_write },
		{ skel->progs.enf_threads_write, &skel->links.enf_threads_write },
		{ skel->progs.enf_ctl_connect, &skel->links.enf_ctl_connect },
		{ skel->progs.enf_daemon_moved, &skel->links.enf_daemon_moved },
		{ skel->progs.enf_sigio, &skel->links.enf_sigio },
		{ skel->progs.enf_umount_guard, &skel->links.enf_umount_guard },
		{ skel->progs.enf_mount_guard, &skel->links.enf_mount_guard },
		{ skel->progs.enf_move_mount_guard, &skel->links.enf_move_mount_guard },
		{ skel->progs.enf_setxattr, &skel->links.enf_setxattr },
		{ skel->progs.enf_tty_ioctl, &skel->links.enf_tty_ioctl },
		{ skel->progs.enf_removexattr, &skel->links.enf_removexattr },
		{ bpf_program__autoload(skel->progs.enf_setattr) ? skel->progs.enf_setattr
								 : skel->progs.enf_setattr_old,
		  bpf_program__autoload(skel->progs.enf_setattr) ? &skel->links.enf_setattr
								 : &skel->links.enf_setattr_old },
	};
	long long t0 = proto_now_ms();
	int err;

	if (D.progs_adopted)
		return 0;   /* the kept links stay attached: nothing to do */
	for (size_t i = 0; i < sizeof(must) / sizeof(must[0]); i++) {
		err = attach_one(must[i].p, must[i].l);
		if (err)
			return explain(err, bpf_program__name(must[i].p));
	}
	/* POSIX ACLs have their own hooks from 6.2 (before, setxattr sees them) */
	if (bpf_program__autoload(skel->progs.enf_set_acl) &&
	    ((err = attach_one(skel->progs.enf_set_acl, &skel->links.enf_set_acl)) ||
	     (err = attach_one(skel->progs.enf_remove_acl, &skel->links.enf_remove_acl))))
		return explain(err, "enf_set_acl");
	/* 32-bit ioctls have their own hook where the kernel has it */
	if (bpf_program__autoload(skel->progs.enf_tty_ioctl_compat) &&
	    (err = attach_one(skel->progs.enf_tty_ioctl_compat, &skel->links.enf_tty_ioctl_compat)))
		return explain(err, "enf_tty_ioctl_compat");
	log_info("bpf: programs attached in %lld ms", proto_now_ms() - t0);
	return 0;
}

void bpf_setup_destroy(struct enforcer_bpf *skel)
{
	enforcer_bpf__destroy(skel);
}
