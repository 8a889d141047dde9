/*
 * test_iss_alu.c - RV32IM computational and control-transfer instructions
 * on the ISS: every register-register and register-immediate operation on
 * edge-case operands against a reference written here by a different method
 * (64-bit integer arithmetic, multiplication and floor division instead of
 * shifts and bit tricks), plus LUI/AUIPC, branches in both directions,
 * JAL/JALR, x0, and the per-instruction counters.
 *
 * The division corner cases (divide by zero, INT_MIN / -1) are the values
 * of the table in the RISC-V unprivileged specification, chapter "M".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "iss/iss.h"
#include "iss/iss_enc.h"

#define AT (ISS_RAM_BASE + 0x100u) /* where single instructions are placed */

static int setup(void **state)
{
    char err[128];
    iss *s = iss_new(NULL, err, sizeof err);
    if (!s) {
        fprintf(stderr, "iss_new: %s\n", err);
        return -1;
    }
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    iss_free(*state);
    return 0;
}

/* execute one instruction at AT; it must retire */
static void exec1(iss *s, uint32_t insn)
{
    assert_int_equal(iss_load_words(s, AT, &insn, 1), 0);
    iss_set_pc(s, AT);
    iss_status st = iss_step(s);
    if (st != ISS_RETIRED) {
        char d[64];
        uint32_t cause = 0;
        iss_disasm(insn, AT, d, sizeof d);
        iss_csr_read(s, ISS_CSR_MCAUSE, &cause);
        fail_msg("'%s' did not retire: status %d, mcause %u", d, (int)st, (unsigned)cause);
    }
}

/* ---- reference model: plain 64-bit arithmetic ----------------------------- */

static int64_t sv(uint32_t x) { return x >= 0x80000000u ? (int64_t)x - 4294967296LL : (int64_t)x; }
static uint32_t wrap(int64_t v) { return (uint32_t)(((v % 4294967296LL) + 4294967296LL) % 4294967296LL); }
static int64_t pow2(unsigned n) { return (int64_t)1 << n; }
/* floor(a / b) for b > 0 */
static int64_t floordiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && a < 0); }
/* the high word of a 64-bit product, by floor division by 2^32 (not a shift) */
static uint32_t high(int64_t product) { return wrap(floordiv(product, 4294967296LL)); }
static uint32_t high_u(uint64_t product) { return (uint32_t)(product / 4294967296ULL); }

typedef enum { ADD, SUB, SLL, SLT, SLTU, XOR, SRL, SRA, OR, AND, MUL, MULH, MULHSU, MULHU, DIV, DIVU, REM, REMU, NOPS } op;
static const char *const op_names[NOPS] = {"add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and",
                                           "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu"};

static uint32_t ref(op o, uint32_t a, uint32_t b)
{
    unsigned sh = b % 32u;
    switch (o) {
    case ADD: return wrap((int64_t)a + b);
    case SUB: return wrap((int64_t)a - b);
    case SLL: return wrap((int64_t)a * pow2(sh));
    case SLT: return sv(a) < sv(b);
    case SLTU: return a < b;
    case XOR: return a ^ b;
    case SRL: return (uint32_t)(a / (uint64_t)pow2(sh));
    case SRA: return wrap(floordiv(sv(a), pow2(sh)));
    case OR: return a | b;
    case AND: return a & b;
    case MUL: return (uint32_t)(((uint64_t)a * b) % 4294967296ULL);
    case MULH: return high(sv(a) * sv(b));
    case MULHSU: return high(sv(a) * (int64_t)b);
    case MULHU: return high_u((uint64_t)a * b);
    case DIV:
        if (b == 0) return 0xFFFFFFFFu;                   /* spec: -1 */
        if (sv(a) == -2147483648LL && sv(b) == -1) return a; /* spec: overflow gives the dividend */
        return wrap(sv(a) / sv(b));
    case DIVU: return b == 0 ? 0xFFFFFFFFu : a / b;       /* spec: 2^32 - 1 */
    case REM:
        if (b == 0) return a;                              /* spec: the dividend */
        if (sv(a) == -2147483648LL && sv(b) == -1) return 0;
        return wrap(sv(a) % sv(b));
    case REMU: return b == 0 ? a : a % b;
    default: return 0;
    }
}

