CORE_SRCS += lib/cpio/cpio.c
TEST_SRCS += lib/cpio/cpio_test.c
FUZZ_SRCS += lib/cpio/cpio_fuzz.c lib/cpio/cpio_stream_fuzz.c
