/*
 * hal_mock.h - a mock back end of optile_hal.h for unit tests.
 *
 * A plain register file (reads return what was stored, writes store; ID,
 * VERSION, TILE_CFG and the other registers start at the generated reset
 * values, TILE_CFG reporting 8 lanes and 2 VCs), a zero-filled DMA arena at
 * bus address OPTILE_HAL_MOCK_BUS_BASE (above 4 GiB, so the high base
 * registers matter), and a cycle counter advanced by wait. No tile
 * behaviour: tests add it with the hooks (e.g. cmocka check_expected/mock
 * in a hook, or a simulated tile or firmware behind them).
 */
#ifndef OPTILE_HAL_MOCK_H
#define OPTILE_HAL_MOCK_H

#include <stddef.h>
#include <stdint.h>

#include "optile_hal.h"

#ifdef __cplusplus
extern "C" {
#endif

#define OPTILE_HAL_MOCK_REG_BYTES 0x10000u
#define OPTILE_HAL_MOCK_BUS_BASE 0x0000001000000000ull

/* Hooks; any may be NULL. */
struct optile_hal_mock_hooks {
    /* Return 1 with *val set to answer the read yourself, 0 to read the file. */
    int (*read32)(void *user, uint32_t off, uint32_t *val);
    /* Return 1 if the write is consumed, 0 to store it in the file. */
    int (*write32)(void *user, uint32_t off, uint32_t val);
    /* Called after the mock's clock advanced by `cycles`; its result is wait's. */
    int (*wait)(void *user, uint32_t cycles);
    void *user;
};

struct optile_hal_mock {
    uint32_t regs[OPTILE_HAL_MOCK_REG_BYTES / 4];
    uint8_t *mem;          /* DMA arena */
    size_t mem_size;
    size_t mem_used;       /* bump allocator */
    uint64_t cycles;       /* cycles waited */
    uint32_t reads, writes, waits, allocs, frees;
    int fail_alloc;        /* nonzero: dma_alloc returns -ENOMEM */
    int bad_access;        /* set when an access was misaligned or out of the register block */
    struct optile_hal_mock_hooks hooks;
};

/* Initialises *m with a `mem_size`-byte arena and fills *hal to use it.
 * Returns 0, -EINVAL (NULL argument) or -ENOMEM. */
int optile_hal_mock_init(struct optile_hal_mock *m, size_t mem_size, struct optile_hal *hal);

/* Frees the arena. NULL-safe. */
void optile_hal_mock_fini(struct optile_hal_mock *m);

/* Register file access for tests (no hooks, no counting). */
uint32_t optile_hal_mock_get(const struct optile_hal_mock *m, uint32_t off);
void optile_hal_mock_set(struct optile_hal_mock *m, uint32_t off, uint32_t val);

/* Pointer into the arena for bus address `bus` with `len` bytes, or NULL. */
uint8_t *optile_hal_mock_mem(struct optile_hal_mock *m, uint64_t bus, size_t len);

#ifdef __cplusplus
}
#endif

#endif