static uint32_t enc_rr(op o, unsigned rd, unsigned rs1, unsigned rs2)
{
    switch (o) {
    case ADD: return rv_add(rd, rs1, rs2);
    case SUB: return rv_sub(rd, rs1, rs2);
    case SLL: return rv_sll(rd, rs1, rs2);
    case SLT: return rv_slt(rd, rs1, rs2);
    case SLTU: return rv_sltu(rd, rs1, rs2);
    case XOR: return rv_xor(rd, rs1, rs2);
    case SRL: return rv_srl(rd, rs1, rs2);
    case SRA: return rv_sra(rd, rs1, rs2);
    case OR: return rv_or(rd, rs1, rs2);
    case AND: return rv_and(rd, rs1, rs2);
    case MUL: return rv_mul(rd, rs1, rs2);
    case MULH: return rv_mulh(rd, rs1, rs2);
    case MULHSU: return rv_mulhsu(rd, rs1, rs2);
    case MULHU: return rv_mulhu(rd, rs1, rs2);
    case DIV: return rv_div(rd, rs1, rs2);
    case DIVU: return rv_divu(rd, rs1, rs2);
    case REM: return rv_rem(rd, rs1, rs2);
    default: return rv_remu(rd, rs1, rs2);
    }
}

static const uint32_t operands[] = {
    0u, 1u, 2u, 3u, 5u, 31u, 32u, 33u, 0x7FFu, 0x800u, 0x7FFFFFFFu, 0x80000000u, 0x80000001u,
    0xFFFFFFFFu, 0xFFFFFFFEu, 0xFFFFFFF9u, 0x12345678u, 0xDEADBEEFu, 0x0000FFFFu, 0xFFFF0000u, 0x55555555u,
};
#define NOPER (sizeof operands / sizeof operands[0])

static void test_register_register_ops(void **state)
{
    iss *s = *state;
    for (int o = 0; o < NOPS; o++)
        for (size_t i = 0; i < NOPER; i++)
            for (size_t j = 0; j < NOPER; j++) {
                uint32_t a = operands[i], b = operands[j];
                iss_set_reg(s, RV_A1, a);
                iss_set_reg(s, RV_A2, b);
                exec1(s, enc_rr((op)o, RV_A0, RV_A1, RV_A2));
                uint32_t want = ref((op)o, a, b), got = iss_reg(s, RV_A0);
                if (got != want)
                    fail_msg("%s 0x%08x, 0x%08x = 0x%08x, expected 0x%08x", op_names[o], (unsigned)a,
                             (unsigned)b, (unsigned)got, (unsigned)want);
            }
}

/* Negative test: the reference above is not trivially equal to the ISS for a wrong op. */
static void test_checker_catches_wrong_result(void **state)
{
    iss *s = *state;
    iss_set_reg(s, RV_A1, 0x80000000u);
    iss_set_reg(s, RV_A2, 0xFFFFFFFFu);
    exec1(s, rv_mulhu(RV_A0, RV_A1, RV_A2)); /* unsigned: the signed reference must differ */
    assert_int_not_equal(iss_reg(s, RV_A0), ref(MULH, 0x80000000u, 0xFFFFFFFFu));
    exec1(s, rv_div(RV_A0, RV_A1, RV_A2));
    assert_int_not_equal(iss_reg(s, RV_A0), ref(DIVU, 0x80000000u, 0xFFFFFFFFu));
}

static const int32_t imms[] = {0, 1, -1, 2, 5, 31, 2047, -2048, 0x555, -0x556, 100, -100};
#define NIMM (sizeof imms / sizeof imms[0])

