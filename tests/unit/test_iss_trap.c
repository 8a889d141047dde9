/*
 * test_iss_trap.c - exceptions, interrupts and privilege changes on the ISS
 * (docs/spec.md 3.5): illegal encodings, ecall/ebreak from M and U, the
 * mstatus stack on trap and mret, user mode, fetch faults, direct and
 * vectored mtvec, interrupt masking (mie, mstatus.MIE, U mode), priority
 * MEI > MSI > MTI, precise interrupt boundaries, and iss_run's stop reasons.
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
#define TRAPV (ISS_RAM_BASE + 0x1000u)

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

static void place(iss *s, uint32_t addr, const uint32_t *w, size_t n)
{
    assert_int_equal(iss_load_words(s, addr, w, n), 0);
}

static iss_status run1(iss *s, uint32_t insn)
{
    place(s, AT, &insn, 1);
    iss_set_pc(s, AT);
    return iss_step(s);
}

/* mret (placed at RAM + 0x80) with MPP = U to `to` */
static void enter_user(iss *s, uint32_t to)
{
    uint32_t m = rv_mret();
    iss_csr_write(s, ISS_CSR_MSTATUS, csr(s, ISS_CSR_MSTATUS) & ~ISS_MSTATUS_MPP);
    iss_csr_write(s, ISS_CSR_MEPC, to);
    place(s, ISS_RAM_BASE + 0x80u, &m, 1);
    iss_set_pc(s, ISS_RAM_BASE + 0x80u);
    assert_int_equal(iss_step(s), ISS_RETIRED);
    assert_int_equal(iss_priv(s), ISS_PRIV_U);
    assert_int_equal(iss_pc(s), to);
}

