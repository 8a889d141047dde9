/*
 * test_energy_cards.c - energy card loader (docs/spec.md 8.6) and the
 * shipped cards at full load (8.7).
 *
 * Bad cards are written to temporary files from a minimal good card with one
 * edit each; the expected line is found by searching the edited text, and
 * every message must name the file, that line and the section.key (or
 * section). The shipped cards are checked against totals computed by hand in
 * the comments below, from the published figures, not from the model.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "energy/energy.h"

/* ---- helpers --------------------------------------------------------------------- */

static char tmpdir[512];

static int setup_dir(void **state)
{
    (void)state;
    const char *t = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/test_energy_cards.XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(tmpdir))
        return -1;
    return 0;
}

static int teardown_dir(void **state)
{
    (void)state;
    char path[600];
    snprintf(path, sizeof path, "%s/card.ini", tmpdir);
    unlink(path);
    rmdir(tmpdir);
    return 0;
}

/* the repository root, from this file's path (compiled as tests/unit/...) */
static void card_path(const char *name, char *out, size_t outlen)
{
    const char *root = getenv("OPTILE_ROOT");
    if (root && *root) {
        snprintf(out, outlen, "%s/csim/energy/cards/%s", root, name);
        return;
    }
    const char *f = __FILE__;
    const char *p = strstr(f, "tests/unit/");
    snprintf(out, outlen, "%.*scsim/energy/cards/%s", (int)(p ? p - f : 0), f, name);
}

static energy_card_t *load_shipped(const char *name)
{
    char path[1024], err[512];
    card_path(name, path, sizeof path);
    energy_card_t *c = NULL;
    if (energy_card_load(path, &c, err, sizeof err) != 0)
        fail_msg("loading %s: %s", path, err);
    return c;
}

static double get(const energy_card_t *c, const char *sec, const char *key)
{
    double v = -1;
    if (energy_card_get(c, sec, key, &v) != 0)
        fail_msg("card has no %s.%s", sec, key);
    return v;
}

static int near_rel(double a, double b, double rel)
{
    return fabs(a - b) <= rel * fmax(fabs(a), fabs(b));
}

/* A minimal good card, one line per entry. */
static const char *const good[] = {
    "[card]",
    "name = t",
    "[laser]",
    "electrical_mw_per_lane = 2.5",
    "[modulator_driver]",
    "pj_per_bit = 0.082 ; inline comment",
    "[receiver]",
    "pj_per_bit = 0",
    "[serializer]",
    "pj_per_bit = 0.016",
    "[heaters]",
    "mw_per_code = 0.00062",
    "nominal_code = 1600",
    "[router_buffers]",
    "pj_per_write_64b = 0.62",
    "pj_per_read_64b = 0.50",
    "[crossbar]",
    "pj_per_traversal_64b = 0.62",
    "[allocation]",
    "pj_per_va_grant = 0",
    "pj_per_sa_arbitration = 0.10",
    "[clock]",
    "pj_per_cycle = 0.17",
    "[leakage]",
    "static_mw = 15",
};
#define NGOOD ((int)(sizeof good / sizeof good[0]))

static int find_line(const char *starts)
{
    for (int i = 0; i < NGOOD; i++)
        if (strncmp(good[i], starts, strlen(starts)) == 0)
            return i;
    fail_msg("no line starting with '%s' in the good card", starts);
    return -1;
}

enum { ED_NONE, ED_REPLACE, ED_INSERT, ED_DELETE, ED_APPEND };

