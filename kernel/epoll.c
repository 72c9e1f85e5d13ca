// SPDX-License-Identifier: MIT
/*
 * epoll (Linux's fs/eventpoll.c): an instance keeps one item per watched
 * (file, fd) with wait entries on the file's queues; a wake-up puts the
 * item on the ready list, and epoll_wait polls the ready items again,
 * reporting those with requested events. Level-triggered items go back
 * on the list after a report, edge-triggered ones wait for the next
 * wake-up, one-shot ones are disabled until EPOLL_CTL_MOD. An item goes
 * when EPOLL_CTL_DEL removes it or its file is released (file->watch).
 *
 * Locks: W = epoll_mutex (every change to an item list, loop checks),
 * e = the instance's mutex (item fields, reporting), r = its ready_lock
 * (the ready list; taken from wake-ups with interrupts off).
 * Lock order: epoll_mutex -> ep->lock -> ep->ready_lock -> wait queues.
 *
 * FIXME: items are found by a list walk, not a tree.
 */
#include <linux/eventpoll.h>
#include <tern/anon_file.h>
#include <tern/arch.h>
#include <tern/errno.h>
#include <tern/files.h>
#include <tern/poll.h>
#include <tern/signal.h>
#include <tern/sys.h>
#include <tern/syscall.h>
#include <tern/time.h>

#define EP_PRIVATE_BITS (EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)
#define EP_EXCLUSIVE_OK_BITS \
	(EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE)
#define EP_MAX_NESTS 4
#define EP_MAX_EVENTS ((int)(0x7fffffff / sizeof(struct epoll_event)))
#define EP_BATCH_EVENTS 1024u
#define EP_SMALL_EVENTS 8 /* waits for this few events use the stack, not kmalloc */

struct eventpoll {
	struct mutex lock;
	struct spinlock ready_lock;
	struct list_head items;	     /* W, e: struct epitem by ep_link */
	struct list_head ready_list; /* r: struct epitem by ready_link */
	struct wait_queue wq;	     /* epoll_wait sleepers */
	struct wait_queue poll_wq;   /* pollers of this instance's own file */
};

/* One wait queue an item's file named in its poll op. */
struct ep_waiter {
	struct wait_entry we;
	struct wait_queue *wq;
	struct epitem *epi;
	struct ep_waiter *next;
};

struct epitem {
	struct list_head ep_link;    /* W, e: in ep->items */
	struct list_head ready_link; /* r: in ep->ready_list while is_ready */
	bool is_ready;		     /* r */
	struct list_head file_link;  /* W: in the file's watch list */
	struct eventpoll *ep;	     /* I */
	struct file *file;	     /* I: unreferenced; its release removes the item */
	int fd;			     /* I */
	uint32_t events;	     /* e, r: requested events and EP_PRIVATE_BITS */
	uint64_t data;		     /* e */
	struct ep_waiter *waiters;   /* e: the entries on the file's queues */
	int error;		     /* -ENOMEM if a waiter could not be made */
};

/* What file->watch points at: the items watching that file. */
struct ep_file_watch {
	struct file_watch fw;
	struct list_head items; /* W: struct epitem by file_link */
};

static struct mutex epoll_mutex;
static const struct file_ops epoll_ops;

static bool is_epoll_file(const struct file *f)
{
	return f->ops == &epoll_ops;
}

static void ep_mark_ready(struct eventpoll *ep, struct epitem *epi)
{
	spin_lock(&ep->ready_lock);
	if (!epi->is_ready) {
		list_insert_tail(&ep->ready_list, &epi->ready_link);
		epi->is_ready = true;
	}
	spin_unlock(&ep->ready_lock);
}

/*
 * A watched file's queue woke: runs under its lock, interrupts off.
 * ABI: ep_poll_callback: an EPOLLEXCLUSIVE item takes the wake-up (the
 * queue wakes no further exclusive item) only if it is enabled and a
 * task sleeps in epoll_wait on its instance.
 * FIXME: wake-ups carry no poll key, so an exclusive item also takes
 * one meant for events it does not watch (EPOLLOUT for an EPOLLIN item).
 */
