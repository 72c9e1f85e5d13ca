// SPDX-License-Identifier: MIT
/*
 * Entry point of the host unit-test binary: runs every KTEST linked in
 * (optionally those matching argv[1]) and exits non-zero on any failure.
 */
#include <stdio.h>

#include <tern/ktest.h>

int main(int argc, char **argv)
{
	int nr_passed = 0;
	int nr_failed = 0;

	ktest_run_all(argc > 1 ? argv[1] : "", &nr_passed, &nr_failed);
	return nr_failed ? 1 : 0;
}
