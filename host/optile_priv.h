/*
 * optile_priv.h - helpers shared by the driver's .c files (not public API).
 */
#ifndef OPTILE_PRIV_H
#define OPTILE_PRIV_H

#include <stdint.h>

#include "optile_drv.h"

/* Register access through the HAL. */
static inline uint32_t optile_rd(struct optile_dev *dev, uint32_t off) {
    return dev->hal.ops->read32(dev->hal.ctx, off);
}

static inline void optile_wr(struct optile_dev *dev, uint32_t off, uint32_t val) {
    dev->hal.ops->write32(dev->hal.ctx, off, val);
}

/* Records a message for optile_last_error and returns rc. */
int optile_fail(struct optile_dev *dev, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* 0 if dev is usable (opened), else -EINVAL / -ENODEV with a message. */
int optile_check_dev(struct optile_dev *dev, const char *what);

#endif
