ARCH_SRCS += drivers/serial/uart16550.c
ARCH_SRCS += drivers/rtc/cmos.c
