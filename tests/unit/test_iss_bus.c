/*
 * test_iss_bus.c - the tile CSR window (docs/spec.md 3.2, 3.6): accesses go
 * to the bus callbacks with the CSR offset; ISS_BUS_WAIT stalls the hart
 * (nothing retired, no architectural change but mcycle, the identical call
 * repeated next cycle); ISS_BUS_ERROR and unknown responses are access
 * faults; sub-word, misaligned, out-of-window and fetch accesses never reach
 * the bus; interrupts wait for an outstanding transfer; iss_run reports a
 * bus that never answers.
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

/* a register file behind a bus that answers after `wait` WAIT cycles */
typedef struct fake_bus {
    unsigned wait;       /* WAIT responses before each access completes */
    int error;           /* complete with ISS_BUS_ERROR */
    int response;        /* if non-zero: return this instead (bad values) */
    unsigned left;       /* WAITs left for the access in flight */
    int in_flight;
    uint32_t off, data;  /* the access in flight */
    int is_write;
    int changed_retry;   /* a repeated call differed from the first */
    unsigned reads, writes;
    uint32_t strb;
    uint32_t regs[ISS_WIN_SIZE / 4];
} fake_bus;

static int bus_access(fake_bus *b, int is_write, uint32_t off, uint32_t data)
{
    if (!b->in_flight) {
        b->in_flight = 1;
        b->left = b->wait;
        b->off = off;
        b->data = data;
        b->is_write = is_write;
    } else if (b->off != off || b->is_write != is_write || (is_write && b->data != data)) {
        b->changed_retry = 1;
    }
    if (b->left) {
        b->left--;
        return ISS_BUS_WAIT;
    }
    b->in_flight = 0;
    if (b->response)
        return b->response;
    return b->error ? ISS_BUS_ERROR : ISS_BUS_OK;
}

static int bus_read(void *ctx, uint32_t off, uint32_t *data)
{
    fake_bus *b = ctx;
    b->reads++;
    int r = bus_access(b, 0, off, 0);
    if (r == ISS_BUS_OK)
        *data = b->regs[off / 4];
    return r;
}

static int bus_write(void *ctx, uint32_t off, uint32_t data, uint32_t strb)
{
    fake_bus *b = ctx;
    b->writes++;
    b->strb = strb;
    int r = bus_access(b, 1, off, data);
    if (r == ISS_BUS_OK)
        b->regs[off / 4] = data;
    return r;
}

typedef struct fixture {
    iss *s;
    fake_bus bus;
} fixture;

static int setup(void **state)
{
    static fixture f;
    memset(&f, 0, sizeof f);
    iss_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.bus.ctx = &f.bus;
    cfg.bus.read32 = bus_read;
    cfg.bus.write32 = bus_write;
    f.s = iss_new(&cfg, NULL, 0);
    if (!f.s)
        return -1;
    iss_csr_write(f.s, ISS_CSR_MTVEC, TRAPV);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    iss_free(f->s);
    return 0;
}

static uint32_t csr(const iss *s, unsigned n)
{
    uint32_t v = 0;
    assert_int_equal(iss_csr_read(s, n, &v), 0);
    return v;
}

static void place(iss *s, const uint32_t *w, size_t n)
{
    assert_int_equal(iss_load_words(s, AT, w, n), 0);
    iss_set_pc(s, AT);
}

