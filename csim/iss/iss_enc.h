/*
 * iss_enc.h - RV32IM + Zicsr instruction encoders (header-only).
 *
 * For tests and harness code that builds small programs in memory without a
 * cross-assembler. Written from the base instruction formats of the RISC-V
 * unprivileged specification (R, I, S, B, U, J) and checked against GNU as in
 * tests/unit/test_iss_enc.c. Arguments are register numbers (0..31) and
 * immediates as the assembler takes them: byte offsets for branches and
 * jumps (relative to the instruction), the 20-bit upper value for lui/auipc.
 * Out-of-range fields are truncated to the field width.
 */
#ifndef OPTILE_ISS_ENC_H
#define OPTILE_ISS_ENC_H

#include <stdint.h>

/* ABI register numbers */
enum {
    RV_ZERO = 0, RV_RA = 1, RV_SP = 2, RV_GP = 3, RV_TP = 4, RV_T0 = 5, RV_T1 = 6, RV_T2 = 7,
    RV_S0 = 8, RV_S1 = 9, RV_A0 = 10, RV_A1 = 11, RV_A2 = 12, RV_A3 = 13, RV_A4 = 14,
    RV_A5 = 15, RV_A6 = 16, RV_A7 = 17, RV_S2 = 18, RV_S3 = 19, RV_S4 = 20, RV_S5 = 21,
    RV_S6 = 22, RV_S7 = 23, RV_S8 = 24, RV_S9 = 25, RV_S10 = 26, RV_S11 = 27, RV_T3 = 28,
    RV_T4 = 29, RV_T5 = 30, RV_T6 = 31
};

/* ---- the six formats ------------------------------------------------------- */

/* R-type: funct7 | rs2 | rs1 | funct3 | rd | opcode */
static inline uint32_t rv_r(unsigned f7, unsigned rs2, unsigned rs1, unsigned f3, unsigned rd, unsigned op)
{
    return ((uint32_t)(f7 & 0x7Fu) << 25) | ((uint32_t)(rs2 & 31u) << 20) | ((uint32_t)(rs1 & 31u) << 15) |
           ((uint32_t)(f3 & 7u) << 12) | ((uint32_t)(rd & 31u) << 7) | (op & 0x7Fu);
}

/* I-type: imm[11:0] | rs1 | funct3 | rd | opcode */
static inline uint32_t rv_i(int32_t imm, unsigned rs1, unsigned f3, unsigned rd, unsigned op)
{
    return (((uint32_t)imm & 0xFFFu) << 20) | ((uint32_t)(rs1 & 31u) << 15) | ((uint32_t)(f3 & 7u) << 12) |
           ((uint32_t)(rd & 31u) << 7) | (op & 0x7Fu);
}

/* S-type: imm[11:5] | rs2 | rs1 | funct3 | imm[4:0] | opcode */
static inline uint32_t rv_s(int32_t imm, unsigned rs2, unsigned rs1, unsigned f3, unsigned op)
{
    uint32_t u = (uint32_t)imm;
    return (((u >> 5) & 0x7Fu) << 25) | ((uint32_t)(rs2 & 31u) << 20) | ((uint32_t)(rs1 & 31u) << 15) |
           ((uint32_t)(f3 & 7u) << 12) | ((u & 31u) << 7) | (op & 0x7Fu);
}

/* B-type: imm[12] | imm[10:5] | rs2 | rs1 | funct3 | imm[4:1] | imm[11] | opcode */
static inline uint32_t rv_b(int32_t off, unsigned rs2, unsigned rs1, unsigned f3, unsigned op)
{
    uint32_t u = (uint32_t)off;
    return (((u >> 12) & 1u) << 31) | (((u >> 5) & 0x3Fu) << 25) | ((uint32_t)(rs2 & 31u) << 20) |
           ((uint32_t)(rs1 & 31u) << 15) | ((uint32_t)(f3 & 7u) << 12) | (((u >> 1) & 0xFu) << 8) |
           (((u >> 11) & 1u) << 7) | (op & 0x7Fu);
}

