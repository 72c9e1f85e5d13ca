# Targets that boot Tern: run, test (DESIGN §6) and their helpers.
MACHINE ?= microvm
APPEND ?=

.PHONY: run test setup
setup:
	$(Q)sh tools/setup.sh

run: setup
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tools/qemu.sh -I -m $(MACHINE) -a "$(APPEND)" $(BUILD)/tern.elf

# The kernel is built twice, with gcc and with clang; both are booted.
test: setup
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/host-tests $(FUZZ_BINS)
	$(Q)$(MAKE) --no-print-directory all CC=clang BUILD=$(BUILD)/clang
	$(Q)TEST_OUT=$(BUILD)/test-logs CLANG_KERNEL=$(BUILD)/clang/tern.elf FUZZERS="$(FUZZ_BINS)" \
		tools/test.sh $(BUILD)/tern.elf $(BUILD)/host-tests

.PHONY: lint format
lint:
	$(Q)tools/lint.sh

format:
	$(Q)git ls-files '*.c' '*.h' | xargs clang-format -i --style=file
