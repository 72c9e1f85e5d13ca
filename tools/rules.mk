# Targets that boot Tern: run, test (DESIGN §6) and their helpers.
MACHINE ?= microvm
APPEND ?=

.PHONY: run test ci setup
setup:
	$(Q)sh tools/setup.sh

run: setup
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tools/qemu.sh -I -m $(MACHINE) -a "$(APPEND)" $(BUILD)/tern.elf

test: setup
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/host-tests CC=clang BUILD=$(BUILD)/clang >/dev/null
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/host-tests
	$(Q)TEST_OUT=$(BUILD)/test-logs tools/test.sh $(BUILD)/tern.elf $(BUILD)/host-tests
