/*
 * hal_hw.h - the real-hardware back end of optile_hal.h (a stub today; see
 * hal_hw_stub.c for how a PCIe BAR mapping and VFIO DMA plug in).
 */
#ifndef OPTILE_HAL_HW_H
#define OPTILE_HAL_HW_H

#include "optile_hal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Would open the tile at PCI address `bdf` (e.g. "0000:3b:00.0") and fill
 * *hal. Today: fills *hal with ops that fail safely (reads return all ones,
 * everything else -ENOSYS), prints why on stderr and returns -ENOSYS.
 * -EINVAL if hal is NULL. */
int optile_hal_hw_open(struct optile_hal *hal, const char *bdf);

/* Releases what optile_hal_hw_open took. NULL-safe. */
void optile_hal_hw_close(struct optile_hal *hal);

#ifdef __cplusplus
}
#endif

#endif
