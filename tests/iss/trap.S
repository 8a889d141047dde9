/*
 * trap.S - synchronous exceptions and mode changes, each checked for
 * mcause, mepc, mtval and the mstatus stack:
 * ecall from M and U, ebreak, illegal instructions (unknown encodings,
 * unimplemented and read-only CSRs, machine CSRs and mret from U), address
 * misaligned loads, stores and jumps, access faults on load, store and fetch,
 * mret into user mode, the user counters gated by mcounteren.
 *
 * The handler records mcause, mepc, mtval and mstatus, counts traps, and
 * returns in machine mode to the instruction after the faulting one (to ra
 * for an instruction access fault, whose mepc is not an instruction).
 */
#include "iss_test.h"

#define REC_CAUSE   0
#define REC_EPC     4
#define REC_TVAL    8
#define REC_STATUS 12
#define REC_COUNT  16

    .data
    .align 4
rec:    .word 0, 0, 0, 0, 0
buf:    .word 0x11111111, 0x22222222
    .text

/* the last trap had this cause, at label `at` */
.macro EXPECT_TRAP cause, at
    la    t1, rec
    lw    t0, REC_CAUSE(t1)
    li    t6, \cause
    bne   t0, t6, fail
    lw    t0, REC_EPC(t1)
    la    t6, \at
    bne   t0, t6, fail
.endm

/* mtval of the last trap equals register r */
.macro EXPECT_TVAL r
    la    t1, rec
    lw    t0, REC_TVAL(t1)
    bne   t0, \r, fail
.endm

/* the trap count equals n */
.macro EXPECT_COUNT n
    la    t1, rec
    lw    t0, REC_COUNT(t1)
    li    t6, \n
    bne   t0, t6, fail
.endm

/* enter user mode at label `to` */
.macro ENTER_U to
    li    t0, 0x1800
    csrc  mstatus, t0           /* MPP = U */
    la    t0, \to
    csrw  mepc, t0
    mret
.endm

    TEST_PROGRAM
main_tests:
    la    t0, handler
    csrw  mtvec, t0

    TEST 1                      /* ecall from M */
t1_at: ecall
    EXPECT_TRAP 11, t1_at
    EXPECT_TVAL zero
    EXPECT_COUNT 1

    TEST 2                      /* ebreak: mtval = its pc */
t2_at: ebreak
    EXPECT_TRAP 3, t2_at
    la    a0, t2_at
    EXPECT_TVAL a0

    TEST 3                      /* an unimplemented CSR; mtval = the instruction */
t3_at: csrr a0, 0x7c0
    EXPECT_TRAP 2, t3_at
    la    a0, t3_at
    lw    a0, 0(a0)
    EXPECT_TVAL a0

    TEST 4                      /* the all-zero word is illegal */
t4_at: .word 0
    EXPECT_TRAP 2, t4_at
    EXPECT_TVAL zero

    TEST 5                      /* all ones is illegal */
t5_at: .word 0xffffffff
    EXPECT_TRAP 2, t5_at
    li    a0, -1
    EXPECT_TVAL a0

    TEST 6                      /* a write to a read-only CSR */
t6_at: csrw mhartid, a0
    EXPECT_TRAP 2, t6_at

    TEST 7                      /* csrrs with rs1 = x0 reads a read-only CSR without trapping */
    la    t1, rec
    lw    s0, REC_COUNT(t1)
    csrr  a0, mhartid
    csrr  a0, mvendorid
    csrr  a0, cycle
    lw    s1, REC_COUNT(t1)
    CHECK_REG s0, s1

    TEST 8                      /* time is not implemented (no mtime) */
t8_at: rdtime a0
    EXPECT_TRAP 2, t8_at

    TEST 9                      /* mcountinhibit is not implemented */
t9_at: csrr a0, 0x320
    EXPECT_TRAP 2, t9_at

    TEST 10                     /* fence.i (Zifencei) is not implemented */