static void test_register_immediate_ops(void **state)
{
    iss *s = *state;
    for (size_t i = 0; i < NOPER; i++)
        for (size_t j = 0; j < NIMM; j++) {
            uint32_t a = operands[i];
            int32_t imm = imms[j];
            uint32_t b = wrap(imm); /* the sign-extended immediate */
            struct { uint32_t insn; op o; const char *name; } cases[] = {
                {rv_addi(RV_A0, RV_A1, imm), ADD, "addi"},
                {rv_slti(RV_A0, RV_A1, imm), SLT, "slti"},
                {rv_sltiu(RV_A0, RV_A1, imm), SLTU, "sltiu"},
                {rv_xori(RV_A0, RV_A1, imm), XOR, "xori"},
                {rv_ori(RV_A0, RV_A1, imm), OR, "ori"},
                {rv_andi(RV_A0, RV_A1, imm), AND, "andi"},
            };
            for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
                iss_set_reg(s, RV_A1, a);
                exec1(s, cases[k].insn);
                uint32_t want = ref(cases[k].o, a, b), got = iss_reg(s, RV_A0);
                if (got != want)
                    fail_msg("%s 0x%08x, %d = 0x%08x, expected 0x%08x", cases[k].name, (unsigned)a, (int)imm,
                             (unsigned)got, (unsigned)want);
            }
        }
    for (size_t i = 0; i < NOPER; i++)
        for (unsigned sh = 0; sh < 32; sh++) {
            uint32_t a = operands[i];
            struct { uint32_t insn; op o; const char *name; } cases[] = {
                {rv_slli(RV_A0, RV_A1, sh), SLL, "slli"},
                {rv_srli(RV_A0, RV_A1, sh), SRL, "srli"},
                {rv_srai(RV_A0, RV_A1, sh), SRA, "srai"},
            };
            for (size_t k = 0; k < 3; k++) {
                iss_set_reg(s, RV_A1, a);
                exec1(s, cases[k].insn);
                uint32_t want = ref(cases[k].o, a, sh), got = iss_reg(s, RV_A0);
                if (got != want)
                    fail_msg("%s 0x%08x, %u = 0x%08x, expected 0x%08x", cases[k].name, (unsigned)a, sh,
                             (unsigned)got, (unsigned)want);
            }
        }
}

static void test_shift_edges(void **state)
{
    iss *s = *state;
    iss_set_reg(s, RV_A1, 0x80000000u);
    exec1(s, rv_srai(RV_A0, RV_A1, 31));
    assert_int_equal(iss_reg(s, RV_A0), 0xFFFFFFFFu);
    exec1(s, rv_srli(RV_A0, RV_A1, 31));
    assert_int_equal(iss_reg(s, RV_A0), 1u);
    iss_set_reg(s, RV_A1, 1u);
    exec1(s, rv_slli(RV_A0, RV_A1, 31));
    assert_int_equal(iss_reg(s, RV_A0), 0x80000000u);
    /* register shifts use only the low 5 bits of rs2: 32 shifts by 0, 33 by 1 */
    iss_set_reg(s, RV_A1, 0x80000001u);
    iss_set_reg(s, RV_A2, 32u);
    exec1(s, rv_sra(RV_A0, RV_A1, RV_A2));
    assert_int_equal(iss_reg(s, RV_A0), 0x80000001u);
    iss_set_reg(s, RV_A2, 33u);
    exec1(s, rv_sll(RV_A0, RV_A1, RV_A2));
    assert_int_equal(iss_reg(s, RV_A0), 2u);
    iss_set_reg(s, RV_A2, 0xFFFFFFFFu); /* 31 */
    exec1(s, rv_srl(RV_A0, RV_A1, RV_A2));
    assert_int_equal(iss_reg(s, RV_A0), 1u);
    /* shift-immediate encodings with imm[11:5] other than 0 / 0x20 are illegal */
    uint32_t bad = rv_r(0x20, 3, RV_A1, 1, RV_A0, RV_OP_IMM); /* "slai" */
    iss_load_words(s, AT, &bad, 1);
    iss_set_pc(s, AT);
    assert_int_equal(iss_step(s), ISS_EXCEPTION);
}