static void test_no_wait(void **state)
{
    fixture *f = *state;
    iss *s = f->s;
    uint32_t prog[] = {rv_sw(RV_A2, RV_A1, 0x10), rv_lw(RV_A0, RV_A1, 0x10)};
    place(s, prog, 2);
    iss_set_reg(s, RV_A1, ISS_WIN_BASE);
    iss_set_reg(s, RV_A2, 0xCAFEF00Du);
    assert_int_equal(iss_step(s), ISS_RETIRED);
    assert_int_equal(f->bus.writes, 1u);
    assert_int_equal(f->bus.off, 0x10u); /* the offset in the window, not the address */
    assert_int_equal(f->bus.strb, 0xFu);
    assert_int_equal(f->bus.regs[4], 0xCAFEF00Du);
    assert_int_equal(iss_step(s), ISS_RETIRED);
    assert_int_equal(f->bus.reads, 1u);
    assert_int_equal(iss_reg(s, RV_A0), 0xCAFEF00Du);
    assert_int_equal(iss_cycles(s), 2u);
    assert_int_equal(iss_instret(s), 2u);
    const iss_step_info *in = iss_last_step(s);
    assert_int_equal(in->mem, 'L');
    assert_int_equal(in->mem_addr, ISS_WIN_BASE + 0x10u);
}

static void test_wait_stalls_and_retries(void **state)
{
    fixture *f = *state;
    iss *s = f->s;
    f->bus.wait = 3;
    f->bus.regs[0x40 / 4] = 0x12345678u;
    uint32_t prog[] = {rv_lw(RV_A0, RV_A1, 0x40), rv_sw(RV_A2, RV_A1, 0x44), rv_nop()};
    place(s, prog, 3);
    iss_set_reg(s, RV_A1, ISS_WIN_BASE);
    iss_set_reg(s, RV_A0, 0xAAAAAAAAu);
    iss_set_reg(s, RV_A2, 0x0BADF00Du);
    /* the load: three stalled cycles, then it retires */
    for (int i = 0; i < 3; i++) {
        assert_int_equal(iss_step(s), ISS_STALLED);
        assert_int_equal(iss_pc(s), AT);
        assert_int_equal(iss_reg(s, RV_A0), 0xAAAAAAAAu);
        assert_int_equal(iss_instret(s), 0u);
        assert_int_equal(iss_cycles(s), (uint64_t)i + 1);
        const iss_step_info *in = iss_last_step(s);
        assert_int_equal(in->status, ISS_STALLED);
        assert_int_equal(in->retired, 0);
        assert_int_equal(in->mem_addr, ISS_WIN_BASE + 0x40u);
    }
    assert_int_equal(iss_step(s), ISS_RETIRED);
    assert_int_equal(iss_reg(s, RV_A0), 0x12345678u);
    assert_int_equal(f->bus.reads, 4u);
    assert_int_equal(iss_cycles(s), 4u);
    assert_int_equal(iss_instret(s), 1u);
    /* the store: the register changes only when the transfer completes */
    for (int i = 0; i < 3; i++) {
        assert_int_equal(iss_step(s), ISS_STALLED);
        assert_int_equal(iss_pc(s), AT + 4u);
    }
    assert_int_equal(iss_step(s), ISS_RETIRED);
    assert_int_equal(f->bus.regs[0x44 / 4], 0x0BADF00Du);
    assert_int_equal(f->bus.writes, 4u);
    assert_int_equal(f->bus.changed_retry, 0);
    assert_int_equal(iss_cycles(s), 8u);
    assert_int_equal(iss_instret(s), 2u);
    assert_int_equal(iss_step(s), ISS_RETIRED);
    assert_int_equal(iss_pc(s), AT + 12u);
}

