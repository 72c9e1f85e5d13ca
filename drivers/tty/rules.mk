CORE_SRCS += drivers/tty/ldisc.c
KERNEL_SRCS += drivers/tty/tty.c drivers/tty/serial.c drivers/tty/pty.c
TEST_SRCS += drivers/tty/ldisc_test.c
