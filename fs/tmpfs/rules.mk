CORE_SRCS += fs/tmpfs/super.c fs/tmpfs/dir.c fs/tmpfs/file.c fs/tmpfs/page_tree.c \
	fs/tmpfs/check.c fs/tmpfs/options.c
TEST_SRCS += fs/tmpfs/page_tree_test.c fs/tmpfs/tmpfs_test.c