static void test_illegal_encodings(void **state)
{
    iss *s = *state;
    const uint32_t words[] = {
        0x00000000u, 0xFFFFFFFFu,
        0x00000001u, 0x00004501u,                        /* compressed encodings: no C extension */
        rv_i(0, RV_A1, 2, RV_A0, 0x07),                 /* flw: no F */
        rv_s(0, RV_A0, RV_A1, 2, 0x27),                 /* fsw */
        rv_r(0x00, RV_A2, RV_A1, 2, RV_A0, 0x2F),       /* amoadd.w: no A */
        rv_r(0x00, RV_A2, RV_A1, 0, RV_A0, 0x53),       /* fadd.s */
        rv_r(0x00, RV_A2, RV_A1, 0, RV_A0, 0x3B),       /* addw: RV64 only */
        rv_i(0, RV_A1, 0, RV_A0, 0x1B),                 /* addiw */
        rv_i(0, RV_A1, 3, RV_A0, RV_OP_LOAD),           /* ld */
        rv_i(0, RV_A1, 6, RV_A0, RV_OP_LOAD),           /* lwu */
        rv_i(0, RV_A1, 7, RV_A0, RV_OP_LOAD),
        rv_s(0, RV_A0, RV_A1, 3, RV_OP_STORE),          /* sd */
        rv_s(0, RV_A0, RV_A1, 4, RV_OP_STORE),
        rv_b(8, RV_A2, RV_A1, 2, RV_OP_BRANCH),
        rv_b(8, RV_A2, RV_A1, 3, RV_OP_BRANCH),
        rv_i(0, RV_A1, 1, RV_A0, RV_OP_JALR),
        rv_r(0x20, RV_A2, RV_A1, 1, RV_A0, RV_OP_OP),   /* "sub" with funct3 1 */
        rv_r(0x20, RV_A2, RV_A1, 7, RV_A0, RV_OP_OP),
        rv_r(0x02, RV_A2, RV_A1, 0, RV_A0, RV_OP_OP),
        rv_r(0x40, RV_A2, RV_A1, 0, RV_A0, RV_OP_OP),
        rv_r(0x01, 3, RV_A1, 1, RV_A0, RV_OP_IMM),      /* slli with imm[11:5] = 1 */
        rv_r(0x40, 3, RV_A1, 5, RV_A0, RV_OP_IMM),      /* srai with a wrong funct7 */
        rv_r(0x21, 3, RV_A1, 5, RV_A0, RV_OP_IMM),
        rv_i(0, 0, 1, 0, RV_OP_MISC_MEM),               /* fence.i: no Zifencei */
        rv_i(0, 0, 2, 0, RV_OP_MISC_MEM),
        rv_i(0x102, 0, 0, 0, RV_OP_SYSTEM),             /* sret: no S mode */
        rv_i(0x002, 0, 0, 0, RV_OP_SYSTEM),             /* uret */
        rv_i(0x7B2, 0, 0, 0, RV_OP_SYSTEM),             /* dret */
        rv_i(0x120, 0, 0, 0, RV_OP_SYSTEM),             /* sfence.vma */
        rv_i(0x000, 0, 0, RV_A0, RV_OP_SYSTEM),         /* ecall with rd != 0 */
        rv_i(0x000, RV_A0, 0, 0, RV_OP_SYSTEM),         /* ecall with rs1 != 0 */
        rv_i(0x302, 0, 0, RV_A0, RV_OP_SYSTEM),         /* mret with rd != 0 */
        rv_i(0x000, 0, 4, RV_A0, RV_OP_SYSTEM),         /* SYSTEM funct3 4 (hypervisor loads) */
        rv_u(0x12345, RV_A0, 0x57),                     /* OP-V */
        rv_u(0x12345, RV_A0, 0x7F),                     /* >= 80-bit encodings */
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        iss_set_reg(s, RV_A0, 0xA5A5A5A5u);
        uint64_t c0 = iss_cycles(s), n0 = iss_instret(s);
        iss_status st = run1(s, words[i]);
        if (st != ISS_EXCEPTION || csr(s, ISS_CSR_MCAUSE) != ISS_CAUSE_ILLEGAL)
            fail_msg("word %zu 0x%08x: status %d mcause %u, expected an illegal instruction", i,
                     (unsigned)words[i], (int)st, (unsigned)csr(s, ISS_CSR_MCAUSE));
        assert_int_equal(csr(s, ISS_CSR_MTVAL), words[i]);
        assert_int_equal(csr(s, ISS_CSR_MEPC), AT);
        assert_int_equal(iss_pc(s), TRAPV);
        assert_int_equal(iss_reg(s, RV_A0), 0xA5A5A5A5u); /* nothing written */
        assert_int_equal(iss_cycles(s), c0 + 1);
        assert_int_equal(iss_instret(s), n0);
        const iss_step_info *in = iss_last_step(s);
        assert_int_equal(in->status, ISS_EXCEPTION);
        assert_int_equal(in->retired, 0);
        assert_int_equal(in->cause, ISS_CAUSE_ILLEGAL);
        assert_int_equal(in->next_pc, TRAPV);
    }
}

static void test_ecall_ebreak(void **state)
{
    iss *s = *state;
    assert_int_equal(run1(s, rv_ecall()), ISS_EXCEPTION);
    assert_int_equal(csr(s, ISS_CSR_MCAUSE), ISS_CAUSE_ECALL_M);
    assert_int_equal(csr(s, ISS_CSR_MTVAL), 0u);
    assert_int_equal(csr(s, ISS_CSR_MEPC), AT);
    assert_int_equal(run1(s, rv_ebreak()), ISS_EXCEPTION);
    assert_int_equal(csr(s, ISS_CSR_MCAUSE), ISS_CAUSE_BREAKPOINT);
    assert_int_equal(csr(s, ISS_CSR_MTVAL), AT);
    /* from U */
    enter_user(s, AT);
    uint32_t e = rv_ecall();
    place(s, AT, &e, 1);
    assert_int_equal(iss_step(s), ISS_EXCEPTION);
    assert_int_equal(csr(s, ISS_CSR_MCAUSE), ISS_CAUSE_ECALL_U);
    assert_int_equal(iss_priv(s), ISS_PRIV_M);
    assert_int_equal((csr(s, ISS_CSR_MSTATUS) & ISS_MSTATUS_MPP) >> ISS_MSTATUS_MPP_SHIFT, ISS_PRIV_U);
    enter_user(s, AT);
    uint32_t b = rv_ebreak();
    place(s, AT, &b, 1);
    assert_int_equal(iss_step(s), ISS_EXCEPTION);
    assert_int_equal(csr(s, ISS_CSR_MCAUSE), ISS_CAUSE_BREAKPOINT);
}

static void test_trap_and_mret_stack(void **state)
{
    iss *s = *state;
    /* MIE = 1, MPIE = 0: a trap moves MIE to MPIE, clears MIE, MPP = M */
    iss_csr_write(s, ISS_CSR_MSTATUS, ISS_MSTATUS_MIE);
    assert_int_equal(run1(s, rv_ecall()), ISS_EXCEPTION);
    assert_int_equal(csr(s, ISS_CSR_MSTATUS), ISS_MSTATUS_MPIE | ISS_MSTATUS_MPP);
    /* mret: MIE = MPIE, MPIE = 1, MPP = U, priv = old MPP (M), pc = mepc */
    iss_csr_write(s, ISS_CSR_MEPC, AT + 0x40u);
    assert_int_equal(run1(s, rv_mret()), ISS_RETIRED);
    assert_int_equal(iss_priv(s), ISS_PRIV_M);
    assert_int_equal(iss_pc(s), AT + 0x40u);
    assert_int_equal(csr(s, ISS_CSR_MSTATUS), ISS_MSTATUS_MIE | ISS_MSTATUS_MPIE);
    /* MIE = 0, MPIE = 1 before the trap: MPIE becomes 0 */
    iss_csr_write(s, ISS_CSR_MSTATUS, ISS_MSTATUS_MPIE);
    assert_int_equal(run1(s, rv_ebreak()), ISS_EXCEPTION);
    assert_int_equal(csr(s, ISS_CSR_MSTATUS), ISS_MSTATUS_MPP);
    /* a trap from U records MPP = U */
    enter_user(s, AT);
    iss_set_pc(s, AT);
    uint32_t w = 0;
    place(s, AT, &w, 1);
    assert_int_equal(iss_step(s), ISS_EXCEPTION);
    assert_int_equal(csr(s, ISS_CSR_MSTATUS) & ISS_MSTATUS_MPP, 0u);
    /* mret back to U, MPP becomes U again */
    iss_csr_write(s, ISS_CSR_MEPC, AT);
    assert_int_equal(run1(s, rv_mret()), ISS_RETIRED);
    assert_int_equal(iss_priv(s), ISS_PRIV_U);
}

static void test_user_mode_restrictions(void **state)
{
    iss *s = *state;
    /* mret in U is illegal */
    enter_user(s, AT);
    uint32_t m = rv_mret();
    place(s, AT, &m, 1);
    assert_int_equal(iss_step(s), ISS_EXCEPTION);
    assert_int_equal(csr(s, ISS_CSR_MCAUSE), ISS_CAUSE_ILLEGAL);
    assert_int_equal(csr(s, ISS_CSR_MTVAL), m);
    /* machine CSRs are illegal in U, read or write */
    enter_user(s, AT);
    uint32_t c = rv_csrrw(RV_A0, ISS_CSR_MSCRATCH, RV_A1);
    place(s, AT, &c, 1);
    iss_csr_write(s, ISS_CSR_MSCRATCH, 0x55u);
    assert_int_equal(iss_step(s), ISS_EXCEPTION);
    assert_int_equal(csr(s, ISS_CSR_MSCRATCH), 0x55u);
    /* wfi in U is a no-op (no S mode, mstatus.TW not implemented) */
    enter_user(s, AT);
    uint32_t wfi[2] = {rv_wfi(), rv_ecall()};
    place(s, AT, wfi, 2);
    assert_int_equal(iss_step(s), ISS_RETIRED);
    assert_int_equal(iss_priv(s), ISS_PRIV_U);
    assert_int_equal(iss_step(s), ISS_EXCEPTION); /* back to M */
    assert_int_equal(csr(s, ISS_CSR_MCAUSE), ISS_CAUSE_ECALL_U);
    /* user code can use all memory (no PMP) */
    enter_user(s, AT);
    uint32_t st = rv_sw(RV_ZERO, RV_A1, 0);
    place(s, AT, &st, 1);
    iss_set_reg(s, RV_A1, ISS_RAM_BASE + 0x2000u);
    assert_int_equal(iss_step(s), ISS_RETIRED);
}

