/*
 * iss.c - the RV32IM + Zicsr hart: state, memory map, decode and execute,
 * CSRs, traps and interrupts (docs/spec.md sections 3.2, 3.4-3.6).
 *
 * The per-cycle path (iss_step / iss_run) decodes with switches on the
 * instruction fields, allocates nothing and formats no text.
 */
#include "iss/iss_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers -------------------------------------------------------- */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static inline uint32_t ld32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint32_t ld16(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8);
}

static inline void st32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void st16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

/* sign-extend the low `bits` bits of v (modular arithmetic, no UB) */
static inline uint32_t sext(uint32_t v, unsigned bits)
{
    uint32_t m = 1u << (bits - 1);
    v &= (bits == 32) ? 0xFFFFFFFFu : ((m << 1) - 1u);
    return (v ^ m) - m;
}

/* two's-complement reinterpretation without implementation-defined conversion */
static inline int32_t as_signed(uint32_t v)
{
    return (v & 0x80000000u) ? -(int32_t)(~v) - 1 : (int32_t)v;
}

static inline uint32_t sra32(uint32_t v, unsigned sh)
{
    uint32_t r = v >> sh;
    if ((v & 0x80000000u) && sh)
        r |= ~(0xFFFFFFFFu >> sh);
    return r;
}

/* ---- creation ------------------------------------------------------------------ */

iss *iss_new(const iss_config *cfg, char *err, size_t errlen)
{
    iss_config def;
    memset(&def, 0, sizeof def);
    if (!cfg)
        cfg = &def;
    uint32_t ram = cfg->ram_size ? cfg->ram_size : ISS_RAM_DEFAULT;
    if (ram < ISS_RAM_MIN || ram > ISS_RAM_MAX || (ram & (ram - 1u)) != 0) {
        set_err(err, errlen,
                "iss_config.ram_size: %u bytes is not a power of two between %u and %u",
                (unsigned)ram, (unsigned)ISS_RAM_MIN, (unsigned)ISS_RAM_MAX);
        return NULL;
    }
    iss *s = calloc(1, sizeof *s);
    if (!s) {
        set_err(err, errlen, "iss_new: out of memory");
        return NULL;
    }
    s->ram = calloc(1, ram);
    if (!s->ram) {
        free(s);
        set_err(err, errlen, "iss_new: out of memory for %u bytes of RAM", (unsigned)ram);
        return NULL;
    }
    s->ram_size = ram;
    s->hartid = cfg->hartid;
    s->bus = cfg->bus;
    st32(s->rom + 0, ISS_TRAMP0);
    st32(s->rom + 4, ISS_TRAMP1);
    iss_reset(s);
    return s;
}

void iss_free(iss *s)
{
    if (!s)
        return;
    iss_set_symbols_(s, NULL, 0, NULL);
    free(s->ram);
    free(s);
}

void iss_reset(iss *s)
{
    s->pc = ISS_RESET_PC;
    memset(s->x, 0, sizeof s->x);
    s->priv = ISS_PRIV_M;
    s->mcycle = 0;
    s->minstret = 0;
    s->mstatus = ISS_PRIV_M << MSTATUS_MPP_SHIFT;
    s->mie = 0;
    s->mtvec = 0;
    s->mcounteren = MCOUNTEREN_MASK;
    s->mscratch = s->mepc = s->mcause = s->mtval = 0;
    s->bus_pending = 0;
    s->bus_wait_cycles = 0;
    s->halted = 0;
    s->tohost_value = 0;
    memset(&s->info, 0, sizeof s->info);
    s->info.pc = s->info.next_pc = ISS_RESET_PC;
}

/* ---- CSRs ---------------------------------------------------------------------------- */

/* 1: implemented. Read-only-ness and privilege come from the address bits. */
static int csr_exists(unsigned csr)
{
    switch (csr) {
    case CSR_MSTATUS: case CSR_MISA: case CSR_MIE: case CSR_MTVEC: case CSR_MCOUNTEREN:
    case CSR_MSTATUSH: case CSR_MSCRATCH: case CSR_MEPC: case CSR_MCAUSE: case CSR_MTVAL:
    case CSR_MIP: case CSR_MCYCLE: case CSR_MINSTRET: case CSR_MCYCLEH: case CSR_MINSTRETH:
    case CSR_CYCLE: case CSR_INSTRET: case CSR_CYCLEH: case CSR_INSTRETH:
    case CSR_MVENDORID: case CSR_MARCHID: case CSR_MIMPID: case CSR_MHARTID: case CSR_MCONFIGPTR:
        return 1;
    default:
        return 0;
    }
}