/* U-type: imm[31:12] | rd | opcode (imm20 is the upper 20-bit value) */
static inline uint32_t rv_u(uint32_t imm20, unsigned rd, unsigned op)
{
    return ((imm20 & 0xFFFFFu) << 12) | ((uint32_t)(rd & 31u) << 7) | (op & 0x7Fu);
}

/* J-type: imm[20] | imm[10:1] | imm[11] | imm[19:12] | rd | opcode */
static inline uint32_t rv_j(int32_t off, unsigned rd, unsigned op)
{
    uint32_t u = (uint32_t)off;
    return (((u >> 20) & 1u) << 31) | (((u >> 1) & 0x3FFu) << 21) | (((u >> 11) & 1u) << 20) |
           (((u >> 12) & 0xFFu) << 12) | ((uint32_t)(rd & 31u) << 7) | (op & 0x7Fu);
}

/* ---- opcodes ---------------------------------------------------------------- */
enum {
    RV_OP_LUI = 0x37, RV_OP_AUIPC = 0x17, RV_OP_JAL = 0x6F, RV_OP_JALR = 0x67, RV_OP_BRANCH = 0x63,
    RV_OP_LOAD = 0x03, RV_OP_STORE = 0x23, RV_OP_IMM = 0x13, RV_OP_OP = 0x33, RV_OP_MISC_MEM = 0x0F,
    RV_OP_SYSTEM = 0x73
};

/* ---- RV32I -------------------------------------------------------------------- */
static inline uint32_t rv_lui(unsigned rd, uint32_t imm20) { return rv_u(imm20, rd, RV_OP_LUI); }
static inline uint32_t rv_auipc(unsigned rd, uint32_t imm20) { return rv_u(imm20, rd, RV_OP_AUIPC); }
static inline uint32_t rv_jal(unsigned rd, int32_t off) { return rv_j(off, rd, RV_OP_JAL); }
static inline uint32_t rv_jalr(unsigned rd, unsigned rs1, int32_t imm) { return rv_i(imm, rs1, 0, rd, RV_OP_JALR); }

static inline uint32_t rv_beq(unsigned rs1, unsigned rs2, int32_t off) { return rv_b(off, rs2, rs1, 0, RV_OP_BRANCH); }
static inline uint32_t rv_bne(unsigned rs1, unsigned rs2, int32_t off) { return rv_b(off, rs2, rs1, 1, RV_OP_BRANCH); }
static inline uint32_t rv_blt(unsigned rs1, unsigned rs2, int32_t off) { return rv_b(off, rs2, rs1, 4, RV_OP_BRANCH); }
static inline uint32_t rv_bge(unsigned rs1, unsigned rs2, int32_t off) { return rv_b(off, rs2, rs1, 5, RV_OP_BRANCH); }
static inline uint32_t rv_bltu(unsigned rs1, unsigned rs2, int32_t off) { return rv_b(off, rs2, rs1, 6, RV_OP_BRANCH); }
static inline uint32_t rv_bgeu(unsigned rs1, unsigned rs2, int32_t off) { return rv_b(off, rs2, rs1, 7, RV_OP_BRANCH); }

static inline uint32_t rv_lb(unsigned rd, unsigned rs1, int32_t imm) { return rv_i(imm, rs1, 0, rd, RV_OP_LOAD); }
static inline uint32_t rv_lh(unsigned rd, unsigned rs1, int32_t imm) { return rv_i(imm, rs1, 1, rd, RV_OP_LOAD); }
static inline uint32_t rv_lw(unsigned rd, unsigned rs1, int32_t imm) { return rv_i(imm, rs1, 2, rd, RV_OP_LOAD); }
static inline uint32_t rv_lbu(unsigned rd, unsigned rs1, int32_t imm) { return rv_i(imm, rs1, 4, rd, RV_OP_LOAD); }
static inline uint32_t rv_lhu(unsigned rd, unsigned rs1, int32_t imm) { return rv_i(imm, rs1, 5, rd, RV_OP_LOAD); }
static inline uint32_t rv_sb(unsigned rs2, unsigned rs1, int32_t imm) { return rv_s(imm, rs2, rs1, 0, RV_OP_STORE); }
static inline uint32_t rv_sh(unsigned rs2, unsigned rs1, int32_t imm) { return rv_s(imm, rs2, rs1, 1, RV_OP_STORE); }
static inline uint32_t rv_sw(unsigned rs2, unsigned rs1, int32_t imm) { return rv_s(imm, rs2, rs1, 2, RV_OP_STORE); }