static void test_slt_signed_unsigned(void **state)
{
    iss *s = *state;
    iss_set_reg(s, RV_A1, 0xFFFFFFFFu); /* -1 / 4294967295 */
    iss_set_reg(s, RV_A2, 1u);
    exec1(s, rv_slt(RV_A0, RV_A1, RV_A2));
    assert_int_equal(iss_reg(s, RV_A0), 1u);
    exec1(s, rv_sltu(RV_A0, RV_A1, RV_A2));
    assert_int_equal(iss_reg(s, RV_A0), 0u);
    exec1(s, rv_slti(RV_A0, RV_A2, -1));
    assert_int_equal(iss_reg(s, RV_A0), 0u);
    exec1(s, rv_sltiu(RV_A0, RV_A2, -1)); /* 1 < 0xFFFFFFFF: the immediate is sign-extended first */
    assert_int_equal(iss_reg(s, RV_A0), 1u);
    /* sltu rd, x0, rs: rs != 0 */
    exec1(s, rv_sltu(RV_A0, RV_ZERO, RV_A2));
    assert_int_equal(iss_reg(s, RV_A0), 1u);
    iss_set_reg(s, RV_A1, 0x80000000u);
    iss_set_reg(s, RV_A2, 0x7FFFFFFFu);
    exec1(s, rv_slt(RV_A0, RV_A1, RV_A2));
    assert_int_equal(iss_reg(s, RV_A0), 1u);
    exec1(s, rv_sltu(RV_A0, RV_A1, RV_A2));
    assert_int_equal(iss_reg(s, RV_A0), 0u);
}

static void test_mul_div_extremes(void **state)
{
    iss *s = *state;
    struct { uint32_t insn, a, b, want; } c[] = {
        /* products of the signed extremes (2^31 * 2^31 = 2^62; -2^31 * (2^31 - 1)) */
        {rv_mulh(RV_A0, RV_A1, RV_A2), 0x80000000u, 0x80000000u, 0x40000000u},
        {rv_mul(RV_A0, RV_A1, RV_A2), 0x80000000u, 0x80000000u, 0u},
        {rv_mulh(RV_A0, RV_A1, RV_A2), 0x80000000u, 0x7FFFFFFFu, 0xC0000000u},
        {rv_mulhsu(RV_A0, RV_A1, RV_A2), 0x80000000u, 0xFFFFFFFFu, 0x80000000u},
        {rv_mulhsu(RV_A0, RV_A1, RV_A2), 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu},
        {rv_mulhu(RV_A0, RV_A1, RV_A2), 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFEu},
        {rv_mulh(RV_A0, RV_A1, RV_A2), 0xFFFFFFFFu, 0xFFFFFFFFu, 0u},
        /* the specification's table of division corner cases */
        {rv_div(RV_A0, RV_A1, RV_A2), 1234u, 0u, 0xFFFFFFFFu},
        {rv_divu(RV_A0, RV_A1, RV_A2), 1234u, 0u, 0xFFFFFFFFu},
        {rv_rem(RV_A0, RV_A1, RV_A2), 1234u, 0u, 1234u},
        {rv_remu(RV_A0, RV_A1, RV_A2), 1234u, 0u, 1234u},
        {rv_div(RV_A0, RV_A1, RV_A2), 0x80000000u, 0xFFFFFFFFu, 0x80000000u},
        {rv_rem(RV_A0, RV_A1, RV_A2), 0x80000000u, 0xFFFFFFFFu, 0u},
        /* rounding toward zero, remainder with the dividend's sign */
        {rv_div(RV_A0, RV_A1, RV_A2), (uint32_t)-7, 2u, (uint32_t)-3},
        {rv_rem(RV_A0, RV_A1, RV_A2), (uint32_t)-7, 2u, (uint32_t)-1},
        {rv_div(RV_A0, RV_A1, RV_A2), 7u, (uint32_t)-2, (uint32_t)-3},
        {rv_rem(RV_A0, RV_A1, RV_A2), 7u, (uint32_t)-2, 1u},
        {rv_divu(RV_A0, RV_A1, RV_A2), (uint32_t)-7, 2u, 0x7FFFFFFCu},
        {rv_remu(RV_A0, RV_A1, RV_A2), (uint32_t)-7, 2u, 1u},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        iss_set_reg(s, RV_A1, c[i].a);
        iss_set_reg(s, RV_A2, c[i].b);
        exec1(s, c[i].insn);
        if (iss_reg(s, RV_A0) != c[i].want) {
            char d[64];
            iss_disasm(c[i].insn, AT, d, sizeof d);
            fail_msg("case %zu %s 0x%08x, 0x%08x = 0x%08x, expected 0x%08x", i, d, (unsigned)c[i].a,
                     (unsigned)c[i].b, (unsigned)iss_reg(s, RV_A0), (unsigned)c[i].want);
        }
    }
    /* rd equal to a source: the old value is used */
    iss_set_reg(s, RV_A1, 100u);
    iss_set_reg(s, RV_A2, 7u);
    exec1(s, rv_rem(RV_A1, RV_A1, RV_A2));
    assert_int_equal(iss_reg(s, RV_A1), 2u);
}

