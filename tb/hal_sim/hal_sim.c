/* The simulator's HAL back end (see hal_sim.h). */
#include "hal_sim/hal_sim.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* DMA allocations: a bump allocator over the arena with a list of live
 * blocks; freeing the most recent blocks gives their space back. */
struct blk {
  uint64_t bus, len;
};

struct hal_sim {
  struct hal_sim_target t;
  struct hal_sim_stats st;
  uint64_t next;          /* next free bus address */
  struct blk *blks;
  size_t nblk, cap;
};

struct hal_sim *hal_sim_new(const struct hal_sim_target *t) {
  if (!t || !t->host_bfm || !t->mem || !t->step || t->mem_size == 0) return NULL;
  struct hal_sim *h = calloc(1, sizeof(*h));
  if (!h) return NULL;
  h->t = *t;
  if (h->t.timeout == 0) h->t.timeout = 10000;
  h->next = t->mem_base;
  return h;
}

void hal_sim_free(struct hal_sim *h) {
  if (!h) return;
  free(h->blks);
  free(h);
}

const struct hal_sim_stats *hal_sim_stats(const struct hal_sim *h) { return &h->st; }

/* One transfer on the host port; 0, -EIO (pslverr), -ETIMEDOUT, or the
 * step function's error. */
static int xfer(struct hal_sim *h, int write, uint32_t off, uint32_t wdata, uint32_t *rdata) {
  struct apb_bfm *b = h->t.host_bfm;
  int rc = apb_bfm_start(b, write != 0, off, wdata, write ? 0xF : 0);
  if (rc) return rc;
  for (unsigned n = 0; n <= h->t.timeout + 1; n++) {
    rc = h->t.step(h->t.ctx, 1);
    if (rc < 0) {
      b->state = APB_IDLE;
      return rc;
    }
    h->st.bus_cycles++;
    if (!apb_bfm_busy(b)) {
      if (rdata) *rdata = b->cur.rdata;
      if (b->cur.slverr) {
        h->st.slverrs++;
        return -EIO;
      }
      return 0;
    }
  }
  b->state = APB_IDLE; /* abandon: the pins go idle at the next drive */
  h->st.timeouts++;
  return -ETIMEDOUT;
}

static uint32_t sim_read32(void *ctx, uint32_t off) {
  struct hal_sim *h = ctx;
  uint32_t v = 0;
  h->st.reads++;
  /* A device that does not answer reads all ones (optile_hal.h). */
  if (xfer(h, 0, off, 0, &v)) return 0xFFFFFFFFu;
  return v;
}

static void sim_write32(void *ctx, uint32_t off, uint32_t val) {
  struct hal_sim *h = ctx;
  h->st.writes++;
  (void)xfer(h, 1, off, val, NULL);
}

static int owned(const struct hal_sim *h, uint64_t bus, size_t len) {
  return bus >= h->t.mem_base && len <= h->t.mem_size && bus - h->t.mem_base <= h->t.mem_size - len;
}

static void zero_fill(struct hal_sim *h, uint64_t bus, uint64_t len) {
  static const uint8_t zeros[4096];
  while (len) {
    size_t n = len > sizeof zeros ? sizeof zeros : (size_t)len;
    ni_mem_write(h->t.mem, bus, zeros, n);
    bus += n;
    len -= n;
  }
}

static int sim_dma_alloc(void *ctx, size_t len, size_t align, struct optile_dma_buf *buf) {
  struct hal_sim *h = ctx;
  if (!buf || len == 0 || align < 16 || (align & (align - 1))) return -EINVAL;
  uint64_t bus = (h->next + align - 1) & ~(uint64_t)(align - 1);
  if (!owned(h, bus, len)) return -ENOMEM;
  if (h->nblk == h->cap) {
    size_t cap = h->cap ? 2 * h->cap : 16;
    struct blk *nb = realloc(h->blks, cap * sizeof(*nb));
    if (!nb) return -ENOMEM;
    h->blks = nb;
    h->cap = cap;
  }
  zero_fill(h, bus, len);
  h->blks[h->nblk++] = (struct blk){bus, len};
  h->next = bus + len;
  h->st.alloc_bytes += len;
  buf->bus = bus;
  buf->len = len;
  buf->priv = h;
  return 0;
}

static void sim_dma_free(void *ctx, struct optile_dma_buf *buf) {
  struct hal_sim *h = ctx;
  if (!buf || buf->len == 0) return;
  for (size_t i = 0; i < h->nblk; i++) {
    if (h->blks[i].bus != buf->bus) continue;
    h->st.alloc_bytes -= h->blks[i].len;
    memmove(&h->blks[i], &h->blks[i + 1], (h->nblk - i - 1) * sizeof(*h->blks));
    h->nblk--;
    break;
  }
  /* Space above the highest live block is free again. */
  h->next = h->nblk ? h->blks[h->nblk - 1].bus + h->blks[h->nblk - 1].len : h->t.mem_base;
  for (size_t i = 0; i < h->nblk; i++) {
    uint64_t end = h->blks[i].bus + h->blks[i].len;
    if (end > h->next) h->next = end;
  }
  memset(buf, 0, sizeof(*buf));
}

static int sim_dma_read(void *ctx, uint64_t bus, void *dst, size_t len) {
  struct hal_sim *h = ctx;
  if (!owned(h, bus, len)) return -EFAULT;
  ni_mem_read(h->t.mem, bus, dst, len);
  return 0;
}

static int sim_dma_write(void *ctx, uint64_t bus, const void *src, size_t len) {
  struct hal_sim *h = ctx;
  if (!owned(h, bus, len)) return -EFAULT;
  ni_mem_write(h->t.mem, bus, src, len);
  return 0;
}

static int sim_wait(void *ctx, uint32_t cycles) {
  struct hal_sim *h = ctx;
  h->st.waits++;
  h->st.wait_cycles += cycles;
  int rc = h->t.step(h->t.ctx, cycles);
  return rc < 0 ? rc : 0;
}

static int sim_wait_irq(void *ctx, uint32_t max_cycles) {
  struct hal_sim *h = ctx;
  if (!h->t.intr) return -ENOSYS;
  for (uint32_t n = 0;; n++) {
    if (h->t.intr(h->t.ctx)) return 1;
    if (n >= max_cycles) return 0;
    int rc = h->t.step(h->t.ctx, 1);
    if (rc < 0) return rc;
  }
}

static const struct optile_hal_ops sim_ops = {
    .read32 = sim_read32,
    .write32 = sim_write32,
    .dma_alloc = sim_dma_alloc,
    .dma_free = sim_dma_free,
    .dma_read = sim_dma_read,
    .dma_write = sim_dma_write,
    .wait = sim_wait,
    .wait_irq = sim_wait_irq,
};

void hal_sim_bind(struct hal_sim *h, struct optile_hal *hal) {
  hal->ops = &sim_ops;
  hal->ctx = h;
  hal->name = "sim";
}
