/*
 * fail3.S - a deliberately failing program: tests 1 and 2 pass, test 3
 * checks a wrong result on purpose. optile-iss must exit with status 3 and
 * print "FAIL: test 3" (the negative test of the tohost convention).
 */
#include "iss_test.h"

    TEST_PROGRAM
main_tests:
    TEST_RI 1, addi, 2, 2, 4
    TEST_RR 2, add, 2, 2, 4
    TEST_RR 3, add, 2, 2, 5         /* wrong on purpose */
    j     pass
