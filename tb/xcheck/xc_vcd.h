/* A VCD written from the monitor layer: the signals the monitors see each
 * cycle (router port links, PHY flit interface, training state, lanes, DMA
 * requests), for a cycle window. It is what `--waves=vcd` gives (the
 * Verilated models are built with FST tracing only): one value per cycle,
 * time unit 1 ns = 1 cycle, names as in the FST so that waves/optile.gtkw
 * opens either. Plain C. */
#ifndef OPTILE_TB_XC_VCD_H
#define OPTILE_TB_XC_VCD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XC_VCD_MAX_BITS 2048

typedef struct xc_vcd xc_vcd_t;

/** Open `path` for cycles [from, to] (to = 0: to the end). NULL with err. */
xc_vcd_t *xc_vcd_open(const char *path, uint64_t from, uint64_t to, char *err, size_t errlen);
/** Declare a variable of `width` (1..XC_VCD_MAX_BITS) bits in a dotted scope
 *  ("optile_tile.optile_tile"); declarations of one scope are consecutive.
 *  Returns its id, or -1 after xc_vcd_begin or on a bad width. */
int xc_vcd_var(xc_vcd_t *v, const char *scope, const char *name, unsigned width);
/** Ends the declarations. */
void xc_vcd_begin(xc_vcd_t *v);
/** True if `cycle` is inside the window; sets the time of the next values. */
bool xc_vcd_at(xc_vcd_t *v, uint64_t cycle);
/** Value of variable id in the current cycle (width bits from words, LSB
 *  first); written only when it changed. */
void xc_vcd_set(xc_vcd_t *v, int id, const uint64_t *words);
/** Same, for a value of at most 64 bits. */
void xc_vcd_set64(xc_vcd_t *v, int id, uint64_t value);
/** Closes the file; 0, or -1 if a write failed. NULL-safe. */
int xc_vcd_close(xc_vcd_t *v);

#endif
