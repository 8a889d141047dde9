/*
 * mmio_hw.c - mmio.h on the target: the tile's CSR window at 0x1000_0000
 * (docs/spec.md 3.2; every access is an aligned 32-bit load or store, which
 * the hart stalls on until the management-port bus transfer completes) and
 * the mcycle counter (Zicsr is part of the base ISA with -misa-spec=2.2).
 */
#include <stdint.h>

#include "mmio.h"

uint32_t fw_read32(uint32_t off) {
    return *(volatile uint32_t *)(uintptr_t)(FW_CSR_BASE + off);
}

void fw_write32(uint32_t off, uint32_t v) {
    *(volatile uint32_t *)(uintptr_t)(FW_CSR_BASE + off) = v;
}

uint32_t fw_now(void) {
    uint32_t c;
    __asm__ volatile("csrr %0, mcycle" : "=r"(c));
    return c;
}