static uint32_t csr_get(const iss *s, unsigned csr)
{
    switch (csr) {
    case CSR_MSTATUS:    return s->mstatus;
    case CSR_MISA:       return ISS_MISA;
    case CSR_MIE:        return s->mie;
    case CSR_MTVEC:      return s->mtvec;
    case CSR_MCOUNTEREN: return s->mcounteren;
    case CSR_MSTATUSH:   return 0;
    case CSR_MSCRATCH:   return s->mscratch;
    case CSR_MEPC:       return s->mepc;
    case CSR_MCAUSE:     return s->mcause;
    case CSR_MTVAL:      return s->mtval;
    case CSR_MIP:        return s->mip;
    case CSR_MCYCLE: case CSR_CYCLE:       return (uint32_t)s->mcycle;
    case CSR_MCYCLEH: case CSR_CYCLEH:     return (uint32_t)(s->mcycle >> 32);
    case CSR_MINSTRET: case CSR_INSTRET:   return (uint32_t)s->minstret;
    case CSR_MINSTRETH: case CSR_INSTRETH: return (uint32_t)(s->minstret >> 32);
    case CSR_MVENDORID:  return ISS_MVENDORID;
    case CSR_MARCHID:    return ISS_MARCHID;
    case CSR_MIMPID:     return ISS_MIMPID;
    case CSR_MHARTID:    return s->hartid;
    default:             return 0; /* mconfigptr */
    }
}