static void test_fetch_exceptions(void **state)
{
    iss *s = *state;
    /* misaligned pc */
    iss_set_pc(s, ISS_RAM_BASE + 2u);
    assert_int_equal(iss_step(s), ISS_EXCEPTION);
    assert_int_equal(csr(s, ISS_CSR_MCAUSE), ISS_CAUSE_FETCH_MISALIGNED);
    assert_int_equal(csr(s, ISS_CSR_MTVAL), ISS_RAM_BASE + 2u);
    /* unmapped, the CSR window, past the end of RAM */
    const uint32_t bad[] = {0u, 0x20000000u, ISS_WIN_BASE, ISS_RAM_BASE + ISS_RAM_DEFAULT, 0xFFFFFFFCu};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        iss_set_pc(s, bad[i]);
        assert_int_equal(iss_step(s), ISS_EXCEPTION);
        assert_int_equal(csr(s, ISS_CSR_MCAUSE), ISS_CAUSE_FETCH_FAULT);
        assert_int_equal(csr(s, ISS_CSR_MTVAL), bad[i]);
        assert_int_equal(csr(s, ISS_CSR_MEPC), bad[i]);
        assert_int_equal(iss_last_step(s)->insn_valid, 0);
    }
    /* a jump to a misaligned target traps on the jump: mepc = the jump, rd not written */
    iss_set_reg(s, RV_RA, 0x1234u);
    assert_int_equal(run1(s, rv_jal(RV_RA, 6)), ISS_EXCEPTION);
    assert_int_equal(csr(s, ISS_CSR_MCAUSE), ISS_CAUSE_FETCH_MISALIGNED);
    assert_int_equal(csr(s, ISS_CSR_MEPC), AT);
    assert_int_equal(csr(s, ISS_CSR_MTVAL), AT + 6u);
    assert_int_equal(iss_reg(s, RV_RA), 0x1234u);
    iss_set_reg(s, RV_T0, ISS_RAM_BASE + 0x202u);
    assert_int_equal(run1(s, rv_jalr(RV_RA, RV_T0, 0)), ISS_EXCEPTION);
    assert_int_equal(csr(s, ISS_CSR_MTVAL), ISS_RAM_BASE + 0x202u);
    assert_int_equal(iss_reg(s, RV_RA), 0x1234u);
    assert_int_equal(run1(s, rv_beq(RV_ZERO, RV_ZERO, -2)), ISS_EXCEPTION);
    assert_int_equal(csr(s, ISS_CSR_MTVAL), AT - 2u);
    /* a branch not taken to a misaligned target does not trap */
    assert_int_equal(run1(s, rv_bne(RV_ZERO, RV_ZERO, 6)), ISS_RETIRED);
    /* mret to a misaligned mepc is impossible: mepc bits 1:0 are zero */
    iss_csr_write(s, ISS_CSR_MEPC, AT + 2u);
    assert_int_equal(run1(s, rv_mret()), ISS_RETIRED);
    assert_int_equal(iss_pc(s), AT);
}

