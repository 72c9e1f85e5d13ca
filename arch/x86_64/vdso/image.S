/* SPDX-License-Identifier: MIT */
/*
 * The vDSO image (vdso_user.c linked by vdso.lds, built by rules.mk) in
 * the kernel's read-only data, for vdso.c to copy into the pages every
 * process maps.
 */
	.section .rodata
	.p2align 12
	.global vdso_image_start
	.global vdso_image_end
vdso_image_start:
	.incbin VDSO_IMAGE
vdso_image_end:
