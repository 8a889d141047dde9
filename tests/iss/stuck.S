/*
 * stuck.S - an ecall with no trap handler (mtvec = 0 from reset): the hart
 * faults fetching from address 0 for ever. optile-iss must detect the trap
 * loop and exit with status 125 naming the original ecall.
 */
#include "iss_test.h"

    TEST_PROGRAM
main_tests:
    ecall
    j     pass
