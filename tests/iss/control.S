/*
 * control.S - LUI, AUIPC, every branch taken and not taken in both
 * directions with signed and unsigned operand pairs, JAL and JALR (link
 * value, bit 0 of the target cleared, rd equal to rs1).
 * The link checks compare against addresses computed by the assembler/linker.
 */
#include "iss_test.h"

/* branch op on (a, b) must be taken: forward and backward */
.macro BR_TAKEN n, op, a, b
    TEST  \n
    li    a1, \a
    li    a2, \b
    \op   a1, a2, 1f            /* forward */
    j     fail
1:  j     3f
2:  j     4f
3:  \op   a1, a2, 2b            /* backward */
    j     fail
4:
.endm

/* branch op on (a, b) must fall through */
.macro BR_NOT n, op, a, b
    TEST  \n
    li    a1, \a
    li    a2, \b
    \op   a1, a2, 5f
    j     6f
5:  j     fail
6:
.endm

    TEST_PROGRAM
main_tests:
    TEST 1
    lui   a0, 0x12345
    CHECK a0, 0x12345000
    TEST 2
    lui   a0, 0xfffff
    CHECK a0, 0xfffff000
    TEST 3
    lui   a0, 0
    CHECK a0, 0

    /* auipc: jal puts the address of the next instruction in ra */
    TEST 4
    jal   ra, 1f
1:  auipc a0, 0
    CHECK_REG a0, ra
    TEST 5
    jal   ra, 1f
1:  auipc a0, 0x1
    sub   a0, a0, ra
    CHECK a0, 0x1000
    TEST 6
    jal   ra, 1f
1:  auipc a0, 0xfffff           /* pc - 4096 */
    sub   a0, ra, a0
    CHECK a0, 0x1000

    BR_TAKEN 10, beq, 5, 5
    BR_TAKEN 11, beq, -1, 0xffffffff
    BR_NOT   12, beq, 5, 6
    BR_NOT   13, beq, 0x80000000, 0
    BR_TAKEN 14, bne, 5, 6
    BR_TAKEN 15, bne, 0x80000000, 0
    BR_NOT   16, bne, 7, 7
    BR_TAKEN 20, blt, -1, 0
    BR_TAKEN 21, blt, 0x80000000, 0x7fffffff
    BR_TAKEN 22, blt, -5, -4
    BR_NOT   23, blt, 0, -1
    BR_NOT   24, blt, 3, 3
    BR_NOT   25, blt, 0x7fffffff, 0x80000000
    BR_TAKEN 30, bge, 0, -1
    BR_TAKEN 31, bge, 3, 3
    BR_TAKEN 32, bge, 0x7fffffff, 0x80000000
    BR_NOT   33, bge, -1, 0
    BR_NOT   34, bge, 0x80000000, 0x80000001
    BR_TAKEN 40, bltu, 0, 0xffffffff
    BR_TAKEN 41, bltu, 0x7fffffff, 0x80000000
    BR_NOT   42, bltu, 0xffffffff, 0
    BR_NOT   43, bltu, 9, 9
    BR_TAKEN 50, bgeu, 0xffffffff, 0
    BR_TAKEN 51, bgeu, 9, 9
    BR_TAKEN 52, bgeu, 0x80000000, 0x7fffffff
    BR_NOT   53, bgeu, 0, 1
    BR_NOT   54, bgeu, 0x7fffffff, 0x80000000

    /* jal: link = address after the jal, rd = x0 links nothing */
    TEST 60
    li    a0, 0
    jal   ra, 1f
2:  li    a0, 1                 /* skipped */
1:  la    a1, 2b
    CHECK_REG ra, a1
    CHECK a0, 0
    TEST 61
    jal   zero, 1f
    j     fail
1:  CHECK zero, 0

    /* jalr: target = (rs1 + imm) & ~1 */
    TEST 62
    la    t0, 1f
    addi  t0, t0, 1             /* odd: bit 0 must be cleared */
    jalr  ra, 0(t0)
2:  j     fail
1:  la    a1, 2b
    CHECK_REG ra, a1
    TEST 63
    la    t0, 1f
    addi  t0, t0, 8
    jalr  ra, -8(t0)
    j     fail
1:
    TEST 64
    la    t0, 1f
    jalr  t0, 0(t0)             /* rd = rs1: the old value is the target */
2:  j     fail
1:  la    a1, 2b
    CHECK_REG t0, a1
    TEST 65                     /* call and return */
    li    a0, 0
    call  sub_inc
    call  sub_inc
    CHECK a0, 2
    j     pass

sub_inc:
    addi  a0, a0, 1
    jalr  zero, 0(ra)
