/*
 * optile-iss: runs an RV32IM ELF on the management-controller ISS until it
 * writes `tohost` (docs/spec.md section 3.8).
 *
 *   optile-iss [--trace] [--max-instructions N] [--ram-size BYTES] [--stats] prog.elf
 *
 * Exit status: 0 pass (tohost = 1); n when tohost = (n << 1) | 1 (test n
 * failed, clamped to 1..255); 1 for any other tohost value; 2 bad usage or
 * bad ELF; 124 --max-instructions reached; 125 the hart is stuck (a trap
 * loop: the same exception at the same pc again with nothing retired).
 */
#include "iss/iss.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXIT_USAGE 2
#define EXIT_MAX_INSNS 124
#define EXIT_STUCK 125

static const char *prog = "optile-iss";

static void usage(FILE *f)
{
    fprintf(f,
            "usage: %s [--trace] [--max-instructions N] [--ram-size BYTES] [--stats] prog.elf\n"
            "  --trace               print one line per step: cycle, mode, pc, symbol, instruction,\n"
            "                        disassembly, register/memory write or trap\n"
            "  --max-instructions N  stop after N retired instructions (exit status %d); 0 = no limit\n"
            "  --ram-size BYTES      RAM size, a power of two from 4K to 64M (suffix K or M allowed;\n"
            "                        default 256K)\n"
            "  --stats               print instructions, cycles and speed on stderr at the end\n"
            "exit status: 0 pass, n test n failed, 1 other tohost value, 2 usage or ELF error,\n"
            "             %d instruction limit, %d hart stuck in a trap loop\n",
            prog, EXIT_MAX_INSNS, EXIT_MAX_INSNS, EXIT_STUCK);
}

