/*
 * mmio.h - the firmware's only platform interface (docs/spec.md 10.9).
 *
 * Register offsets and fields come only from the generated header. On the
 * target, firmware/mmio_hw.c implements these with volatile accesses to the
 * tile's CSR window (spec 3.2) and the mcycle CSR; the native unit tests
 * (tests/fw/) implement them with a simulated tile.
 */
#ifndef OPTILE_FW_MMIO_H
#define OPTILE_FW_MMIO_H

#include <stdint.h>

#include "optile_csr.h"

/* Base of the tile CSR window in the management controller's map (spec 3.2). */
#define FW_CSR_BASE 0x10000000u

/* Reads the 32-bit register at byte offset `off` (an OPTILE_CSR_*_OFFSET). */
uint32_t fw_read32(uint32_t off);

/* Writes `v` to the 32-bit register at byte offset `off`. */
void fw_write32(uint32_t off, uint32_t v);

/* Free-running cycle counter (mcycle, low 32 bits). Intervals are measured
 * with wrap-around arithmetic, so they must stay below 2^31 cycles. */
uint32_t fw_now(void);

/* Nonzero when time `now` has reached `deadline` (wrap-around safe). */
static inline int fw_time_reached(uint32_t now, uint32_t deadline) {
    return (int32_t)(now - deadline) >= 0;
}

#endif