/* the good card with one edit at line index `at` (0-based) */
static void build(char *out, size_t outlen, int op, int at, const char *text)
{
    size_t used = 0;
    out[0] = '\0';
#define ADD(s)                                                                             \
    do {                                                                                   \
        int n_ = snprintf(out + used, outlen - used, "%s\n", (s));                         \
        assert_true(n_ > 0 && (size_t)n_ < outlen - used);                                 \
        used += (size_t)n_;                                                                \
    } while (0)
    for (int i = 0; i < NGOOD; i++) {
        if (i == at && op == ED_INSERT)
            ADD(text);
        if (i == at && op == ED_DELETE)
            continue;
        ADD(i == at && op == ED_REPLACE ? text : good[i]);
    }
    if (op == ED_APPEND)
        ADD(text);
#undef ADD
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* load the text from a file; expect failure with "path:line: " and `what` */
static void expect_bad(const char *text, int line, const char *what)
{
    char path[600], err[512], want[700];
    snprintf(path, sizeof path, "%s/card.ini", tmpdir);
    write_file(path, text);
    energy_card_t *c = (energy_card_t *)&c; /* must be reset to NULL */
    err[0] = '\0';
    int rc = energy_card_load(path, &c, err, sizeof err);
    if (rc == 0)
        fail_msg("card accepted; expected an error at line %d naming '%s'", line, what);
    assert_null(c);
    snprintf(want, sizeof want, "%s:%d: ", path, line);
    if (strncmp(err, want, strlen(want)) != 0)
        fail_msg("message '%s' does not start with '%s'", err, want);
    if (!strstr(err, what))
        fail_msg("message '%s' does not contain '%s'", err, what);
}

/* ---- good cards ------------------------------------------------------------------ */

static void test_good_card_file_and_string(void **state)
{
    (void)state;
    char text[4096], path[600], err[512];
    build(text, sizeof text, ED_NONE, -1, NULL);
    snprintf(path, sizeof path, "%s/card.ini", tmpdir);
    write_file(path, text);

    energy_card_t *a = NULL, *b = NULL;
    assert_int_equal(energy_card_load(path, &a, err, sizeof err), 0);
    assert_int_equal(energy_card_parse_string(text, "inline", &b, err, sizeof err), 0);
    assert_string_equal(energy_card_name(a), "t");
    assert_string_equal(energy_card_description(a), "");
    assert_string_equal(energy_card_path(a), path);
    assert_string_equal(energy_card_path(b), "inline");
    /* every value of the text, in both, including the one with an inline comment */
    for (int i = 0; i < NGOOD; i++) {
        if (good[i][0] == '[' || strncmp(good[i], "name", 4) == 0)
            continue;
        int s = i;
        while (good[s][0] != '[')
            s--;
        char sec[64], key[64];
        double want;
        assert_int_equal(sscanf(good[s], "[%63[^]]]", sec), 1);
        assert_int_equal(sscanf(good[i], "%63s = %lf", key, &want), 2);
        assert_true(get(a, sec, key) == want);
        assert_true(get(b, sec, key) == want);
    }
    double v;
    assert_int_equal(energy_card_get(a, "card", "name", &v), -1);
    assert_int_equal(energy_card_get(a, "laser", "nope", &v), -1);
    assert_int_equal(energy_card_get(a, "nope", "pj_per_bit", &v), -1);
    energy_card_free(a);
    energy_card_free(b);
    energy_card_free(NULL);
}

static void test_good_card_variants(void **state)
{
    (void)state;
    char text[4096], err[512];
    energy_card_t *c = NULL;
    /* optional description, CRLF line ends, blank and comment lines, sections in any order */
    const char *t =
        "\xEF\xBB\xBF# comment\r\n[leakage]\r\nstatic_mw = 1.5e1\r\n\r\n[card]\r\n"
        "name = my-card_1.0\r\ndescription = a card ; with comment\r\n"
        "[laser]\r\n  ; indented comment\r\nelectrical_mw_per_lane = 2.5\r\n"
        "[modulator_driver]\r\npj_per_bit = .082\r\n[receiver]\r\npj_per_bit = 0\r\n"
        "[serializer]\r\npj_per_bit = 16e-3\r\n[heaters]\r\nmw_per_code = 0.00062\r\n"
        "nominal_code = 4095\r\n[router_buffers]\r\npj_per_write_64b = 0.62\r\n"
        "pj_per_read_64b = 0.50\r\n[ crossbar ]\r\npj_per_traversal_64b = 0.62\r\n"
        "[allocation]\r\npj_per_va_grant = 0\r\npj_per_sa_arbitration = +0.10\r\n"
        "[clock]\r\npj_per_cycle = 0.17";
    snprintf(text, sizeof text, "%s", t);
    if (energy_card_parse_string(text, "variants", &c, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_string_equal(energy_card_name(c), "my-card_1.0");
    assert_string_equal(energy_card_description(c), "a card");
    assert_true(get(c, "leakage", "static_mw") == 15.0);
    assert_true(get(c, "modulator_driver", "pj_per_bit") == 0.082);
    assert_true(get(c, "serializer", "pj_per_bit") == 0.016);
    assert_true(get(c, "heaters", "nominal_code") == 4095.0);
    assert_true(get(c, "crossbar", "pj_per_traversal_64b") == 0.62);
    energy_card_free(c);
}

/* ---- bad cards: each kind of error ----------------------------------------------- */

static void test_bad_unknown_key(void **state)
{
    (void)state;
    char text[4096];
    int at = find_line("electrical_mw_per_lane");
    build(text, sizeof text, ED_INSERT, at, "optical_mw_per_lane = 1");
    expect_bad(text, at + 1, "laser.optical_mw_per_lane: unknown key");
}

static void test_bad_missing_key(void **state)
{
    (void)state;
    char text[4096];
    int at = find_line("pj_per_cycle");
    int header = find_line("[clock]");
    build(text, sizeof text, ED_DELETE, at, NULL);
    expect_bad(text, header + 1, "clock.pj_per_cycle: missing required key");

    at = find_line("nominal_code");
    header = find_line("[heaters]");
    build(text, sizeof text, ED_DELETE, at, NULL);
    expect_bad(text, header + 1, "heaters.nominal_code: missing required key");

    at = find_line("name =");
    header = find_line("[card]");
    build(text, sizeof text, ED_DELETE, at, NULL);
    expect_bad(text, header + 1, "card.name: missing required key");
}

static void test_bad_negative(void **state)
{
    (void)state;
    char text[4096];
    int at = find_line("static_mw");
    build(text, sizeof text, ED_REPLACE, at, "static_mw = -15");
    expect_bad(text, at + 1, "leakage.static_mw: negative value");
    build(text, sizeof text, ED_REPLACE, at, "static_mw = -1e-9");
    expect_bad(text, at + 1, "leakage.static_mw: negative value");
}

static void test_bad_garbage_number(void **state)
{
    (void)state;
    char text[4096];
    int at = find_line("pj_per_bit = 0.082");
    const char *bad[] = {"pj_per_bit = 0.08x2", "pj_per_bit = abc",  "pj_per_bit = 0x10",
                         "pj_per_bit = nan",    "pj_per_bit = inf",  "pj_per_bit = 1e",
                         "pj_per_bit = .",      "pj_per_bit = 1 2",  "pj_per_bit = 0.1;x",
                         "pj_per_bit = 5 pJ",   "pj_per_bit = 1,5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        build(text, sizeof text, ED_REPLACE, at, bad[i]);
        expect_bad(text, at + 1, "modulator_driver.pj_per_bit: not a decimal number");
    }
    build(text, sizeof text, ED_REPLACE, at, "pj_per_bit = 1e999");
    expect_bad(text, at + 1, "modulator_driver.pj_per_bit: number out of range");
    build(text, sizeof text, ED_REPLACE, at, "pj_per_bit =");
    expect_bad(text, at + 1, "modulator_driver.pj_per_bit: missing value");
}

static void test_bad_unknown_section(void **state)
{
    (void)state;
    char text[4096];
    int at = find_line("[laser]");
    build(text, sizeof text, ED_REPLACE, at, "[lasers]");
    expect_bad(text, at + 1, "[lasers]: unknown section");
    /* an empty unknown section at the end is found too */
    build(text, sizeof text, ED_APPEND, -1, "[ni]");
    expect_bad(text, NGOOD + 1, "[ni]: unknown section");
}

static void test_bad_missing_section(void **state)
{
    (void)state;
    char text[4096], tmp[4096];
    int at = find_line("[crossbar]");
    /* delete the header and its key: two edits */
    build(tmp, sizeof tmp, ED_DELETE, at, NULL);
    char *p = strstr(tmp, "pj_per_traversal_64b = 0.62\n");
    assert_non_null(p);
    memmove(p, p + strlen("pj_per_traversal_64b = 0.62\n"),
            strlen(p + strlen("pj_per_traversal_64b = 0.62\n")) + 1);
    snprintf(text, sizeof text, "%s", tmp);
    expect_bad(text, NGOOD - 2, "[crossbar]: missing required section");
}

static void test_bad_other(void **state)
{
    (void)state;
    char text[4096];
    int at;

    at = find_line("pj_per_read_64b");
    build(text, sizeof text, ED_INSERT, at, "pj_per_write_64b = 0.7");
    expect_bad(text, at + 1, "router_buffers.pj_per_write_64b: key given twice (first on line");

    build(text, sizeof text, ED_INSERT, 0, "pj_per_bit = 1");
    expect_bad(text, 1, "pj_per_bit: key outside any section");

    at = find_line("nominal_code");
    build(text, sizeof text, ED_REPLACE, at, "nominal_code = 4096");
    expect_bad(text, at + 1, "heaters.nominal_code: heater code 4096 above 4095");

    at = find_line("name =");
    build(text, sizeof text, ED_REPLACE, at, "name = two words");
    expect_bad(text, at + 1, "card.name: bad name");

    at = find_line("[clock]");
    build(text, sizeof text, ED_APPEND, -1, "[clock]");
    expect_bad(text, NGOOD + 1, "[clock]: section given twice (first on line");

    at = find_line("pj_per_traversal_64b");
    build(text, sizeof text, ED_INSERT, at + 1, "  pj_per_va_grant = 3");
    expect_bad(text, at + 2, "crossbar.pj_per_traversal_64b: continuation line");

    at = find_line("pj_per_sa_arbitration");
    build(text, sizeof text, ED_INSERT, at, "pj_per_sa_arbitration");
    expect_bad(text, at + 1, "syntax error");

    char longline[300];
    memset(longline, ' ', sizeof longline);
    memcpy(longline, "; ", 2);
    longline[250] = '\0';
    at = find_line("[receiver]");
    build(text, sizeof text, ED_INSERT, at, longline);
    expect_bad(text, at + 1, "line longer than 199 characters");

    /* the first error in file order wins over later ones */
    int first = find_line("pj_per_bit = 0.016");
    build(text, sizeof text, ED_REPLACE, first, "pj_per_bit = -1");
    char *p = strstr(text, "static_mw = 15");
    assert_non_null(p);
    memcpy(p, "static_mx", 9);
    expect_bad(text, first + 1, "serializer.pj_per_bit: negative value");
}

static void test_bad_file_and_args(void **state)
{
    (void)state;
    char err[512], path[600];
    energy_card_t *c = NULL;
    snprintf(path, sizeof path, "%s/does-not-exist.ini", tmpdir);
    assert_int_equal(energy_card_load(path, &c, err, sizeof err), -1);
    assert_null(c);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "cannot open"));
    assert_int_equal(energy_card_load(NULL, &c, err, sizeof err), -1);
    assert_int_equal(energy_card_load(path, NULL, err, sizeof err), -1);
    assert_int_equal(energy_card_parse_string(NULL, "x", &c, err, sizeof err), -1);
    assert_int_equal(energy_card_parse_string("", "empty", &c, NULL, 0), -1);
    assert_int_equal(energy_card_parse_string("", "empty", &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "empty:1: [card]: missing required section"));
}

/* ---- the shipped cards ----------------------------------------------------------- */

/* Full load: L = 8 lanes of W = 32 bits at 1 GHz for N cycles (a multiple of
 * 33: the gearbox sends 16 rows of 66 bits per 33 cycles = 32 bits/cycle),
 * every lane lit, every heater at the card's nominal code, every bit sent is
 * received, one 256-bit flit through the router per cycle. */
static energy_activity_t full_load(uint64_t n, double heater_code)
{
    energy_activity_t a;
    energy_activity_init(&a);
    a.cycles = n;
    for (int i = 0; i < 8; i++) {
        a.bits_sent[i] = a.bits_received[i] = 32 * n;
        a.laser_cycles[i] = n;
        a.heater_integral[i] = (uint64_t)heater_code * n;
    }
    a.buf_writes = a.buf_reads = a.xbar = a.sa_arbs = a.router_flits = n;
    a.va_grants = n / 8;
    a.payload_bits = 256 * n;
    return a;
}

/* link pJ per line bit from the card with the formulas of spec 8.2 */
static double link_per_bit_from_card(const energy_card_t *c)
{
    const double R_lane = 32.0; /* Gb/s per wavelength */
    double laser = get(c, "laser", "electrical_mw_per_lane") / R_lane;
    double heat = get(c, "heaters", "mw_per_code") * get(c, "heaters", "nominal_code") / R_lane;
    return laser + heat + get(c, "modulator_driver", "pj_per_bit") +
           get(c, "receiver", "pj_per_bit") + get(c, "serializer", "pj_per_bit");
}

static void test_dsent_full_load(void **state)
{
    (void)state;
    energy_card_t *c = load_shipped("dsent-22nm.ini");
    assert_string_equal(energy_card_name(c), "dsent-22nm");
    /*
     * Hand computation from DSENT's published figures (brief section 2):
     *   laser      2.5 mW electrical per wavelength / 32 Gb/s = 0.078125 pJ/bit
     *              (= 78 fJ/bit as published, 0.625 mW optical at 25 % WPE)
     *   modulator and driver                                 = 0.082
     *   ring tuning 31 fJ/bit                                = 0.031
     *   serializer                                           = 0.016
     *   total                                                = 0.207125 pJ/bit
     * i.e. "about 0.21 pJ/bit".
     */
    const double hand = 0.078125 + 0.082 + 0.031 + 0.016;
    assert_true(near_rel(link_per_bit_from_card(c), hand, 1e-12));

    const uint64_t n = 33000;
    energy_activity_t a = full_load(n, get(c, "heaters", "nominal_code"));
    energy_report_t r;
    char err[256];
    assert_int_equal(energy_compute(c, &a, &r, err, sizeof err), 0);
    assert_true(near_rel(r.link_pj_per_line_bit, hand, 1e-12));
    assert_true(fabs(r.link_pj_per_line_bit - 0.21) < 0.005);
    assert_true(near_rel(r.utilisation, 1.0, 1e-15));
    /* per component, per bit, as in the hand computation */
    double bits = 256.0 * (double)n;
    assert_true(near_rel(r.static_pj[ENERGY_LASER] / bits, 0.078125, 1e-12));
    assert_true(near_rel(r.dynamic_pj[ENERGY_MODULATOR_DRIVER] / bits, 0.082, 1e-12));
    assert_true(near_rel(r.static_pj[ENERGY_HEATERS] / bits, 0.031, 1e-12));
    assert_true(near_rel(r.dynamic_pj[ENERGY_SERIALIZER] / bits, 0.016, 1e-12));
    assert_true(r.dynamic_pj[ENERGY_RECEIVER] == 0);
    /*
     * Router, by hand: DSENT 1.84 pJ per 64-bit flit = buffer write 0.62 +
     * read 0.50 + crossbar 0.62 (data path, x4 for a 256-bit flit) + switch
     * arbitration 0.10 (not scaled): 4 x 1.74 + 0.10 = 7.06 pJ per flit;
     * plus 0.17 pJ of clock and 15 mW x 1 ns = 15 pJ of leakage per cycle.
     */
    assert_true(near_rel(get(c, "router_buffers", "pj_per_write_64b") +
                             get(c, "router_buffers", "pj_per_read_64b") +
                             get(c, "crossbar", "pj_per_traversal_64b") +
                             get(c, "allocation", "pj_per_sa_arbitration"),
                         1.84, 1e-12));
    double flits_pj = r.dynamic_pj[ENERGY_ROUTER_BUFFERS] + r.dynamic_pj[ENERGY_CROSSBAR] +
                      r.dynamic_pj[ENERGY_ALLOCATION];
    assert_true(near_rel(flits_pj / (double)n, 7.06, 1e-12));
    assert_true(near_rel(r.dynamic_pj[ENERGY_CLOCK] / (double)n, 0.17, 1e-12));
    assert_true(near_rel(r.static_pj[ENERGY_LEAKAGE] / (double)n, 15.0, 1e-12));
    assert_true(near_rel(r.router_pj_per_flit, 7.06 + 0.17 + 15.0, 1e-12));
    energy_card_free(c);
}

static void test_product_full_load(void **state)
{
    (void)state;
    energy_card_t *c = load_shipped("product.ini");
    assert_string_equal(energy_card_name(c), "product");
    /*
     * Hand computation (the card's assumed split of Intel OCI's 5 pJ/bit):
     *   laser 51.2 mW / 32 Gb/s = 1.6; modulator/driver 1.0; receiver 1.2;
     *   serializer 0.8; heaters 0.008 mW/code x 1600 = 12.8 mW / 32 = 0.4;
     *   total 5.0 pJ/bit (Intel: "about 5 pJ/bit"; Broadcom CPO ~6.9 and
     *   pluggables 15-20 are higher).
     */
    const double hand = 1.6 + 1.0 + 1.2 + 0.8 + 0.4;
    assert_true(near_rel(link_per_bit_from_card(c), hand, 1e-12));

    energy_activity_t a = full_load(3300, get(c, "heaters", "nominal_code"));
    energy_report_t r;
    assert_int_equal(energy_compute(c, &a, &r, NULL, 0), 0);
    assert_true(near_rel(r.link_pj_per_line_bit, hand, 1e-12));
    assert_true(r.link_pj_per_line_bit > 4.5 && r.link_pj_per_line_bit < 5.5);
    assert_true(r.link_pj_per_line_bit < 6.9); /* below co-packaged and pluggable optics */
    energy_card_free(c);
}

static void test_shipped_cards_analytic(void **state)
{
    (void)state;
    /* E(1) of spec 8.5 equals the hand totals as well */
    const char *names[] = {"dsent-22nm.ini", "product.ini"};
    const double hand[] = {0.207125, 5.0};
    for (int i = 0; i < 2; i++) {
        energy_card_t *c = load_shipped(names[i]);
        energy_point_t pt;
        assert_int_equal(energy_link_at_utilisation(c, 8, 32, 1e9, 1.0, &pt, NULL, 0), 0);
        assert_true(near_rel(pt.total_pj_per_bit, hand[i], 1e-12));
        assert_true(near_rel(pt.rate_gbps, 256.0, 1e-15));
        energy_card_free(c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_card_file_and_string),
        cmocka_unit_test(test_good_card_variants),
        cmocka_unit_test(test_bad_unknown_key),
        cmocka_unit_test(test_bad_missing_key),
        cmocka_unit_test(test_bad_negative),
        cmocka_unit_test(test_bad_garbage_number),
        cmocka_unit_test(test_bad_unknown_section),
        cmocka_unit_test(test_bad_missing_section),
        cmocka_unit_test(test_bad_other),
        cmocka_unit_test(test_bad_file_and_args),
        cmocka_unit_test(test_dsent_full_load),
        cmocka_unit_test(test_product_full_load),
        cmocka_unit_test(test_shipped_cards_analytic),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