/* the counters seen by a program: CPI = 1 + the bus wait states */
static void test_counters_seen_by_program(void **state)
{
    fixture *f = *state;
    iss *s = f->s;
    f->bus.wait = 2;
    uint32_t prog[] = {
        rv_csrrs(RV_S0, ISS_CSR_MCYCLE, RV_ZERO),
        rv_csrrs(RV_S1, ISS_CSR_MINSTRET, RV_ZERO),
        rv_lw(RV_A0, RV_A1, 0), rv_lw(RV_A0, RV_A1, 4), rv_sw(RV_A0, RV_A1, 8),
        rv_csrrs(RV_S2, ISS_CSR_MCYCLE, RV_ZERO),
        rv_csrrs(RV_S3, ISS_CSR_MINSTRET, RV_ZERO),
    };
    place(s, prog, 7);
    iss_set_reg(s, RV_A1, ISS_WIN_BASE);
    iss_run_result r;
    assert_int_equal(iss_run(s, 7, NULL, NULL, &r), ISS_STOP_MAX_INSNS);
    /* from the first read to the second: 1 + 3 accesses x 3 cycles + ... */
    assert_int_equal(iss_reg(s, RV_S2) - iss_reg(s, RV_S0), 1u + 1u + 3u * 3u);
    assert_int_equal(iss_reg(s, RV_S3) - iss_reg(s, RV_S1), 1u + 3u + 1u);
    assert_int_equal(r.cycles, 7u + 3u * 2u);
}

static void test_error_is_access_fault(void **state)
{
    fixture *f = *state;
    iss *s = f->s;
    f->bus.wait = 2;
    f->bus.error = 1;
    uint32_t prog[] = {rv_lw(RV_A0, RV_A1, 0x20)};
    place(s, prog, 1);
    iss_set_reg(s, RV_A1, ISS_WIN_BASE);
    iss_set_reg(s, RV_A0, 7u);
    assert_int_equal(iss_step(s), ISS_STALLED);
    assert_int_equal(iss_step(s), ISS_STALLED);
    assert_int_equal(iss_step(s), ISS_EXCEPTION);
    assert_int_equal(csr(s, ISS_CSR_MCAUSE), ISS_CAUSE_LOAD_FAULT);
    assert_int_equal(csr(s, ISS_CSR_MTVAL), ISS_WIN_BASE + 0x20u);
    assert_int_equal(csr(s, ISS_CSR_MEPC), AT);
    assert_int_equal(iss_reg(s, RV_A0), 7u);
    assert_int_equal(iss_cycles(s), 3u);
    assert_int_equal(iss_instret(s), 0u);
    uint32_t st = rv_sw(RV_A0, RV_A1, 0x24);
    place(s, &st, 1);
    f->bus.wait = 0;
    assert_int_equal(iss_step(s), ISS_EXCEPTION);
    assert_int_equal(csr(s, ISS_CSR_MCAUSE), ISS_CAUSE_STORE_FAULT);
    assert_int_equal(csr(s, ISS_CSR_MTVAL), ISS_WIN_BASE + 0x24u);
    assert_int_equal(f->bus.regs[0x24 / 4], 0u);
    /* a response that is none of OK/WAIT/ERROR counts as ERROR */
    f->bus.error = 0;
    f->bus.response = 7;
    place(s, prog, 1);
    assert_int_equal(iss_step(s), ISS_EXCEPTION);
    assert_int_equal(csr(s, ISS_CSR_MCAUSE), ISS_CAUSE_LOAD_FAULT);
}