static void test_trap_vectors(void **state)
{
    iss *s = *state;
    /* vectored: exceptions to the base, interrupts to base + 4 * cause */
    iss_csr_write(s, ISS_CSR_MTVEC, TRAPV | 1u);
    assert_int_equal(run1(s, rv_ecall()), ISS_EXCEPTION);
    assert_int_equal(iss_pc(s), TRAPV);
    const unsigned lines[] = {ISS_IRQ_MSI, ISS_IRQ_MTI, ISS_IRQ_MEI};
    for (size_t i = 0; i < 3; i++) {
        iss_csr_write(s, ISS_CSR_MIE, 1u << lines[i]);
        iss_csr_write(s, ISS_CSR_MSTATUS, ISS_MSTATUS_MIE);
        iss_notify_irq(s, lines[i], 1);
        iss_set_pc(s, AT);
        assert_int_equal(iss_step(s), ISS_INTERRUPT);
        assert_int_equal(iss_pc(s), TRAPV + 4u * lines[i]);
        assert_int_equal(csr(s, ISS_CSR_MCAUSE), ISS_CAUSE_INTERRUPT | lines[i]);
        iss_notify_irq(s, lines[i], 0);
    }
    /* direct: interrupts to the base too */
    iss_csr_write(s, ISS_CSR_MTVEC, TRAPV);
    iss_csr_write(s, ISS_CSR_MSTATUS, ISS_MSTATUS_MIE);
    iss_notify_irq(s, ISS_IRQ_MEI, 1);
    iss_csr_write(s, ISS_CSR_MIE, 1u << ISS_IRQ_MEI);
    assert_int_equal(iss_step(s), ISS_INTERRUPT);
    assert_int_equal(iss_pc(s), TRAPV);
}

static void test_interrupt_masking(void **state)
{
    iss *s = *state;
    uint32_t nops[4] = {rv_nop(), rv_nop(), rv_nop(), rv_nop()};
    place(s, AT, nops, 4);
    iss_set_pc(s, AT);
    iss_notify_irq(s, ISS_IRQ_MTI, 1);
    assert_int_equal(csr(s, ISS_CSR_MIP), 1u << ISS_IRQ_MTI);
    /* pending, enabled in mie, but mstatus.MIE = 0 in M: not taken */
    iss_csr_write(s, ISS_CSR_MIE, 1u << ISS_IRQ_MTI);
    assert_int_equal(iss_step(s), ISS_RETIRED);
    /* MIE = 1, but mie does not enable this line: not taken */
    iss_csr_write(s, ISS_CSR_MSTATUS, ISS_MSTATUS_MIE);
    iss_csr_write(s, ISS_CSR_MIE, (1u << ISS_IRQ_MEI) | (1u << ISS_IRQ_MSI));
    assert_int_equal(iss_step(s), ISS_RETIRED);
    /* both: taken at the boundary, mepc = the next instruction, nothing retired */
    iss_csr_write(s, ISS_CSR_MIE, 1u << ISS_IRQ_MTI);
    uint64_t c0 = iss_cycles(s), n0 = iss_instret(s);
    assert_int_equal(iss_step(s), ISS_INTERRUPT);
    assert_int_equal(csr(s, ISS_CSR_MEPC), AT + 8u);
    assert_int_equal(csr(s, ISS_CSR_MTVAL), 0u);
    assert_int_equal(csr(s, ISS_CSR_MCAUSE), ISS_CAUSE_INTERRUPT | ISS_IRQ_MTI);
    assert_int_equal(iss_cycles(s), c0 + 1);
    assert_int_equal(iss_instret(s), n0);
    assert_int_equal(csr(s, ISS_CSR_MSTATUS), ISS_MSTATUS_MPIE | ISS_MSTATUS_MPP);
    const iss_step_info *in = iss_last_step(s);
    assert_int_equal(in->status, ISS_INTERRUPT);
    assert_int_equal(in->pc, AT + 8u);
    assert_int_equal(in->insn_valid, 0);
    /* in the handler MIE = 0: the still-pending line is not taken again */
    uint32_t h[2] = {rv_nop(), rv_mret()};
    place(s, TRAPV, h, 2);
    assert_int_equal(iss_step(s), ISS_RETIRED);
    assert_int_equal(iss_step(s), ISS_RETIRED); /* mret: MIE = 1 again */
    assert_int_equal(iss_pc(s), AT + 8u);
    /* still pending: taken again immediately */
    assert_int_equal(iss_step(s), ISS_INTERRUPT);
    /* lowering the line before the hart looks: nothing */
    iss_notify_irq(s, ISS_IRQ_MTI, 0);
    iss_csr_write(s, ISS_CSR_MSTATUS, ISS_MSTATUS_MIE);
    iss_set_pc(s, AT);
    assert_int_equal(iss_step(s), ISS_RETIRED);
    assert_int_equal(csr(s, ISS_CSR_MIP), 0u);
    /* unknown lines */
    assert_int_equal(iss_notify_irq(s, 0, 1), -1);
    assert_int_equal(iss_notify_irq(s, 5, 1), -1);
    assert_int_equal(iss_notify_irq(s, 9, 1), -1);
    assert_int_equal(iss_notify_irq(s, 32, 1), -1);
    assert_int_equal(csr(s, ISS_CSR_MIP), 0u);
}

