/*
 * test_iss_csr.c - the Zicsr instructions and every CSR of docs/spec.md 3.4:
 * which of the 4096 addresses exist in M and in U mode, read-only CSRs
 * trapping on every writing form, the read-modify-write semantics of
 * csrrw/csrrs/csrrc and their immediate forms, the WARL legalisation of
 * each writable CSR, mcounteren gating, and the counters (one per cycle /
 * per retired instruction, written values seen by the next instruction,
 * carry into the high half).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "iss/iss.h"
#include "iss/iss_enc.h"

#define AT    (ISS_RAM_BASE + 0x100u)
#define TRAPV (ISS_RAM_BASE + 0x40u)

/* The CSRs spec section 3.4 lists, written out here independently of the ISS. */
static const struct { unsigned addr; int read_only; int user; } csrs[] = {
    {0x300, 0, 0}, {0x301, 0, 0}, {0x304, 0, 0}, {0x305, 0, 0}, {0x306, 0, 0}, {0x310, 0, 0},
    {0x340, 0, 0}, {0x341, 0, 0}, {0x342, 0, 0}, {0x343, 0, 0}, {0x344, 0, 0},
    {0xB00, 0, 0}, {0xB02, 0, 0}, {0xB80, 0, 0}, {0xB82, 0, 0},
    {0xC00, 1, 1}, {0xC02, 1, 1}, {0xC80, 1, 1}, {0xC82, 1, 1},
    {0xF11, 1, 0}, {0xF12, 1, 0}, {0xF13, 1, 0}, {0xF14, 1, 0}, {0xF15, 1, 0},
};
#define NCSR (sizeof csrs / sizeof csrs[0])

static int find_csr(unsigned a)
{
    for (size_t i = 0; i < NCSR; i++)
        if (csrs[i].addr == a)
            return (int)i;
    return -1;
}

static int setup(void **state)
{
    iss *s = iss_new(NULL, NULL, 0);
    *state = s;
    if (!s)
        return -1;
    iss_csr_write(s, ISS_CSR_MTVEC, TRAPV);
    return 0;
}

static int teardown(void **state)
{
    iss_free(*state);
    return 0;
}

static uint32_t csr(const iss *s, unsigned n)
{
    uint32_t v = 0;
    assert_int_equal(iss_csr_read(s, n, &v), 0);
    return v;
}

static iss_status run1(iss *s, uint32_t insn)
{
    iss_load_words(s, AT, &insn, 1);
    iss_set_pc(s, AT);
    return iss_step(s);
}

static int is_illegal(iss *s, uint32_t insn)
{
    iss_status st = run1(s, insn);
    if (st == ISS_RETIRED)
        return 0;
    assert_int_equal(st, ISS_EXCEPTION);
    assert_int_equal(csr(s, ISS_CSR_MCAUSE), ISS_CAUSE_ILLEGAL);
    assert_int_equal(csr(s, ISS_CSR_MTVAL), insn);
    assert_int_equal(csr(s, ISS_CSR_MEPC), AT);
    return 1;
}

/* executes mret with MPP = U: the hart continues at AT in U mode */
static void enter_user(iss *s)
{
    uint32_t st = csr(s, ISS_CSR_MSTATUS) & ~ISS_MSTATUS_MPP;
    iss_csr_write(s, ISS_CSR_MSTATUS, st);
    iss_csr_write(s, ISS_CSR_MEPC, AT);
    uint32_t mret = rv_mret();
    iss_load_words(s, AT - 4u, &mret, 1);
    iss_set_pc(s, AT - 4u);
    assert_int_equal(iss_step(s), ISS_RETIRED);
    assert_int_equal(iss_priv(s), ISS_PRIV_U);
    assert_int_equal(iss_pc(s), AT);
}

static void test_which_csrs_exist_in_m(void **state)
{
    iss *s = *state;
    int n = 0;
    for (unsigned a = 0; a < 4096; a++) {
        int want = find_csr(a) >= 0;
        int got = !is_illegal(s, rv_csrrs(RV_A0, a, RV_ZERO));
        if (want != got)
            fail_msg("CSR 0x%03x: reading it in M %s", a, got ? "works, but it is not in the spec" : "traps");
        n += got;
        /* the backdoor agrees */
        assert_int_equal(iss_csr_read(s, a, NULL) == 0, want);
        assert_int_equal(iss_csr_name(a) != NULL, want);
    }
    assert_int_equal(n, (int)NCSR);
}