static bool ep_waiter_wake(struct wait_entry *we)
{
	struct ep_waiter *w = container_of(we, struct ep_waiter, we);
	struct epitem *epi = w->epi;
	struct eventpoll *ep = epi->ep;

	/* A fired one-shot item keeps only private bits until EPOLL_CTL_MOD. */
	if (!(READ_ONCE(epi->events) & ~EP_PRIVATE_BITS))
		return false;
	ep_mark_ready(ep, epi);
	bool has_sleepers = wait_queue_has_waiters(&ep->wq);
	wake_up_all(&ep->wq);
	wake_up_all(&ep->poll_wq);
	return has_sleepers;
}

static void ep_queue(struct poll_table *pt, struct file *file, struct wait_queue *wq);

struct ep_poll_table {
	struct poll_table pt;
	struct epitem *epi;
};

static void ep_queue(struct poll_table *pt, struct file *file, struct wait_queue *wq)
{
	struct epitem *epi = container_of(pt, struct ep_poll_table, pt)->epi;
	struct ep_waiter *w = kzalloc(sizeof(*w));

	(void)file;
	if (!w) {
		epi->error = -ENOMEM;
		return;
	}
	w->we.task = current_task();
	w->we.wake_fn = ep_waiter_wake;
	w->wq = wq;
	w->epi = epi;
	w->next = epi->waiters;
	epi->waiters = w;
	if (epi->events & EPOLLEXCLUSIVE)
		wait_queue_add_exclusive(wq, &w->we);
	else
		wait_queue_add(wq, &w->we);
}

/* The item's events that hold now. */
static uint32_t ep_item_poll(struct epitem *epi, struct poll_table *pt)
{
	return vfs_poll(epi->file, pt) & READ_ONCE(epi->events);
}

/* Takes the item out of its instance and file: W and e held. */
static void ep_remove(struct epitem *epi)
{
	struct eventpoll *ep = epi->ep;

	while (epi->waiters) {
		struct ep_waiter *w = epi->waiters;
		epi->waiters = w->next;
		wait_queue_remove(w->wq, &w->we);
		kfree(w);
	}
	spin_lock(&ep->ready_lock);
	if (epi->is_ready)
		list_remove(&epi->ready_link);
	spin_unlock(&ep->ready_lock);
	list_remove(&epi->ep_link);
	list_remove(&epi->file_link);
	struct ep_file_watch *fw = (struct ep_file_watch *)epi->file->watch;
	if (list_is_empty(&fw->items)) {
		epi->file->watch = NULL;
		kfree(fw);
	}
	kfree(epi);
}

/* file->watch's release: the file goes, so do the items watching it. */
static void ep_file_release(struct file *file)
{
	mutex_lock(&epoll_mutex);
	while (file->watch) {
		struct ep_file_watch *fw = (struct ep_file_watch *)file->watch;
		struct epitem *epi = list_first_entry(&fw->items, struct epitem, file_link);
		struct eventpoll *ep = epi->ep;
		mutex_lock(&ep->lock);
		ep_remove(epi);
		mutex_unlock(&ep->lock);
	}
	mutex_unlock(&epoll_mutex);
}

static struct epitem *ep_find(struct eventpoll *ep, struct file *file, int fd)
{
	struct list_head *pos;

	list_for_each(pos, &ep->items) {
		struct epitem *epi = list_entry(pos, struct epitem, ep_link);
		if (epi->file == file && epi->fd == fd)
			return epi;
	}
	return NULL;
}

/* True if adding target below ep closes a loop or nests too deep. W held. */
static bool ep_would_loop(struct eventpoll *ep, struct eventpoll *target, int depth)
{
	struct list_head *pos;

	if (target == ep || depth > EP_MAX_NESTS)
		return true;
	list_for_each(pos, &target->items) {
		struct epitem *epi = list_entry(pos, struct epitem, ep_link);
		if (is_epoll_file(epi->file) && ep_would_loop(ep, epi->file->private, depth + 1))
			return true;
	}
	return false;
}

