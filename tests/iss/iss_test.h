/*
 * iss_test.h - macros of the ISS assembly tests (tests/iss/*.S).
 *
 * Register gp (x3) holds the number of the test running. A failed check
 * writes (gp << 1) | 1 to `tohost` (optile-iss exits with status gp); the
 * end of the program writes 1 (pass). See docs/spec.md section 3.2.
 *
 * Registers t5 and t6 are scratch for the macros.
 */
#ifndef ISS_TEST_H
#define ISS_TEST_H

#define TESTNUM gp

/* Start of a test program: sets the stack and jumps to `main_tests`. */
.macro TEST_PROGRAM
    .section .text.init, "ax"
    .globl _start
_start:
    la    sp, _stack_top
    li    TESTNUM, 0
    j     main_tests

    /* fail: report test TESTNUM */
    .globl fail
fail:
    slli  t6, TESTNUM, 1
    ori   t6, t6, 1
    la    t5, tohost
    sw    t6, 0(t5)
1:  j     1b

    .globl pass
pass:
    li    t6, 1
    la    t5, tohost
    sw    t6, 0(t5)
1:  j     1b

    .section .tohost, "aw", @progbits
    .align 3
    .globl tohost
tohost:   .word 0
    .word 0
    .globl fromhost
fromhost: .word 0
    .word 0

    .text
.endm

/* Begin test number n. */
.macro TEST n
    li    TESTNUM, \n
.endm

/* Fail the current test unless register reg equals the constant val. */
.macro CHECK reg, val
    li    t6, \val
    bne   \reg, t6, fail
.endm

/* Fail the current test unless registers a and b are equal. */
.macro CHECK_REG a, b
    bne   \a, \b, fail
.endm

/* Test n: rd = op(a, b) for an R-type instruction, expect val. */
.macro TEST_RR n, op, a, b, val
    TEST  \n
    li    a1, \a
    li    a2, \b
    \op   a0, a1, a2
    CHECK a0, \val
.endm

/* Test n: rd = op(a, imm) for an I-type instruction, expect val. */
.macro TEST_RI n, op, a, imm, val
    TEST  \n
    li    a1, \a
    \op   a0, a1, \imm
    CHECK a0, \val
.endm

#endif