t10_at: .word 0x0000100f
    EXPECT_TRAP 2, t10_at

    TEST 11                     /* misaligned loads: mtval = the address */
    la    a0, buf
t11_at: lw a1, 1(a0)
    EXPECT_TRAP 4, t11_at
    addi  a2, a0, 1
    EXPECT_TVAL a2
    TEST 12
t12_at: lh a1, 3(a0)
    EXPECT_TRAP 4, t12_at
    addi  a2, a0, 3
    EXPECT_TVAL a2
    TEST 13                     /* aligned halfword and byte loads do not trap */
    la    t1, rec
    lw    s0, REC_COUNT(t1)
    lhu   a1, 2(a0)
    lb    a1, 3(a0)
    lw    s1, REC_COUNT(t1)
    CHECK_REG s0, s1

    TEST 14                     /* misaligned stores */
t14_at: sw a1, 2(a0)
    EXPECT_TRAP 6, t14_at
    addi  a2, a0, 2
    EXPECT_TVAL a2
    TEST 15
t15_at: sh a1, 1(a0)
    EXPECT_TRAP 6, t15_at
    TEST 16                     /* the faulting store wrote nothing */
    lw    a1, 0(a0)
    CHECK a1, 0x11111111

    TEST 17                     /* load access faults: unmapped, address 0, the CSR window without a bus */
    li    a2, 0x20000000
t17_at: lw a1, 0(a2)
    EXPECT_TRAP 5, t17_at
    EXPECT_TVAL a2
    TEST 18
t18_at: lb a1, 0(zero)
    EXPECT_TRAP 5, t18_at
    EXPECT_TVAL zero
    TEST 19
    li    a2, 0x10000000
t19_at: lw a1, 0(a2)
    EXPECT_TRAP 5, t19_at
    TEST 20                     /* just past the end of RAM (256 KiB) */
    li    a2, 0x80040000
t20_at: lw a1, 0(a2)
    EXPECT_TRAP 5, t20_at
    EXPECT_TVAL a2

    TEST 21                     /* store access fault: the boot ROM is read-only */
    li    a2, 0x1000
t21_at: sw zero, 0(a2)
    EXPECT_TRAP 7, t21_at
    EXPECT_TVAL a2
    lw    a1, 0(a2)
    beqz  a1, fail              /* the trampoline is still there */

    TEST 22                     /* instruction access fault: mepc = mtval = the target */
    li    a2, 0x20000000
    jalr  ra, 0(a2)
    la    t1, rec
    lw    t0, REC_CAUSE(t1)
    CHECK t0, 1
    lw    t0, REC_EPC(t1)
    CHECK_REG t0, a2
    EXPECT_TVAL a2

    TEST 23                     /* misaligned jump target: raised by the jump, mtval = target */
    la    a2, t23_target
    addi  a2, a2, 2
t23_at: jalr ra, 0(a2)
    EXPECT_TRAP 0, t23_at
    EXPECT_TVAL a2
    j     1f
t23_target:
    nop
    j     fail
1:
    TEST 24                     /* misaligned branch target; a not-taken one does not trap */
    la    t1, rec
    lw    s0, REC_COUNT(t1)
    bne   zero, zero, .+6
    lw    s1, REC_COUNT(t1)
    CHECK_REG s0, s1
t24_at: beq zero, zero, .+6
    EXPECT_TRAP 0, t24_at
    la    a2, t24_at
    addi  a2, a2, 6
    EXPECT_TVAL a2
    TEST 25                     /* jal to a misaligned target */
t25_at: jal zero, .+10
    EXPECT_TRAP 0, t25_at

    TEST 26                     /* the trap stacks MIE into MPIE and clears MIE; mret restores */
    csrsi mstatus, 8            /* MIE = 1 (no interrupt line is ever raised here) */
    ecall
    la    t1, rec
    lw    t0, REC_STATUS(t1)
    andi  a0, t0, 0x88
    CHECK a0, 0x80              /* in the handler: MPIE = 1, MIE = 0 */
    srli  a0, t0, 11
    andi  a0, a0, 3
    CHECK a0, 3                 /* MPP = M */
    csrr  a0, mstatus
    andi  a0, a0, 0x88
    CHECK a0, 0x88              /* after mret: MIE = MPIE = 1 */
    csrci mstatus, 8

    TEST 27                     /* vectored mtvec: exceptions still go to the base */
    la    t0, handler
    ori   t0, t0, 1
    csrw  mtvec, t0
