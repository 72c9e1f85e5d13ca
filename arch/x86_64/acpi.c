// SPDX-License-Identifier: MIT
/*
 * Just enough ACPI for a VM: from the RSDP that PVH hands us, find the
 * MADT (I/O APIC address and ISA interrupt overrides) and the FADT (how
 * to power off: PM1a control port, or the sleep control register of a
 * hardware-reduced platform such as microvm) and the S5 sleep type from
 * the DSDT. Every table is length- and checksum-checked before use.
 */
#include <tern/base.h>
#include <tern/string.h>

#include "internal.h"

struct sdt_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __packed;

struct rsdp {
	char signature[8];
	uint8_t checksum;
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt_address;
	uint32_t length; /* revision 2 and later */
	uint64_t xsdt_address;
	uint8_t extended_checksum;
	uint8_t reserved[3];
} __packed;

struct gas {
	uint8_t space_id; /* 0 memory, 1 I/O port */
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
} __packed;

#define FADT_DSDT 40
#define FADT_PM1A_CNT 64
#define FADT_FLAGS 112
#define FADT_X_DSDT 140
#define FADT_SLEEP_CONTROL 244
#define FADT_HW_REDUCED (1u << 20)
#define MADT_IOAPIC 1
#define MADT_OVERRIDE 2

struct acpi_info acpi;

static bool is_checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return sum == 0;
}

static const struct sdt_header *map_table(uint64_t pa)
{
	if (!pa || pa >= (1ULL << 46))
		return NULL;
	const struct sdt_header *h = firmware_map(pa, sizeof(*h));
	if (h->length > sizeof(*h) && h->length <= (1u << 20))
		firmware_map(pa, h->length);
	if (h->length < sizeof(*h) || h->length > (1u << 20) || !is_checksum_ok(h, h->length))
		return NULL;
	return h;
}

static const struct sdt_header *find_table(const struct rsdp *rsdp, const char *sig)
{
	bool is_xsdt = rsdp->revision >= 2 && rsdp->xsdt_address;
	const struct sdt_header *root =
		map_table(is_xsdt ? rsdp->xsdt_address : rsdp->rsdt_address);
	size_t entry_size = is_xsdt ? 8 : 4;

	if (!root)
		return NULL;
	size_t n = (root->length - sizeof(*root)) / entry_size;
	const uint8_t *entries = (const uint8_t *)(root + 1);
	for (size_t i = 0; i < n; i++) {
		uint64_t pa = 0;
		memcpy(&pa, entries + i * entry_size, entry_size);
		const struct sdt_header *h = map_table(pa);
		if (h && memcmp(h->signature, sig, 4) == 0)
			return h;
	}
	return NULL;
}

static void parse_madt(const struct sdt_header *madt)
{
	const uint8_t *p = (const uint8_t *)madt + sizeof(*madt) + 8;
	const uint8_t *end = (const uint8_t *)madt + madt->length;

	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		if (p[0] == MADT_IOAPIC && p[1] >= 12 && !acpi.ioapic_phys) {
			memcpy(&acpi.ioapic_phys, p + 4, 4);
			memcpy(&acpi.ioapic_gsi_base, p + 8, 4);
		} else if (p[0] == MADT_OVERRIDE && p[1] >= 10 && p[3] < 16) {
			uint32_t gsi;
			uint16_t flags;
			memcpy(&gsi, p + 4, 4);
			memcpy(&flags, p + 8, 2);
			acpi.isa_gsi[p[3]] = gsi;
			acpi.isa_flags[p[3]] = flags;
		}
		p += p[1];
	}
}

/* Finds "_S5_" Package(){SLP_TYPa, ...} in AML and returns SLP_TYPa, or -1. */
static int find_s5_type(const struct sdt_header *dsdt)
{
	const uint8_t *aml = (const uint8_t *)(dsdt + 1);
	size_t len = dsdt->length - sizeof(*dsdt);

	for (size_t i = 0; i + 12 < len; i++) {
		if (memcmp(aml + i, "_S5_", 4) != 0 || aml[i + 4] != 0x12)
			continue;
		size_t j = i + 5;
		j += 1 + (aml[j] >> 6); /* PkgLength: extra bytes in bits 6-7 */
		j += 1;			/* NumElements */
		if (j + 1 >= len)
			return -1;
		if (aml[j] == 0x0a) /* BytePrefix */
			return aml[j + 1];
		if (aml[j] == 0x00 || aml[j] == 0x01) /* ZeroOp, OneOp */
			return aml[j];
		return -1;
	}
	return -1;
}

static void parse_fadt(const struct sdt_header *fadt)
{
	const uint8_t *f = (const uint8_t *)fadt;
	uint32_t flags = 0;
	uint32_t dsdt32 = 0;
	uint64_t dsdt64 = 0;

	if (fadt->length >= FADT_PM1A_CNT + 4)
		memcpy(&acpi.pm1a_cnt_port, f + FADT_PM1A_CNT, 4);
	if (fadt->length >= FADT_FLAGS + 4)
		memcpy(&flags, f + FADT_FLAGS, 4);
	if ((flags & FADT_HW_REDUCED) && fadt->length >= FADT_SLEEP_CONTROL + sizeof(struct gas)) {
		struct gas g;
		memcpy(&g, f + FADT_SLEEP_CONTROL, sizeof(g));
		acpi.sleep_ctl_is_io = g.space_id == 1;
		acpi.sleep_ctl_addr = g.address;
	}
	memcpy(&dsdt32, f + FADT_DSDT, 4);
	if (fadt->length >= FADT_X_DSDT + 8)
		memcpy(&dsdt64, f + FADT_X_DSDT, 8);
	const struct sdt_header *dsdt = map_table(dsdt64 ? dsdt64 : dsdt32);
	acpi.s5_type = dsdt ? find_s5_type(dsdt) : -1;
}

void acpi_init(uint64_t rsdp_phys)
{
	for (int i = 0; i < 16; i++)
		acpi.isa_gsi[i] = (uint32_t)i;
	acpi.ioapic_phys = 0;
	acpi.s5_type = -1;
	if (!rsdp_phys || rsdp_phys >= (1ULL << 46))
		return;
	const struct rsdp *rsdp = firmware_map(rsdp_phys, sizeof(struct rsdp));
	if (memcmp(rsdp->signature, "RSD PTR ", 8) != 0 || !is_checksum_ok(rsdp, 20))
		return;
	const struct sdt_header *madt = find_table(rsdp, "APIC");
	if (madt)
		parse_madt(madt);
	const struct sdt_header *fadt = find_table(rsdp, "FACP");
	if (fadt)
		parse_fadt(fadt);
	acpi.is_present = true;
}
