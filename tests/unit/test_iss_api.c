/*
 * test_iss_api.c - life cycle and plumbing of the ISS: configuration
 * checks with their messages, the reset state and the boot trampoline
 * (docs/spec.md 3.2), what iss_reset keeps, the step record, and the trace
 * line format (docs/spec.md 3.8).
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

static void test_config_checks(void **state)
{
    (void)state;
    const uint32_t bad[] = {1u, 0x800u, 0x3000u, ISS_RAM_MAX * 2u, 0x40001u, 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        iss_config cfg;
        memset(&cfg, 0, sizeof cfg);
        cfg.ram_size = bad[i];
        char err[200] = "";
        assert_null(iss_new(&cfg, err, sizeof err));
        assert_non_null(strstr(err, "iss_config.ram_size"));
        assert_non_null(strstr(err, "not a power of two between 4096 and 67108864"));
        assert_null(iss_new(&cfg, NULL, 0)); /* no buffer: still no crash */
    }
    /* 0 selects the default; NULL config too */
    iss_config cfg;
    memset(&cfg, 0, sizeof cfg);
    iss *s = iss_new(&cfg, NULL, 0);
    assert_non_null(s);
    uint8_t b;
    assert_int_equal(iss_mem_read(s, ISS_RAM_BASE + ISS_RAM_DEFAULT - 1u, &b, 1), 0);
    assert_int_equal(iss_mem_read(s, ISS_RAM_BASE + ISS_RAM_DEFAULT, &b, 1), -1);
    iss_free(s);
    s = iss_new(NULL, NULL, 0);
    assert_non_null(s);
    iss_free(s);
    iss_free(NULL);
}

static void test_reset_state_and_trampoline(void **state)
{
    (void)state;
    iss *s = iss_new(NULL, NULL, 0);
    assert_non_null(s);
    assert_int_equal(iss_pc(s), ISS_RESET_PC);
    assert_int_equal(iss_priv(s), ISS_PRIV_M);
    for (unsigned r = 0; r < 32; r++)
        assert_int_equal(iss_reg(s, r), 0u);
    assert_int_equal(iss_cycles(s), 0u);
    assert_int_equal(iss_instret(s), 0u);
    /* RAM starts zeroed: the all-zero word is illegal, so a program is needed */
    uint32_t prog = rv_addi(RV_A0, RV_ZERO, 42);
    iss_load_words(s, ISS_RAM_BASE, &prog, 1);
    assert_int_equal(iss_step(s), ISS_RETIRED); /* lui t0, 0x80000 */
    assert_int_equal(iss_reg(s, RV_T0), ISS_RAM_BASE);
    assert_int_equal(iss_step(s), ISS_RETIRED); /* jalr zero, 0(t0) */
    assert_int_equal(iss_pc(s), ISS_RAM_BASE);
    assert_int_equal(iss_step(s), ISS_RETIRED);
    assert_int_equal(iss_reg(s, RV_A0), 42u);
    /* reset: registers and counters cleared, memory kept */
    iss_set_reg(s, RV_S0, 5u);
    iss_notify_irq(s, ISS_IRQ_MEI, 1);
    iss_reset(s);
    assert_int_equal(iss_reg(s, RV_S0), 0u);
    assert_int_equal(iss_reg(s, RV_A0), 0u);
    assert_int_equal(iss_pc(s), ISS_RESET_PC);
    assert_int_equal(iss_cycles(s), 0u);
    uint32_t w = 0;
    iss_mem_read(s, ISS_RAM_BASE, &w, 4);
    assert_int_equal(w, prog);
    uint32_t mip = 0;
    iss_csr_read(s, ISS_CSR_MIP, &mip);
    assert_int_equal(mip, 1u << ISS_IRQ_MEI); /* lines are inputs: kept */
    iss_free(s);
}

