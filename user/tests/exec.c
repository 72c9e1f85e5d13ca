// SPDX-License-Identifier: MIT
/*
 * Guest test: execve — argv and envp passed exactly, the auxiliary
 * vector (static and static-pie), what survives exec (pid, signal
 * dispositions, mask, pending signals, limits, close-on-exec fds) and
 * what is reset, "#!" scripts, exec from a thread or a vfork child, and
 * every early error (ENOENT, EACCES, ENOEXEC, ENOTDIR, E2BIG, EFAULT,
 * ELOOP). The programs exec'd live in /testbin (user/testbin); each
 * reports through its exit status.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "util.h"

#define BIN "/testbin/"
#define USER 1000
/* A child whose execve failed exits with this plus errno. */
#define EXEC_FAILED 100

static char *no_env[] = {NULL};

/*
 * Forks; the child runs setup (if any), then execve(path, argv, envp).
 * Returns the child's exit status, 300 + signal if it was killed, or
 * EXEC_FAILED + errno if the exec itself failed.
 */
static int run(const char *path, char *const argv[], char *const envp[], void (*setup)(void))
{
	int status;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (setup)
			setup();
		execve(path, argv, envp);
		_exit(EXEC_FAILED + errno);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFSIGNALED(status))
		return 300 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* Runs /testbin/argv (or a script for it) expecting exactly want_argv ('|'-joined). */
static int run_argv_as(const char *path, char *const argv[], int want_argc, const char *want_argv,
		       void (*setup)(void))
{
	char argc_env[32], argv_env[4096];
	snprintf(argc_env, sizeof(argc_env), "EXPECT_ARGC=%d", want_argc);
	snprintf(argv_env, sizeof(argv_env), "EXPECT_ARGV=%s", want_argv);
	char *envp[] = {argc_env, argv_env, "EXPECT_ENVC=4", "EXTRA=a=b", NULL};
	return run(path, argv, envp, setup);
}

static int run_argv(const char *path, char *const argv[], int want_argc, const char *want_argv)
{
	return run_argv_as(path, argv, want_argc, want_argv, NULL);
}

