/*
 * iss.h - RV32IM + Zicsr instruction-set simulator of the optile management
 * controller (docs/spec.md section 3).
 *
 * One hart, machine and user mode, the memory map of spec section 3.2 (boot
 * ROM, tile CSR window, RAM). The model is cycle-driven: iss_step() is one
 * clock cycle in which the hart retires at most one instruction, stalls on
 * the CSR-window bus, or takes a trap. Loads and stores to the CSR window go
 * through the bus callbacks given at creation (iss_bus).
 *
 * Everything here is plain C11; the ELF loader needs libelf (-lelf).
 * A handle is not thread-safe; distinct handles are independent.
 */
#ifndef OPTILE_ISS_H
#define OPTILE_ISS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- memory map (spec section 3.2) ------------------------------------- */
#define ISS_ROM_BASE      0x00001000u /* boot ROM base, also the reset pc */
#define ISS_ROM_SIZE      0x00001000u /* 4 KiB */
#define ISS_WIN_BASE      0x10000000u /* tile CSR window base */
#define ISS_WIN_SIZE      0x00010000u /* 64 KiB */
#define ISS_RAM_BASE      0x80000000u /* RAM base, target of the boot trampoline */
#define ISS_RAM_DEFAULT   0x00040000u /* 256 KiB */
#define ISS_RAM_MIN       0x00001000u /* smallest RAM accepted: 4 KiB */
#define ISS_RAM_MAX       0x04000000u /* largest RAM accepted: 64 MiB */
#define ISS_RESET_PC      ISS_ROM_BASE

/* ---- interrupt lines: the mip bit numbers --------------------------------- */
#define ISS_IRQ_MSI 3u  /* machine software interrupt (mip.MSIP) */
#define ISS_IRQ_MTI 7u  /* machine timer interrupt    (mip.MTIP) */
#define ISS_IRQ_MEI 11u /* machine external interrupt (mip.MEIP) */

/* ---- mcause values (exceptions; interrupts have bit 31 set) ------------------ */
#define ISS_CAUSE_FETCH_MISALIGNED 0u
#define ISS_CAUSE_FETCH_FAULT      1u
#define ISS_CAUSE_ILLEGAL          2u
#define ISS_CAUSE_BREAKPOINT       3u
#define ISS_CAUSE_LOAD_MISALIGNED  4u
#define ISS_CAUSE_LOAD_FAULT       5u
#define ISS_CAUSE_STORE_MISALIGNED 6u
#define ISS_CAUSE_STORE_FAULT      7u
#define ISS_CAUSE_ECALL_U          8u
#define ISS_CAUSE_ECALL_M          11u
#define ISS_CAUSE_INTERRUPT        0x80000000u

/* ---- CSR addresses implemented (spec section 3.4) ------------------------- */
#define ISS_CSR_MSTATUS    0x300u
#define ISS_CSR_MISA       0x301u
#define ISS_CSR_MIE        0x304u
#define ISS_CSR_MTVEC      0x305u
#define ISS_CSR_MCOUNTEREN 0x306u
#define ISS_CSR_MSTATUSH   0x310u
#define ISS_CSR_MSCRATCH   0x340u
#define ISS_CSR_MEPC       0x341u
#define ISS_CSR_MCAUSE     0x342u
#define ISS_CSR_MTVAL      0x343u
#define ISS_CSR_MIP        0x344u
#define ISS_CSR_MCYCLE     0xB00u
#define ISS_CSR_MINSTRET   0xB02u
#define ISS_CSR_MCYCLEH    0xB80u
#define ISS_CSR_MINSTRETH  0xB82u
#define ISS_CSR_CYCLE      0xC00u
#define ISS_CSR_INSTRET    0xC02u
#define ISS_CSR_CYCLEH     0xC80u
#define ISS_CSR_INSTRETH   0xC82u
#define ISS_CSR_MVENDORID  0xF11u
#define ISS_CSR_MARCHID    0xF12u
#define ISS_CSR_MIMPID     0xF13u
#define ISS_CSR_MHARTID    0xF14u
#define ISS_CSR_MCONFIGPTR 0xF15u