/* Writes a writable CSR, legalising WARL fields. csr must exist and be writable. */
static void csr_put(iss *s, unsigned csr, uint32_t v)
{
    switch (csr) {
    case CSR_MSTATUS: {
        uint32_t mpp = (v & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
        mpp = (mpp == ISS_PRIV_U) ? ISS_PRIV_U : ISS_PRIV_M; /* no S mode: 1, 2 -> M */
        s->mstatus = (v & (MSTATUS_MIE | MSTATUS_MPIE)) | (mpp << MSTATUS_MPP_SHIFT);
        break;
    }
    case CSR_MIE:        s->mie = v & MIP_MASK; break;
    case CSR_MTVEC:      s->mtvec = (v & 3u) >= 2u ? (v & ~3u) : v; break; /* reserved modes -> direct */
    case CSR_MCOUNTEREN: s->mcounteren = v & MCOUNTEREN_MASK; break;
    case CSR_MSCRATCH:   s->mscratch = v; break;
    case CSR_MEPC:       s->mepc = v & ~3u; break;
    case CSR_MCAUSE:     s->mcause = v; break;
    case CSR_MTVAL:      s->mtval = v; break;
    case CSR_MCYCLE:     s->mcycle = (s->mcycle & 0xFFFFFFFF00000000ull) | v; break;
    case CSR_MCYCLEH:    s->mcycle = (s->mcycle & 0xFFFFFFFFull) | ((uint64_t)v << 32); break;
    case CSR_MINSTRET:   s->minstret = (s->minstret & 0xFFFFFFFF00000000ull) | v; break;
    case CSR_MINSTRETH:  s->minstret = (s->minstret & 0xFFFFFFFFull) | ((uint64_t)v << 32); break;
    default:             break; /* misa, mstatush, mip: no writable field, writes ignored */
    }
}

static int csr_read_only(unsigned csr)
{
    return (csr >> 10) == 3u;
}

int iss_csr_read(const iss *s, unsigned csr, uint32_t *value)
{
    if (!csr_exists(csr))
        return -1;
    if (value)
        *value = csr_get(s, csr);
    return 0;
}

int iss_csr_write(iss *s, unsigned csr, uint32_t value)
{
    if (!csr_exists(csr) || csr_read_only(csr))
        return -1;
    csr_put(s, csr, value);
    return 0;
}

/* ---- accessors ----------------------------------------------------------------------- */

uint32_t iss_reg(const iss *s, unsigned n) { return n < 32 ? s->x[n] : 0; }

int iss_set_reg(iss *s, unsigned n, uint32_t value)
{
    if (n > 31)
        return -1;
    if (n)
        s->x[n] = value;
    return 0;
}

uint32_t iss_pc(const iss *s) { return s->pc; }
void iss_set_pc(iss *s, uint32_t pc) { s->pc = pc; }
unsigned iss_priv(const iss *s) { return s->priv; }
uint64_t iss_cycles(const iss *s) { return s->mcycle; }
uint64_t iss_instret(const iss *s) { return s->minstret; }
const iss_step_info *iss_last_step(const iss *s) { return &s->info; }

int iss_tohost(const iss *s, uint32_t *value)
{
    if (!s->halted)
        return 0;
    if (value)
        *value = s->tohost_value;
    return 1;
}

int iss_notify_irq(iss *s, unsigned line, int level)
{
    if (line != ISS_IRQ_MSI && line != ISS_IRQ_MTI && line != ISS_IRQ_MEI)
        return -1;
    if (level)
        s->mip |= 1u << line;
    else
        s->mip &= ~(1u << line);
    return 0;
}

/* host pointer for the backdoor range [addr, addr+len) in ROM or RAM, or NULL */
uint8_t *iss_backdoor_(const iss *s, uint32_t addr, size_t len)
{
    uint32_t off = addr - ISS_RAM_BASE;
    if (off < s->ram_size && len <= (size_t)(s->ram_size - off))
        return s->ram + off;
    off = addr - ISS_ROM_BASE;
    if (off < ISS_ROM_SIZE && len <= (size_t)(ISS_ROM_SIZE - off))
        return (uint8_t *)s->rom + off;
    return NULL;
}

int iss_mem_read(const iss *s, uint32_t addr, void *buf, size_t len)
{
    const uint8_t *p = iss_backdoor_(s, addr, len);
    if (!p || (!buf && len))
        return -1;
    if (len)
        memcpy(buf, p, len);
    return 0;
}

int iss_mem_write(iss *s, uint32_t addr, const void *buf, size_t len)
{
    uint8_t *p = iss_backdoor_(s, addr, len);
    if (!p || (!buf && len))
        return -1;
    if (len)
        memcpy(p, buf, len);
    return 0;
}

int iss_load_words(iss *s, uint32_t addr, const uint32_t *words, size_t n)
{
    if (n > SIZE_MAX / 4)
        return -1;
    uint8_t *p = iss_backdoor_(s, addr, n * 4);
    if (!p || (!words && n))
        return -1;
    for (size_t i = 0; i < n; i++)
        st32(p + 4 * i, words[i]);
    return 0;
}

/* ---- traps -------------------------------------------------------------------------- */

static void take_trap(iss *s, uint32_t cause, uint32_t epc, uint32_t tval)
{
    uint32_t st = s->mstatus;
    uint32_t mie = st & MSTATUS_MIE;
    st &= ~(MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP);
    st |= (mie ? MSTATUS_MPIE : 0u) | (s->priv << MSTATUS_MPP_SHIFT);
    s->mstatus = st;
    s->mepc = epc;
    s->mcause = cause;
    s->mtval = tval;
    s->priv = ISS_PRIV_M;
    uint32_t base = s->mtvec & ~3u;
    if ((s->mtvec & 1u) && (cause & ISS_CAUSE_INTERRUPT))
        s->pc = base + 4u * (cause & 0x7FFFFFFFu);
    else
        s->pc = base;
}

/* ---- the step ---------------------------------------------------------------------- */

/* Memory access result inside the step */
enum { MEM_OK = 0, MEM_WAIT = 1, MEM_FAULT = 2 };

static inline int bus_call_read(iss *s, uint32_t off, uint32_t *data)
{
    if (!s->bus.read32)
        return MEM_FAULT;
    int r = s->bus.read32(s->bus.ctx, off, data);
    return r == ISS_BUS_OK ? MEM_OK : r == ISS_BUS_WAIT ? MEM_WAIT : MEM_FAULT;
}

static inline int bus_call_write(iss *s, uint32_t off, uint32_t data)
{
    if (!s->bus.write32)
        return MEM_FAULT;
    int r = s->bus.write32(s->bus.ctx, off, data, 0xFu);
    return r == ISS_BUS_OK ? MEM_OK : r == ISS_BUS_WAIT ? MEM_WAIT : MEM_FAULT;
}

/* Load of `size` bytes at aligned addr; raw (zero-extended) data in *v. */
static inline int mem_load(iss *s, uint32_t addr, unsigned size, uint32_t *v)
{
    const uint8_t *p;
    uint32_t off = addr - ISS_RAM_BASE;
    if (off < s->ram_size) {
        p = s->ram + off;
    } else if ((off = addr - ISS_ROM_BASE) < ISS_ROM_SIZE) {
        p = s->rom + off;
    } else if ((off = addr - ISS_WIN_BASE) < ISS_WIN_SIZE) {
        if (size != 4)
            return MEM_FAULT;
        return bus_call_read(s, off, v);
    } else {
        return MEM_FAULT;
    }
    *v = size == 4 ? ld32(p) : size == 2 ? ld16(p) : p[0];
    return MEM_OK;
}

static inline int mem_store(iss *s, uint32_t addr, unsigned size, uint32_t v)
{
    uint32_t off = addr - ISS_RAM_BASE;
    if (off < s->ram_size) {
        uint8_t *p = s->ram + off;
        if (size == 4)
            st32(p, v);
        else if (size == 2)
            st16(p, v);
        else
            p[0] = (uint8_t)v;
        return MEM_OK;
    }
    if ((off = addr - ISS_WIN_BASE) < ISS_WIN_SIZE) {
        if (size != 4)
            return MEM_FAULT;
        return bus_call_write(s, off, v);
    }
    return MEM_FAULT; /* ROM is read-only, the rest is unmapped */
}

/* CSR instruction; returns 0, or -1 for an illegal access */
static inline int exec_csr(iss *s, uint32_t insn, uint32_t *rdval)
{
    unsigned csr = insn >> 20;
    unsigned f3 = (insn >> 12) & 7u;
    unsigned rs1 = (insn >> 15) & 31u;
    uint32_t src = (f3 & 4u) ? rs1 : s->x[rs1];
    int writes = (f3 & 3u) == 1u || rs1 != 0; /* csrrw(i) always; csrrs/c(i) unless x0/0 */

    if (!csr_exists(csr))
        return -1;
    if (((csr >> 8) & 3u) > s->priv)
        return -1;
    if (writes && csr_read_only(csr))
        return -1;
    if (s->priv == ISS_PRIV_U) {
        /* only the user counters are reachable here; mcounteren gates them */
        unsigned bit = (csr & 0x1Fu);
        if (!((s->mcounteren >> bit) & 1u))
            return -1;
    }
    uint32_t old = csr_get(s, csr);
    if (writes) {
        uint32_t nv = (f3 & 3u) == 1u ? src : (f3 & 3u) == 2u ? (old | src) : (old & ~src);
        csr_put(s, csr, nv);
        /* the written counter value is what the next instruction reads:
           cancel this step's increment */
        if (csr == CSR_MCYCLE || csr == CSR_MCYCLEH)
            s->mcycle--;
        else if (csr == CSR_MINSTRET || csr == CSR_MINSTRETH)
            s->minstret--;
    }
    *rdval = old;
    return 0;
}

#define TRAP(c, t) do { cause = (c); tval = (t); goto trap; } while (0)

static inline iss_status step(iss *s)
{
    iss_step_info *in = &s->info;
    uint32_t pc = s->pc;
    uint32_t cause, tval;

    if (s->halted) {
        in->status = ISS_HALTED;
        in->retired = 0;
        in->insn_valid = 0;
        in->rd = 0;
        in->mem = 0;
        return ISS_HALTED;
    }
    in->cycle = s->mcycle;
    in->pc = pc;
    in->priv = (uint8_t)s->priv;
    in->rd = 0;
    in->mem = 0;
    in->retired = 0;

    /* interrupts, at the instruction boundary, not while a bus transfer is outstanding */
    uint32_t pend = s->mip & s->mie;
    if (pend && !s->bus_pending && (s->priv == ISS_PRIV_U || (s->mstatus & MSTATUS_MIE))) {
        unsigned line = (pend & (1u << ISS_IRQ_MEI)) ? ISS_IRQ_MEI
                      : (pend & (1u << ISS_IRQ_MSI)) ? ISS_IRQ_MSI : ISS_IRQ_MTI;
        take_trap(s, ISS_CAUSE_INTERRUPT | line, pc, 0);
        s->mcycle++;
        in->status = ISS_INTERRUPT;
        in->insn = 0;
        in->insn_valid = 0;
        in->cause = s->mcause;
        in->tval = 0;
        in->next_pc = s->pc;
        return ISS_INTERRUPT;
    }

    /* fetch */
    const uint8_t *ip;
    in->insn_valid = 0;
    in->insn = 0;
    if (pc & 3u) {
        cause = ISS_CAUSE_FETCH_MISALIGNED;
        tval = pc;
        goto trap;
    }
    {
        uint32_t off = pc - ISS_RAM_BASE;
        if (off < s->ram_size) {
            ip = s->ram + off;
        } else if ((off = pc - ISS_ROM_BASE) < ISS_ROM_SIZE) {
            ip = s->rom + off;
        } else {
            cause = ISS_CAUSE_FETCH_FAULT;
            tval = pc;
            goto trap;
        }
    }
    const uint32_t insn = ld32(ip);
    in->insn = insn;
    in->insn_valid = 1;

    unsigned rd = (insn >> 7) & 31u;
    unsigned f3 = (insn >> 12) & 7u;
    uint32_t a = s->x[(insn >> 15) & 31u];
    uint32_t b = s->x[(insn >> 20) & 31u];
    uint32_t npc = pc + 4u;
    uint32_t val = 0;
    int wb = 1;

    switch (insn & 0x7Fu) {
    case 0x37: /* LUI */
        val = insn & 0xFFFFF000u;
        break;
    case 0x17: /* AUIPC */
        val = pc + (insn & 0xFFFFF000u);
        break;
    case 0x6F: { /* JAL */
        uint32_t imm = ((insn >> 31) << 20) | (((insn >> 12) & 0xFFu) << 12) |
                       (((insn >> 20) & 1u) << 11) | (((insn >> 21) & 0x3FFu) << 1);
        uint32_t t = pc + sext(imm, 21);
        if (t & 3u)
            TRAP(ISS_CAUSE_FETCH_MISALIGNED, t);
        val = npc;
        npc = t;
        break;
    }
    case 0x67: { /* JALR */
        if (f3 != 0)
            goto illegal;
        uint32_t t = (a + sext(insn >> 20, 12)) & ~1u;
        if (t & 3u)
            TRAP(ISS_CAUSE_FETCH_MISALIGNED, t);
        val = npc;
        npc = t;
        break;
    }
    case 0x63: { /* branches */
        int take;
        switch (f3) {
        case 0: take = a == b; break;
        case 1: take = a != b; break;
        case 4: take = (a ^ 0x80000000u) < (b ^ 0x80000000u); break; /* signed compare */
        case 5: take = (a ^ 0x80000000u) >= (b ^ 0x80000000u); break;
        case 6: take = a < b; break;
        case 7: take = a >= b; break;
        default: goto illegal;
        }
        wb = 0;
        if (take) {
            uint32_t imm = ((insn >> 31) << 12) | (((insn >> 7) & 1u) << 11) |
                           (((insn >> 25) & 0x3Fu) << 5) | (((insn >> 8) & 0xFu) << 1);
            uint32_t t = pc + sext(imm, 13);
            if (t & 3u)
                TRAP(ISS_CAUSE_FETCH_MISALIGNED, t);
            npc = t;
        }
        break;
    }
    case 0x03: { /* loads */
        unsigned size;
        switch (f3) {
        case 0: case 4: size = 1; break;
        case 1: case 5: size = 2; break;
        case 2: size = 4; break;
        default: goto illegal;
        }
        uint32_t addr = a + sext(insn >> 20, 12);
        if (addr & (size - 1u))
            TRAP(ISS_CAUSE_LOAD_MISALIGNED, addr);
        uint32_t d;
        in->mem_addr = addr;
        int r = mem_load(s, addr, size, &d);
        if (r == MEM_WAIT)
            goto stall;
        if (r != MEM_OK)
            TRAP(ISS_CAUSE_LOAD_FAULT, addr);
        in->mem = 'L';
        in->mem_size = (uint8_t)size;
        in->mem_addr = addr;
        in->mem_data = d;
        val = f3 == 0 ? sext(d, 8) : f3 == 1 ? sext(d, 16) : d;
        break;
    }
    case 0x23: { /* stores */
        unsigned size;
        switch (f3) {
        case 0: size = 1; break;
        case 1: size = 2; break;
        case 2: size = 4; break;
        default: goto illegal;
        }
        uint32_t addr = a + sext(((insn >> 25) << 5) | ((insn >> 7) & 31u), 12);
        if (addr & (size - 1u))
            TRAP(ISS_CAUSE_STORE_MISALIGNED, addr);
        in->mem_addr = addr;
        int r = mem_store(s, addr, size, b);
        if (r == MEM_WAIT)
            goto stall;
        if (r != MEM_OK)
            TRAP(ISS_CAUSE_STORE_FAULT, addr);
        in->mem = 'S';
        in->mem_size = (uint8_t)size;
        in->mem_addr = addr;
        in->mem_data = size == 4 ? b : size == 2 ? (b & 0xFFFFu) : (b & 0xFFu);
        wb = 0;
        if (size == 4 && s->has_tohost && addr == s->tohost_addr && b != 0) {
            s->halted = 1;
            s->tohost_value = b;
        }
        break;
    }
    case 0x13: { /* OP-IMM */
        uint32_t imm = sext(insn >> 20, 12);
        unsigned f7 = insn >> 25;
        unsigned sh = (insn >> 20) & 31u;
        switch (f3) {
        case 0: val = a + imm; break;
        case 2: val = (a ^ 0x80000000u) < (imm ^ 0x80000000u); break;
        case 3: val = a < imm; break;
        case 4: val = a ^ imm; break;
        case 6: val = a | imm; break;
        case 7: val = a & imm; break;
        case 1:
            if (f7 != 0)
                goto illegal;
            val = a << sh;
            break;
        default: /* 5 */
            if (f7 == 0)
                val = a >> sh;
            else if (f7 == 0x20)
                val = sra32(a, sh);
            else
                goto illegal;
            break;
        }
        break;
    }
    case 0x33: { /* OP */
        unsigned f7 = insn >> 25;
        if (f7 == 0) {
            switch (f3) {
            case 0: val = a + b; break;
            case 1: val = a << (b & 31u); break;
            case 2: val = (a ^ 0x80000000u) < (b ^ 0x80000000u); break;
            case 3: val = a < b; break;
            case 4: val = a ^ b; break;
            case 5: val = a >> (b & 31u); break;
            case 6: val = a | b; break;
            default: val = a & b; break;
            }
        } else if (f7 == 0x20) {
            if (f3 == 0)
                val = a - b;
            else if (f3 == 5)
                val = sra32(a, b & 31u);
            else
                goto illegal;
        } else if (f7 == 0x01) {
            int32_t sa = as_signed(a);
            int32_t sb = as_signed(b);
            switch (f3) {
            case 0: val = a * b; break;
            case 1: val = (uint32_t)((uint64_t)((int64_t)sa * (int64_t)sb) >> 32); break;
            case 2: val = (uint32_t)((uint64_t)((int64_t)sa * (int64_t)b) >> 32); break;
            case 3: val = (uint32_t)(((uint64_t)a * b) >> 32); break;
            case 4: /* DIV */
                if (b == 0)
                    val = 0xFFFFFFFFu;
                else if (a == 0x80000000u && b == 0xFFFFFFFFu)
                    val = a;
                else
                    val = (uint32_t)(sa / sb);
                break;
            case 5: val = b ? a / b : 0xFFFFFFFFu; break; /* DIVU */
            case 6: /* REM */
                if (b == 0)
                    val = a;
                else if (a == 0x80000000u && b == 0xFFFFFFFFu)
                    val = 0;
                else
                    val = (uint32_t)(sa % sb);
                break;
            default: val = b ? a % b : a; break; /* REMU */
            }
        } else {
            goto illegal;
        }
        break;
    }
    case 0x0F: /* MISC-MEM: FENCE is a no-op (one hart, no caches); FENCE.I not implemented */
        if (f3 != 0)
            goto illegal;
        wb = 0;
        break;
    case 0x73: /* SYSTEM */
        if (f3 == 0) {
            if (rd != 0 || ((insn >> 15) & 31u) != 0)
                goto illegal;
            wb = 0;
            switch (insn >> 20) {
            case 0x000: /* ECALL */
                TRAP(s->priv == ISS_PRIV_M ? ISS_CAUSE_ECALL_M : ISS_CAUSE_ECALL_U, 0);
            case 0x001: /* EBREAK */
                TRAP(ISS_CAUSE_BREAKPOINT, pc);
            case 0x302: { /* MRET */
                if (s->priv != ISS_PRIV_M)
                    goto illegal;
                uint32_t st = s->mstatus;
                uint32_t mpp = (st & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
                st = (st & ~(MSTATUS_MIE | MSTATUS_MPP)) | MSTATUS_MPIE |
                     ((st & MSTATUS_MPIE) ? MSTATUS_MIE : 0u) |
                     (ISS_PRIV_U << MSTATUS_MPP_SHIFT);
                s->mstatus = st;
                s->priv = mpp;
                npc = s->mepc;
                break;
            }
            case 0x105: /* WFI: a no-op */
                break;
            default:
                goto illegal;
            }
        } else if (f3 == 4) {
            goto illegal;
        } else {
            if (exec_csr(s, insn, &val) != 0)
                goto illegal;
        }
        break;
    default:
        goto illegal;
    }

    /* retire */
    if (wb && rd) {
        s->x[rd] = val;
        in->rd = (uint8_t)rd;
        in->rd_value = val;
    }
    s->pc = npc;
    s->mcycle++;
    s->minstret++;
    s->bus_pending = 0;
    in->retired = 1;
    in->next_pc = npc;
    in->status = s->halted ? ISS_HALTED : ISS_RETIRED;
    return in->status;

illegal:
    cause = ISS_CAUSE_ILLEGAL;
    tval = insn;
trap:
    s->bus_pending = 0;
    take_trap(s, cause, pc, tval);
    s->mcycle++;
    in->status = ISS_EXCEPTION;
    in->cause = cause;
    in->tval = tval;
    in->next_pc = s->pc;
    return ISS_EXCEPTION;

stall:
    s->bus_pending = 1;
    s->mcycle++;
    in->mem = 0;
    in->status = ISS_STALLED;
    in->next_pc = pc;
    return ISS_STALLED;
}

iss_status iss_step(iss *s)
{
    return step(s);
}

iss_stop iss_run(iss *s, uint64_t max_instructions, iss_step_hook hook, void *hook_ctx,
                 iss_run_result *res)
{
    /* counted here, not from minstret/mcycle, which the program may write */
    uint64_t insns = 0, cycles = 0;
    uint32_t wait = 0;
    int chain = 0; /* exceptions since the last retirement */
    uint32_t first_cause = 0, first_epc = 0, first_tval = 0;
    uint32_t last_cause = 0, last_epc = 0, last_tval = 0;
    iss_stop why;

    for (;;) {
        if (s->halted) {
            why = ISS_STOP_HALT;
            break;
        }
        if (max_instructions && insns >= max_instructions) {
            why = ISS_STOP_MAX_INSNS;
            break;
        }
        iss_status st = step(s);
        cycles++;
        if (st == ISS_RETIRED || st == ISS_HALTED) {
            insns++;
            chain = 0;
            wait = 0;
        } else if (st == ISS_STALLED) {
            wait++;
        } else if (st == ISS_EXCEPTION) {
            wait = 0;
            if (chain > 0 && s->mcause == last_cause && s->mepc == last_epc && s->mtval == last_tval) {
                why = ISS_STOP_TRAP_LOOP;
                if (hook)
                    (void)hook(hook_ctx, s, &s->info);
                break;
            }
            if (chain == 0) {
                first_cause = s->mcause;
                first_epc = s->mepc;
                first_tval = s->mtval;
            }
            chain++;
            last_cause = s->mcause;
            last_epc = s->mepc;
            last_tval = s->mtval;
        } else { /* ISS_INTERRUPT: state changed from outside, not a loop */
            wait = 0;
            chain = 0;
        }
        if (hook && hook(hook_ctx, s, &s->info) && !s->halted) {
            why = ISS_STOP_HOOK;
            break;
        }
        if (wait >= ISS_BUS_HANG_CYCLES) {
            why = ISS_STOP_BUS_HANG;
            break;
        }
    }
    if (res) {
        res->stop = why;
        res->instructions = insns;
        res->cycles = cycles;
        res->first_cause = first_cause;
        res->first_epc = first_epc;
        res->first_tval = first_tval;
    }
    return why;
}