/* Like run, through execveat(AT_FDCWD, path, ...) with the given flags. */
static int run_execveat(const char *path, char *const argv[], int flags)
{
	int status;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		syscall(SYS_execveat, AT_FDCWD, path, argv, no_env, flags);
		_exit(EXEC_FAILED + errno);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void test_argv(void)
{
	char *argv[] = {"zeroth", "with space", "", "last", NULL};
	CHECK("argv (with an empty and a spaced argument) and envp arrive exactly",
	      run_argv(BIN "argv", argv, 4, "zeroth|with space||last") == 0);
	CHECK("argv[0] need not be the path",
	      run_argv(BIN "argv", (char *[]){"x", NULL}, 1, "x") == 0);
	char argc_env[] = "EXPECT_ARGC=1", argv_env[] = "EXPECT_ARGV=", envc[] = "EXPECT_ENVC=4";
	char *envp[] = {argc_env, argv_env, envc, "PAD=1", NULL};
	CHECK("a NULL argv becomes argc 1 with argv[0] \"\"",
	      run(BIN "argv", NULL, envp, NULL) == 0);
	CHECK("a NULL envp gives an empty environment",
	      run(BIN "argv", (char *[]){"argv", "--no-env", NULL}, NULL, NULL) == 0);
	CHECK("an empty envp gives an empty environment",
	      run(BIN "argv", (char *[]){"argv", "--no-env", NULL}, no_env, NULL) == 0);
	CHECK("execveat(AT_FDCWD, path) runs the program",
	      run_execveat(BIN "argv", (char *[]){"argv", "--no-env", NULL}, 0) == 0);
}

static void test_big_args(void)
{
	enum { LEN = 100 * 1024, N = 10 };
	char *big = malloc(LEN + 1);
	memset(big, 'a', LEN);
	big[LEN] = '\0';
	char *argv[N + 5];
	argv[0] = "argv";
	argv[1] = "--big";
	argv[2] = "10";
	argv[3] = "102400";
	for (int i = 0; i < N; i++)
		argv[4 + i] = big;
	argv[4 + N] = NULL;
	CHECK("1 MiB of arguments (10 x 100 KiB) arrive intact",
	      run(BIN "argv", argv, no_env, NULL) == 0);

	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit rl = {1UL << 20, RLIM_INFINITY};
		setrlimit(RLIMIT_STACK, &rl);
		execve(BIN "argv", argv, no_env);
		_exit(errno == E2BIG ? 0 : 1);
	}
	int status = -1;
	waitpid(pid, &status, 0);
	CHECK("with RLIMIT_STACK 1 MiB the same arguments are E2BIG (limit is a quarter)",
	      WIFEXITED(status) && WEXITSTATUS(status) == 0);

	char **many = malloc(44 * sizeof(char *));
	many[0] = "argv";
	for (int i = 1; i < 43; i++)
		many[i] = big;
	many[43] = NULL;
	CHECK_ERRNO("more than 2 MiB of arguments is E2BIG", execve(BIN "argv", many, no_env),
		    E2BIG);
	free(many);
	free(big);

	char *huge = malloc(131073);
	memset(huge, 'a', 131072);
	huge[131072] = '\0';
	CHECK_ERRNO("a single argument of 128 KiB (plus NUL) is E2BIG",
		    execve(BIN "argv", (char *[]){"argv", huge, NULL}, no_env), E2BIG);
	char *env[] = {huge, NULL};
	CHECK_ERRNO("a single environment string of 128 KiB (plus NUL) is E2BIG",
		    execve(BIN "argv", (char *[]){"argv", NULL}, env), E2BIG);
	huge[131071] = '\0';
	CHECK("an argument of 128 KiB including its NUL is accepted",
	      run(BIN "argv", (char *[]){"argv", "--big", "1", "131071", huge, NULL}, no_env,
		  NULL) == 0);
	free(huge);
}

static volatile int usr1_hits;

static void count_usr1(int sig)
{
	(void)sig;
	usr1_hits++;
}

static void test_errors(void)
{
	char *argv[] = {"x", NULL};
	sigset_t set, after;

	signal(SIGUSR1, count_usr1);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	CHECK_ERRNO("exec of a missing file is ENOENT", execve(BIN "missing", argv, no_env),
		    ENOENT);
	CHECK_ERRNO("exec of an empty path is ENOENT", execve("", argv, no_env), ENOENT);
	CHECK_ERRNO("exec of a script without the x bit is EACCES",
		    execve(BIN "not_executable", argv, no_env), EACCES);
	CHECK_ERRNO("exec of an ELF without the x bit is EACCES",
		    execve(BIN "elf_not_executable", argv, no_env), EACCES);
	CHECK_ERRNO("exec of a directory is EACCES", execve("/testbin", argv, no_env), EACCES);
	CHECK_ERRNO("a path through a regular file is ENOTDIR", execve(BIN "argv/x", argv, no_env),
		    ENOTDIR);
	CHECK_ERRNO("exec of an executable text file without #! is ENOEXEC",
		    execve(BIN "garbage", argv, no_env), ENOEXEC);
	CHECK_ERRNO("exec of an empty executable file is ENOEXEC",
		    execve(BIN "empty", argv, no_env), ENOEXEC);
	CHECK_ERRNO("exec from a bad path pointer is EFAULT",
		    syscall(SYS_execve, (void *)16, argv, no_env), EFAULT);
	CHECK_ERRNO("exec with a bad argv pointer is EFAULT",
		    syscall(SYS_execve, BIN "argv", (void *)16, no_env), EFAULT);
	CHECK_ERRNO("exec with a bad argv[1] is EFAULT",
		    syscall(SYS_execve, BIN "argv", (char *[]){"x", (char *)16, NULL}, no_env),
		    EFAULT);
	CHECK_ERRNO("exec with a bad envp pointer is EFAULT",
		    syscall(SYS_execve, BIN "argv", argv, (void *)16), EFAULT);
	CHECK_ERRNO("execveat with an unknown flag is EINVAL",
		    syscall(SYS_execveat, AT_FDCWD, BIN "argv", argv, no_env, 0x8000000), EINVAL);
	sigprocmask(SIG_BLOCK, NULL, &after);
	kill(getpid(), SIGUSR1);
	CHECK("failed execs leave the signal handlers and mask alone",
	      usr1_hits == 1 && sigismember(&after, SIGUSR2));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	signal(SIGUSR1, SIG_DFL);
}

