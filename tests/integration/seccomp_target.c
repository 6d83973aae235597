/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * The workload of the seccomp tests: a known set of syscalls, the same on
 * every run (files, a Unix socket, a thread, a child process, an ioctl,
 * anonymous memory), and, on request, one more:
 *
 *     seccomp_target DIR [extra|inet|int80|x32]
 *
 *   extra  also sysinfo(), which the plain run never makes
 *   inet   also socket(AF_INET, SOCK_DGRAM): a socket call with arguments
 *          the plain run never passes
 *   int80  also getpid() through int 0x80, the 32-bit compat entry
 *          (x86-64 only), so one process uses both ABIs
 *   x32    also getpid() with __X32_SYSCALL_BIT (x86-64 only): the x32 ABI,
 *          whose ENOSYS (kernels without CONFIG_X86_X32_ABI) is ignored
 *
 * Exit status 0, or 3 when the extra call failed (its errno printed).
 * Built 64-bit, and 32-bit (-m32) where the compiler can.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <termios.h>

static void *thread_main(void *arg)
{
	return arg;
}

static int fail(const char *what)
{
	fprintf(stderr, "seccomp_target: %s: %s\n", what, strerror(errno));
	return 1;
}

/* The calls of every run. */
static int plain(const char *dir)
{
	char path[4096], buf[64];
	struct termios tio;
	pthread_t th;
	void *mem;
	pid_t child;
	int fd, status;

	snprintf(path, sizeof(path), "%s/seccomp-target.txt", dir);
	fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0600);
	if (fd < 0)
		return fail("open");
	if (write(fd, "seccomp\n", 8) != 8 || lseek(fd, 0, SEEK_SET) != 0 ||
	    read(fd, buf, sizeof(buf)) != 8)
		return fail("write, lseek, read");
	tcgetattr(fd, &tio); /* an ioctl (TCGETS) that fails with ENOTTY */
	close(fd);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return fail("socket");
	close(fd);
	mem = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return fail("mmap");
	munmap(mem, 65536);
	if ((errno = pthread_create(&th, NULL, thread_main, NULL)) || (errno = pthread_join(th, NULL)))
		return fail("pthread");
	child = fork();
	if (child < 0)
		return fail("fork");
	if (child == 0)
		_exit(getpid() > 0 ? 0 : 1);
	if (waitpid(child, &status, 0) != child || status)
		return fail("waitpid");
	return 0;
}

/* getpid() through the 32-bit entry: 20 in the i386 table (writev in the 64-bit one). */
static long int80_getpid(void)
{
#if defined(__x86_64__)
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");
	return ret;
#else
	return getpid();
#endif
}

int main(int argc, char *argv[])
{
	struct sysinfo si;
	int err;

	if (argc < 2) {
		fprintf(stderr, "usage: seccomp_target DIR [extra|inet|int80|x32]\n");
		return 2;
	}
	if ((err = plain(argv[1])))
		return err;
	if (argc > 2 && !strcmp(argv[2], "extra") && sysinfo(&si)) {
		fprintf(stderr, "seccomp_target: sysinfo: %s\n", strerror(errno));
		return 3;
	}
	if (argc > 2 && !strcmp(argv[2], "inet")) {
		int fd = socket(AF_INET, SOCK_DGRAM, 0);

		if (fd < 0) {
			fprintf(stderr, "seccomp_target: socket AF_INET: %s\n", strerror(errno));
			return 3;
		}
		close(fd);
	}
	if (argc > 2 && !strcmp(argv[2], "int80") && int80_getpid() != getpid()) {
		fprintf(stderr, "seccomp_target: int 0x80 getpid failed\n");
		return 3;
	}
#if defined(__x86_64__)
	if (argc > 2 && !strcmp(argv[2], "x32"))
		syscall(0x40000000L | SYS_getpid);
#endif
	printf("seccomp_target: ok\n");
	return 0;
}