static void test_step_record(void **state)
{
    (void)state;
    iss *s = iss_new(NULL, NULL, 0);
    assert_non_null(s);
    uint32_t prog[] = {rv_addi(RV_A0, RV_ZERO, -1), rv_sw(RV_A0, RV_SP, 0)};
    iss_load_words(s, ISS_RAM_BASE, prog, 2);
    iss_set_pc(s, ISS_RAM_BASE);
    iss_set_reg(s, RV_SP, ISS_RAM_BASE + 0x100u);
    assert_int_equal(iss_step(s), ISS_RETIRED);
    const iss_step_info *in = iss_last_step(s);
    assert_int_equal(in->status, ISS_RETIRED);
    assert_int_equal(in->cycle, 0u);
    assert_int_equal(in->pc, ISS_RAM_BASE);
    assert_int_equal(in->insn, prog[0]);
    assert_int_equal(in->insn_valid, 1);
    assert_int_equal(in->retired, 1);
    assert_int_equal(in->rd, RV_A0);
    assert_int_equal(in->rd_value, 0xFFFFFFFFu);
    assert_int_equal(in->mem, 0);
    assert_int_equal(in->priv, ISS_PRIV_M);
    assert_int_equal(in->next_pc, ISS_RAM_BASE + 4u);
    assert_int_equal(iss_step(s), ISS_RETIRED);
    assert_int_equal(in->cycle, 1u);
    assert_int_equal(in->rd, 0);
    assert_int_equal(in->mem, 'S');
    assert_int_equal(in->mem_addr, ISS_RAM_BASE + 0x100u);
    assert_int_equal(in->mem_data, 0xFFFFFFFFu);
    iss_free(s);
}

static void test_trace_format(void **state)
{
    (void)state;
    iss *s = iss_new(NULL, NULL, 0);
    assert_non_null(s);
    iss_csr_write(s, ISS_CSR_MTVEC, ISS_RAM_BASE + 0x40u);
    uint32_t prog[] = {rv_addi(RV_A0, RV_ZERO, 10), rv_sh(RV_A0, RV_SP, 2), rv_ecall()};
    iss_load_words(s, ISS_RAM_BASE, prog, 3);
    iss_set_reg(s, RV_SP, ISS_RAM_BASE + 0x100u);
    char line[200];
    /* first the boot ROM (no symbols: named after the region) */
    iss_step(s);
    iss_format_trace(s, iss_last_step(s), line, sizeof line);
    assert_string_equal(line, "         0 M 00001000 <bootrom>                800002b7 lui     t0,0x80000"
                              "             t0=0x80000000");
    iss_step(s);
    iss_step(s);
    iss_format_trace(s, iss_last_step(s), line, sizeof line);
    assert_non_null(strstr(line, "         2 M 80000000 "));
    assert_non_null(strstr(line, "00a00513 addi    a0,zero,10"));
    assert_non_null(strstr(line, "a0=0x0000000a"));
    iss_step(s);
    iss_format_trace(s, iss_last_step(s), line, sizeof line);
    assert_non_null(strstr(line, "sh      a0,2(sp)"));
    assert_non_null(strstr(line, "mem2[0x80000102]=0x000a"));
    iss_step(s);
    iss_format_trace(s, iss_last_step(s), line, sizeof line);
    assert_non_null(strstr(line, "ecall"));
    assert_non_null(strstr(line, "trap: environment call from M-mode (mcause 0xb, mtval 0x00000000) -> 0x80000040"));
    /* an interrupt line has no instruction */
    iss_csr_write(s, ISS_CSR_MIE, 1u << ISS_IRQ_MTI);
    iss_csr_write(s, ISS_CSR_MSTATUS, ISS_MSTATUS_MIE);
    iss_notify_irq(s, ISS_IRQ_MTI, 1);
    iss_step(s);
    iss_format_trace(s, iss_last_step(s), line, sizeof line);
    assert_non_null(strstr(line, "-------- "));
    assert_non_null(strstr(line, "trap: machine timer interrupt (mcause 0x80000007"));
    /* a short buffer is truncated and terminated */
    char tiny[16];
    assert_int_equal(iss_format_trace(s, iss_last_step(s), tiny, sizeof tiny), 15);
    assert_int_equal(strlen(tiny), 15u);
    assert_int_equal(iss_format_trace(s, NULL, tiny, sizeof tiny), 0);
    assert_int_equal(iss_format_trace(s, iss_last_step(s), NULL, 0), 0);
    iss_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_checks),
        cmocka_unit_test(test_reset_state_and_trampoline),
        cmocka_unit_test(test_step_record),
        cmocka_unit_test(test_trace_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
