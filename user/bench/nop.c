// SPDX-License-Identifier: MIT
/* The program the fork+exec figure runs: it only exits. */
int main(void)
{
	return 0;
}
