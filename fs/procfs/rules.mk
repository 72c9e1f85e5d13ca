CORE_SRCS += fs/procfs/super.c fs/procfs/tree.c fs/procfs/file.c fs/procfs/format.c
TEST_SRCS += fs/procfs/procfs_test.c