static void test_accesses_that_never_reach_the_bus(void **state)
{
    fixture *f = *state;
    iss *s = f->s;
    iss_set_reg(s, RV_A1, ISS_WIN_BASE);
    const struct { uint32_t insn, cause, tval; } c[] = {
        {rv_lb(RV_A0, RV_A1, 0), ISS_CAUSE_LOAD_FAULT, ISS_WIN_BASE},
        {rv_lbu(RV_A0, RV_A1, 3), ISS_CAUSE_LOAD_FAULT, ISS_WIN_BASE + 3u},
        {rv_lh(RV_A0, RV_A1, 2), ISS_CAUSE_LOAD_FAULT, ISS_WIN_BASE + 2u},
        {rv_lhu(RV_A0, RV_A1, 0), ISS_CAUSE_LOAD_FAULT, ISS_WIN_BASE},
        {rv_sb(RV_A0, RV_A1, 1), ISS_CAUSE_STORE_FAULT, ISS_WIN_BASE + 1u},
        {rv_sh(RV_A0, RV_A1, 0), ISS_CAUSE_STORE_FAULT, ISS_WIN_BASE},
        {rv_lw(RV_A0, RV_A1, 2), ISS_CAUSE_LOAD_MISALIGNED, ISS_WIN_BASE + 2u},
        {rv_sw(RV_A0, RV_A1, 1), ISS_CAUSE_STORE_MISALIGNED, ISS_WIN_BASE + 1u},
        {rv_lw(RV_A0, RV_A1, -4), ISS_CAUSE_LOAD_FAULT, ISS_WIN_BASE - 4u},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        place(s, &c[i].insn, 1);
        assert_int_equal(iss_step(s), ISS_EXCEPTION);
        assert_int_equal(csr(s, ISS_CSR_MCAUSE), c[i].cause);
        assert_int_equal(csr(s, ISS_CSR_MTVAL), c[i].tval);
    }
    /* past the window */
    iss_set_reg(s, RV_A1, ISS_WIN_BASE + ISS_WIN_SIZE);
    uint32_t lw = rv_lw(RV_A0, RV_A1, 0);
    place(s, &lw, 1);
    assert_int_equal(iss_step(s), ISS_EXCEPTION);
    assert_int_equal(csr(s, ISS_CSR_MCAUSE), ISS_CAUSE_LOAD_FAULT);
    /* instruction fetch from the window */
    iss_set_pc(s, ISS_WIN_BASE + 0x100u);
    assert_int_equal(iss_step(s), ISS_EXCEPTION);
    assert_int_equal(csr(s, ISS_CSR_MCAUSE), ISS_CAUSE_FETCH_FAULT);
    assert_int_equal(f->bus.reads + f->bus.writes, 0u);
    /* the last word of the window reaches the bus */
    iss_set_reg(s, RV_A1, ISS_WIN_BASE + ISS_WIN_SIZE - 4u);
    place(s, &lw, 1);
    assert_int_equal(iss_step(s), ISS_RETIRED);
    assert_int_equal(f->bus.off, ISS_WIN_SIZE - 4u);
}

static void test_missing_callbacks(void **state)
{
    (void)state;
    fake_bus b;
    memset(&b, 0, sizeof b);
    iss_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.bus.ctx = &b;
    cfg.bus.read32 = bus_read; /* no write32 */
    iss *s = iss_new(&cfg, NULL, 0);
    assert_non_null(s);
    iss_csr_write(s, ISS_CSR_MTVEC, TRAPV);
    uint32_t prog[] = {rv_lw(RV_A0, RV_A1, 0), rv_sw(RV_A0, RV_A1, 0)};
    place(s, prog, 2);
    iss_set_reg(s, RV_A1, ISS_WIN_BASE);
    assert_int_equal(iss_step(s), ISS_RETIRED);
    assert_int_equal(iss_step(s), ISS_EXCEPTION);
    assert_int_equal(csr(s, ISS_CSR_MCAUSE), ISS_CAUSE_STORE_FAULT);
    iss_free(s);
}

static void test_interrupt_waits_for_transfer(void **state)
{
    fixture *f = *state;
    iss *s = f->s;
    f->bus.wait = 3;
    uint32_t prog[] = {rv_lw(RV_A0, RV_A1, 0), rv_nop()};
    place(s, prog, 2);
    iss_set_reg(s, RV_A1, ISS_WIN_BASE);
    f->bus.regs[0] = 99u;
    assert_int_equal(iss_step(s), ISS_STALLED);
    /* an enabled interrupt arrives while the load waits */
    iss_csr_write(s, ISS_CSR_MIE, 1u << ISS_IRQ_MEI);
    iss_csr_write(s, ISS_CSR_MSTATUS, ISS_MSTATUS_MIE);
    iss_notify_irq(s, ISS_IRQ_MEI, 1);
    assert_int_equal(iss_step(s), ISS_STALLED);
    assert_int_equal(iss_step(s), ISS_STALLED);
    assert_int_equal(iss_step(s), ISS_RETIRED); /* the transfer completes first */
    assert_int_equal(iss_reg(s, RV_A0), 99u);
    assert_int_equal(iss_step(s), ISS_INTERRUPT);
    assert_int_equal(csr(s, ISS_CSR_MEPC), AT + 4u);
    assert_int_equal(f->bus.in_flight, 0);
    assert_int_equal(f->bus.changed_retry, 0);
    /* with the interrupt already pending before the access starts, it wins */
    iss_csr_write(s, ISS_CSR_MSTATUS, ISS_MSTATUS_MIE);
    iss_set_pc(s, AT);
    unsigned reads = f->bus.reads;
    assert_int_equal(iss_step(s), ISS_INTERRUPT);
    assert_int_equal(f->bus.reads, reads);
}

