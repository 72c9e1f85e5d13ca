CORE_SRCS += lib/elf/elf.c
TEST_SRCS += lib/elf/elf_test.c
FUZZ_SRCS += lib/elf/elf_fuzz.c