static int ep_watch_file(struct file *file, struct epitem *epi)
{
	struct ep_file_watch *fw = (struct ep_file_watch *)file->watch;

	if (!fw) {
		fw = kzalloc(sizeof(*fw));
		if (!fw)
			return -ENOMEM;
		fw->fw.release = ep_file_release;
		list_init(&fw->items);
		file->watch = &fw->fw;
	}
	list_insert_tail(&fw->items, &epi->file_link);
	return 0;
}

/* EPOLL_CTL_ADD: W and e held. */
static int ep_insert(struct eventpoll *ep, struct file *file, int fd, const struct epoll_event *ev)
{
	struct epitem *epi = kzalloc(sizeof(*epi));
	int err;

	if (!epi)
		return -ENOMEM;
	epi->ep = ep;
	epi->file = file;
	epi->fd = fd;
	epi->events = (uint32_t)ev->events;
	epi->data = ev->data;
	list_init(&epi->ready_link);
	err = ep_watch_file(file, epi);
	if (err) {
		kfree(epi);
		return err;
	}
	list_insert_tail(&ep->items, &epi->ep_link);
	struct ep_poll_table ept = {.pt = {.queue = ep_queue}, .epi = epi};
	uint32_t revents = ep_item_poll(epi, &ept.pt);
	if (epi->error) {
		err = epi->error;
		ep_remove(epi);
		return err;
	}
	if (revents) {
		ep_mark_ready(ep, epi);
		wake_up_all(&ep->wq);
		wake_up_all(&ep->poll_wq);
	}
	return 0;
}

/* EPOLL_CTL_MOD: e held. */
static void ep_modify(struct eventpoll *ep, struct epitem *epi, const struct epoll_event *ev)
{
	WRITE_ONCE(epi->events, (uint32_t)ev->events);
	epi->data = ev->data;
	if (ep_item_poll(epi, NULL)) {
		ep_mark_ready(ep, epi);
		wake_up_all(&ep->wq);
		wake_up_all(&ep->poll_wq);
	}
}

/* ABI: do_epoll_ctl's checks, in Linux's order. */
static int ep_ctl_check(struct file *epf, struct file *tf, int op, const struct epoll_event *ev)
{
	bool has_event = op != EPOLL_CTL_DEL;

	if (!file_can_poll(tf))
		return -EPERM;
	if (epf == tf || !is_epoll_file(epf))
		return -EINVAL;
	if (has_event && (ev->events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD)
			return -EINVAL;
		if (op == EPOLL_CTL_ADD &&
		    (is_epoll_file(tf) || (ev->events & ~(uint32_t)EP_EXCLUSIVE_OK_BITS)))
			return -EINVAL;
	}
	return 0;
}

static int ep_ctl_locked(struct eventpoll *ep, struct file *tf, int fd, int op,
			 struct epoll_event *ev)
{
	struct epitem *epi = ep_find(ep, tf, fd);

	switch (op) {
	case EPOLL_CTL_ADD:
		if (epi)
			return -EEXIST;
		if (is_epoll_file(tf) && ep_would_loop(ep, tf->private, 1))
			return -ELOOP;
		ev->events |= EPOLLERR | EPOLLHUP;
		return ep_insert(ep, tf, fd, ev);
	case EPOLL_CTL_DEL:
		if (!epi)
			return -ENOENT;
		ep_remove(epi);
		return 0;
	case EPOLL_CTL_MOD:
		if (!epi)
			return -ENOENT;
		if (epi->events & EPOLLEXCLUSIVE)
			return -EINVAL;
		ev->events |= EPOLLERR | EPOLLHUP;
		ep_modify(ep, epi, ev);
		return 0;
	default:
		return -EINVAL;
	}
}