static inline uint32_t rv_addi(unsigned rd, unsigned rs1, int32_t imm) { return rv_i(imm, rs1, 0, rd, RV_OP_IMM); }
static inline uint32_t rv_slti(unsigned rd, unsigned rs1, int32_t imm) { return rv_i(imm, rs1, 2, rd, RV_OP_IMM); }
static inline uint32_t rv_sltiu(unsigned rd, unsigned rs1, int32_t imm) { return rv_i(imm, rs1, 3, rd, RV_OP_IMM); }
static inline uint32_t rv_xori(unsigned rd, unsigned rs1, int32_t imm) { return rv_i(imm, rs1, 4, rd, RV_OP_IMM); }
static inline uint32_t rv_ori(unsigned rd, unsigned rs1, int32_t imm) { return rv_i(imm, rs1, 6, rd, RV_OP_IMM); }
static inline uint32_t rv_andi(unsigned rd, unsigned rs1, int32_t imm) { return rv_i(imm, rs1, 7, rd, RV_OP_IMM); }
static inline uint32_t rv_slli(unsigned rd, unsigned rs1, unsigned sh) { return rv_r(0x00, sh, rs1, 1, rd, RV_OP_IMM); }
static inline uint32_t rv_srli(unsigned rd, unsigned rs1, unsigned sh) { return rv_r(0x00, sh, rs1, 5, rd, RV_OP_IMM); }
static inline uint32_t rv_srai(unsigned rd, unsigned rs1, unsigned sh) { return rv_r(0x20, sh, rs1, 5, rd, RV_OP_IMM); }

static inline uint32_t rv_add(unsigned rd, unsigned rs1, unsigned rs2) { return rv_r(0x00, rs2, rs1, 0, rd, RV_OP_OP); }
static inline uint32_t rv_sub(unsigned rd, unsigned rs1, unsigned rs2) { return rv_r(0x20, rs2, rs1, 0, rd, RV_OP_OP); }
static inline uint32_t rv_sll(unsigned rd, unsigned rs1, unsigned rs2) { return rv_r(0x00, rs2, rs1, 1, rd, RV_OP_OP); }
static inline uint32_t rv_slt(unsigned rd, unsigned rs1, unsigned rs2) { return rv_r(0x00, rs2, rs1, 2, rd, RV_OP_OP); }
static inline uint32_t rv_sltu(unsigned rd, unsigned rs1, unsigned rs2) { return rv_r(0x00, rs2, rs1, 3, rd, RV_OP_OP); }
static inline uint32_t rv_xor(unsigned rd, unsigned rs1, unsigned rs2) { return rv_r(0x00, rs2, rs1, 4, rd, RV_OP_OP); }
static inline uint32_t rv_srl(unsigned rd, unsigned rs1, unsigned rs2) { return rv_r(0x00, rs2, rs1, 5, rd, RV_OP_OP); }
static inline uint32_t rv_sra(unsigned rd, unsigned rs1, unsigned rs2) { return rv_r(0x20, rs2, rs1, 5, rd, RV_OP_OP); }
static inline uint32_t rv_or(unsigned rd, unsigned rs1, unsigned rs2) { return rv_r(0x00, rs2, rs1, 6, rd, RV_OP_OP); }
static inline uint32_t rv_and(unsigned rd, unsigned rs1, unsigned rs2) { return rv_r(0x00, rs2, rs1, 7, rd, RV_OP_OP); }

