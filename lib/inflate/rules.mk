CORE_SRCS += lib/inflate/inflate.c lib/inflate/gzip.c
TEST_SRCS += lib/inflate/inflate_test.c
FUZZ_SRCS += lib/inflate/inflate_fuzz.c