static void test_scripts(void)
{
	CHECK("#! without an argument: argv is interpreter, script path, then args",
	      run_argv(BIN "script_noarg", (char *[]){"name", "p1", "p2", NULL}, 4,
		       "/testbin/argv|/testbin/script_noarg|p1|p2") == 0);
	CHECK("#! with an argument: one argument, inner spaces kept, outer blanks stripped",
	      run_argv(BIN "script_arg", (char *[]){"name", "p1", NULL}, 4,
		       "/testbin/argv|one two|/testbin/script_arg|p1") == 0);
	CHECK("#! with tabs as separators", run_argv(BIN "script_tab", (char *[]){"name", NULL}, 3,
						     "/testbin/argv|-x|/testbin/script_tab") == 0);
	CHECK("the script path is passed exactly as given to execve",
	      run_argv(BIN "../testbin/script_noarg", (char *[]){"name", NULL}, 2,
		       "/testbin/argv|/testbin/../testbin/script_noarg") == 0);
	CHECK("a script may name another script as its interpreter",
	      run_argv(BIN "script_nested", (char *[]){"name", "p1", NULL}, 6,
		       "/testbin/argv|one two|/testbin/script_arg|nested|/testbin/script_nested|"
		       "p1") == 0);
	CHECK("a script's argv[0] is dropped even when argv is just argv[0]",
	      run_argv(BIN "script_noarg", (char *[]){"only", NULL}, 2,
		       "/testbin/argv|/testbin/script_noarg") == 0);
	char *argv[] = {"x", NULL};
	CHECK_ERRNO("a script that is its own interpreter is ELOOP",
		    execve(BIN "script_loop", argv, no_env), ELOOP);
	CHECK_ERRNO("a script whose interpreter is missing is ENOENT",
		    execve(BIN "script_missing", argv, no_env), ENOENT);
	CHECK_ERRNO("a CRLF #! line names an interpreter ending in \\r: ENOENT",
		    execve(BIN "script_crlf", argv, no_env), ENOENT);
	CHECK_ERRNO("a script whose interpreter lacks the x bit is EACCES",
		    execve(BIN "script_interp_noexec", argv, no_env), EACCES);
	CHECK_ERRNO("a #! line without an interpreter is ENOEXEC",
		    execve(BIN "script_no_interp", argv, no_env), ENOEXEC);
}

static void test_auxv(void)
{
	static const char *names[8] = {
		"AT_PAGESZ is 4096",
		"AT_EXECFN is the path given to execve",
		"AT_RANDOM points at 16 random bytes",
		"AT_UID/AT_EUID/AT_GID/AT_EGID match the credentials",
		"AT_SECURE is 0",
		"AT_PHDR/AT_PHNUM/AT_PHENT describe the program headers",
		"AT_ENTRY is the entry point",
		"AT_BASE 0, AT_FLAGS 0, AT_CLKTCK 100",
	};
	char name[128];
	char *argv[] = {"auxv", NULL};
	char *env[] = {"EXPECT_EXECFN=/testbin/auxv", NULL};
	char *pie_env[] = {"EXPECT_EXECFN=/testbin/auxv_pie", NULL};
	char *script_env[] = {"EXPECT_EXECFN=/testbin/script_auxv", NULL};

	int f = run(BIN "auxv", argv, env, NULL);
	for (int i = 0; i < 8; i++) {
		snprintf(name, sizeof(name), "static: %s", names[i]);
		CHECK(name, f >= 0 && f < 256 && !(f & (1 << i)));
	}
	f = run(BIN "auxv_pie", argv, pie_env, NULL);
	CHECK("a glibc static-pie binary runs", f >= 0 && f < 256);
	for (int i = 0; i < 8; i++) {
		snprintf(name, sizeof(name), "static-pie: %s", names[i]);
		CHECK(name, f >= 0 && f < 256 && !(f & (1 << i)));
	}
	CHECK("for a script, AT_EXECFN is the script's path",
	      run(BIN "script_auxv", argv, script_env, NULL) == 0);
}