static void test_lui_auipc(void **state)
{
    iss *s = *state;
    exec1(s, rv_lui(RV_A0, 0xABCDEu));
    assert_int_equal(iss_reg(s, RV_A0), 0xABCDE000u);
    exec1(s, rv_lui(RV_A0, 0xFFFFFu));
    assert_int_equal(iss_reg(s, RV_A0), 0xFFFFF000u);
    exec1(s, rv_auipc(RV_A0, 0));
    assert_int_equal(iss_reg(s, RV_A0), AT);
    exec1(s, rv_auipc(RV_A0, 0x1u));
    assert_int_equal(iss_reg(s, RV_A0), AT + 0x1000u);
    exec1(s, rv_auipc(RV_A0, 0x80000u)); /* wraps modulo 2^32 */
    assert_int_equal(iss_reg(s, RV_A0), AT + 0x80000000u);
    exec1(s, rv_auipc(RV_A0, 0xFFFFFu)); /* pc - 4096 */
    assert_int_equal(iss_reg(s, RV_A0), AT - 0x1000u);
}

/* one branch at AT with offset off: returns the pc afterwards */
static uint32_t branch(iss *s, uint32_t insn)
{
    exec1(s, insn);
    return iss_pc(s);
}

static void test_branches(void **state)
{
    iss *s = *state;
    struct { uint32_t (*enc)(unsigned, unsigned, int32_t); uint32_t a, b; int taken; const char *name; } c[] = {
        {rv_beq, 5, 5, 1, "beq"},          {rv_beq, 5, 6, 0, "beq"},
        {rv_bne, 5, 6, 1, "bne"},          {rv_bne, 7, 7, 0, "bne"},
        {rv_blt, 0xFFFFFFFFu, 0, 1, "blt"}, {rv_blt, 0, 0xFFFFFFFFu, 0, "blt"}, {rv_blt, 3, 3, 0, "blt"},
        {rv_blt, 0x80000000u, 0x7FFFFFFFu, 1, "blt"},
        {rv_bge, 0, 0xFFFFFFFFu, 1, "bge"}, {rv_bge, 3, 3, 1, "bge"}, {rv_bge, 0xFFFFFFFFu, 0, 0, "bge"},
        {rv_bltu, 0, 0xFFFFFFFFu, 1, "bltu"}, {rv_bltu, 0xFFFFFFFFu, 0, 0, "bltu"}, {rv_bltu, 3, 3, 0, "bltu"},
        {rv_bgeu, 0xFFFFFFFFu, 0, 1, "bgeu"}, {rv_bgeu, 3, 3, 1, "bgeu"}, {rv_bgeu, 0, 1, 0, "bgeu"},
    };
    const int32_t offs[] = {8, -8, 4094 - 2, -4096, 4};
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        for (size_t k = 0; k < sizeof offs / sizeof offs[0]; k++) {
            iss_set_reg(s, RV_A1, c[i].a);
            iss_set_reg(s, RV_A2, c[i].b);
            uint32_t pc = branch(s, c[i].enc(RV_A1, RV_A2, offs[k]));
            uint32_t want = c[i].taken ? AT + (uint32_t)offs[k] : AT + 4u;
            if (pc != want)
                fail_msg("%s 0x%08x, 0x%08x, %d: pc 0x%08x, expected 0x%08x", c[i].name, (unsigned)c[i].a,
                         (unsigned)c[i].b, (int)offs[k], (unsigned)pc, (unsigned)want);
        }
}