static void test_interrupt_priority(void **state)
{
    iss *s = *state;
    iss_csr_write(s, ISS_CSR_MIE, (1u << ISS_IRQ_MEI) | (1u << ISS_IRQ_MSI) | (1u << ISS_IRQ_MTI));
    iss_notify_irq(s, ISS_IRQ_MTI, 1);
    iss_notify_irq(s, ISS_IRQ_MSI, 1);
    iss_notify_irq(s, ISS_IRQ_MEI, 1);
    const unsigned order[] = {ISS_IRQ_MEI, ISS_IRQ_MSI, ISS_IRQ_MTI};
    for (size_t i = 0; i < 3; i++) {
        iss_csr_write(s, ISS_CSR_MSTATUS, ISS_MSTATUS_MIE);
        iss_set_pc(s, AT);
        assert_int_equal(iss_step(s), ISS_INTERRUPT);
        if (csr(s, ISS_CSR_MCAUSE) != (ISS_CAUSE_INTERRUPT | order[i]))
            fail_msg("interrupt %zu: mcause 0x%x, expected line %u", i, (unsigned)csr(s, ISS_CSR_MCAUSE),
                     order[i]);
        iss_notify_irq(s, order[i], 0);
    }
    /* priority ignores disabled lines: MEI pending but disabled, MTI enabled */
    iss_notify_irq(s, ISS_IRQ_MEI, 1);
    iss_notify_irq(s, ISS_IRQ_MTI, 1);
    iss_csr_write(s, ISS_CSR_MIE, 1u << ISS_IRQ_MTI);
    iss_csr_write(s, ISS_CSR_MSTATUS, ISS_MSTATUS_MIE);
    assert_int_equal(iss_step(s), ISS_INTERRUPT);
    assert_int_equal(csr(s, ISS_CSR_MCAUSE), ISS_CAUSE_INTERRUPT | ISS_IRQ_MTI);
}

static void test_interrupts_in_user_mode(void **state)
{
    iss *s = *state;
    /* in U, machine interrupts are taken whatever mstatus.MIE says */
    uint32_t nops[2] = {rv_nop(), rv_nop()};
    place(s, AT, nops, 2);
    iss_csr_write(s, ISS_CSR_MIE, 1u << ISS_IRQ_MSI);
    enter_user(s, AT);
    assert_int_equal(csr(s, ISS_CSR_MSTATUS) & ISS_MSTATUS_MIE, 0u);
    assert_int_equal(iss_step(s), ISS_RETIRED);
    iss_notify_irq(s, ISS_IRQ_MSI, 1);
    assert_int_equal(iss_step(s), ISS_INTERRUPT);
    assert_int_equal(iss_priv(s), ISS_PRIV_M);
    assert_int_equal(csr(s, ISS_CSR_MEPC), AT + 4u);
    assert_int_equal(csr(s, ISS_CSR_MSTATUS) & ISS_MSTATUS_MPP, 0u);
    /* but mie still masks them */
    iss_csr_write(s, ISS_CSR_MIE, 0);
    enter_user(s, AT);
    assert_int_equal(iss_step(s), ISS_RETIRED);
}

/* a pending interrupt wins over an instruction that would trap */
static void test_interrupt_before_exception(void **state)
{
    iss *s = *state;
    iss_csr_write(s, ISS_CSR_MIE, 1u << ISS_IRQ_MEI);
    iss_csr_write(s, ISS_CSR_MSTATUS, ISS_MSTATUS_MIE);
    iss_notify_irq(s, ISS_IRQ_MEI, 1);
    assert_int_equal(run1(s, rv_ecall()), ISS_INTERRUPT);
    assert_int_equal(csr(s, ISS_CSR_MEPC), AT);
    iss_set_pc(s, 0x20000000u); /* even a fetch fault */
    iss_csr_write(s, ISS_CSR_MSTATUS, ISS_MSTATUS_MIE);
    assert_int_equal(iss_step(s), ISS_INTERRUPT);
    assert_int_equal(csr(s, ISS_CSR_MEPC), 0x20000000u);
}