/* fence with predecessor/successor sets (bits i=8, o=4, r=2, w=1) */
static inline uint32_t rv_fence(unsigned pred, unsigned succ)
{
    return rv_i((int32_t)(((pred & 15u) << 4) | (succ & 15u)), 0, 0, 0, RV_OP_MISC_MEM);
}
static inline uint32_t rv_ecall(void) { return rv_i(0x000, 0, 0, 0, RV_OP_SYSTEM); }
static inline uint32_t rv_ebreak(void) { return rv_i(0x001, 0, 0, 0, RV_OP_SYSTEM); }
static inline uint32_t rv_mret(void) { return rv_i(0x302, 0, 0, 0, RV_OP_SYSTEM); }
static inline uint32_t rv_wfi(void) { return rv_i(0x105, 0, 0, 0, RV_OP_SYSTEM); }
/* the canonical no-op: addi zero, zero, 0 */
static inline uint32_t rv_nop(void) { return rv_addi(0, 0, 0); }

/* ---- M ---------------------------------------------------------------------------- */
static inline uint32_t rv_mul(unsigned rd, unsigned rs1, unsigned rs2) { return rv_r(1, rs2, rs1, 0, rd, RV_OP_OP); }
static inline uint32_t rv_mulh(unsigned rd, unsigned rs1, unsigned rs2) { return rv_r(1, rs2, rs1, 1, rd, RV_OP_OP); }
static inline uint32_t rv_mulhsu(unsigned rd, unsigned rs1, unsigned rs2) { return rv_r(1, rs2, rs1, 2, rd, RV_OP_OP); }
static inline uint32_t rv_mulhu(unsigned rd, unsigned rs1, unsigned rs2) { return rv_r(1, rs2, rs1, 3, rd, RV_OP_OP); }
static inline uint32_t rv_div(unsigned rd, unsigned rs1, unsigned rs2) { return rv_r(1, rs2, rs1, 4, rd, RV_OP_OP); }
static inline uint32_t rv_divu(unsigned rd, unsigned rs1, unsigned rs2) { return rv_r(1, rs2, rs1, 5, rd, RV_OP_OP); }
static inline uint32_t rv_rem(unsigned rd, unsigned rs1, unsigned rs2) { return rv_r(1, rs2, rs1, 6, rd, RV_OP_OP); }
static inline uint32_t rv_remu(unsigned rd, unsigned rs1, unsigned rs2) { return rv_r(1, rs2, rs1, 7, rd, RV_OP_OP); }

/* ---- Zicsr -------------------------------------------------------------------------- */
static inline uint32_t rv_csrrw(unsigned rd, unsigned csr, unsigned rs1) { return rv_i((int32_t)(csr & 0xFFFu), rs1, 1, rd, RV_OP_SYSTEM); }
static inline uint32_t rv_csrrs(unsigned rd, unsigned csr, unsigned rs1) { return rv_i((int32_t)(csr & 0xFFFu), rs1, 2, rd, RV_OP_SYSTEM); }
static inline uint32_t rv_csrrc(unsigned rd, unsigned csr, unsigned rs1) { return rv_i((int32_t)(csr & 0xFFFu), rs1, 3, rd, RV_OP_SYSTEM); }
static inline uint32_t rv_csrrwi(unsigned rd, unsigned csr, unsigned uimm) { return rv_i((int32_t)(csr & 0xFFFu), uimm, 5, rd, RV_OP_SYSTEM); }
static inline uint32_t rv_csrrsi(unsigned rd, unsigned csr, unsigned uimm) { return rv_i((int32_t)(csr & 0xFFFu), uimm, 6, rd, RV_OP_SYSTEM); }
static inline uint32_t rv_csrrci(unsigned rd, unsigned csr, unsigned uimm) { return rv_i((int32_t)(csr & 0xFFFu), uimm, 7, rd, RV_OP_SYSTEM); }

#endif /* OPTILE_ISS_ENC_H */
