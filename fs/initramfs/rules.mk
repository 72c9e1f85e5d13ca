CORE_SRCS += fs/initramfs/initramfs.c
TEST_SRCS += fs/initramfs/initramfs_test.c