/* epoll_ctl(2) */
long sys_epoll_ctl(const unsigned long args[6])
{
	int op = (int)args[1], fd = (int)args[2];
	struct epoll_event ev = {0};
	struct file *epf, *tf;
	int err;

	if (op != EPOLL_CTL_DEL && copy_from_user(&ev, (const void *)args[3], sizeof(ev)) != 0)
		return -EFAULT;
	err = files_fd_get((int)args[0], &epf);
	if (err)
		return err;
	err = files_fd_get(fd, &tf);
	if (err) {
		file_put(epf);
		return err;
	}
	if ((epf->mode & FMODE_PATH) || (tf->mode & FMODE_PATH))
		err = -EBADF;
	if (!err)
		err = ep_ctl_check(epf, tf, op, &ev);
	if (!err) {
		struct eventpoll *ep = epf->private;
		mutex_lock(&epoll_mutex);
		mutex_lock(&ep->lock);
		err = ep_ctl_locked(ep, tf, fd, op, &ev);
		mutex_unlock(&ep->lock);
		mutex_unlock(&epoll_mutex);
	}
	file_put(tf);
	file_put(epf);
	return err;
}

/*
 * Moves up to max items from the front of the ready list into taken[],
 * stopping after *last (the tail when the collection began, set here on
 * the first call): what wake-ups queue meanwhile waits for the next
 * collection. A taken item is off the list and not ready, so a wake-up
 * while it is polled queues it again. Returns how many; *done when *last
 * was taken.
 */
static unsigned int ep_take_ready(struct eventpoll *ep, struct epitem **taken, unsigned int max,
				  struct epitem **last, bool *done)
{
	unsigned int k = 0;

	spin_lock(&ep->ready_lock);
	if (!*last && !list_is_empty(&ep->ready_list))
		*last = list_entry(ep->ready_list.prev, struct epitem, ready_link);
	*done = !*last;
	while (k < max && !*done) {
		struct epitem *epi = list_first_entry(&ep->ready_list, struct epitem, ready_link);
		list_remove(&epi->ready_link);
		epi->is_ready = false;
		taken[k++] = epi;
		*done = epi == *last;
	}
	spin_unlock(&ep->ready_lock);
	return k;
}

/*
 * Takes ready items in order, polls each again and fills out[] with up
 * to max events (reported[] the items); items with nothing to report
 * drop off the list, level-triggered ones go back at its end, all with
 * two ready-list lock round trips when the first max items report. e held.
 */
static int ep_collect(struct eventpoll *ep, struct epoll_event *out, unsigned int max,
		      struct epitem **reported)
{
	struct epitem *last = NULL;
	unsigned int n = 0;
	bool done = false;

	while (n < max && !done) {
		/* reported[n..] holds the taken items until they are polled. */
		unsigned int k = ep_take_ready(ep, reported + n, max - n, &last, &done);
		unsigned int end = n + k;
		for (unsigned int i = n; i < end; i++) {
			struct epitem *epi = reported[i];
			uint32_t revents = ep_item_poll(epi, NULL);
			if (!revents)
				continue;
			out[n] = (struct epoll_event){.events = revents, .data = epi->data};
			reported[n++] = epi;
			if (epi->events & EPOLLONESHOT)
				WRITE_ONCE(epi->events, epi->events & EP_PRIVATE_BITS);
		}
	}
	if (!n)
		return 0;
	spin_lock(&ep->ready_lock);
	for (unsigned int i = 0; i < n; i++) {
		struct epitem *epi = reported[i];
		if (!(epi->events & (EPOLLET | EPOLLONESHOT)) && !epi->is_ready) {
			list_insert_tail(&ep->ready_list, &epi->ready_link);
			epi->is_ready = true;
		}
	}
	spin_unlock(&ep->ready_lock);
	return (int)n;
}

