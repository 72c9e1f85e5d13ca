CORE_SRCS += drivers/tty/ldisc.c drivers/tty/devpts_options.c
KERNEL_SRCS += drivers/tty/tty.c drivers/tty/serial.c drivers/tty/pty.c
TEST_SRCS += drivers/tty/ldisc_test.c drivers/tty/devpts_options_test.c