static void test_which_csrs_exist_in_u(void **state)
{
    iss *s = *state;
    for (unsigned a = 0; a < 4096; a++) {
        int i = find_csr(a);
        int want = i >= 0 && csrs[i].user; /* mcounteren = CY|IR at reset */
        enter_user(s);
        int got = !is_illegal(s, rv_csrrs(RV_A0, a, RV_ZERO));
        if (want != got)
            fail_msg("CSR 0x%03x: reading it in U %s", a, got ? "works" : "traps");
        if (got)
            assert_int_equal(iss_priv(s), ISS_PRIV_U);
        else
            assert_int_equal(iss_priv(s), ISS_PRIV_M); /* the trap went to M */
        iss_csr_write(s, ISS_CSR_MSTATUS, csr(s, ISS_CSR_MSTATUS) | ISS_MSTATUS_MPP);
        iss_reset(s);
        iss_csr_write(s, ISS_CSR_MTVEC, TRAPV);
    }
}

static void test_mcounteren_gates_user_counters(void **state)
{
    iss *s = *state;
    const struct { unsigned csr, bit; } c[] = {
        {ISS_CSR_CYCLE, 0}, {ISS_CSR_CYCLEH, 0}, {ISS_CSR_INSTRET, 2}, {ISS_CSR_INSTRETH, 2}};
    for (size_t i = 0; i < 4; i++) {
        for (unsigned en = 0; en < 8; en++) {
            iss_reset(s);
            iss_csr_write(s, ISS_CSR_MTVEC, TRAPV);
            iss_csr_write(s, ISS_CSR_MCOUNTEREN, en);
            enter_user(s);
            int want_ok = (en >> c[i].bit) & 1u;
            assert_int_equal(!is_illegal(s, rv_csrrs(RV_A0, c[i].csr, RV_ZERO)), want_ok);
        }
    }
    /* in M the gate does not apply */
    iss_reset(s);
    iss_csr_write(s, ISS_CSR_MCOUNTEREN, 0);
    assert_int_equal(is_illegal(s, rv_csrrs(RV_A0, ISS_CSR_CYCLE, RV_ZERO)), 0);
}

static void test_read_only_csrs_trap_on_write(void **state)
{
    iss *s = *state;
    for (size_t i = 0; i < NCSR; i++) {
        if (!csrs[i].read_only)
            continue;
        unsigned a = csrs[i].addr;
        iss_set_reg(s, RV_A2, 0); /* a zero source register still means a write */
        uint32_t before = csr(s, a);
        assert_true(is_illegal(s, rv_csrrw(RV_ZERO, a, RV_A2)));
        assert_true(is_illegal(s, rv_csrrw(RV_A0, a, RV_ZERO)));
        assert_true(is_illegal(s, rv_csrrs(RV_A0, a, RV_A2)));
        assert_true(is_illegal(s, rv_csrrc(RV_A0, a, RV_A2)));
        assert_true(is_illegal(s, rv_csrrwi(RV_A0, a, 0)));
        assert_true(is_illegal(s, rv_csrrsi(RV_A0, a, 1)));
        assert_true(is_illegal(s, rv_csrrci(RV_A0, a, 31)));
        /* pure reads */
        assert_false(is_illegal(s, rv_csrrs(RV_A0, a, RV_ZERO)));
        assert_false(is_illegal(s, rv_csrrc(RV_A0, a, RV_ZERO)));
        assert_false(is_illegal(s, rv_csrrsi(RV_A0, a, 0)));
        assert_false(is_illegal(s, rv_csrrci(RV_A0, a, 0)));
        if (a < 0xC00 || a > 0xC82) /* the counters move by themselves */
            assert_int_equal(csr(s, a), before);
        assert_int_equal(iss_csr_write(s, a, 1), -1);
    }
    assert_int_equal(iss_csr_write(s, 0x7C0, 1), -1);
    assert_int_equal(iss_csr_read(s, 0x7C0, NULL), -1);
}