static bool ep_has_ready(struct eventpoll *ep)
{
	spin_lock(&ep->ready_lock);
	bool has = !list_is_empty(&ep->ready_list);
	spin_unlock(&ep->ready_lock);
	return has;
}

/* Sleeps on ep->wq until something is ready, a signal, or deadline_ns (0: none). */
static void ep_sleep(struct eventpoll *ep, uint64_t deadline_ns)
{
	struct wait_entry we = {0};

	wait_prepare(&ep->wq, &we);
	uint64_t now = clock_monotonic_ns();
	if (!ep_has_ready(ep) && !signal_pending_current() && (!deadline_ns || now < deadline_ns))
		sched_sleep_timeout(deadline_ns ? MIN(deadline_ns - now, 1ULL << 62) : 0);
	wait_finish(&ep->wq, &we);
}

/* Copies the events out; on a fault the reported items become ready again. */
static int ep_deliver(struct eventpoll *ep, void *uevents, const struct epoll_event *ev,
		      struct epitem **reported, int n)
{
	if (copy_to_user(uevents, ev, (size_t)n * sizeof(*ev)) == 0)
		return n;
	for (int i = 0; i < n; i++)
		ep_mark_ready(ep, reported[i]);
	return -EFAULT;
}

/* ABI: ep_poll: events first, then the timeout, then EINTR (never restarted). */
static long ep_wait(struct eventpoll *ep, void *uevents, int maxevents, uint64_t deadline_ns,
		    bool is_zero_timeout)
{
	unsigned int max = MIN((unsigned int)maxevents, EP_BATCH_EVENTS);
	struct epoll_event ev_small[EP_SMALL_EVENTS];
	struct epitem *reported_small[EP_SMALL_EVENTS];
	bool is_small = max <= EP_SMALL_EVENTS;
	struct epoll_event *ev = is_small ? ev_small : kmalloc(max * sizeof(*ev));
	struct epitem **reported = is_small ? reported_small : kmalloc(max * sizeof(*reported));
	long ret;

	if (!ev || !reported) {
		if (!is_small) {
			kfree(ev);
			kfree(reported);
		}
		return -ENOMEM;
	}
	for (;;) {
		mutex_lock(&ep->lock);
		int n = ep_collect(ep, ev, max, reported);
		if (n)
			n = ep_deliver(ep, uevents, ev, reported, n);
		mutex_unlock(&ep->lock);
		ret = n;
		if (n || is_zero_timeout || (deadline_ns && clock_monotonic_ns() >= deadline_ns))
			break;
		if (signal_pending_current()) {
			ret = -EINTR;
			break;
		}
		ep_sleep(ep, deadline_ns);
	}
	if (!is_small) {
		kfree(ev);
		kfree(reported);
	}
	return ret;
}

static long do_epoll_wait(int epfd, void *uevents, int maxevents, uint64_t timeout_ns,
			  bool has_timeout)
{
	struct file *f;
	long ret;

	if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	if (!user_range_ok(uevents, (size_t)maxevents * sizeof(struct epoll_event)))
		return -EFAULT;
	ret = files_fd_get(epfd, &f);
	if (ret)
		return ret;
	if (f->mode & FMODE_PATH)
		ret = -EBADF;
	else if (!is_epoll_file(f))
		ret = -EINVAL;
	else
		ret = ep_wait(f->private, uevents, maxevents,
			      has_timeout && timeout_ns
				      ? deadline_after(clock_monotonic_ns(), timeout_ns)
				      : 0,
			      has_timeout && !timeout_ns);
	file_put(f);
	return ret;
}

/* epoll_wait(2) */
long sys_epoll_wait(const unsigned long args[6])
{
	int timeout_ms = (int)args[3];

	return do_epoll_wait((int)args[0], (void *)args[1], (int)args[2],
			     timeout_ms > 0 ? (uint64_t)timeout_ms * 1000000 : 0, timeout_ms >= 0);
}

