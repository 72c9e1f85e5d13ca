# The vDSO (included from arch/x86_64/rules.mk): vdso_user.c built as
# position-independent user code, linked by vdso.lds into a shared
# object that must need no relocation, stripped, and embedded in the
# kernel by image.S. Its objects sit under $(BUILD)/k so that their
# dependency files are read like the kernel's.
ARCH_SRCS += arch/x86_64/vdso/vdso.c arch/x86_64/vdso/image.S
VDSO_BUILD := $(BUILD)/k/vdso
VDSO_CFLAGS = -std=gnu11 -nostdinc -isystem $(CC_INC) -isystem $(UAPI) -Iinclude $(WARNINGS) \
	-ffreestanding -fno-builtin -fno-common -O2 -fPIC -fno-stack-protector \
	-mgeneral-regs-only -fasynchronous-unwind-tables -MMD -MP
VDSO_LDFLAGS := -shared -nostdlib --hash-style=both --eh-frame-hdr --build-id=none \
	-soname=linux-vdso.so.1 -z max-page-size=4096 -z noexecstack -T arch/x86_64/vdso/vdso.lds

$(VDSO_BUILD)/vdso_user.o: arch/x86_64/vdso/vdso_user.c arch/x86_64/vdso/rules.mk $(BUILD)/uapi/.stamp \
		$(BUILD)/k/.flags
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(VDSO_CFLAGS) -c $< -o $@

$(VDSO_BUILD)/vdso.so: $(VDSO_BUILD)/vdso_user.o arch/x86_64/vdso/vdso.lds arch/x86_64/vdso/rules.mk
	@echo "  VDSO    $@"
	$(Q)$(LD) $(VDSO_LDFLAGS) -o $@.dbg $<
	$(Q)if readelf -rW $@.dbg | grep -q 'R_X86_64'; then \
		echo "$@: the vDSO must not need relocations"; readelf -rW $@.dbg; exit 1; fi
	$(Q)objcopy --strip-all $@.dbg $@

$(BUILD)/k/arch/x86_64/vdso/image.o: $(VDSO_BUILD)/vdso.so
$(BUILD)/k/arch/x86_64/vdso/image.o: KASFLAGS += -DVDSO_IMAGE='"$(VDSO_BUILD)/vdso.so"'