t27_at: ecall
    EXPECT_TRAP 11, t27_at
    la    t0, handler
    csrw  mtvec, t0

    /* user mode */
    TEST 30                     /* mret with MPP = U enters U; ecall from U is cause 8 */
    ENTER_U t30_u
t30_u:
t30_at: ecall
    EXPECT_TRAP 8, t30_at
    la    t1, rec
    lw    t0, REC_STATUS(t1)
    srli  t0, t0, 11
    andi  t0, t0, 3
    CHECK t0, 0                 /* MPP = U in the handler */

    TEST 31                     /* a machine CSR from U is illegal */
    ENTER_U t31_u
t31_u:
t31_at: csrr a0, mstatus
    EXPECT_TRAP 2, t31_at
    la    a0, t31_at
    lw    a0, 0(a0)
    EXPECT_TVAL a0

    TEST 32                     /* mret from U is illegal */
    ENTER_U t32_u
t32_u:
t32_at: mret
    EXPECT_TRAP 2, t32_at

    TEST 33                     /* U may read cycle and instret (mcounteren = 5 at reset), and wfi is a no-op */
    la    t1, rec
    lw    s0, REC_COUNT(t1)
    ENTER_U t33_u
t33_u:
    rdcycle   a0
    rdinstret a1
    rdcycleh  a0
    rdinstreth a1
    wfi
    ecall                       /* back to M */
    la    t1, rec
    lw    s1, REC_COUNT(t1)
    addi  s0, s0, 1
    CHECK_REG s0, s1            /* only the ecall trapped */

    TEST 34                     /* with mcounteren.CY = 0, cycle from U is illegal; instret still works */
    csrci mcounteren, 1
    ENTER_U t34_u
t34_u:
t34_at: rdcycle a0
    EXPECT_TRAP 2, t34_at
    la    t1, rec
    lw    s0, REC_COUNT(t1)
    ENTER_U t34b_u
t34b_u:
    rdinstret a1
    ecall
    la    t1, rec
    lw    s1, REC_COUNT(t1)
    addi  s0, s0, 1
    CHECK_REG s0, s1
    csrsi mcounteren, 1

    TEST 35                     /* a write to the user counter is illegal even in M */
t35_at: csrw cycle, zero
    EXPECT_TRAP 2, t35_at

    TEST 36                     /* mret with MPP = M stays in M (mstatus readable afterwards) */
    li    t0, 0x1800
    csrs  mstatus, t0
    la    t0, 1f
    csrw  mepc, t0
    mret
1:  csrr  a0, mstatus
    srli  a0, a0, 11
    andi  a0, a0, 3
    CHECK a0, 0                 /* mret set MPP to U, the least-privileged mode */
    j     pass

    .align 2
handler:
    la    t1, rec
    csrr  t0, mcause
    sw    t0, REC_CAUSE(t1)
    csrr  t0, mepc
    sw    t0, REC_EPC(t1)
    csrr  t0, mtval
    sw    t0, REC_TVAL(t1)
    csrr  t0, mstatus
    sw    t0, REC_STATUS(t1)
    lw    t0, REC_COUNT(t1)
    addi  t0, t0, 1
    sw    t0, REC_COUNT(t1)
    csrr  t0, mcause
    li    t1, 1
    beq   t0, t1, 1f
    csrr  t0, mepc
    addi  t0, t0, 4
    csrw  mepc, t0
    j     2f
1:  csrw  mepc, ra              /* instruction access fault: back to the caller */
2:  li    t0, 0x1800
    csrs  mstatus, t0           /* return in M */
    mret
