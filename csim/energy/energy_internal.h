/*
 * energy_internal.h - private to csim/energy/: the card's representation,
 * shared by the loader (energy_card.c) and the model (energy.c).
 */
#ifndef OPTILE_ENERGY_INTERNAL_H
#define OPTILE_ENERGY_INTERNAL_H

#include "energy/energy.h"

/* The keys of the card format (spec 8.6); numeric ones are stored in v[]. */
enum {
    EK_NAME,
    EK_DESCRIPTION,
    EK_LASER_MW,             /* laser.electrical_mw_per_lane */
    EK_MOD_PJ,               /* modulator_driver.pj_per_bit */
    EK_RX_PJ,                /* receiver.pj_per_bit */
    EK_SER_PJ,               /* serializer.pj_per_bit */
    EK_HEATER_MW_PER_CODE,   /* heaters.mw_per_code */
    EK_HEATER_NOMINAL_CODE,  /* heaters.nominal_code */
    EK_BUF_WR_PJ,            /* router_buffers.pj_per_write_64b */
    EK_BUF_RD_PJ,            /* router_buffers.pj_per_read_64b */
    EK_XBAR_PJ,              /* crossbar.pj_per_traversal_64b */
    EK_VA_PJ,                /* allocation.pj_per_va_grant */
    EK_SA_PJ,                /* allocation.pj_per_sa_arbitration */
    EK_CLK_PJ,               /* clock.pj_per_cycle */
    EK_LEAK_MW,              /* leakage.static_mw */
    EK_NKEYS
};

struct energy_card {
    char name[ENERGY_NAME_MAX];
    char description[200];
    char path[512];
    double v[EK_NKEYS];
};

#endif /* OPTILE_ENERGY_INTERNAL_H */