/* ---- iss_run ------------------------------------------------------------------- */

static void test_run_trap_loop(void **state)
{
    iss *s = *state;
    /* mtvec = 0 (reset value): an ecall then faults fetching from 0 for ever */
    iss_reset(s);
    uint32_t prog[] = {rv_addi(RV_A0, RV_ZERO, 1), rv_ecall()};
    place(s, ISS_RAM_BASE, prog, 2);
    iss_run_result r;
    assert_int_equal(iss_run(s, 1000, NULL, NULL, &r), ISS_STOP_TRAP_LOOP);
    assert_int_equal(r.stop, ISS_STOP_TRAP_LOOP);
    assert_int_equal(r.first_cause, ISS_CAUSE_ECALL_M);
    assert_int_equal(r.first_epc, ISS_RAM_BASE + 4u);
    assert_int_equal(csr(s, ISS_CSR_MCAUSE), ISS_CAUSE_FETCH_FAULT);
    assert_int_equal(r.instructions, 3u); /* trampoline (2) + addi */
    assert_int_equal(r.cycles, 6u);       /* + ecall, fault at 0, fault at 0 again */
}

/* a handler that returns is not a loop, even when every instruction traps */
static void test_run_repeated_traps_are_not_a_loop(void **state)
{
    iss *s = *state;
    uint32_t prog[] = {rv_ecall(), rv_jal(RV_ZERO, -4)};
    uint32_t handler[] = {
        rv_csrrs(RV_T0, ISS_CSR_MEPC, RV_ZERO), rv_addi(RV_T0, RV_T0, 4), rv_csrrw(RV_ZERO, ISS_CSR_MEPC, RV_T0),
        rv_mret(),
    };
    place(s, AT, prog, 2);
    place(s, TRAPV, handler, 4);
    iss_set_pc(s, AT);
    iss_run_result r;
    assert_int_equal(iss_run(s, 600, NULL, NULL, &r), ISS_STOP_MAX_INSNS);
    assert_int_equal(r.instructions, 600u);
    assert_int_equal(r.cycles, 600u + 120u); /* one ecall per 5 retired instructions */
}

static int stop_after(void *ctx, iss *s, const iss_step_info *info)
{
    int *n = ctx;
    (void)s;
    assert_non_null(info);
    return --*n == 0;
}

static void test_run_hook_and_limits(void **state)
{
    iss *s = *state;
    uint32_t loop = rv_jal(RV_ZERO, 0);
    place(s, AT, &loop, 1);
    iss_set_pc(s, AT);
    int n = 10;
    iss_run_result r;
    assert_int_equal(iss_run(s, 0, stop_after, &n, &r), ISS_STOP_HOOK);
    assert_int_equal(r.instructions, 10u);
    assert_int_equal(iss_run(s, 25, NULL, NULL, NULL), ISS_STOP_MAX_INSNS);
    assert_int_equal(iss_instret(s), 35u);
    /* the limit counts retirements, not minstret, which a program may rewrite */
    uint32_t prog[] = {rv_csrrw(RV_ZERO, ISS_CSR_MINSTRET, RV_ZERO), rv_jal(RV_ZERO, -4)};
    place(s, AT, prog, 2);
    iss_set_pc(s, AT);
    assert_int_equal(iss_run(s, 100, NULL, NULL, &r), ISS_STOP_MAX_INSNS);
    assert_int_equal(r.instructions, 100u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_illegal_encodings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ecall_ebreak, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trap_and_mret_stack, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_mode_restrictions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fetch_exceptions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trap_vectors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interrupt_masking, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interrupt_priority, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interrupts_in_user_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interrupt_before_exception, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_trap_loop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_repeated_traps_are_not_a_loop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_hook_and_limits, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