static void test_csr_instruction_semantics(void **state)
{
    iss *s = *state;
    iss_csr_write(s, ISS_CSR_MSCRATCH, 0xF0F0F0F0u);
    iss_set_reg(s, RV_A1, 0x12345678u);
    assert_int_equal(run1(s, rv_csrrw(RV_A0, ISS_CSR_MSCRATCH, RV_A1)), ISS_RETIRED);
    assert_int_equal(iss_reg(s, RV_A0), 0xF0F0F0F0u);
    assert_int_equal(csr(s, ISS_CSR_MSCRATCH), 0x12345678u);
    iss_set_reg(s, RV_A1, 0x0000FF00u);
    assert_int_equal(run1(s, rv_csrrs(RV_A0, ISS_CSR_MSCRATCH, RV_A1)), ISS_RETIRED);
    assert_int_equal(iss_reg(s, RV_A0), 0x12345678u);
    assert_int_equal(csr(s, ISS_CSR_MSCRATCH), 0x1234FF78u);
    iss_set_reg(s, RV_A1, 0xF000000Fu);
    assert_int_equal(run1(s, rv_csrrc(RV_A0, ISS_CSR_MSCRATCH, RV_A1)), ISS_RETIRED);
    assert_int_equal(iss_reg(s, RV_A0), 0x1234FF78u);
    assert_int_equal(csr(s, ISS_CSR_MSCRATCH), 0x0234FF70u);
    assert_int_equal(run1(s, rv_csrrwi(RV_A0, ISS_CSR_MSCRATCH, 31)), ISS_RETIRED);
    assert_int_equal(iss_reg(s, RV_A0), 0x0234FF70u);
    assert_int_equal(csr(s, ISS_CSR_MSCRATCH), 31u);
    assert_int_equal(run1(s, rv_csrrci(RV_A0, ISS_CSR_MSCRATCH, 0x11)), ISS_RETIRED);
    assert_int_equal(csr(s, ISS_CSR_MSCRATCH), 14u);
    assert_int_equal(run1(s, rv_csrrsi(RV_A0, ISS_CSR_MSCRATCH, 0x10)), ISS_RETIRED);
    assert_int_equal(iss_reg(s, RV_A0), 14u);
    assert_int_equal(csr(s, ISS_CSR_MSCRATCH), 30u);
    /* rd = rs1: swap */
    iss_set_reg(s, RV_A0, 0xABCDu);
    assert_int_equal(run1(s, rv_csrrw(RV_A0, ISS_CSR_MSCRATCH, RV_A0)), ISS_RETIRED);
    assert_int_equal(iss_reg(s, RV_A0), 30u);
    assert_int_equal(csr(s, ISS_CSR_MSCRATCH), 0xABCDu);
    /* rd = x0 writes no register */
    assert_int_equal(run1(s, rv_csrrw(RV_ZERO, ISS_CSR_MSCRATCH, RV_ZERO)), ISS_RETIRED);
    assert_int_equal(iss_reg(s, 0), 0u);
    assert_int_equal(csr(s, ISS_CSR_MSCRATCH), 0u);
}

/* write v with csrrw, read back with csrrs */
static uint32_t write_read(iss *s, unsigned a, uint32_t v)
{
    iss_set_reg(s, RV_A1, v);
    assert_int_equal(run1(s, rv_csrrw(RV_ZERO, a, RV_A1)), ISS_RETIRED);
    assert_int_equal(run1(s, rv_csrrs(RV_A0, a, RV_ZERO)), ISS_RETIRED);
    return iss_reg(s, RV_A0);
}

