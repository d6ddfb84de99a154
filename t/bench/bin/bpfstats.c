// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpfstats.c - prints one JSON line per loaded BPF program with its run
 * time and run count (kernel.bpf_stats_enabled must be 1 while the
 * workload runs), for the benchmark's per-program profile.
 *
 *   bpfstats TAG    -> {"tag":TAG,"prog":NAME,"type":T,"run_time_ns":N,"run_cnt":N}
 *   bpfstats -n     -> how many BPF programs are loaded (0: nothing attached)
 *   bpfstats -i     -> {"insns":NAME,"verified_insns":N} per loaded program
 *                      (what the verifier processed when it loaded)
 *   bpfstats -s TAG -> {"psum":TAG,"run_time_ns":N,"run_cnt":N,"progs":N}: the
 *                      sums over every loaded program (report.sh takes the
 *                      difference of two of them: one profile window)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

int main(int argc, char **argv)
{
	const char *tag = argc > 1 ? argv[1] : "";
	__u32 id = 0, n = 0;

	if (!strcmp(tag, "-n")) {
		while (!bpf_prog_get_next_id(id, &id))
			n++;
		printf("%u\n", n);
		return 0;
	}
	if (!strcmp(tag, "-i")) {
		while (!bpf_prog_get_next_id(id, &id)) {
			struct bpf_prog_info info;
			__u32 len = sizeof(info);
			int fd = bpf_prog_get_fd_by_id(id);

			if (fd < 0)
				continue;
			memset(&info, 0, sizeof(info));
			if (!bpf_obj_get_info_by_fd(fd, &info, &len))
				printf("{\"insns\":\"%s\",\"verified_insns\":%u}\n", info.name,
				       info.verified_insns);
			close(fd);
		}
		return 0;
	}
	if (!strcmp(tag, "-s") && argc > 2) {
		unsigned long long rt = 0, rc = 0;

		while (!bpf_prog_get_next_id(id, &id)) {
			struct bpf_prog_info info;
			__u32 len = sizeof(info);
			int fd = bpf_prog_get_fd_by_id(id);

			if (fd < 0)
				continue;
			memset(&info, 0, sizeof(info));
			if (!bpf_obj_get_info_by_fd(fd, &info, &len)) {
				rt += info.run_time_ns;
				rc += info.run_cnt;
				n++;
			}
			close(fd);
		}
		printf("{\"psum\":\"%s\",\"run_time_ns\":%llu,\"run_cnt\":%llu,\"progs\":%u}\n",
		       argv[2], rt, rc, n);
		return 0;
	}
	while (!bpf_prog_get_next_id(id, &id)) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) && info.run_cnt)
			printf("{\"tag\":\"%s\",\"prog\":\"%s\",\"type\":%u,\"run_time_ns\":%llu,\"run_cnt\":%llu}\n",
			       tag, info.name, info.type, (unsigned long long)info.run_time_ns,
			       (unsigned long long)info.run_cnt);
		close(fd);
	}
	return 0;
}