/* mstatus fields */
#define ISS_MSTATUS_MIE      (1u << 3)
#define ISS_MSTATUS_MPIE     (1u << 7)
#define ISS_MSTATUS_MPP_SHIFT 11
#define ISS_MSTATUS_MPP      (3u << ISS_MSTATUS_MPP_SHIFT)

/* ---- privilege levels --------------------------------------------------- */
#define ISS_PRIV_U 0u
#define ISS_PRIV_M 3u

/* ---- CSR-window bus ------------------------------------------------------- */
/* Responses of the bus callbacks. Any other value is treated as ISS_BUS_ERROR. */
#define ISS_BUS_OK    0 /* transfer complete (read data valid) */
#define ISS_BUS_WAIT  1 /* not complete this cycle: the hart stalls and repeats the call */
#define ISS_BUS_ERROR 2 /* the access failed: the hart takes an access fault */

/*
 * Bus callbacks for the tile CSR window (spec section 3.2). `offset` is the
 * address minus ISS_WIN_BASE, i.e. the CSR address of spec section 2; it is
 * always a multiple of 4 (only aligned 32-bit accesses reach the bus; the
 * hart raises the exception itself for anything else), and `strb` is always
 * 0xF today (kept for sub-word buses).
 *
 * Protocol: when a callback returns ISS_BUS_WAIT the hart makes no
 * architectural change in that cycle and repeats the identical call in the
 * next cycle, until the callback returns ISS_BUS_OK or ISS_BUS_ERROR. While a
 * transfer is outstanding no interrupt is taken, so a callback never sees a
 * transfer abandoned. A NULL callback makes every access of that direction an
 * access fault.
 */
typedef struct iss_bus {
    void *ctx; /* passed back to the callbacks */
    int (*read32)(void *ctx, uint32_t offset, uint32_t *data);
    int (*write32)(void *ctx, uint32_t offset, uint32_t data, uint32_t strb);
} iss_bus;

/* Creation parameters. A zero-initialised iss_config gives the defaults. */
typedef struct iss_config {
    uint32_t ram_size; /* RAM bytes: 0 selects ISS_RAM_DEFAULT; else a power of two in [ISS_RAM_MIN, ISS_RAM_MAX] */
    uint32_t hartid;   /* value read from mhartid */
    iss_bus bus;       /* CSR-window callbacks (all NULL: the window faults) */
} iss_config;

typedef struct iss iss;

/* ---- life cycle ------------------------------------------------------------ */

/*
 * Creates a hart with its memories (ROM holding the boot trampoline, RAM
 * zeroed) in the reset state. cfg may be NULL for the defaults. On a bad
 * configuration or out of memory returns NULL and, when err is non-NULL,
 * writes a message naming the offending field into err (errlen bytes).
 */
iss *iss_new(const iss_config *cfg, char *err, size_t errlen);

/* Frees the hart, its memories and its symbol table. NULL is allowed. */
void iss_free(iss *s);

/*
 * Resets the architectural state: pc = ISS_RESET_PC, machine mode, all
 * registers and CSRs to their reset values (spec section 3.4), counters zero,
 * halt and tohost value cleared, no bus transfer outstanding. Memory, the
 * symbol table and the levels of the interrupt lines (inputs) are kept.
 */
void iss_reset(iss *s);

/* ---- ELF ----------------------------------------------------------------------- */

/*
 * Loads an RV32 executable: checks it (class ELFCLASS32, ELFDATA2LSB,
 * EM_RISCV, ET_EXEC, no compressed-instruction or floating-point ABI flags,
 * entry at ISS_RAM_BASE or ISS_RESET_PC, every PT_LOAD segment inside ROM or
 * RAM, no two overlapping), then copies each segment to its physical address
 * (p_paddr), zeroes the rest of its memory size, and replaces the symbol table
 * with the file's. Nothing is changed when a check fails. Does not reset the
 * hart. Returns 0, or -1 with a message "path: problem" in err.
 */
int iss_load_elf(iss *s, const char *path, char *err, size_t errlen);

/*
 * Finds symbol `name` of the last loaded ELF and stores its value in *addr.
 * Returns 0 when found, -1 when not (addr untouched).
 */