static void test_warl_fields(void **state)
{
    iss *s = *state;
    const uint32_t misa = (1u << 30) | (1u << ('I' - 'A')) | (1u << ('M' - 'A')) | (1u << ('U' - 'A'));
    /* mstatus: MIE (3), MPIE (7), MPP (12:11) */
    assert_int_equal(write_read(s, ISS_CSR_MSTATUS, 0xFFFFFFFFu), 0x1888u);
    assert_int_equal(write_read(s, ISS_CSR_MSTATUS, 0), 0u);
    assert_int_equal(write_read(s, ISS_CSR_MSTATUS, 1u << 11), 3u << 11); /* no S mode: 1 -> M */
    assert_int_equal(write_read(s, ISS_CSR_MSTATUS, 2u << 11), 3u << 11); /* reserved: 2 -> M */
    assert_int_equal(write_read(s, ISS_CSR_MSTATUS, ISS_MSTATUS_MIE), ISS_MSTATUS_MIE);
    assert_int_equal(write_read(s, ISS_CSR_MSTATUS, 0x00001800u), 0x1800u);
    assert_int_equal(write_read(s, ISS_CSR_MSTATUSH, 0xFFFFFFFFu), 0u);
    assert_int_equal(write_read(s, ISS_CSR_MISA, 0), misa);
    assert_int_equal(write_read(s, ISS_CSR_MISA, 0xFFFFFFFFu), misa);
    assert_int_equal(write_read(s, ISS_CSR_MIE, 0xFFFFFFFFu), 0x888u);
    assert_int_equal(write_read(s, ISS_CSR_MIE, 0x80u), 0x80u);
    assert_int_equal(write_read(s, ISS_CSR_MIP, 0xFFFFFFFFu), 0u); /* lines are inputs */
    assert_int_equal(write_read(s, ISS_CSR_MTVEC, 0x80000100u), 0x80000100u);
    assert_int_equal(write_read(s, ISS_CSR_MTVEC, 0x80000101u), 0x80000101u);
    assert_int_equal(write_read(s, ISS_CSR_MTVEC, 0x80000102u), 0x80000100u);
    assert_int_equal(write_read(s, ISS_CSR_MTVEC, 0x80000103u), 0x80000100u);
    assert_int_equal(write_read(s, ISS_CSR_MCOUNTEREN, 0xFFFFFFFFu), 5u);
    assert_int_equal(write_read(s, ISS_CSR_MSCRATCH, 0xFFFFFFFFu), 0xFFFFFFFFu);
    assert_int_equal(write_read(s, ISS_CSR_MEPC, 0xFFFFFFFFu), 0xFFFFFFFCu);
    assert_int_equal(write_read(s, ISS_CSR_MEPC, 0x80000006u), 0x80000004u);
    assert_int_equal(write_read(s, ISS_CSR_MCAUSE, 0x8000000Bu), 0x8000000Bu);
    assert_int_equal(write_read(s, ISS_CSR_MTVAL, 0xDEADBEEFu), 0xDEADBEEFu);
    /* identity */
    assert_int_equal(csr(s, ISS_CSR_MVENDORID), 0u);
    assert_int_equal(csr(s, ISS_CSR_MARCHID), 0u);
    assert_int_equal(csr(s, ISS_CSR_MHARTID), 0u);
    assert_int_equal(csr(s, ISS_CSR_MCONFIGPTR), 0u);
    /* the backdoor legalises the same way */
    assert_int_equal(iss_csr_write(s, ISS_CSR_MSTATUS, 0xFFFFFFFFu), 0);
    assert_int_equal(csr(s, ISS_CSR_MSTATUS), 0x1888u);
    assert_int_equal(iss_csr_write(s, ISS_CSR_MIE, 0xFFFFFFFFu), 0);
    assert_int_equal(csr(s, ISS_CSR_MIE), 0x888u);
}

static void test_hartid_from_config(void **state)
{
    (void)state;
    iss_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.hartid = 7;
    iss *s = iss_new(&cfg, NULL, 0);
    assert_non_null(s);
    assert_int_equal(run1(s, rv_csrrs(RV_A0, ISS_CSR_MHARTID, RV_ZERO)), ISS_RETIRED);
    assert_int_equal(iss_reg(s, RV_A0), 7u);
    iss_free(s);
}

static void test_reset_values(void **state)
{
    iss *s = *state;
    iss_csr_write(s, ISS_CSR_MSCRATCH, 5);
    iss_csr_write(s, ISS_CSR_MIE, 0x888);
    iss_reset(s);
    assert_int_equal(csr(s, ISS_CSR_MSTATUS), 0x1800u); /* MPP = M, MIE = MPIE = 0 */
    assert_int_equal(csr(s, ISS_CSR_MIE), 0u);
    assert_int_equal(csr(s, ISS_CSR_MIP), 0u);
    assert_int_equal(csr(s, ISS_CSR_MTVEC), 0u);
    assert_int_equal(csr(s, ISS_CSR_MCOUNTEREN), 5u);
    assert_int_equal(csr(s, ISS_CSR_MSCRATCH), 0u);
    assert_int_equal(csr(s, ISS_CSR_MEPC), 0u);
    assert_int_equal(csr(s, ISS_CSR_MCAUSE), 0u);
    assert_int_equal(csr(s, ISS_CSR_MTVAL), 0u);
    assert_int_equal(csr(s, ISS_CSR_MCYCLE), 0u);
    assert_int_equal(csr(s, ISS_CSR_MINSTRETH), 0u);
    assert_int_equal(iss_priv(s), ISS_PRIV_M);
    assert_int_equal(iss_pc(s), ISS_RESET_PC);
}

