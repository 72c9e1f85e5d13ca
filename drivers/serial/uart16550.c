// SPDX-License-Identifier: MIT
/*
 * 16550 UART on COM1 (I/O port 0x3f8, ISA IRQ 4): the kernel's console.
 * Transmit goes through a ring drained by the transmit-empty interrupt,
 * receive fills a ring that serial_read_byte sleeps on. Before interrupts
 * are up, and after a panic, output is written synchronously.
 *
 * Locks: L = uart_lock (a spinlock, so interrupts are off while held).
 */
#include <arch/x86.h>
#include <tern/base.h>
#include <tern/irq.h>
#include <tern/sched.h>
#include <tern/serial.h>

#define COM1 0x3f8
#define REG_DATA 0
#define REG_IER 1
#define REG_IIR 2 /* read */
#define REG_FCR 2 /* write */
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define IER_RX 0x01
#define IER_THRE 0x02
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define MCR_DTR_RTS_OUT2 0x0b
#define FIFO_DEPTH 16
#define TX_RING 8192
#define RX_RING 1024

static struct spinlock uart_lock;
static char tx_ring[TX_RING];	       /* L */
static size_t tx_head, tx_tail;	       /* L: free-running indices */
static unsigned char rx_ring[RX_RING]; /* L */
static size_t rx_head, rx_tail;	       /* L */
static bool irq_mode;		       /* L: interrupts drive the rings */
static bool is_panicking;	       /* set once; output then bypasses L */
static uint64_t nr_rx_bytes;	       /* L */
static uint64_t nr_tx_irqs;	       /* L */
static struct wait_queue rx_wait;

void serial_early_init(void)
{
	spin_lock_init(&uart_lock);
	outb(COM1 + REG_IER, 0);
	outb(COM1 + REG_LCR, 0x80); /* divisor latch */
	outb(COM1 + 0, 1);	    /* 115200 baud */
	outb(COM1 + 1, 0);
	outb(COM1 + REG_LCR, 0x03); /* 8n1 */
	outb(COM1 + REG_FCR, 0xc7); /* FIFOs on and cleared, 14-byte trigger */
	outb(COM1 + REG_MCR, MCR_DTR_RTS_OUT2);
}

static void put_polled(char c)
{
	while (!(inb(COM1 + REG_LSR) & LSR_THRE))
		cpu_relax();
	outb(COM1 + REG_DATA, (uint8_t)c);
}

/* Moves queued bytes into the FIFO while it has room; caller holds L. */
static void tx_fill_fifo(void)
{
	if (!(inb(COM1 + REG_LSR) & LSR_THRE))
		return;
	for (int i = 0; i < FIFO_DEPTH && tx_tail != tx_head; i++)
		outb(COM1 + REG_DATA, (uint8_t)tx_ring[tx_tail++ % TX_RING]);
}

static void tx_drain_polled(void)
{
	while (tx_tail != tx_head)
		put_polled(tx_ring[tx_tail++ % TX_RING]);
}

static void tx_queue(char c)
{
	if (tx_head - tx_tail == TX_RING)
		tx_drain_polled();
	tx_ring[tx_head++ % TX_RING] = c;
}

static void write_bytes(const char *buf, size_t len, bool add_cr)
{
	if (is_panicking) {
		for (size_t i = 0; i < len; i++) {
			if (add_cr && buf[i] == '\n')
				put_polled('\r');
			put_polled(buf[i]);
		}
		return;
	}
	spin_lock(&uart_lock);
	for (size_t i = 0; i < len; i++) {
		if (add_cr && buf[i] == '\n')
			tx_queue('\r');
		tx_queue(buf[i]);
	}
	if (irq_mode)
		tx_fill_fifo();
	else
		tx_drain_polled();
	spin_unlock(&uart_lock);
}

void serial_write(const char *buf, size_t len)
{
	write_bytes(buf, len, true);
}

void serial_write_raw(const char *buf, size_t len)
{
	write_bytes(buf, len, false);
}

static void uart_irq(void *arg)
{
	bool got_input = false;

	(void)arg;
	spin_lock(&uart_lock);
	(void)inb(COM1 + REG_IIR);
	while (inb(COM1 + REG_LSR) & LSR_DR) {
		unsigned char c = inb(COM1 + REG_DATA);
		nr_rx_bytes++;
		got_input = true;
		if (rx_head - rx_tail < RX_RING)
			rx_ring[rx_head++ % RX_RING] = c;
	}
	if (tx_tail != tx_head) {
		nr_tx_irqs++;
		tx_fill_fifo();
	}
	spin_unlock(&uart_lock);
	if (got_input)
		wake_up_all(&rx_wait);
}

void serial_start_irq(void)
{
	wait_queue_init(&rx_wait);
	if (irq_register_isa(4, uart_irq, NULL) != 0)
		panic("serial: cannot route IRQ 4\n");
	spin_lock(&uart_lock);
	irq_mode = true;
	outb(COM1 + REG_IER, IER_RX | IER_THRE);
	tx_fill_fifo();
	spin_unlock(&uart_lock);
}

void serial_set_polled(void)
{
	is_panicking = true;
	irq_mode = false;
	outb(COM1 + REG_IER, 0);
	tx_drain_polled();
}

int serial_try_read_byte(void)
{
	int c = -1;

	spin_lock(&uart_lock);
	if (rx_tail != rx_head)
		c = rx_ring[rx_tail++ % RX_RING];
	spin_unlock(&uart_lock);
	return c;
}

int serial_read_byte(void)
{
	int c;

	wait_event(&rx_wait, (c = serial_try_read_byte()) >= 0);
	return c;
}

struct wait_queue *serial_rx_queue(void)
{
	return &rx_wait;
}

uint64_t serial_nr_rx_bytes(void)
{
	return nr_rx_bytes;
}

uint64_t serial_nr_tx_irqs(void)
{
	return nr_tx_irqs;
}
