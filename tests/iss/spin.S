/*
 * spin.S - never writes tohost: optile-iss must stop it with
 * --max-instructions and exit with status 124.
 */
#include "iss_test.h"

    TEST_PROGRAM
main_tests:
    addi  a0, a0, 1
    j     main_tests
