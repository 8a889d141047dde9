/*
 * iss_disasm.c - compact RV32IM + Zicsr disassembler and trace formatting.
 *
 * Written from the RISC-V unprivileged and privileged specifications (the
 * instruction formats and opcode maps), separately from the execute path in
 * iss.c; tests/unit/test_iss_disasm.c checks that both agree on which words
 * are legal instructions.
 */
#include "iss/iss_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const reg_names[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

const char *iss_reg_name(unsigned n)
{
    return n < 32 ? reg_names[n] : "?";
}

const char *iss_csr_name(unsigned csr)
{
    switch (csr) {
    case CSR_MSTATUS:    return "mstatus";
    case CSR_MISA:       return "misa";
    case CSR_MIE:        return "mie";
    case CSR_MTVEC:      return "mtvec";
    case CSR_MCOUNTEREN: return "mcounteren";
    case CSR_MSTATUSH:   return "mstatush";
    case CSR_MSCRATCH:   return "mscratch";
    case CSR_MEPC:       return "mepc";
    case CSR_MCAUSE:     return "mcause";
    case CSR_MTVAL:      return "mtval";
    case CSR_MIP:        return "mip";
    case CSR_MCYCLE:     return "mcycle";
    case CSR_MINSTRET:   return "minstret";
    case CSR_MCYCLEH:    return "mcycleh";
    case CSR_MINSTRETH:  return "minstreth";
    case CSR_CYCLE:      return "cycle";
    case CSR_INSTRET:    return "instret";
    case CSR_CYCLEH:     return "cycleh";
    case CSR_INSTRETH:   return "instreth";
    case CSR_MVENDORID:  return "mvendorid";
    case CSR_MARCHID:    return "marchid";
    case CSR_MIMPID:     return "mimpid";
    case CSR_MHARTID:    return "mhartid";
    case CSR_MCONFIGPTR: return "mconfigptr";
    default:             return NULL;
    }
}

const char *iss_cause_name(uint32_t cause)
{
    if (cause & ISS_CAUSE_INTERRUPT) {
        switch (cause & 0x7FFFFFFFu) {
        case ISS_IRQ_MSI: return "machine software interrupt";
        case ISS_IRQ_MTI: return "machine timer interrupt";
        case ISS_IRQ_MEI: return "machine external interrupt";
        default:          return "unknown interrupt";
        }
    }
    switch (cause) {
    case ISS_CAUSE_FETCH_MISALIGNED: return "instruction address misaligned";
    case ISS_CAUSE_FETCH_FAULT:      return "instruction access fault";
    case ISS_CAUSE_ILLEGAL:          return "illegal instruction";
    case ISS_CAUSE_BREAKPOINT:       return "breakpoint";
    case ISS_CAUSE_LOAD_MISALIGNED:  return "load address misaligned";
    case ISS_CAUSE_LOAD_FAULT:       return "load access fault";
    case ISS_CAUSE_STORE_MISALIGNED: return "store address misaligned";
    case ISS_CAUSE_STORE_FAULT:      return "store access fault";
    case ISS_CAUSE_ECALL_U:          return "environment call from U-mode";
    case ISS_CAUSE_ECALL_M:          return "environment call from M-mode";
    default:                         return "unknown exception";
    }
}

/* bounded append */
typedef struct sbuf {
    char *p;
    size_t len, n;
} sbuf;

static void put(sbuf *b, const char *fmt, ...)
{
    if (b->n + 1 >= b->len)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(b->p + b->n, b->len - b->n, fmt, ap);
    va_end(ap);
    if (k < 0)
        return;
    b->n += (size_t)k;
    if (b->n >= b->len)
        b->n = b->len - 1;
}

static int32_t simm(uint32_t v, unsigned bits)
{
    uint32_t m = 1u << (bits - 1);
    uint32_t u = ((v & ((m << 1) - 1u)) ^ m) - m;
    return (u & 0x80000000u) ? -(int32_t)(~u) - 1 : (int32_t)u;
}

static void fence_set(char *o, unsigned bits)
{
    size_t k = 0;
    if (bits & 8u) o[k++] = 'i';
    if (bits & 4u) o[k++] = 'o';
    if (bits & 2u) o[k++] = 'r';
    if (bits & 1u) o[k++] = 'w';
    if (k == 0) o[k++] = '0';
    o[k] = 0;
}

