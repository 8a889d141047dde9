/*
 * hal_hw_stub.c - real-hardware back end of optile_hal.h: not implemented.
 *
 * Every operation fails safely: read32 returns all ones (what a PCIe read
 * of a missing device returns, so optile_identify reports -ENODEV), write32
 * does nothing, the others return -ENOSYS.
 *
 * How a real implementation plugs in (Linux, user space, VFIO):
 *   - open: bind the device to vfio-pci, open /dev/vfio/<group>, get the
 *     device fd (VFIO_GROUP_GET_DEVICE_FD with the BDF), and mmap BAR 0
 *     (VFIO_DEVICE_GET_REGION_INFO, region 0: the 64 KiB register block of
 *     docs/spec.md section 2, offset = CSR address). The context holds the
 *     mapping.
 *   - read32/write32: `*(volatile uint32_t *)(bar + off)`; little-endian
 *     hosts need no swap (spec 1). A write barrier (e.g.
 *     __atomic_thread_fence(__ATOMIC_RELEASE)) before each write32 gives the
 *     "DMA writes before doorbells" rule of optile_hal.h.
 *   - dma_alloc: mmap anonymous (huge) pages, map them for the device with
 *     VFIO_IOMMU_MAP_DMA; the IOVA chosen is the bus address; zero them.
 *     dma_free: VFIO_IOMMU_UNMAP_DMA and munmap.
 *   - dma_read/dma_write: memcpy to or from the mapping at (bus - iova base),
 *     after bounds checks (-EFAULT); an acquire fence before dma_read.
 *   - wait: nanosleep for `cycles` ns (the tile's nominal 1 GHz clock).
 *   - wait_irq: VFIO_DEVICE_SET_IRQS with an eventfd for the MSI vector,
 *     then poll(2) on it with the timeout.
 * No driver code changes: optile_drv.c sees only the ops table.
 */
#include <errno.h>
#include <stdio.h>

#include "hal_hw.h"

static uint32_t hw_read32(void *ctx, uint32_t off) {
    (void)ctx;
    (void)off;
    return UINT32_MAX;
}

static void hw_write32(void *ctx, uint32_t off, uint32_t val) {
    (void)ctx;
    (void)off;
    (void)val;
}

static int hw_dma_alloc(void *ctx, size_t len, size_t align, struct optile_dma_buf *buf) {
    (void)ctx;
    (void)len;
    (void)align;
    if (buf) {
        buf->bus = 0;
        buf->len = 0;
        buf->priv = NULL;
    }
    return -ENOSYS;
}

static void hw_dma_free(void *ctx, struct optile_dma_buf *buf) {
    (void)ctx;
    (void)buf;
}

static int hw_dma_read(void *ctx, uint64_t bus, void *dst, size_t len) {
    (void)ctx;
    (void)bus;
    (void)dst;
    (void)len;
    return -ENOSYS;
}

static int hw_dma_write(void *ctx, uint64_t bus, const void *src, size_t len) {
    (void)ctx;
    (void)bus;
    (void)src;
    (void)len;
    return -ENOSYS;
}

static int hw_wait(void *ctx, uint32_t cycles) {
    (void)ctx;
    (void)cycles;
    return -ENOSYS;
}

static int hw_wait_irq(void *ctx, uint32_t max_cycles) {
    (void)ctx;
    (void)max_cycles;
    return -ENOSYS;
}

static const struct optile_hal_ops hw_stub_ops = {
    .read32 = hw_read32,
    .write32 = hw_write32,
    .dma_alloc = hw_dma_alloc,
    .dma_free = hw_dma_free,
    .dma_read = hw_dma_read,
    .dma_write = hw_dma_write,
    .wait = hw_wait,
    .wait_irq = hw_wait_irq,
};

int optile_hal_hw_open(struct optile_hal *hal, const char *bdf) {
    if (!hal) return -EINVAL;
    hal->ops = &hw_stub_ops;
    hal->ctx = NULL;
    hal->name = "hw-stub";
    fprintf(stderr,
            "optile: real-hardware HAL is not implemented (device %s): "
            "use the simulator's HAL (tb/) or the mock; see host/hal_hw_stub.c\n",
            bdf ? bdf : "(none)");
    return -ENOSYS;
}

void optile_hal_hw_close(struct optile_hal *hal) {
    if (!hal) return;
    hal->ops = NULL;
    hal->ctx = NULL;
}
