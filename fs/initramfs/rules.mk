CORE_SRCS += fs/initramfs/initramfs.c