int iss_symbol(const iss *s, const char *name, uint32_t *addr);

/*
 * Nearest symbol at or below addr (code or data labels; section and file
 * symbols are skipped; among symbols at one address a global function or
 * object is preferred). Returns its name and stores addr - value in *offset
 * (offset may be NULL); returns NULL when no symbol lies at or below addr.
 * The name stays valid until the next iss_load_elf or iss_free.
 */
const char *iss_symbol_at(const iss *s, uint32_t addr, uint32_t *offset);

/* ---- execution ---------------------------------------------------------------- */

/* What one iss_step did. */
typedef enum iss_status {
    ISS_RETIRED = 0, /* one instruction retired */
    ISS_STALLED,     /* waited on the CSR-window bus: nothing retired, no state change but mcycle */
    ISS_EXCEPTION,   /* a synchronous exception was taken: nothing retired, pc = trap vector */
    ISS_INTERRUPT,   /* an interrupt was taken: nothing retired, pc = trap vector */
    ISS_HALTED       /* the hart is halted by a tohost store; the step that retires
                        that store also returns ISS_HALTED (with the store retired) */
} iss_status;

/* Details of the last step, for traces and checkers (iss_last_step). */
typedef struct iss_step_info {
    iss_status status;
    uint64_t cycle;    /* value of mcycle at the start of the step */
    uint32_t pc;       /* pc of the instruction (or the interrupted pc) */
    uint32_t insn;     /* instruction bits (0 when the fetch itself failed or on an interrupt) */
    uint8_t insn_valid;/* 1 when insn was fetched */
    uint8_t retired;   /* 1 when the instruction retired in this step */
    uint8_t rd;        /* destination register written (0: none) */
    uint8_t mem;       /* 0 none, 'L' load, 'S' store performed by the retired instruction */
    uint8_t mem_size;  /* bytes accessed: 1, 2 or 4 */
    uint8_t priv;      /* privilege level the step started in */
    uint32_t rd_value; /* value written to rd */
    uint32_t mem_addr; /* address of the load or store */
    uint32_t mem_data; /* data loaded (zero-extended raw bytes) or stored */
    uint32_t cause;    /* mcause of the trap taken (ISS_EXCEPTION, ISS_INTERRUPT) */
    uint32_t tval;     /* mtval written by the trap */
    uint32_t next_pc;  /* pc after the step */
} iss_step_info;

/*
 * One clock cycle. In order: a halted hart does nothing (ISS_HALTED, no
 * counter moves); an enabled pending interrupt is taken (unless a bus
 * transfer is outstanding); otherwise the instruction at pc is fetched and
 * executed: it retires, stalls on the bus, or raises an exception. mcycle
 * counts every step that is not halted; minstret counts retirements.
 */
iss_status iss_step(iss *s);

/* The record of the most recent iss_step (also filled by iss_run). */
const iss_step_info *iss_last_step(const iss *s);

/* Why iss_run stopped. */
typedef enum iss_stop {
    ISS_STOP_HALT = 0,      /* tohost written: see iss_tohost */
    ISS_STOP_MAX_INSNS,     /* max_instructions retired */
    ISS_STOP_TRAP_LOOP,     /* the same exception at the same pc twice in a row with no
                               instruction retired in between: the hart can never progress */
    ISS_STOP_BUS_HANG,      /* one bus transfer waited ISS_BUS_HANG_CYCLES cycles */
    ISS_STOP_HOOK           /* the hook returned non-zero */
} iss_stop;

#define ISS_BUS_HANG_CYCLES 1000000u

/* Summary of an iss_run. */
typedef struct iss_run_result {
    iss_stop stop;
    uint64_t instructions; /* retired during this run */
    uint64_t cycles;       /* steps during this run */
    /* ISS_STOP_TRAP_LOOP: the first exception of the chain of exceptions with no
       retirement in between that ended in the loop (the original fault) */
    uint32_t first_cause, first_epc, first_tval;
} iss_run_result;

/*
 * Called after every step of iss_run with the step's record; a non-zero
 * return stops the run with ISS_STOP_HOOK.
 */