static void drop_to_user(void)
{
	setgroups(0, NULL);
	setresgid(USER, USER, USER);
	setresuid(USER, USER, USER);
}

static void test_permissions(void)
{
	char *argv[] = {"auxv", NULL};
	char *env[] = {"EXPECT_EXECFN=/testbin/auxv", NULL};
	CHECK("as uid 1000 the auxv credentials follow the process",
	      run(BIN "auxv", argv, env, drop_to_user) == 0);
	CHECK("root may exec a file with only the owner x bit (0744)",
	      run(BIN "elf_owner_only", (char *[]){"x", "--no-env", NULL}, no_env, NULL) == 0);
	CHECK("uid 1000 may not exec a root-owned 0744 file (EACCES)",
	      run(BIN "elf_owner_only", (char *[]){"x", "--no-env", NULL}, no_env, drop_to_user) ==
		      EXEC_FAILED + EACCES);
	CHECK("uid 1000 may exec a 0755 script",
	      run_argv_as(BIN "script_noarg", (char *[]){"x", NULL}, 2,
			  "/testbin/argv|/testbin/script_noarg", drop_to_user) == 0);
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void setup_signals(void)
{
	static char alt[65536];
	stack_t ss = {.ss_sp = alt, .ss_size = sizeof(alt), .ss_flags = 0};
	sigset_t set;

	signal(SIGUSR1, on_usr1);
	signal(SIGUSR2, SIG_IGN);
	signal(SIGCHLD, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGQUIT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGQUIT);
	sigaltstack(&ss, NULL);
	alarm(30);
}

static void setup_process(void)
{
	struct rlimit rl;
	umask(027);
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = 100;
	setrlimit(RLIMIT_NOFILE, &rl);
	setpriority(PRIO_PROCESS, 0, 3);
	prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0);
	prctl(PR_SET_NAME, "before-exec", 0, 0, 0);
	fcntl(1, F_DUPFD_CLOEXEC, 10);
	dup2(1, 11);
}

static void setup_fpu(void)
{
	unsigned mxcsr = 0x7f80;
	unsigned short fcw = 0x0c7f;
	__asm__ volatile("ldmxcsr %0" ::"m"(mxcsr));
	__asm__ volatile("fldcw %0" ::"m"(fcw));
}

static void test_inheritance(void)
{
	static const char *signal_names[8] = {
		"a caught signal is reset to SIG_DFL by exec",
		"an ignored signal stays ignored across exec",
		"the blocked mask is kept across exec",
		"signals not blocked before exec are not blocked after",
		"a pending signal stays pending across exec",
		"the alternate signal stack is gone after exec",
		"an alarm keeps running across exec",
		"SIGCHLD set to SIG_IGN stays ignored across exec",
	};
	static const char *process_names[8] = {
		"exec keeps the pid",
		"exec keeps the parent",
		"exec sets the name to the new file's base name",
		"exec keeps the parent-death signal",
		"exec keeps the umask",
		"exec keeps resource limits",
		"exec keeps the nice value",
		"exec closes FD_CLOEXEC descriptors and keeps the others",
	};

	int f = run(BIN "state", (char *[]){"state", "signals", NULL}, no_env, setup_signals);
	for (int i = 0; i < 8; i++)
		CHECK(signal_names[i], f >= 0 && f < 256 && !(f & (1 << i)));

	char pid_s[16], ppid_s[16];
	snprintf(ppid_s, sizeof(ppid_s), "%d", getpid());
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		snprintf(pid_s, sizeof(pid_s), "%d", getpid());
		setup_process();
		execve(BIN "state", (char *[]){"state", "process", pid_s, ppid_s, NULL}, no_env);
		_exit(EXEC_FAILED + errno);
	}
	int status = -1;
	waitpid(pid, &status, 0);
	f = WIFEXITED(status) ? WEXITSTATUS(status) : 0xff;
	for (int i = 0; i < 8; i++)
		CHECK(process_names[i], !(f & (1 << i)));

	f = run(BIN "state", (char *[]){"state", "fpu", NULL}, no_env, setup_fpu);
	CHECK("exec starts the program with the default MXCSR", f >= 0 && f < 256 && !(f & 1));
	CHECK("exec starts the program with the default x87 control word",
	      f >= 0 && f < 256 && !(f & 2));
}

