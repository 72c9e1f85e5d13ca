# Targets that boot Tern: run, test (DESIGN §6) and their helpers.
MACHINE ?= microvm
APPEND ?=

.PHONY: run test setup
setup:
	$(Q)sh tools/setup.sh

run: setup
	$(Q)$(MAKE) --no-print-directory all $(USERLAND)
	$(Q)tools/qemu.sh -I -m $(MACHINE) -i $(USERLAND) -a "$(APPEND)" $(BUILD)/tern.elf

# The differential shell test (tools/shell-test.sh): the userland with
# user/shell's scripts in /shell and a runner as /init.
SHELL_IMAGE := $(BUILD)/shell-test.cpio
# The folders are prerequisites too: adding or removing a script changes their time.
$(SHELL_IMAGE): tools/mkuserland.sh tools/mkinitramfs.sh $(wildcard user/userland/* user/shell/*) \
		user/shell user/userland /bin/busybox
	$(Q)rm -rf $(BUILD)/shell-extra && mkdir -p $(BUILD)/shell-extra/shell
	$(Q)cp user/shell/*.sh $(BUILD)/shell-extra/shell/
	$(Q)install -m 0755 user/shell/run-all $(BUILD)/shell-extra/init
	$(Q)sh tools/mkuserland.sh $(BUILD)/shell-root $(BUILD)/shell-extra
	$(Q)sh tools/mkinitramfs.sh $(BUILD)/shell-root $@

.PHONY: test-shell
test-shell: setup
	$(Q)$(MAKE) --no-print-directory all $(SHELL_IMAGE)
	$(Q)tools/shell-test.sh $(BUILD)/tern.elf "$(LINUX_KERNEL)" $(SHELL_IMAGE) $(BUILD)/shell-logs

# The userland `make run` boots: Debian's busybox-static (tools/mkuserland.sh).
USERLAND := $(BUILD)/userland.cpio
$(USERLAND): tools/mkuserland.sh tools/mkinitramfs.sh $(wildcard user/userland/*) /bin/busybox
	$(Q)sh tools/mkuserland.sh $(BUILD)/userland
	$(Q)sh tools/mkinitramfs.sh $(BUILD)/userland $@

# The kernel is built twice, with gcc and with clang; both are booted.
test: setup
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/host-tests $(FUZZ_BINS) $(GUEST)/initramfs.cpio \
		$(SHELL_IMAGE) $(USERLAND)
	$(Q)$(MAKE) --no-print-directory all CC=clang BUILD=$(BUILD)/clang
	$(Q)TEST_OUT=$(BUILD)/test-logs CLANG_KERNEL=$(BUILD)/clang/tern.elf FUZZERS="$(FUZZ_BINS)" \
		GUEST_INITRAMFS=$(GUEST)/initramfs.cpio LINUX_KERNEL="$(LINUX_KERNEL)" \
		SHELL_IMAGE=$(SHELL_IMAGE) USERLAND_IMAGE=$(USERLAND) \
		tools/test.sh $(BUILD)/tern.elf $(BUILD)/host-tests

.PHONY: lint format
lint:
	$(Q)tools/lint.sh

format:
	$(Q)git ls-files '*.c' '*.h' | xargs clang-format -i --style=file

# Guest tests (DESIGN §6 layers 2 and 3): static programs in user/tests,
# each built with musl and with glibc, packed with user/init into one
# initramfs that boots both Tern and Debian's Linux kernel. Programs the
# tests exec (user/testbin/*.c, musl; one also as glibc static-pie) and
# the data files they exec (user/testbin/data: scripts, a garbage file,
# an empty one) go to /testbin, where init does not run them; each data
# file is installed with the mode its test needs.
GUEST := $(BUILD)/guest
GUEST_CFLAGS := -static -O2 -Wall -Wextra -Werror -std=gnu11 -pthread
# musl ships no Linux UAPI headers; <linux/futex.h> and friends come from ours.
MUSL_CFLAGS = $(GUEST_CFLAGS) -idirafter $(UAPI)
GUEST_TESTS := $(basename $(notdir $(wildcard user/tests/*.c)))
GUEST_BINS := $(foreach t,$(GUEST_TESTS),$(GUEST)/root/tests/$(t).musl $(GUEST)/root/tests/$(t).glibc)
TESTBIN := $(GUEST)/root/testbin
TESTBIN_BINS := $(patsubst user/testbin/%.c,$(TESTBIN)/%,$(wildcard user/testbin/*.c))
TESTBIN_DATA := $(patsubst user/testbin/data/%,$(TESTBIN)/%,$(wildcard user/testbin/data/*))
TESTBIN_EXTRA := $(TESTBIN)/auxv_pie $(TESTBIN)/elf_not_executable $(TESTBIN)/elf_owner_only
LINUX_KERNEL = $(lastword $(sort $(wildcard /boot/vmlinuz-*-cloud-amd64)))
LINUX_MACHINE ?= pc

$(GUEST)/root/tests/%.musl: user/tests/%.c user/tests/check.h user/tests/util.h $(BUILD)/uapi/.stamp
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $<"
	$(Q)musl-gcc $(MUSL_CFLAGS) -o $@ $<

$(GUEST)/root/tests/%.glibc: user/tests/%.c user/tests/check.h user/tests/util.h
	@mkdir -p $(dir $@)
	@echo "  GLIBCC  $<"
	$(Q)gcc $(GUEST_CFLAGS) -o $@ $<

# Two builds of user/init with compiled-in lists: /init runs every
# program (Linux, the reference, must pass them all); /init-tern runs
# TERN_GUEST_TESTS, the programs of which Tern passes every case. A
# program joins that list only when all of its cases pass on Tern.
TERN_GUEST_TESTS := creds.musl creds.glibc epoll.musl epoll.glibc exec.musl exec.glibc \
	fdio.musl fdio.glibc files.musl files.glibc fpu.musl fpu.glibc futex.musl futex.glibc \
	locks.musl locks.glibc memory.musl memory.glibc misc.musl misc.glibc mmapfile.musl \
	mmapfile.glibc mounts.musl mounts.glibc namei.musl namei.glibc pipes.musl pipes.glibc \
	poll.musl poll.glibc process.musl process.glibc procfs.musl procfs.glibc sendfile.musl \
	sendfile.glibc signalfd.musl signalfd.glibc signals.musl signals.glibc stress.musl \
	stress.glibc sysfuzz.musl sysfuzz.glibc \
	syscall_return.musl syscall_return.glibc threads.musl threads.glibc time.musl \
	time.glibc timerfd.musl timerfd.glibc tty.musl tty.glibc vdso.musl vdso.glibc
GUEST_LIST := $(foreach t,$(GUEST_TESTS),"$(t).musl", "$(t).glibc",)
TERN_GUEST_LIST := $(foreach t,$(TERN_GUEST_TESTS),"$(t)",)
GUEST_LIST_STAMP := $(GUEST)/.test-list
ifneq ($(file < $(GUEST_LIST_STAMP)),$(GUEST_LIST) / $(TERN_GUEST_LIST))
$(shell mkdir -p $(GUEST))
$(file > $(GUEST_LIST_STAMP),$(GUEST_LIST) / $(TERN_GUEST_LIST))
endif

$(GUEST)/root/init: user/init/init.c $(GUEST_LIST_STAMP)
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $<"
	$(Q)musl-gcc $(GUEST_CFLAGS) '-DGUEST_TESTS=$(GUEST_LIST)' -o $@ $<

$(GUEST)/root/init-tern: user/init/init.c $(GUEST_LIST_STAMP)
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $< (Tern's list)"
	$(Q)musl-gcc $(GUEST_CFLAGS) '-DGUEST_TESTS=$(TERN_GUEST_LIST)' -o $@ $<

$(TESTBIN)/%: user/testbin/%.c $(BUILD)/uapi/.stamp
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $<"
	$(Q)musl-gcc $(MUSL_CFLAGS) -o $@ $<

$(TESTBIN)/auxv_pie: user/testbin/auxv.c
	@mkdir -p $(dir $@)
	@echo "  GLIBCC  $< (static-pie)"
	$(Q)gcc $(filter-out -static,$(GUEST_CFLAGS)) -static-pie -fPIE -o $@ $<

$(TESTBIN)/%: user/testbin/data/%
	@mkdir -p $(dir $@)
	$(Q)install -m $(TESTBIN_MODE) $< $@

$(TESTBIN)/elf_not_executable $(TESTBIN)/elf_owner_only: $(TESTBIN)/argv
	$(Q)install -m $(TESTBIN_MODE) $< $@

TESTBIN_MODE := 0755
$(TESTBIN)/not_executable $(TESTBIN)/elf_not_executable: TESTBIN_MODE := 0644
$(TESTBIN)/elf_owner_only: TESTBIN_MODE := 0744

$(GUEST)/initramfs.cpio: $(GUEST)/root/init $(GUEST)/root/init-tern $(GUEST_BINS) $(TESTBIN_BINS) $(TESTBIN_DATA) \
		$(TESTBIN_EXTRA) tools/mkinitramfs.sh
	$(Q)sh tools/mkinitramfs.sh $(GUEST)/root $@

.PHONY: guest test-linux
guest: setup $(GUEST)/initramfs.cpio

# The guest tests on Debian's Linux: the reference every Tern result is held to.
test-linux: setup
	$(Q)$(MAKE) --no-print-directory $(GUEST)/initramfs.cpio
	$(Q)tools/guest-test.sh linux "$(LINUX_KERNEL)" $(GUEST)/initramfs.cpio $(LINUX_MACHINE) \
		$(BUILD)/test-logs-linux.log

# The benchmark (DESIGN §7): user/bench/bench.c as /init of its own
# initramfs, booted on Tern and on Linux by tools/bench.sh, which prints
# each figure side by side. Not part of `make test`: it is timed.
BENCH := $(BUILD)/bench
BENCH_MACHINE ?= microvm
BENCH_RUNS ?= 2

$(BENCH)/root/init: user/bench/bench.c
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $<"
	$(Q)musl-gcc $(GUEST_CFLAGS) -o $@ $<

$(BENCH)/root/nop: user/bench/nop.c
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $<"
	$(Q)musl-gcc $(GUEST_CFLAGS) -o $@ $<

$(BENCH)/initramfs.cpio: $(BENCH)/root/init $(BENCH)/root/nop tools/mkinitramfs.sh
	$(Q)sh tools/mkinitramfs.sh $(BENCH)/root $@

$(BENCH)/tsc-khz: tools/tsc-khz.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)gcc -O2 $(WARNINGS) -o $@ $<

bench: setup
	$(Q)$(MAKE) --no-print-directory all $(BENCH)/initramfs.cpio $(BENCH)/tsc-khz
	$(Q)tools/bench.sh -m $(BENCH_MACHINE) -r $(BENCH_RUNS) -k "$$($(BENCH)/tsc-khz)" \
		-o $(BENCH) $(BUILD)/tern.elf "$(LINUX_KERNEL)" $(BENCH)/initramfs.cpio