typedef int (*iss_step_hook)(void *ctx, iss *s, const iss_step_info *info);

/*
 * Steps until the hart halts, max_instructions instructions retired
 * (0: no limit), a trap loop, a bus hang, or the hook (may be NULL) asks to
 * stop. Fills *res when res is non-NULL. Returns the reason.
 */
iss_stop iss_run(iss *s, uint64_t max_instructions, iss_step_hook hook, void *hook_ctx,
                 iss_run_result *res);

/*
 * Drives interrupt line `line` (ISS_IRQ_MSI, ISS_IRQ_MTI or ISS_IRQ_MEI) to
 * `level` (0 low, non-zero high). Lines are level-sensitive and are the mip
 * bits MSIP/MTIP/MEIP. Returns 0, or -1 for an unknown line.
 */
int iss_notify_irq(iss *s, unsigned line, int level);

/*
 * When the hart is halted by a tohost store, stores the value in *value
 * (may be NULL) and returns 1; otherwise returns 0.
 */
int iss_tohost(const iss *s, uint32_t *value);

/* ---- state accessors (for tests and the harness) ---------------------------- */

/* Register xN (N = 0..31); 0 for N outside that range. */
uint32_t iss_reg(const iss *s, unsigned n);
/* Sets xN; writes to x0 are ignored. Returns 0, or -1 for N > 31. */
int iss_set_reg(iss *s, unsigned n, uint32_t value);
/* Current pc. */
uint32_t iss_pc(const iss *s);
/* Sets the pc (the next step fetches there). */
void iss_set_pc(iss *s, uint32_t pc);
/* Current privilege level (ISS_PRIV_M or ISS_PRIV_U). */
unsigned iss_priv(const iss *s);
/* mcycle and minstret as 64-bit values. */
uint64_t iss_cycles(const iss *s);
uint64_t iss_instret(const iss *s);

/*
 * Backdoor CSR read: no privilege check. Returns 0 with the value in *value,
 * or -1 when `csr` is not implemented.
 */
int iss_csr_read(const iss *s, unsigned csr, uint32_t *value);

/*
 * Backdoor CSR write: no privilege check, WARL fields legalised as by an
 * instruction. Returns 0, or -1 when `csr` is not implemented or read-only.
 */
int iss_csr_write(iss *s, unsigned csr, uint32_t value);

/*
 * Backdoor memory access to ROM and RAM (the ROM is writable this way).
 * The range [addr, addr + len) must lie inside one of them. Returns 0, or -1
 * (nothing copied) otherwise.
 */
int iss_mem_read(const iss *s, uint32_t addr, void *buf, size_t len);
int iss_mem_write(iss *s, uint32_t addr, const void *buf, size_t len);

/* Writes n 32-bit words little-endian from addr on (backdoor). Returns 0 or -1. */
int iss_load_words(iss *s, uint32_t addr, const uint32_t *words, size_t n);

/* ---- text ------------------------------------------------------------------------ */

/*
 * Disassembles one instruction (RV32IM, Zicsr, mret, wfi, fence) at `pc`
 * into buf as "mnemonic operands" with ABI register names and absolute
 * branch/jump targets; anything else gives ".word 0x........" and returns
 * -1. Returns 0 for a known instruction. buf is always terminated (len > 0).
 */
int iss_disasm(uint32_t insn, uint32_t pc, char *buf, size_t len);

/* ABI name of register n ("zero", "ra", ...); "?" for n > 31. */
const char *iss_reg_name(unsigned n);

/* Name of CSR `csr` if the ISS implements it, else NULL. */
const char *iss_csr_name(unsigned csr);

/* Short description of an mcause value ("illegal instruction", "machine timer interrupt", ...). */
const char *iss_cause_name(uint32_t cause);

/*
 * Formats one trace line for a step record (from iss_last_step or a hook):
 * cycle, pc, symbol+offset, instruction hex, disassembly, and the register
 * write, memory access or trap. Returns the length written (truncated to
 * len - 1), no newline.
 */
int iss_format_trace(const iss *s, const iss_step_info *info, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* OPTILE_ISS_H */
