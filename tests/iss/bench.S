/*
 * bench.S - a tight loop for the ISS speed figure: 2,000,000 iterations of
 * 8 instructions (ALU, multiply, load, store, branch), then a checksum
 * compared with the closed form n(n+1)/2.
 *   optile-iss --stats build/iss-tests/bench.elf
 */
#include "iss_test.h"

#define ITER 2000000

    .data
    .align 2
cell: .word 0
    .text

    TEST_PROGRAM
main_tests:
    TEST 1
    li    s0, ITER
    li    s1, 0                 /* i */
    li    s2, 0                 /* sum of i */
    la    s3, cell
1:  addi  s1, s1, 1
    add   s2, s2, s1
    xor   t0, s1, s2
    mul   t1, s1, s1
    sw    t1, 0(s3)
    lw    t2, 0(s3)
    sub   t2, t2, t1            /* 0 */
    add   s2, s2, t2
    bne   s1, s0, 1b
    /* sum of 1..n = n(n+1)/2, modulo 2^32, evaluated by the assembler */
    li    a3, ((ITER / 2) * (ITER + 1)) & 0xffffffff
    CHECK_REG s2, a3
    j     pass