static void test_jal_jalr(void **state)
{
    iss *s = *state;
    exec1(s, rv_jal(RV_RA, 0x800));
    assert_int_equal(iss_pc(s), AT + 0x800u);
    assert_int_equal(iss_reg(s, RV_RA), AT + 4u);
    exec1(s, rv_jal(RV_RA, -0x100));
    assert_int_equal(iss_pc(s), AT - 0x100u);
    /* rd = x0: no link */
    exec1(s, rv_jal(RV_ZERO, 16));
    assert_int_equal(iss_reg(s, RV_ZERO), 0u);
    /* jalr clears bit 0 of the sum */
    iss_set_reg(s, RV_T0, ISS_RAM_BASE + 0x201u);
    exec1(s, rv_jalr(RV_RA, RV_T0, 0));
    assert_int_equal(iss_pc(s), ISS_RAM_BASE + 0x200u);
    assert_int_equal(iss_reg(s, RV_RA), AT + 4u);
    iss_set_reg(s, RV_T0, ISS_RAM_BASE + 0x300u);
    exec1(s, rv_jalr(RV_RA, RV_T0, -255)); /* 0x300 - 255 = 0x201 -> 0x200 */
    assert_int_equal(iss_pc(s), ISS_RAM_BASE + 0x200u);
    /* rd = rs1: the target uses the old value */
    iss_set_reg(s, RV_T0, ISS_RAM_BASE + 0x400u);
    exec1(s, rv_jalr(RV_T0, RV_T0, 4));
    assert_int_equal(iss_pc(s), ISS_RAM_BASE + 0x404u);
    assert_int_equal(iss_reg(s, RV_T0), AT + 4u);
    /* jalr with funct3 != 0 is illegal */
    uint32_t bad = rv_i(0, RV_T0, 1, RV_RA, RV_OP_JALR);
    iss_load_words(s, AT, &bad, 1);
    iss_set_pc(s, AT);
    assert_int_equal(iss_step(s), ISS_EXCEPTION);
}

static void test_x0_is_zero(void **state)
{
    iss *s = *state;
    exec1(s, rv_addi(RV_ZERO, RV_ZERO, 5));
    assert_int_equal(iss_reg(s, 0), 0u);
    exec1(s, rv_lui(RV_ZERO, 0x12345u));
    assert_int_equal(iss_reg(s, 0), 0u);
    assert_int_equal(iss_set_reg(s, 0, 7u), 0);
    assert_int_equal(iss_reg(s, 0), 0u);
    assert_int_equal(iss_set_reg(s, 32, 7u), -1);
    assert_int_equal(iss_reg(s, 32), 0u);
    /* fence and wfi are no-ops that retire */
    uint64_t n = iss_instret(s);
    exec1(s, rv_fence(15, 15));
    exec1(s, rv_wfi());
    exec1(s, rv_nop());
    assert_int_equal(iss_instret(s), n + 3);
}

static void test_counters_per_instruction(void **state)
{
    iss *s = *state;
    iss_reset(s);
    uint32_t prog[] = {rv_addi(RV_A0, RV_ZERO, 1), rv_addi(RV_A0, RV_A0, 1), rv_addi(RV_A0, RV_A0, 1)};
    iss_load_words(s, ISS_RAM_BASE, prog, 3);
    /* from reset: two trampoline instructions, then the program */
    for (int i = 0; i < 5; i++)
        assert_int_equal(iss_step(s), ISS_RETIRED);
    assert_int_equal(iss_reg(s, RV_A0), 3u);
    assert_int_equal(iss_cycles(s), 5u);
    assert_int_equal(iss_instret(s), 5u);
    assert_int_equal(iss_pc(s), ISS_RAM_BASE + 12u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_register_register_ops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checker_catches_wrong_result, setup, teardown),
        cmocka_unit_test_setup_teardown(test_register_immediate_ops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shift_edges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slt_signed_unsigned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mul_div_extremes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lui_auipc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_branches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jal_jalr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_x0_is_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counters_per_instruction, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
