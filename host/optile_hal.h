/*
 * optile_hal.h - the host driver's only way to the tile (docs/spec.md 10.10).
 *
 * A back end fills a struct optile_hal: an ops table and its context. Three
 * back ends exist:
 *   - the simulator's, in tb/ (not in host/): CSR accesses through the tile's
 *     host APB port (spec 2.2), host memory = the NI's hostmem (spec 6.2),
 *     wait = advance the whole co-simulation (RTL, golden models, the ISS
 *     running the firmware) by that many cycles;
 *   - host/hal_mock.c: a register file and a memory arena with hooks, for the
 *     cmocka tests;
 *   - host/hal_hw_stub.c: real hardware, not implemented (-ENOSYS); the file
 *     documents how a PCIe BAR and VFIO DMA mapping would plug in.
 *
 * Contract every back end keeps:
 *   - read32/write32: one 32-bit access at byte offset `off` (a generated
 *     OPTILE_CSR_*_OFFSET, 4-aligned, below 64 KiB). They block until the bus
 *     transfer has completed; they cannot fail (a device that does not answer
 *     reads all ones, which the driver's identify rejects).
 *   - dma_alloc: host memory the NI can reach, `len` bytes at a bus address
 *     aligned to `align` (a power of two >= 16), zero-filled. 0 or -ENOMEM /
 *     -EINVAL. dma_free releases it (NULL-safe, idempotent on a zeroed buf).
 *   - dma_read/dma_write: copy bytes of that memory (the driver never
 *     dereferences host memory itself, so the simulator can keep it in its
 *     own model). 0, or -EFAULT outside memory the back end owns.
 *   - ordering: a dma_write is visible to the device before any later
 *     write32 returns (the doorbell); a dma_read sees every device write
 *     that was performed before the read32 that told the driver about it.
 *   - wait: let `cycles` tile clock cycles pass (1 cycle = 1 ns nominal):
 *     the simulator advances every model, real hardware sleeps. Every
 *     timeout of the driver is counted in cycles it has waited, so runs are
 *     deterministic. 0, or negative when the simulation has ended.
 *   - wait_irq (optional, may be NULL): wait until the tile's interrupt
 *     output (intr_state & intr_enable != 0) is high or `max_cycles` have
 *     passed; 1 if it is high, 0 on timeout, negative on error.
 */
#ifndef OPTILE_HAL_H
#define OPTILE_HAL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A buffer of DMA-able host memory. */
struct optile_dma_buf {
    uint64_t bus; /* address the device uses */
    size_t len;   /* bytes */
    void *priv;   /* the back end's */
};

/* The operations of a back end; `ctx` is struct optile_hal.ctx. */
struct optile_hal_ops {
    uint32_t (*read32)(void *ctx, uint32_t off);
    void (*write32)(void *ctx, uint32_t off, uint32_t val);
    int (*dma_alloc)(void *ctx, size_t len, size_t align, struct optile_dma_buf *buf);
    void (*dma_free)(void *ctx, struct optile_dma_buf *buf);
    int (*dma_read)(void *ctx, uint64_t bus, void *dst, size_t len);
    int (*dma_write)(void *ctx, uint64_t bus, const void *src, size_t len);
    int (*wait)(void *ctx, uint32_t cycles);
    int (*wait_irq)(void *ctx, uint32_t max_cycles); /* optional */
};

/* One back end instance. */
struct optile_hal {
    const struct optile_hal_ops *ops;
    void *ctx;
    const char *name; /* for messages, e.g. "sim", "mock", "hw" */
};

/* Returns 0 if `hal` has every mandatory op, else -EINVAL. */
int optile_hal_check(const struct optile_hal *hal);

#ifdef __cplusplus
}
#endif

#endif