/* The sigmask of epoll_pwait and epoll_pwait2, around the wait. */
static long pwait_common(const unsigned long args[6], uint64_t timeout_ns, bool has_timeout)
{
	int err = poll_sigmask_begin((const void *)args[4], args[5]);

	if (err)
		return err;
	long ret =
		do_epoll_wait((int)args[0], (void *)args[1], (int)args[2], timeout_ns, has_timeout);
	poll_sigmask_end(ret == -EINTR);
	return ret;
}

/* epoll_pwait(2) */
long sys_epoll_pwait(const unsigned long args[6])
{
	int timeout_ms = (int)args[3];

	return pwait_common(args, timeout_ms > 0 ? (uint64_t)timeout_ms * 1000000 : 0,
			    timeout_ms >= 0);
}

/* epoll_pwait2(2): a timespec timeout, NULL for none. */
long sys_epoll_pwait2(const unsigned long args[6])
{
	uint64_t ns = 0;

	if (args[3]) {
		int err = timespec_from_user((const void *)args[3], &ns);
		if (err)
			return err;
	}
	return pwait_common(args, ns, args[3] != 0);
}

/* The instance's own readiness: EPOLLIN while an item really is ready. */
static unsigned int epoll_poll(struct file *file, struct poll_table *pt)
{
	struct eventpoll *ep = file->private;
	struct list_head *pos, *tmp;
	unsigned int mask = 0;

	poll_wait(file, &ep->poll_wq, pt);
	mutex_lock(&ep->lock);
	spin_lock(&ep->ready_lock);
	list_for_each_safe(pos, tmp, &ep->ready_list) {
		struct epitem *epi = list_entry(pos, struct epitem, ready_link);
		spin_unlock(&ep->ready_lock);
		uint32_t revents = ep_item_poll(epi, NULL);
		spin_lock(&ep->ready_lock);
		if (revents) {
			mask = POLLIN | POLLRDNORM;
			break;
		}
		list_remove(&epi->ready_link);
		epi->is_ready = false;
	}
	spin_unlock(&ep->ready_lock);
	mutex_unlock(&ep->lock);
	return mask;
}

static void epoll_release(struct file *file)
{
	struct eventpoll *ep = file->private;

	mutex_lock(&epoll_mutex);
	mutex_lock(&ep->lock);
	while (!list_is_empty(&ep->items))
		ep_remove(list_first_entry(&ep->items, struct epitem, ep_link));
	mutex_unlock(&ep->lock);
	mutex_unlock(&epoll_mutex);
	kfree(ep);
}

static const struct file_ops epoll_ops = {
	.lseek = anon_noop_lseek,
	.poll = epoll_poll,
	.release = epoll_release,
};

void epoll_init(void)
{
	mutex_init(&epoll_mutex);
}

/* epoll_create1(2): flags only EPOLL_CLOEXEC. */
static long do_epoll_create(unsigned int flags)
{
	struct eventpoll *ep;
	struct file *f;
	int err;

	if (flags & ~(unsigned int)EPOLL_CLOEXEC)
		return -EINVAL;
	ep = kzalloc(sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	mutex_init(&ep->lock);
	spin_lock_init(&ep->ready_lock);
	list_init(&ep->items);
	list_init(&ep->ready_list);
	wait_queue_init(&ep->wq);
	wait_queue_init(&ep->poll_wq);
	err = anon_inode_file_create("[eventpoll]", &epoll_ops, ep,
				     FMODE_READ | FMODE_WRITE | FMODE_PREAD | FMODE_LSEEK, O_RDWR,
				     &f);
	if (err) {
		kfree(ep);
		return err;
	}
	return files_install_new(f, flags & EPOLL_CLOEXEC);
}

/* epoll_create(2): size is only checked (ABI: > 0). */
long sys_epoll_create(const unsigned long args[6])
{
	if ((int)args[0] <= 0)
		return -EINVAL;
	return do_epoll_create(0);
}

long sys_epoll_create1(const unsigned long args[6])
{
	return do_epoll_create((unsigned int)args[0]);
}
