CORE_SRCS += lib/string.c lib/ktest.c
CORE_SRCS += lib/fmt.c lib/kstrto.c lib/cmdline.c lib/ksyms.c
TEST_SRCS += lib/string_test.c lib/fmt_test.c lib/kstrto_test.c lib/cmdline_test.c lib/ksyms_test.c
FUZZ_SRCS += lib/fmt_fuzz.c lib/cmdline_fuzz.c lib/kstrto_fuzz.c
CORE_SRCS += lib/time.c lib/crc32.c
TEST_SRCS += lib/time_test.c lib/crc32_test.c
