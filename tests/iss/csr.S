/*
 * csr.S - the machine CSRs from a program: read/write/set/clear in register
 * and immediate forms, WARL legalisation (mstatus.MPP, mtvec mode, mepc
 * alignment, mie), identity registers, and the counters: one cycle and one
 * instruction per instruction, a written counter value seen by the next
 * instruction, carry into the high half.
 */
#include "iss_test.h"

    TEST_PROGRAM
main_tests:
    TEST 1                      /* mscratch: write, read back, swap */
    li    a0, 0x12345678
    csrw  mscratch, a0
    csrr  a1, mscratch
    CHECK_REG a0, a1
    TEST 2
    li    a2, 0xcafef00d
    csrrw a1, mscratch, a2      /* returns the old value */
    CHECK a1, 0x12345678
    csrr  a1, mscratch
    CHECK a1, 0xcafef00d
    TEST 3                      /* set and clear bits */
    li    a2, 0x0000000f
    csrrs a1, mscratch, a2
    CHECK a1, 0xcafef00d
    csrr  a1, mscratch
    CHECK a1, 0xcafef00f
    li    a2, 0xf0000001
    csrrc a1, mscratch, a2
    CHECK a1, 0xcafef00f
    csrr  a1, mscratch
    CHECK a1, 0x0afef00e
    TEST 4                      /* immediate forms, uimm up to 31 */
    csrrwi a1, mscratch, 31
    CHECK a1, 0x0afef00e
    csrrsi a1, mscratch, 0
    CHECK a1, 31
    csrrci a1, mscratch, 5
    CHECK a1, 31
    csrr  a1, mscratch
    CHECK a1, 26
    csrrsi a1, mscratch, 0x11
    csrr  a1, mscratch
    CHECK a1, 27
    TEST 5                      /* csrrs/csrrc with x0 only read */
    csrrs a1, mscratch, zero
    csrrc a1, mscratch, zero
    CHECK a1, 27

    TEST 10                     /* misa: RV32 (MXL = 1) with I, M and U; writes are ignored */
    li    a0, (1 << 30) | (1 << ('I' - 'A')) | (1 << ('M' - 'A')) | (1 << ('U' - 'A'))
    csrr  a1, misa
    CHECK_REG a0, a1
    csrw  misa, zero
    csrr  a1, misa
    CHECK_REG a0, a1
    TEST 11                     /* identity */
    csrr  a1, mvendorid
    CHECK a1, 0
    csrr  a1, marchid
    CHECK a1, 0
    csrr  a1, mhartid
    CHECK a1, 0
    csrr  a1, 0xf15             /* mconfigptr */
    CHECK a1, 0
    csrr  a1, 0x310             /* mstatush: all fields zero */
    CHECK a1, 0
    csrw  0x310, a0
    csrr  a1, 0x310
    CHECK a1, 0

    TEST 20                     /* mstatus: only MIE, MPIE and MPP are writable */
    csrr  s0, mstatus
    li    a0, -1
    csrw  mstatus, a0
    csrr  a1, mstatus
    CHECK a1, 0x1888
    TEST 21                     /* MPP: 1 and 2 (no S mode) become M; 0 stays U */
    li    a0, 0x0800
    csrw  mstatus, a0
    csrr  a1, mstatus
    CHECK a1, 0x1800
    li    a0, 0x1000
    csrw  mstatus, a0
    csrr  a1, mstatus
    CHECK a1, 0x1800
    csrw  mstatus, zero
    csrr  a1, mstatus
    CHECK a1, 0
    csrw  mstatus, s0
    TEST 22                     /* mie: MSIE, MTIE, MEIE; mip: read-only lines, all low here */
    li    a0, -1
    csrw  mie, a0
    csrr  a1, mie
    CHECK a1, 0x888
    csrw  mie, zero
    csrw  mip, a0
    csrr  a1, mip
    CHECK a1, 0
    TEST 23                     /* mtvec: direct and vectored kept; reserved modes become direct */
    li    a0, 0x80000101
    csrw  mtvec, a0
    csrr  a1, mtvec
    CHECK a1, 0x80000101
    li    a0, 0x80000103
    csrw  mtvec, a0
    csrr  a1, mtvec
    CHECK a1, 0x80000100
    csrw  mtvec, zero
    TEST 24                     /* mepc: bits 1:0 read as zero */
    li    a0, 0x80000007
    csrw  mepc, a0
    csrr  a1, mepc
    CHECK a1, 0x80000004
    TEST 25                     /* mcause, mtval: any value */
    li    a0, 0x8000000b
    csrw  mcause, a0
    csrr  a1, mcause
    CHECK_REG a0, a1
    li    a0, 0xdeadbeef
    csrw  mtval, a0
    csrr  a1, mtval
    CHECK_REG a0, a1
    TEST 26                     /* mcounteren: CY and IR writable, TM read-only zero */
    csrr  a1, mcounteren
    CHECK a1, 5
    li    a0, -1
    csrw  mcounteren, a0
    csrr  a1, mcounteren
    CHECK a1, 5
    csrw  mcounteren, zero
    csrr  a1, mcounteren
    CHECK a1, 0
    csrwi mcounteren, 5

    TEST 30                     /* one cycle and one instruction per instruction */
    csrr  a0, mcycle
    csrr  a1, mcycle
    sub   a2, a1, a0
    CHECK a2, 1
    csrr  a0, minstret
    nop
    nop
    csrr  a1, minstret
    sub   a2, a1, a0
    CHECK a2, 3
    TEST 31                     /* the user views alias the machine counters */
    csrr  a0, mcycle
    rdcycle a1
    sub   a2, a1, a0
    CHECK a2, 1
    csrr  a0, minstret
    rdinstret a1
    sub   a2, a1, a0
    CHECK a2, 1
    TEST 32                     /* a written value is what the next instruction reads */
    li    a0, 100
    csrw  mcycle, a0
    csrr  a1, mcycle
    CHECK a1, 100
    csrw  minstret, a0
    csrr  a1, minstret
    CHECK a1, 100
    TEST 33                     /* carry into the high half */
    li    a0, -1
    csrw  minstret, a0
    csrw  minstreth, zero
    csrr  a1, minstret          /* reads 0xffffffff, then minstret becomes 2^32 */
    csrr  a2, minstreth
    CHECK a1, 0xffffffff
    CHECK a2, 1
    csrw  mcycle, a0
    csrw  mcycleh, zero
    csrr  a1, mcycle
    rdcycleh a2
    CHECK a1, 0xffffffff
    CHECK a2, 1
    TEST 34                     /* the usual high/low/high loop across a carry */
    li    a0, -4
    csrw  mcycle, a0
    csrw  mcycleh, zero         /* mcycle = 0x0_fffffffc for the next instruction */
    li    s0, 0                 /* passes through the loop */
1:  addi  s0, s0, 1
    rdcycleh a2                 /* 0 on the first pass (mcycle 0x0_fffffffe) */
    rdcycle  a1                 /* 0xffffffff, then the carry */
    rdcycleh a3                 /* 1 */
    bne   a2, a3, 1b
    CHECK s0, 2                 /* the carry made the first pass retry */
    CHECK a3, 1
    CHECK a1, 4                 /* second pass: bne, addi, rdcycleh after 0x1_00000000 */
    j     pass
