/*
 * main.c - management firmware entry point (docs/spec.md section 10):
 * initialise, then run the non-blocking main loop forever. picolibc's crt0
 * has set up the stack, .data and .bss.
 */
#include "fw.h"

static struct fw g_fw;

int main(void) {
    fw_init(&g_fw);
    for (;;) fw_poll(&g_fw);
}