static volatile long old_tid;

static void *other_thread(void *arg)
{
	(void)arg;
	old_tid = syscall(SYS_gettid);
	for (;;)
		pause();
	return NULL;
}

static void *exec_thread(void *arg)
{
	char pid_s[16], tid_s[16];
	(void)arg;
	snprintf(pid_s, sizeof(pid_s), "%d", getpid());
	snprintf(tid_s, sizeof(tid_s), "%ld", old_tid);
	execve(BIN "state", (char *[]){"state", "thread", pid_s, tid_s, NULL}, no_env);
	_exit(EXEC_FAILED + errno);
}

static void test_exec_from_thread(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		pthread_t a, b;
		pthread_create(&a, NULL, other_thread, NULL);
		while (old_tid == 0)
			sleep_ms(1);
		pthread_create(&b, NULL, exec_thread, NULL);
		for (;;)
			pause();
	}
	int status = -1;
	waitpid(pid, &status, 0);
	int f = WIFEXITED(status) ? WEXITSTATUS(status) : 0xff;
	CHECK("exec from a non-main thread keeps the pid", f < EXEC_FAILED && !(f & 1));
	CHECK("after it, the exec'ing thread's tid is the pid", f < EXEC_FAILED && !(f & 2));
	CHECK("the other threads are gone after exec from a thread", f < EXEC_FAILED && !(f & 4));
}

static void test_vfork_and_groups(void)
{
	int status = -1;
	sigset_t set;
	siginfo_t si;
	struct timespec ts = {5, 0};

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	pid_t pid = vfork();
	if (pid == 0) {
		execve(BIN "state", (char *[]){"state", "notify", NULL}, no_env);
		_exit(EXEC_FAILED + errno);
	}
	CHECK("a vfork parent resumes once the child has exec'd, while it still runs",
	      pid > 0 && waitpid(pid, &status, WNOHANG) == 0 &&
		      sigtimedwait(&set, &si, &ts) == SIGUSR1 && si.si_pid == pid);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	pid = vfork();
	if (pid == 0) {
		execve(BIN "state", (char *[]){"state", "sleep", "0", "7", NULL}, no_env);
		_exit(EXEC_FAILED + errno);
	}
	CHECK("the exec'd vfork child exits with its own status",
	      waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 7);

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execve(BIN "state", (char *[]){"state", "notify", NULL}, no_env);
		_exit(EXEC_FAILED + errno);
	}
	int notified = sigtimedwait(&set, &si, &ts) == SIGUSR1 && si.si_pid == pid;
	CHECK("the exec'd child signals its parent", notified);
	CHECK_ERRNO("setpgid on a child after it has exec'd is EACCES", setpgid(pid, pid), EACCES);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int main(void)
{
	check_area = "exec";
	alarm(60);
	test_argv();
	test_big_args();
	test_errors();
	test_scripts();
	test_auxv();
	test_permissions();
	test_inheritance();
	test_exec_from_thread();
	test_vfork_and_groups();
	return check_failures ? 1 : 0;
}