#define MN "%-8s"

int iss_disasm(uint32_t insn, uint32_t pc, char *buf, size_t len)
{
    sbuf b = {buf, len, 0};
    if (!buf || len == 0)
        return -1;
    buf[0] = 0;

    unsigned op = insn & 0x7Fu;
    unsigned rd = (insn >> 7) & 31u, rs1 = (insn >> 15) & 31u, rs2 = (insn >> 20) & 31u;
    unsigned f3 = (insn >> 12) & 7u, f7 = insn >> 25;
    const char *RD = reg_names[rd], *R1 = reg_names[rs1], *R2 = reg_names[rs2];
    int32_t immi = simm(insn >> 20, 12);
    const char *m = NULL;

    switch (op) {
    case 0x37:
        put(&b, MN "%s,0x%x", "lui", RD, insn >> 12);
        return 0;
    case 0x17:
        put(&b, MN "%s,0x%x", "auipc", RD, insn >> 12);
        return 0;
    case 0x6F: {
        uint32_t imm = ((insn >> 31) << 20) | (((insn >> 12) & 0xFFu) << 12) |
                       (((insn >> 20) & 1u) << 11) | (((insn >> 21) & 0x3FFu) << 1);
        put(&b, MN "%s,0x%08x", "jal", RD, pc + (uint32_t)simm(imm, 21));
        return 0;
    }
    case 0x67:
        if (f3 != 0)
            break;
        put(&b, MN "%s,%d(%s)", "jalr", RD, (int)immi, R1);
        return 0;
    case 0x63: {
        static const char *const bn[8] = {"beq", "bne", NULL, NULL, "blt", "bge", "bltu", "bgeu"};
        if (!bn[f3])
            break;
        uint32_t imm = ((insn >> 31) << 12) | (((insn >> 7) & 1u) << 11) |
                       (((insn >> 25) & 0x3Fu) << 5) | (((insn >> 8) & 0xFu) << 1);
        put(&b, MN "%s,%s,0x%08x", bn[f3], R1, R2, pc + (uint32_t)simm(imm, 13));
        return 0;
    }
    case 0x03: {
        static const char *const ln[8] = {"lb", "lh", "lw", NULL, "lbu", "lhu", NULL, NULL};
        if (!ln[f3])
            break;
        put(&b, MN "%s,%d(%s)", ln[f3], RD, (int)immi, R1);
        return 0;
    }
    case 0x23: {
        static const char *const sn[8] = {"sb", "sh", "sw", NULL, NULL, NULL, NULL, NULL};
        if (!sn[f3])
            break;
        int32_t imm = simm(((insn >> 25) << 5) | ((insn >> 7) & 31u), 12);
        put(&b, MN "%s,%d(%s)", sn[f3], R2, (int)imm, R1);
        return 0;
    }
    case 0x13: {
        static const char *const in[8] = {"addi", NULL, "slti", "sltiu", "xori", NULL, "ori", "andi"};
        if (f3 == 1 || f3 == 5) {
            if (f3 == 1 && f7 == 0)
                m = "slli";
            else if (f3 == 5 && f7 == 0)
                m = "srli";
            else if (f3 == 5 && f7 == 0x20)
                m = "srai";
            else
                break;
            put(&b, MN "%s,%s,0x%x", m, RD, R1, rs2);
            return 0;
        }
        put(&b, MN "%s,%s,%d", in[f3], RD, R1, (int)immi);
        return 0;
    }
    case 0x33: {
        static const char *const base[8] = {"add", "sll", "slt", "sltu", "xor", "srl", "or", "and"};
        static const char *const mext[8] = {"mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu"};
        if (f7 == 0)
            m = base[f3];
        else if (f7 == 1)
            m = mext[f3];
        else if (f7 == 0x20 && f3 == 0)
            m = "sub";
        else if (f7 == 0x20 && f3 == 5)
            m = "sra";
        else
            break;
        put(&b, MN "%s,%s,%s", m, RD, R1, R2);
        return 0;
    }
    case 0x0F:
        if (f3 != 0)
            break;
        {
            char p[8], s[8];
            fence_set(p, (insn >> 24) & 15u);
            fence_set(s, (insn >> 20) & 15u);
            put(&b, MN "%s,%s", "fence", p, s);
        }
        return 0;
    case 0x73:
        if (f3 == 0) {
            if (rd != 0 || rs1 != 0)
                break;
            switch (insn >> 20) {
            case 0x000: put(&b, "ecall"); return 0;
            case 0x001: put(&b, "ebreak"); return 0;
            case 0x302: put(&b, "mret"); return 0;
            case 0x105: put(&b, "wfi"); return 0;
            default: break;
            }
            break;
        }
        if (f3 == 4)
            break;
        {
            static const char *const cn[8] = {NULL, "csrrw", "csrrs", "csrrc", NULL, "csrrwi", "csrrsi", "csrrci"};
            unsigned csr = insn >> 20;
            const char *name = iss_csr_name(csr);
            char num[12];
            if (!name) {
                snprintf(num, sizeof num, "0x%x", csr);
                name = num;
            }
            if (f3 & 4u)
                put(&b, MN "%s,%s,%u", cn[f3], RD, name, rs1);
            else
                put(&b, MN "%s,%s,%s", cn[f3], RD, name, R1);
        }
        return 0;
    default:
        break;
    }
    b.n = 0;
    buf[0] = 0;
    put(&b, ".word   0x%08x", insn);
    return -1;
}

