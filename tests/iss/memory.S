/*
 * memory.S - every load and store width, sign and zero extension,
 * positive and negative offsets, sub-word stores merging into words,
 * loads into x0, and reads of the boot ROM.
 */
#include "iss_test.h"

    .data
    .align 4
bytes:  .byte 0x80, 0x7f, 0x01, 0xff, 0x34, 0x12, 0x00, 0x80
words:  .word 0xdeadbeef, 0x01234567
store:  .word 0, 0, 0, 0
    .text

    TEST_PROGRAM
main_tests:
    la    s0, bytes
    TEST 1
    lb    a0, 0(s0)
    CHECK a0, 0xffffff80
    TEST 2
    lbu   a0, 0(s0)
    CHECK a0, 0x80
    TEST 3
    lb    a0, 1(s0)
    CHECK a0, 0x7f
    TEST 4
    lb    a0, 3(s0)
    CHECK a0, 0xffffffff
    TEST 5
    lbu   a0, 3(s0)
    CHECK a0, 0xff
    TEST 6
    lh    a0, 0(s0)             /* bytes 80 7f: 0x7f80 */
    CHECK a0, 0x7f80
    TEST 7
    lh    a0, 2(s0)             /* bytes 01 ff: 0xff01, negative */
    CHECK a0, 0xffffff01
    TEST 8
    lhu   a0, 2(s0)
    CHECK a0, 0xff01
    TEST 9
    lh    a0, 6(s0)             /* bytes 00 80 */
    CHECK a0, 0xffff8000
    TEST 10
    lhu   a0, 6(s0)
    CHECK a0, 0x8000
    TEST 11
    lw    a0, 0(s0)
    CHECK a0, 0xff017f80
    TEST 12
    lw    a0, 4(s0)
    CHECK a0, 0x80001234
    TEST 13
    la    s1, words
    lw    a0, 0(s1)
    CHECK a0, 0xdeadbeef
    TEST 14
    addi  s2, s1, 8
    lw    a0, -4(s2)            /* negative offset */
    CHECK a0, 0x01234567
    TEST 15
    lb    a0, -1(s1)            /* last byte of `bytes` */
    CHECK a0, 0xffffff80
    TEST 16
    li    a0, 0x55
    lw    zero, 0(s1)           /* a load into x0 writes nothing */
    CHECK zero, 0

    /* stores */
    la    s3, store
    TEST 20
    li    a0, 0x11223344
    sw    a0, 0(s3)
    lw    a1, 0(s3)
    CHECK a1, 0x11223344
    TEST 21
    li    a0, 0xaabbccdd
    sb    a0, 1(s3)             /* only the low byte, at byte 1 */
    lw    a1, 0(s3)
    CHECK a1, 0x1122dd44
    TEST 22
    li    a0, 0x9876fedc
    sh    a0, 2(s3)
    lw    a1, 0(s3)
    CHECK a1, 0xfedcdd44
    TEST 23
    lbu   a1, 3(s3)
    CHECK a1, 0xfe
    TEST 24
    addi  s4, s3, 16
    li    a0, -2
    sw    a0, -4(s4)            /* negative store offset: word 3 */
    lw    a1, 12(s3)
    CHECK a1, 0xfffffffe
    TEST 25
    sh    zero, 12(s3)
    lw    a1, 12(s3)
    CHECK a1, 0xffff0000
    TEST 26
    sb    zero, 15(s3)
    lh    a1, 14(s3)
    CHECK a1, 0x000000ff

    /* the boot ROM is readable: its first word is the trampoline's lui */
    TEST 30
    li    a0, 0x1000
    lw    a1, 0(a0)
    la    a2, tramp
    lw    a2, 0(a2)
    CHECK_REG a1, a2
    TEST 31
    li    a0, 0x1000
    lhu   a1, 2(a0)
    srli  a2, a2, 16
    CHECK_REG a1, a2
    j     pass

    /* the same instruction as the boot ROM's first word, never executed */
tramp:
    lui   t0, 0x80000
