# Tern: one non-recursive Makefile (STYLE §11). Each directory appends its
# files to the lists below in its rules.mk:
#   CORE_SRCS    portable core: built into the kernel and the host tests
#   KERNEL_SRCS  kernel-only C (core-style code that needs the real kernel)
#   ARCH_SRCS    arch/ and drivers/ C and assembly
#   TEST_SRCS    *_test.c host unit tests (KTEST cases)
#   KTEST_SRCS   *_ktest.c in-kernel self-tests, built into the kernel
#   FUZZ_SRCS    *_fuzz.c libFuzzer targets, one binary each
# Targets: all (build/tern.elf), run, test, host-test, guest-test, fuzz, lint, clean.

BUILD ?= build
.DEFAULT_GOAL := all
CC ?= gcc
ifeq ($(origin CC),default)
CC := gcc
endif
HOSTCC ?= clang
LD ?= ld
NM ?= nm
Q ?= @

VERSION := 0.1.0
GIT_REV := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

CORE_SRCS :=
KERNEL_SRCS :=
ARCH_SRCS :=
TEST_SRCS :=
KTEST_SRCS :=
FUZZ_SRCS :=
include $(wildcard */rules.mk */*/rules.mk)

WARNINGS := -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes -Wshadow -Wvla
CC_IS_CLANG := $(shell $(CC) --version 2>/dev/null | grep -q clang && echo 1)
ifeq ($(CC_IS_CLANG),1)
CC_INC := $(shell $(CC) -print-resource-dir)/include
KCC_FLAGS_EXTRA :=
else
CC_INC := $(shell $(CC) -print-file-name=include)
KCC_FLAGS_EXTRA := -fno-tree-loop-distribute-patterns
endif
HOST_INC := $(shell $(HOSTCC) -print-resource-dir)/include

UAPI := $(BUILD)/uapi
UAPI_STAMP := $(UAPI)/.stamp
COMMON_CFLAGS := -std=gnu11 -nostdinc -isystem $(UAPI) -Iinclude $(WARNINGS) -ffreestanding \
	-fno-strict-aliasing -fno-common -MMD -MP

GEN := $(BUILD)/gen
KCFLAGS := $(COMMON_CFLAGS) -isystem $(CC_INC) -Iarch/x86_64/include -I$(GEN) \
	-O2 -g -mcmodel=kernel -mno-red-zone -mgeneral-regs-only -mno-sse -mno-mmx -mno-avx \
	-fno-pic -fno-pie -fno-omit-frame-pointer -fno-optimize-sibling-calls \
	-fstack-protector-strong -mstack-protector-guard=global -fno-builtin $(KCC_FLAGS_EXTRA) \
	-DTERN_VERSION='"$(VERSION)"'
KASFLAGS := -Iinclude -Iarch/x86_64/include -isystem $(UAPI) -D__ASSEMBLY__ -g -MMD -MP
KLDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments \
	-T arch/x86_64/kernel.ld

SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
HCFLAGS := $(COMMON_CFLAGS) -isystem $(HOST_INC) -Ihost/include -include host/include/host_rename.h \
	-g -O1 $(SAN) -Wthread-safety
HSEAM_CFLAGS := -std=gnu11 -Iinclude -Ihost/include $(WARNINGS) -g -O1 $(SAN) -MMD -MP

K_OBJS := $(patsubst %,$(BUILD)/k/%.o,$(basename $(ARCH_SRCS) $(CORE_SRCS) $(KERNEL_SRCS) $(KTEST_SRCS))) \
	$(BUILD)/k/gen/syscall_table.o
H_CORE_OBJS := $(patsubst %,$(BUILD)/h/%.o,$(basename $(CORE_SRCS)))
H_TEST_OBJS := $(patsubst %,$(BUILD)/h/%.o,$(basename $(TEST_SRCS)))
H_SEAM_OBJS := $(BUILD)/h/host/base_host.o
FUZZ_BINS := $(patsubst %,$(BUILD)/fuzz/%,$(notdir $(basename $(FUZZ_SRCS))))

.PHONY: all run test host-test guest-test fuzz lint clean setup bench docs FORCE
.SECONDARY:
all: $(BUILD)/tern.elf

# Objects depend on the flags they were built with: a stamp file whose
# contents are the flags is rewritten (and so newer) when they change.
KFLAGS_STAMP := $(BUILD)/k/.flags
ifneq ($(file < $(KFLAGS_STAMP)),$(CC) $(KCFLAGS))
$(shell mkdir -p $(BUILD)/k)
$(file > $(KFLAGS_STAMP),$(CC) $(KCFLAGS))
endif
HFLAGS_STAMP := $(BUILD)/h/.flags
ifneq ($(file < $(HFLAGS_STAMP)),$(HOSTCC) $(HCFLAGS) $(HSEAM_CFLAGS))
$(shell mkdir -p $(BUILD)/h)
$(file > $(HFLAGS_STAMP),$(HOSTCC) $(HCFLAGS) $(HSEAM_CFLAGS))
endif

# The banner names the commit; only main.o carries it, rebuilt every time.
$(BUILD)/k/kernel/main.o: KCFLAGS += -DTERN_GIT_REV='"$(GIT_REV)"'
$(BUILD)/k/kernel/main.o: FORCE

$(UAPI_STAMP):
	$(Q)mkdir -p $(UAPI)
	$(Q)ln -sfn /usr/include/linux $(UAPI)/linux
	$(Q)ln -sfn /usr/include/x86_64-linux-gnu/asm $(UAPI)/asm
	$(Q)ln -sfn /usr/include/asm-generic $(UAPI)/asm-generic
	$(Q)touch $@

# The syscall dispatch table and handler prototypes are generated from
# kernel/syscalls.tbl (STYLE §6); `make docs` refreshes the coverage page.
$(GEN)/sys_handlers.h: kernel/syscalls.tbl tools/gen-syscalls.sh
	@mkdir -p $(dir $@)
	$(Q)sh tools/gen-syscalls.sh header $< > $@.tmp && mv $@.tmp $@

$(GEN)/syscall_table.c: kernel/syscalls.tbl tools/gen-syscalls.sh $(GEN)/sys_handlers.h
	$(Q)sh tools/gen-syscalls.sh table $< > $@.tmp && mv $@.tmp $@

$(BUILD)/k/gen/%.o: $(GEN)/%.c $(UAPI_STAMP) $(KFLAGS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

docs:
	$(Q)sh tools/gen-syscalls.sh doc kernel/syscalls.tbl > docs/syscall-coverage.md

$(BUILD)/k/%.o: %.c $(UAPI_STAMP) $(KFLAGS_STAMP) | $(GEN)/sys_handlers.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/k/%.o: %.S $(UAPI_STAMP) $(KFLAGS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(KASFLAGS) -c $< -o $@

# The symbol table lives in the image's last segment, so filling it in
# does not move any code: link once with an empty table, generate the
# real one from that link's symbols, link again, and check nothing moved.
$(BUILD)/ksyms0.o: tools/gen-ksyms.sh
	@mkdir -p $(BUILD)
	$(Q)sh tools/gen-ksyms.sh /dev/null > $(BUILD)/ksyms0.S
	$(Q)$(CC) $(KASFLAGS) -c $(BUILD)/ksyms0.S -o $@

$(BUILD)/tern.elf: $(K_OBJS) $(BUILD)/ksyms0.o arch/x86_64/kernel.ld tools/gen-ksyms.sh
	@echo "  LD      $@"
	$(Q)$(LD) $(KLDFLAGS) -o $(BUILD)/tern.pass1.elf $(K_OBJS) $(BUILD)/ksyms0.o
	$(Q)$(NM) -n $(BUILD)/tern.pass1.elf | sh tools/gen-ksyms.sh - > $(BUILD)/ksyms.S
	$(Q)$(CC) $(KASFLAGS) -c $(BUILD)/ksyms.S -o $(BUILD)/ksyms.o
	$(Q)$(LD) $(KLDFLAGS) -o $@.tmp $(K_OBJS) $(BUILD)/ksyms.o
	$(Q)$(NM) -n $(BUILD)/tern.pass1.elf | grep -v -E ' (ksyms_(count|addrs|name_offs|names)|_end)$$' > $(BUILD)/syms1.txt
	$(Q)$(NM) -n $@.tmp | grep -v -E ' (ksyms_(count|addrs|name_offs|names)|_end)$$' > $(BUILD)/syms2.txt
	$(Q)cmp -s $(BUILD)/syms1.txt $(BUILD)/syms2.txt || { echo "ksyms: symbols moved"; exit 1; }
	$(Q)mv $@.tmp $@

$(BUILD)/h/host/%.o: host/%.c $(HFLAGS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(HSEAM_CFLAGS) -c $< -o $@

$(BUILD)/h/%.o: %.c $(UAPI_STAMP) $(HFLAGS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(HCFLAGS) -c $< -o $@

$(BUILD)/host-tests: $(H_CORE_OBJS) $(H_TEST_OBJS) $(H_SEAM_OBJS) $(BUILD)/h/host/test_main.o
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) $(SAN) -o $@ $^ -lpthread

host-test: $(BUILD)/host-tests
	$(Q)$(BUILD)/host-tests $(FILTER)

# Fuzzers: core objects rebuilt with coverage instrumentation, without
# the test runner (a fuzzer has no test cases).
FZ_CORE_OBJS := $(patsubst %,$(BUILD)/fzobj/%.o,$(basename $(filter-out lib/ktest.c,$(CORE_SRCS))))
FZ_CFLAGS = $(filter-out -MMD -MP,$(HCFLAGS)) -fsanitize=fuzzer-no-link
$(BUILD)/fzobj/%.o: %.c $(UAPI_STAMP) $(HFLAGS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  FZCC    $<"
	$(Q)$(HOSTCC) $(FZ_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/fuzz/%: $(FZ_CORE_OBJS) $(H_SEAM_OBJS) $(UAPI_STAMP) $(FUZZ_SRCS)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(HOSTCC) $(FZ_CFLAGS) -fsanitize=fuzzer -o $@ $(filter %/$*.c,$(FUZZ_SRCS)) $(FZ_CORE_OBJS) $(H_SEAM_OBJS) -lpthread

FUZZ_SECONDS ?= 300
fuzz: $(FUZZ_BINS)
	$(Q)for f in $(FUZZ_BINS); do echo "fuzz $$f"; $$f -max_total_time=$(FUZZ_SECONDS) || exit 1; done

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/k $(BUILD)/h $(BUILD)/fzobj -name '*.d' 2>/dev/null)