static void test_bus_hang(void **state)
{
    fixture *f = *state;
    iss *s = f->s;
    f->bus.wait = 0xFFFFFFFFu;
    uint32_t prog[] = {rv_lw(RV_A0, RV_A1, 0)};
    place(s, prog, 1);
    iss_set_reg(s, RV_A1, ISS_WIN_BASE);
    iss_run_result r;
    assert_int_equal(iss_run(s, 0, NULL, NULL, &r), ISS_STOP_BUS_HANG);
    assert_int_equal(r.cycles, ISS_BUS_HANG_CYCLES);
    assert_int_equal(r.instructions, 0u);
    assert_int_equal(iss_pc(s), AT);
}

/* Negative test of the fake bus's own check: a retry that differs is caught. */
static void test_fake_bus_catches_changed_retry(void **state)
{
    (void)state;
    fake_bus b;
    memset(&b, 0, sizeof b);
    b.wait = 2;
    uint32_t d;
    assert_int_equal(bus_read(&b, 0x10, &d), ISS_BUS_WAIT);
    assert_int_equal(bus_read(&b, 0x14, &d), ISS_BUS_WAIT); /* another address while waiting */
    assert_int_equal(b.changed_retry, 1);
    memset(&b, 0, sizeof b);
    b.wait = 1;
    assert_int_equal(bus_write(&b, 0x10, 1u, 0xFu), ISS_BUS_WAIT);
    assert_int_equal(bus_write(&b, 0x10, 2u, 0xFu), ISS_BUS_OK); /* other data */
    assert_int_equal(b.changed_retry, 1);
}

static void test_trace_of_stall(void **state)
{
    fixture *f = *state;
    iss *s = f->s;
    f->bus.wait = 1;
    uint32_t prog[] = {rv_lw(RV_A0, RV_A1, 8)};
    place(s, prog, 1);
    iss_set_reg(s, RV_A1, ISS_WIN_BASE);
    char line[200];
    assert_int_equal(iss_step(s), ISS_STALLED);
    iss_format_trace(s, iss_last_step(s), line, sizeof line);
    assert_non_null(strstr(line, "stall: bus busy at 0x10000008"));
    assert_int_equal(iss_step(s), ISS_RETIRED);
    iss_format_trace(s, iss_last_step(s), line, sizeof line);
    assert_non_null(strstr(line, "lw      a0,8(a1)"));
    assert_non_null(strstr(line, "a0=0x00000000 (load4 0x10000008)"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_no_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_stalls_and_retries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counters_seen_by_program, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_is_access_fault, setup, teardown),
        cmocka_unit_test_setup_teardown(test_accesses_that_never_reach_the_bus, setup, teardown),
        cmocka_unit_test(test_missing_callbacks),
        cmocka_unit_test_setup_teardown(test_interrupt_waits_for_transfer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bus_hang, setup, teardown),
        cmocka_unit_test(test_fake_bus_catches_changed_retry),
        cmocka_unit_test_setup_teardown(test_trace_of_stall, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
