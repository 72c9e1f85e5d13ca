/* SPDX-License-Identifier: MIT */
/*
 * The serial console (drivers/serial/uart16550.c): printk's sink and the
 * kernel console's keyboard. Output is polled until serial_start_irq()
 * switches both directions to interrupts; panic switches back to polling.
 */
#pragma once

#include <tern/types.h>

struct wait_queue;

void serial_early_init(void);
/* Writes len bytes, turning "\n" into "\r\n". Safe from any context. */
void serial_write(const char *buf, size_t len);
/* Writes len bytes as they are (the tty layer does its own output processing). */
void serial_write_raw(const char *buf, size_t len);
void serial_start_irq(void);
/* Makes serial_write synchronous again (used by panic and exceptions). */
void serial_set_polled(void);
/* Sleeps until a byte arrives; returns it. */
int serial_read_byte(void);
/* Returns a received byte, or -1 at once if none is waiting. */
int serial_try_read_byte(void);
/* Woken when a byte arrives, for readers that sleep interruptibly. */
struct wait_queue *serial_rx_queue(void);
/* Counters for tests: bytes received and transmit interrupts taken. */
uint64_t serial_nr_rx_bytes(void);
uint64_t serial_nr_tx_irqs(void);