/* decimal or 0x-hex, optional K/M suffix; 0 on success */
static int parse_u64(const char *s, uint64_t *out, int allow_suffix)
{
    char *end;
    if (!s || !*s || *s == '-' || *s == '+')
        return -1;
    int base = (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10; /* no octal surprises */
    errno = 0;
    unsigned long long v = strtoull(s, &end, base);
    if (errno || end == s)
        return -1;
    if (allow_suffix && (*end == 'k' || *end == 'K')) {
        if (v > UINT64_MAX / 1024u)
            return -1;
        v *= 1024u;
        end++;
    } else if (allow_suffix && (*end == 'm' || *end == 'M')) {
        if (v > UINT64_MAX / (1024u * 1024u))
            return -1;
        v *= 1024u * 1024u;
        end++;
    }
    if (*end)
        return -1;
    *out = v;
    return 0;
}

static int trace_hook(void *ctx, iss *s, const iss_step_info *info)
{
    char line[256];
    (void)ctx;
    if (info->status == ISS_HALTED && !info->retired)
        return 0;
    iss_format_trace(s, info, line, sizeof line);
    puts(line);
    return 0;
}

static void where(const iss *s, uint32_t pc, char *buf, size_t len)
{
    uint32_t off = 0;
    const char *name = iss_symbol_at(s, pc, &off);
    if (name)
        snprintf(buf, len, "0x%08x <%s+0x%x>", (unsigned)pc, name, (unsigned)off);
    else
        snprintf(buf, len, "0x%08x", (unsigned)pc);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"trace", no_argument, NULL, 't'},
        {"max-instructions", required_argument, NULL, 'n'},
        {"ram-size", required_argument, NULL, 'r'},
        {"stats", no_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int trace = 0, stats = 0;
    uint64_t max_insns = 0, ram = ISS_RAM_DEFAULT;

    opterr = 0;
    for (;;) {
        int c = getopt_long(argc, argv, ":h", opts, NULL);
        if (c == -1)
            break;
        switch (c) {
        case 't': trace = 1; break;
        case 's': stats = 1; break;
        case 'h': usage(stdout); return 0;
        case 'n':
            if (parse_u64(optarg, &max_insns, 0) != 0) {
                fprintf(stderr, "%s: --max-instructions: '%s' is not a non-negative integer\n", prog, optarg);
                usage(stderr);
                return EXIT_USAGE;
            }
            break;
        case 'r':
            if (parse_u64(optarg, &ram, 1) != 0 || ram == 0 || ram > UINT32_MAX) {
                fprintf(stderr, "%s: --ram-size: '%s' is not a size in bytes\n", prog, optarg);
                usage(stderr);
                return EXIT_USAGE;
            }
            break;
        case ':':
            fprintf(stderr, "%s: option '%s' needs an argument\n", prog, argv[optind - 1]);
            usage(stderr);
            return EXIT_USAGE;
        default:
            fprintf(stderr, "%s: unknown option '%s'\n", prog, argv[optind - 1]);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, optind >= argc ? "%s: no ELF file given\n" : "%s: more than one ELF file given\n", prog);
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *path = argv[optind];

    char err[512];
    iss_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.ram_size = (uint32_t)ram;
    iss *s = iss_new(&cfg, err, sizeof err);
    if (!s) {
        fprintf(stderr, "%s: --ram-size: %s\n", prog, err);
        return EXIT_USAGE;
    }
    if (iss_load_elf(s, path, err, sizeof err) != 0) {
        fprintf(stderr, "%s: %s\n", prog, err);
        iss_free(s);
        return EXIT_USAGE;
    }
    uint32_t tohost;
    if (iss_symbol(s, "tohost", &tohost) != 0) {
        if (max_insns == 0) {
            fprintf(stderr, "%s: %s: no 'tohost' symbol, so the program cannot end by itself; "
                            "give --max-instructions\n", prog, path);
            iss_free(s);
            return EXIT_USAGE;
        }
        fprintf(stderr, "%s: %s: no 'tohost' symbol: running %" PRIu64 " instructions\n", prog, path,
                max_insns);
    }

    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    iss_run_result r;
    iss_run(s, max_insns, trace ? trace_hook : NULL, NULL, &r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fflush(stdout);

    int rc;
    char at[128], first[128];
    switch (r.stop) {
    case ISS_STOP_HALT: {
        uint32_t v = 0;
        iss_tohost(s, &v);
        if (v == 1) {
            printf("PASS\n");
            rc = 0;
        } else if (v & 1u) {
            uint32_t n = v >> 1;
            printf("FAIL: test %u\n", (unsigned)n);
            rc = n > 255 ? 255 : (int)n;
        } else {
            printf("FAIL: tohost = 0x%08x (not a pass/fail code)\n", (unsigned)v);
            rc = 1;
        }
        break;
    }
    case ISS_STOP_MAX_INSNS:
        where(s, iss_pc(s), at, sizeof at);
        fprintf(stderr, "%s: stopped after %" PRIu64 " instructions (--max-instructions) at pc %s\n", prog,
                r.instructions, at);
        rc = EXIT_MAX_INSNS;
        break;
    case ISS_STOP_TRAP_LOOP: {
        uint32_t cause = 0, epc = 0, tval = 0;
        iss_csr_read(s, ISS_CSR_MCAUSE, &cause);
        iss_csr_read(s, ISS_CSR_MEPC, &epc);
        iss_csr_read(s, ISS_CSR_MTVAL, &tval);
        where(s, epc, at, sizeof at);
        where(s, r.first_epc, first, sizeof first);
        fprintf(stderr, "%s: hart stuck: %s at pc %s (mtval 0x%08x) repeats with nothing retired; "
                        "it began with %s at pc %s (mtval 0x%08x)\n",
                prog, iss_cause_name(cause), at, (unsigned)tval, iss_cause_name(r.first_cause), first,
                (unsigned)r.first_tval);
        rc = EXIT_STUCK;
        break;
    }
    default:
        where(s, iss_pc(s), at, sizeof at);
        fprintf(stderr, "%s: hart stuck at pc %s\n", prog, at);
        rc = EXIT_STUCK;
        break;
    }
    fflush(stdout);
    if (stats) {
        double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
        fprintf(stderr, "%s: %" PRIu64 " instructions, %" PRIu64 " cycles in %.3f s: %.1f million instructions/s\n",
                prog, r.instructions, r.cycles, secs, secs > 0 ? (double)r.instructions / secs / 1e6 : 0.0);
    }
    iss_free(s);
    return rc;
}