static void test_counters(void **state)
{
    iss *s = *state;
    iss_reset(s);
    iss_csr_write(s, ISS_CSR_MTVEC, TRAPV);
    /* one per instruction: a csrr at step n reads n */
    uint32_t prog[] = {
        rv_csrrs(RV_A0, ISS_CSR_MCYCLE, RV_ZERO),
        rv_csrrs(RV_A1, ISS_CSR_MCYCLE, RV_ZERO),
        rv_csrrs(RV_A2, ISS_CSR_MINSTRET, RV_ZERO),
        rv_csrrs(RV_A3, ISS_CSR_CYCLE, RV_ZERO),
        rv_csrrs(RV_A4, ISS_CSR_INSTRET, RV_ZERO),
        rv_ecall(), /* an exception: counts a cycle, not an instruction */
    };
    iss_load_words(s, AT, prog, 6);
    iss_set_pc(s, AT);
    for (int i = 0; i < 5; i++)
        assert_int_equal(iss_step(s), ISS_RETIRED);
    assert_int_equal(iss_reg(s, RV_A0), 0u);
    assert_int_equal(iss_reg(s, RV_A1), 1u);
    assert_int_equal(iss_reg(s, RV_A2), 2u);
    assert_int_equal(iss_reg(s, RV_A3), 3u);
    assert_int_equal(iss_reg(s, RV_A4), 4u);
    assert_int_equal(iss_step(s), ISS_EXCEPTION);
    assert_int_equal(iss_cycles(s), 6u);
    assert_int_equal(iss_instret(s), 5u);

    /* a written value is what the next instruction reads (this write's increment is dropped) */
    uint32_t prog2[] = {
        rv_csrrw(RV_ZERO, ISS_CSR_MCYCLE, RV_A5),
        rv_csrrs(RV_A0, ISS_CSR_MCYCLE, RV_ZERO),
        rv_csrrw(RV_ZERO, ISS_CSR_MINSTRET, RV_A5),
        rv_csrrs(RV_A1, ISS_CSR_MINSTRET, RV_ZERO),
        rv_csrrw(RV_ZERO, ISS_CSR_MCYCLEH, RV_A6),
        rv_csrrs(RV_A2, ISS_CSR_MCYCLEH, RV_ZERO),
        rv_csrrs(RV_A3, ISS_CSR_CYCLEH, RV_ZERO),
    };
    iss_load_words(s, AT, prog2, 7);
    iss_set_pc(s, AT);
    iss_set_reg(s, RV_A5, 1000u);
    iss_set_reg(s, RV_A6, 0xABCu);
    for (int i = 0; i < 7; i++)
        assert_int_equal(iss_step(s), ISS_RETIRED);
    assert_int_equal(iss_reg(s, RV_A0), 1000u);
    assert_int_equal(iss_reg(s, RV_A1), 1000u);
    assert_int_equal(iss_reg(s, RV_A2), 0xABCu);
    assert_int_equal(iss_reg(s, RV_A3), 0xABCu);
    /* after each write, the later steps count: 5 cycles (the mcycleh write drops its own), 4 instructions */
    assert_int_equal(iss_cycles(s), (0xABCull << 32) + 1000u + 5u);
    assert_int_equal(iss_instret(s), 1000u + 4u);

    /* carry from the low into the high half */
    iss_csr_write(s, ISS_CSR_MINSTRET, 0xFFFFFFFFu);
    iss_csr_write(s, ISS_CSR_MINSTRETH, 0x1u);
    uint32_t prog3[] = {rv_csrrs(RV_A0, ISS_CSR_MINSTRET, RV_ZERO), rv_csrrs(RV_A1, ISS_CSR_MINSTRETH, RV_ZERO),
                        rv_csrrs(RV_A2, ISS_CSR_INSTRET, RV_ZERO)};
    iss_load_words(s, AT, prog3, 3);
    iss_set_pc(s, AT);
    for (int i = 0; i < 3; i++)
        assert_int_equal(iss_step(s), ISS_RETIRED);
    assert_int_equal(iss_reg(s, RV_A0), 0xFFFFFFFFu);
    assert_int_equal(iss_reg(s, RV_A1), 2u);
    assert_int_equal(iss_reg(s, RV_A2), 1u);
    assert_int_equal(iss_instret(s), 0x200000002ull);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_which_csrs_exist_in_m, setup, teardown),
        cmocka_unit_test_setup_teardown(test_which_csrs_exist_in_u, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mcounteren_gates_user_counters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_only_csrs_trap_on_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csr_instruction_semantics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_warl_fields, setup, teardown),
        cmocka_unit_test(test_hartid_from_config),
        cmocka_unit_test_setup_teardown(test_reset_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counters, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
