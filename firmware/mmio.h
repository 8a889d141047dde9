/* Register access for the firmware: the tile's CSR window of docs/spec.md
 * section 3.2; offsets and fields come only from the generated header. */
#ifndef OPTILE_FW_MMIO_H
#define OPTILE_FW_MMIO_H

#include <stdint.h>

#include "optile_csr.h"

#define FW_CSR_BASE 0x10000000u

static inline uint32_t read32(uint32_t offset) {
  return *(volatile uint32_t *)(uintptr_t)(FW_CSR_BASE + offset);
}

static inline void write32(uint32_t offset, uint32_t value) {
  *(volatile uint32_t *)(uintptr_t)(FW_CSR_BASE + offset) = value;
}

#endif
