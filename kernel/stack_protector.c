// SPDX-License-Identifier: MIT
/*
 * What -fstack-protector-strong -mstack-protector-guard=global needs: the
 * canary every protected frame copies, and the function called when one
 * comes back changed. FIXME: the canary is a constant, not randomised at boot.
 */
#include <tern/base.h>

uintptr_t __stack_chk_guard = 0x595e9fbd94fda766ULL;
__noreturn void __stack_chk_fail(void);

void __stack_chk_fail(void)
{
	panic("stack protector: canary overwritten\n");
}
