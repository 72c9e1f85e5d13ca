CORE_SRCS += fs/vfs.c fs/dcache.c fs/inode.c fs/mount.c fs/namei.c fs/permission.c \
	fs/nameops.c fs/rename.c fs/attr.c fs/stat.c fs/open.c fs/file.c fs/readdir.c \
	fs/fdtable.c fs/chrdev.c fs/memdev.c fs/check.c fs/falloc.c fs/pipe.c fs/anon_file.c fs/lock.c
TEST_SRCS += fs/fixture_test.c
TEST_SRCS += fs/namei_test.c fs/namei_resolve_test.c
TEST_SRCS += fs/dcache_test.c
TEST_SRCS += fs/nameops_test.c
TEST_SRCS += fs/rename_test.c
TEST_SRCS += fs/open_test.c
TEST_SRCS += fs/file_test.c
TEST_SRCS += fs/readdir_test.c
TEST_SRCS += fs/attr_test.c
TEST_SRCS += fs/stat_test.c
TEST_SRCS += fs/fdtable_test.c
TEST_SRCS += fs/mount_test.c fs/mount_flags_test.c
TEST_SRCS += fs/fault_test.c
FUZZ_SRCS += fs/vfs_fuzz.c
TEST_SRCS += fs/permission_test.c fs/memdev_test.c fs/falloc_test.c
TEST_SRCS += fs/pipe_test.c fs/anon_file_test.c
TEST_SRCS += fs/lock_test.c
