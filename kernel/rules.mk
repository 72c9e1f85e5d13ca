KERNEL_SRCS += kernel/main.c kernel/sched.c kernel/wait.c kernel/mutex.c kernel/printk.c kernel/stack_protector.c kernel/time.c kernel/console.c kernel/fault_ktest.c kernel/syscall.c kernel/sys_basic.c kernel/init_run.c
KTEST_SRCS += kernel/time_ktest.c
KTEST_SRCS += kernel/sched_ktest.c kernel/sync_ktest.c
KERNEL_SRCS += kernel/exec.c kernel/files.c kernel/devices.c kernel/sys_fd.c kernel/sys_rw.c kernel/sys_path.c kernel/sys_stat.c kernel/pid.c kernel/proc.c kernel/pgrp.c kernel/fork.c kernel/exit.c kernel/signal.c kernel/sys_proc.c kernel/sys_signal.c kernel/futex.c kernel/sys_time.c kernel/rusage.c kernel/ptimer.c kernel/sys_cred.c kernel/cred.c kernel/sys_sched.c kernel/sys_info.c
KERNEL_SRCS += kernel/procfs_proc.c kernel/procfs_sys.c
KERNEL_SRCS += kernel/pipe.c kernel/sys_pipe.c kernel/poll.c kernel/sys_poll.c kernel/anon_files.c kernel/epoll.c kernel/eventfd.c
KERNEL_SRCS += kernel/timerfd.c kernel/signalfd.c kernel/locks.c kernel/sys_copy.c kernel/iovec.c kernel/sys_syslog.c
CORE_SRCS += kernel/exec_stack.c
TEST_SRCS += kernel/exec_stack_test.c

