/*
 * iss_internal.h - state of the hart shared by the files of csim/iss/.
 * Not part of the public API: only the .c files of csim/iss include it.
 */
#ifndef OPTILE_ISS_INTERNAL_H
#define OPTILE_ISS_INTERNAL_H

#include "iss/iss.h"

/* CSR addresses (short names for the public ISS_CSR_* values) */
enum {
    CSR_MSTATUS = ISS_CSR_MSTATUS, CSR_MISA = ISS_CSR_MISA, CSR_MIE = ISS_CSR_MIE,
    CSR_MTVEC = ISS_CSR_MTVEC, CSR_MCOUNTEREN = ISS_CSR_MCOUNTEREN, CSR_MSTATUSH = ISS_CSR_MSTATUSH,
    CSR_MSCRATCH = ISS_CSR_MSCRATCH, CSR_MEPC = ISS_CSR_MEPC, CSR_MCAUSE = ISS_CSR_MCAUSE,
    CSR_MTVAL = ISS_CSR_MTVAL, CSR_MIP = ISS_CSR_MIP,
    CSR_MCYCLE = ISS_CSR_MCYCLE, CSR_MINSTRET = ISS_CSR_MINSTRET, CSR_MCYCLEH = ISS_CSR_MCYCLEH,
    CSR_MINSTRETH = ISS_CSR_MINSTRETH,
    CSR_CYCLE = ISS_CSR_CYCLE, CSR_INSTRET = ISS_CSR_INSTRET, CSR_CYCLEH = ISS_CSR_CYCLEH,
    CSR_INSTRETH = ISS_CSR_INSTRETH,
    CSR_MVENDORID = ISS_CSR_MVENDORID, CSR_MARCHID = ISS_CSR_MARCHID, CSR_MIMPID = ISS_CSR_MIMPID,
    CSR_MHARTID = ISS_CSR_MHARTID, CSR_MCONFIGPTR = ISS_CSR_MCONFIGPTR
};

#define MSTATUS_MIE  ISS_MSTATUS_MIE
#define MSTATUS_MPIE ISS_MSTATUS_MPIE
#define MSTATUS_MPP_SHIFT ISS_MSTATUS_MPP_SHIFT
#define MSTATUS_MPP  ISS_MSTATUS_MPP

/* misa: MXL = 1 (32-bit), extensions I, M, U */
#define ISS_MISA ((1u << 30) | (1u << ('I' - 'A')) | (1u << ('M' - 'A')) | (1u << ('U' - 'A')))
#define ISS_MVENDORID 0u
#define ISS_MARCHID   0u
#define ISS_MIMPID    1u

#define MIP_MASK ((1u << ISS_IRQ_MSI) | (1u << ISS_IRQ_MTI) | (1u << ISS_IRQ_MEI))

/* mcounteren: CY (bit 0) and IR (bit 2) are implemented; TM (bit 1) is read-only 0 */
#define MCOUNTEREN_MASK 0x5u

/* boot trampoline: lui t0, 0x80000 ; jalr zero, 0(t0) */
#define ISS_TRAMP0 0x800002B7u
#define ISS_TRAMP1 0x00028067u

typedef struct iss_sym {
    uint32_t value;
    uint32_t rank; /* preference among symbols at one address: higher wins */
    char *name;
} iss_sym;

struct iss {
    /* hot state first */
    uint32_t pc;
    uint32_t x[32];
    uint32_t priv;
    uint32_t ram_size;
    uint8_t *ram;
    uint64_t mcycle;
    uint64_t minstret;

    uint32_t mstatus; /* only MIE, MPIE, MPP stored */
    uint32_t mie;
    uint32_t mip;     /* the interrupt lines */
    uint32_t mtvec;
    uint32_t mcounteren;
    uint32_t mscratch, mepc, mcause, mtval;
    uint32_t hartid;

    int bus_pending;  /* a bus transfer returned WAIT and is being retried */
    uint32_t bus_wait_cycles;
    int halted;
    uint32_t tohost_value;
    int has_tohost;
    uint32_t tohost_addr;

    iss_bus bus;
    iss_step_info info;

    uint8_t rom[ISS_ROM_SIZE];

    /* symbols of the last ELF; by_addr: those with an address, sorted by (value, rank) */
    iss_sym *syms;
    size_t nsyms;
    iss_sym **by_addr;
    size_t naddr;
    char *strpool;
};

/* Host pointer to [addr, addr + len) when it lies inside ROM or RAM, else NULL. */
uint8_t *iss_backdoor_(const iss *s, uint32_t addr, size_t len);

/* Replaces the symbol table (takes ownership of all three arrays). */
void iss_set_symbols_(iss *s, iss_sym *syms, size_t n, char *strpool);

#endif /* OPTILE_ISS_INTERNAL_H */