int iss_format_trace(const iss *s, const iss_step_info *in, char *buf, size_t len)
{
    sbuf b = {buf, len, 0};
    if (!buf || len == 0)
        return 0;
    buf[0] = 0;
    if (!in)
        return 0;

    char sym[48] = "";
    uint32_t off = 0;
    const char *name = s ? iss_symbol_at(s, in->pc, &off) : NULL;
    if (name && off)
        snprintf(sym, sizeof sym, "<%s+0x%x>", name, (unsigned)off);
    else if (name)
        snprintf(sym, sizeof sym, "<%s>", name);
    else if (in->pc - ISS_ROM_BASE < ISS_ROM_SIZE)
        snprintf(sym, sizeof sym, in->pc == ISS_ROM_BASE ? "<bootrom>" : "<bootrom+0x%x>",
                 (unsigned)(in->pc - ISS_ROM_BASE));

    char dis[64] = "";
    char hex[12] = "--------";
    if (in->insn_valid) {
        iss_disasm(in->insn, in->pc, dis, sizeof dis);
        snprintf(hex, sizeof hex, "%08x", (unsigned)in->insn);
    }
    put(&b, "%10llu %c %08x %-24s %s %-30s", (unsigned long long)in->cycle,
        in->priv == ISS_PRIV_M ? 'M' : 'U', (unsigned)in->pc, sym, hex, dis);

    switch (in->status) {
    case ISS_RETIRED:
    case ISS_HALTED:
        if (!in->retired) {
            put(&b, " halted");
            break;
        }
        if (in->rd)
            put(&b, " %s=0x%08x", reg_names[in->rd], (unsigned)in->rd_value);
        if (in->mem == 'L')
            put(&b, " (load%u 0x%08x)", (unsigned)in->mem_size, (unsigned)in->mem_addr);
        else if (in->mem == 'S')
            put(&b, " mem%u[0x%08x]=0x%0*x", (unsigned)in->mem_size, (unsigned)in->mem_addr,
                (int)(2 * in->mem_size), (unsigned)in->mem_data);
        if (in->status == ISS_HALTED)
            put(&b, " tohost: halt");
        break;
    case ISS_STALLED:
        put(&b, " stall: bus busy at 0x%08x", (unsigned)in->mem_addr);
        break;
    case ISS_EXCEPTION:
    case ISS_INTERRUPT:
        put(&b, " trap: %s (mcause 0x%x, mtval 0x%08x) -> 0x%08x", iss_cause_name(in->cause),
            (unsigned)in->cause, (unsigned)in->tval, (unsigned)in->next_pc);
        break;
    }
    /* trim trailing blanks left by the padding */
    while (b.n > 0 && buf[b.n - 1] == ' ')
        buf[--b.n] = 0;
    return (int)b.n;
}
