/*
 * energy.c - energy model: activity x card (docs/spec.md sections 8.2-8.5),
 * comparison of two reports, text and JSON output.
 */
#include "energy/energy_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* ---- components ---------------------------------------------------------------- */

static const struct {
    const char *name;
    const char *driver;
    int is_static;
} comp[ENERGY_NUM_COMPONENTS] = {
    [ENERGY_LASER] = {"laser", "laser_cycles", 1},
    [ENERGY_MODULATOR_DRIVER] = {"modulator_driver", "bits_sent", 0},
    [ENERGY_RECEIVER] = {"receiver", "bits_received", 0},
    [ENERGY_SERIALIZER] = {"serializer", "bits_sent", 0},
    [ENERGY_HEATERS] = {"heaters", "heater_integral", 1},
    [ENERGY_ROUTER_BUFFERS] = {"router_buffers", "buf_writes, buf_reads", 0},
    [ENERGY_CROSSBAR] = {"crossbar", "xbar", 0},
    [ENERGY_ALLOCATION] = {"allocation", "va_grants, sa_arbs", 0},
    [ENERGY_CLOCK] = {"clock", "cycles", 0},
    [ENERGY_LEAKAGE] = {"leakage", "cycles", 1},
};

static int comp_ok(energy_component_t c)
{
    return (int)c >= 0 && c < ENERGY_NUM_COMPONENTS;
}

const char *energy_component_name(energy_component_t c)
{
    return comp_ok(c) ? comp[c].name : "?";
}

const char *energy_component_driver(energy_component_t c)
{
    return comp_ok(c) ? comp[c].driver : "?";
}

int energy_component_is_static(energy_component_t c)
{
    return comp_ok(c) ? comp[c].is_static : 0;
}

int energy_component_is_link(energy_component_t c)
{
    return comp_ok(c) && c <= ENERGY_HEATERS;
}

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* ---- activity ------------------------------------------------------------------ */

void energy_activity_init(energy_activity_t *a)
{
    if (!a)
        return;
    memset(a, 0, sizeof *a);
    a->lanes = 8;
    a->lane_w = 32;
    a->flit_bits = 256;
    a->clock_hz = 1e9;
}

/* the per-lane arrays, for loops over them */
#define LANE_ARRAYS(X)                                                                     \
    X(bits_sent)                                                                           \
    X(bits_received)                                                                       \
    X(laser_cycles)                                                                        \
    X(heater_integral)

int energy_activity_check(const energy_activity_t *a, char *err, size_t errlen)
{
    if (!a) {
        seterr(err, errlen, "activity: NULL");
        return -1;
    }
    if (a->lanes < 1 || a->lanes > ENERGY_MAX_LANES) {
        seterr(err, errlen, "activity: lanes = %u (must be 1..%d)", a->lanes, ENERGY_MAX_LANES);
        return -1;
    }
    if (a->lane_w < 8 || a->lane_w > 64) {
        seterr(err, errlen, "activity: lane_w = %u (must be 8..64)", a->lane_w);
        return -1;
    }
    if (a->flit_bits < 64) {
        seterr(err, errlen, "activity: flit_bits = %u (must be >= 64)", a->flit_bits);
        return -1;
    }
    if (!isfinite(a->clock_hz) || a->clock_hz <= 0) {
        seterr(err, errlen, "activity: clock_hz = %g (must be finite and > 0)", a->clock_hz);
        return -1;
    }
#define UNUSED_LANES(f)                                                                    \
    for (unsigned i = a->lanes; i < ENERGY_MAX_LANES; i++)                                 \
        if (a->f[i] != 0) {                                                                \
            seterr(err, errlen, "activity: " #f "[%u] = %llu but lanes = %u (must be 0)", i, \
                   (unsigned long long)a->f[i], a->lanes);                                 \
            return -1;                                                                     \
        }
    LANE_ARRAYS(UNUSED_LANES)
#undef UNUSED_LANES
    for (unsigned i = 0; i < a->lanes; i++) {
        if (a->laser_cycles[i] > a->cycles) {
            seterr(err, errlen, "activity: laser_cycles[%u] = %llu exceeds cycles = %llu", i,
                   (unsigned long long)a->laser_cycles[i], (unsigned long long)a->cycles);
            return -1;
        }
        /* heater_integral <= 4095 * cycles, without overflow */
        if (a->heater_integral[i] / ENERGY_HEATER_CODE_MAX > a->cycles ||
            (a->heater_integral[i] / ENERGY_HEATER_CODE_MAX == a->cycles &&
             a->heater_integral[i] % ENERGY_HEATER_CODE_MAX != 0)) {
            seterr(err, errlen,
                   "activity: heater_integral[%u] = %llu exceeds %u x cycles (cycles = %llu)", i,
                   (unsigned long long)a->heater_integral[i], ENERGY_HEATER_CODE_MAX,
                   (unsigned long long)a->cycles);
            return -1;
        }
    }
    return 0;
}

static int add_u64(uint64_t *d, uint64_t s)
{
    if (*d > UINT64_MAX - s)
        return -1;
    *d += s;
    return 0;
}

int energy_activity_add(energy_activity_t *dst, const energy_activity_t *src, char *err,
                        size_t errlen)
{
    if (!dst || !src) {
        seterr(err, errlen, "energy_activity_add: NULL argument");
        return -1;
    }
    if (dst->lanes != src->lanes || dst->lane_w != src->lane_w ||
        dst->flit_bits != src->flit_bits || dst->clock_hz != src->clock_hz) {
        seterr(err, errlen,
               "energy_activity_add: configurations differ (lanes %u/%u, lane_w %u/%u, "
               "flit_bits %u/%u, clock_hz %g/%g)",
               dst->lanes, src->lanes, dst->lane_w, src->lane_w, dst->flit_bits, src->flit_bits,
               dst->clock_hz, src->clock_hz);
        return -1;
    }
    energy_activity_t t = *dst;
    int bad = 0;
#define ADD_LANES(f)                                                                       \
    for (unsigned i = 0; i < ENERGY_MAX_LANES; i++)                                        \
        bad |= add_u64(&t.f[i], src->f[i]);
    LANE_ARRAYS(ADD_LANES)
#undef ADD_LANES
    bad |= add_u64(&t.cycles, src->cycles);
    bad |= add_u64(&t.replays, src->replays);
    bad |= add_u64(&t.buf_writes, src->buf_writes);
    bad |= add_u64(&t.buf_reads, src->buf_reads);
    bad |= add_u64(&t.xbar, src->xbar);
    bad |= add_u64(&t.va_grants, src->va_grants);
    bad |= add_u64(&t.sa_arbs, src->sa_arbs);
    bad |= add_u64(&t.router_flits, src->router_flits);
    bad |= add_u64(&t.payload_bits, src->payload_bits);
    if (bad) {
        seterr(err, errlen, "energy_activity_add: a count overflows 64 bits");
        return -1;
    }
    *dst = t;
    return 0;
}

/* ---- compute ------------------------------------------------------------------- */

static int lane_sum(const uint64_t *v, unsigned lanes, uint64_t *sum)
{
    uint64_t s = 0;
    for (unsigned i = 0; i < lanes; i++)
        if (add_u64(&s, v[i]))
            return -1;
    *sum = s;
    return 0;
}

static double ratio(double num, double den)
{
    return den != 0 ? num / den : NAN;
}

int energy_compute(const energy_card_t *card, const energy_activity_t *a, energy_report_t *r,
                   char *err, size_t errlen)
{
    if (!card || !a || !r) {
        seterr(err, errlen, "energy_compute: NULL argument");
        return -1;
    }
    if (energy_activity_check(a, err, errlen) != 0)
        return -1;
    uint64_t sent, recv, laser, heater;
    if (lane_sum(a->bits_sent, a->lanes, &sent) || lane_sum(a->bits_received, a->lanes, &recv) ||
        lane_sum(a->laser_cycles, a->lanes, &laser) ||
        lane_sum(a->heater_integral, a->lanes, &heater)) {
        seterr(err, errlen, "activity: a sum over lanes overflows 64 bits");
        return -1;
    }
    uint64_t per_cycle = (uint64_t)a->lanes * a->lane_w;
    if (a->cycles != 0 && per_cycle > UINT64_MAX / a->cycles) {
        seterr(err, errlen, "activity: lanes x lane_w x cycles overflows 64 bits");
        return -1;
    }

    const double *v = card->v;
    const double tc_ns = 1e9 / a->clock_hz; /* ns per cycle: mW x ns = pJ */
    const double flit64 = (double)a->flit_bits / 64.0;

    memset(r, 0, sizeof *r);
    snprintf(r->card, sizeof r->card, "%s", card->name);
    r->static_pj[ENERGY_LASER] = v[EK_LASER_MW] * (double)laser * tc_ns;
    r->dynamic_pj[ENERGY_MODULATOR_DRIVER] = v[EK_MOD_PJ] * (double)sent;
    r->dynamic_pj[ENERGY_RECEIVER] = v[EK_RX_PJ] * (double)recv;
    r->dynamic_pj[ENERGY_SERIALIZER] = v[EK_SER_PJ] * (double)sent;
    r->static_pj[ENERGY_HEATERS] = v[EK_HEATER_MW_PER_CODE] * (double)heater * tc_ns;
    r->dynamic_pj[ENERGY_ROUTER_BUFFERS] =
        (v[EK_BUF_WR_PJ] * (double)a->buf_writes + v[EK_BUF_RD_PJ] * (double)a->buf_reads) *
        flit64;
    r->dynamic_pj[ENERGY_CROSSBAR] = v[EK_XBAR_PJ] * (double)a->xbar * flit64;
    r->dynamic_pj[ENERGY_ALLOCATION] =
        v[EK_VA_PJ] * (double)a->va_grants + v[EK_SA_PJ] * (double)a->sa_arbs;
    r->dynamic_pj[ENERGY_CLOCK] = v[EK_CLK_PJ] * (double)a->cycles;
    r->static_pj[ENERGY_LEAKAGE] = v[EK_LEAK_MW] * (double)a->cycles * tc_ns;

    for (int c = 0; c < ENERGY_NUM_COMPONENTS; c++) {
        double e = r->static_pj[c] + r->dynamic_pj[c];
        r->static_total_pj += r->static_pj[c];
        r->dynamic_total_pj += r->dynamic_pj[c];
        if (energy_component_is_link((energy_component_t)c))
            r->link_pj += e;
        else
            r->router_pj += e;
    }
    r->total_pj = r->link_pj + r->router_pj;

    r->cycles = a->cycles;
    r->clock_hz = a->clock_hz;
    r->seconds = (double)a->cycles / a->clock_hz;
    r->bits_sent = sent;
    r->capacity_bits = per_cycle * a->cycles;
    r->payload_bits = a->payload_bits;
    r->router_flits = a->router_flits;
    r->replays = a->replays;
    r->utilisation = ratio((double)sent, (double)r->capacity_bits);
    r->link_pj_per_line_bit = ratio(r->link_pj, (double)sent);
    r->pj_per_payload_bit = ratio(r->total_pj, (double)a->payload_bits);
    r->link_pj_per_payload_bit = ratio(r->link_pj, (double)a->payload_bits);
    r->router_pj_per_flit = ratio(r->router_pj, (double)a->router_flits);
    r->average_power_mw = ratio(r->total_pj, (double)a->cycles * tc_ns);
    return 0;
}

double energy_report_component_pj(const energy_report_t *r, energy_component_t c)
{
    if (!r || !comp_ok(c))
        return NAN;
    return r->static_pj[c] + r->dynamic_pj[c];
}

/* ---- compare ------------------------------------------------------------------- */

static double rel_diff(double a, double b)
{
    if (isnan(a) && isnan(b))
        return 0;
    if (isnan(a) || isnan(b))
        return INFINITY;
    if (a == b)
        return 0;
    double m = fmax(fabs(a), fabs(b));
    return fabs(a - b) / m;
}

int energy_compare(const energy_report_t *expected, const energy_report_t *actual,
                   double tolerance, char *msg, size_t msglen)
{
    if (msg && msglen)
        msg[0] = '\0';
    if (!expected || !actual) {
        seterr(msg, msglen, "energy_compare: NULL report");
        return -1;
    }
    if (!isfinite(tolerance) || tolerance < 0) {
        seterr(msg, msglen, "energy_compare: tolerance %g (must be finite and >= 0)", tolerance);
        return -1;
    }
    for (int c = 0; c < ENERGY_NUM_COMPONENTS; c++) {
        for (int part = 0; part < 2; part++) {
            double e = part ? expected->dynamic_pj[c] : expected->static_pj[c];
            double x = part ? actual->dynamic_pj[c] : actual->static_pj[c];
            double d = rel_diff(e, x);
            if (d > tolerance) {
                seterr(msg, msglen,
                       "energy: component %s, %s energy (driven by %s): expected %.9g pJ, "
                       "actual %.9g pJ, relative difference %.3e > tolerance %g",
                       comp[c].name, part ? "dynamic" : "static", comp[c].driver, e, x, d,
                       tolerance);
                return 1;
            }
        }
    }
    double d = rel_diff(expected->pj_per_payload_bit, actual->pj_per_payload_bit);
    if (d > tolerance) {
        seterr(msg, msglen,
               "energy: pj_per_payload_bit (payload_bits expected %llu, actual %llu): expected "
               "%.9g pJ/bit, actual %.9g pJ/bit, relative difference %.3e > tolerance %g",
               (unsigned long long)expected->payload_bits,
               (unsigned long long)actual->payload_bits, expected->pj_per_payload_bit,
               actual->pj_per_payload_bit, d, tolerance);
        return 1;
    }
    return 0;
}

/* ---- text ---------------------------------------------------------------------- */

typedef struct {
    char *buf;
    size_t len;
    size_t need; /* characters the whole text needs */
    int bad;
} out_t;

static void put(out_t *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *dst = o->need < o->len ? o->buf + o->need : NULL;
    size_t room = o->need < o->len ? o->len - o->need : 0;
    int n = vsnprintf(dst, room, fmt, ap);
    va_end(ap);
    if (n < 0)
        o->bad = 1;
    else
        o->need += (size_t)n;
}

static int out_done(out_t *o)
{
    if (o->len > 0 && o->need >= o->len)
        o->buf[o->len - 1] = '\0';
    if (o->bad || o->need > (size_t)0x7fffffff)
        return -1;
    return (int)o->need;
}

/* a number or "n/a", right-aligned in w columns */
static void put_num(out_t *o, int w, const char *fmt, double x)
{
    if (isnan(x))
        put(o, "%*s", w, "n/a");
    else
        put(o, fmt, w, x);
}

int energy_report_table(const energy_report_t *r, char *buf, size_t buflen)
{
    if (!r || (!buf && buflen))
        return -1;
    out_t o = {buf, buflen, 0, 0};
    if (buflen)
        buf[0] = '\0';
    put(&o, "energy, card %s: %llu cycles at %.6g GHz (%.6g s)\n", r->card,
        (unsigned long long)r->cycles, r->clock_hz / 1e9, r->seconds);
    put(&o, "%-18s %14s %14s %14s %12s %12s %7s\n", "component", "static pJ", "dynamic pJ",
        "total pJ", "pJ/line bit", "pJ/payload b", "share");
    for (int c = 0; c <= ENERGY_NUM_COMPONENTS + 2; c++) {
        const char *name;
        double s, d, t;
        if (c < ENERGY_NUM_COMPONENTS) {
            name = comp[c].name;
            s = r->static_pj[c];
            d = r->dynamic_pj[c];
            t = s + d;
        } else if (c <= ENERGY_NUM_COMPONENTS + 1) {
            int link = c == ENERGY_NUM_COMPONENTS;
            name = link ? "= link" : "= router";
            s = d = 0;
            for (int k = 0; k < ENERGY_NUM_COMPONENTS; k++)
                if (energy_component_is_link((energy_component_t)k) == link) {
                    s += r->static_pj[k];
                    d += r->dynamic_pj[k];
                }
            t = link ? r->link_pj : r->router_pj;
        } else {
            name = "= total";
            s = r->static_total_pj;
            d = r->dynamic_total_pj;
            t = r->total_pj;
        }
        put(&o, "%-18s ", name);
        put_num(&o, 14, "%*.6g", s);
        put(&o, " ");
        put_num(&o, 14, "%*.6g", d);
        put(&o, " ");
        put_num(&o, 14, "%*.6g", t);
        put(&o, " ");
        put_num(&o, 12, "%*.6g", ratio(t, (double)r->bits_sent));
        put(&o, " ");
        put_num(&o, 12, "%*.6g", ratio(t, (double)r->payload_bits));
        put(&o, " ");
        double share = ratio(100.0 * t, r->total_pj);
        if (isnan(share))
            put(&o, "%7s\n", "n/a");
        else
            put(&o, "%6.2f%%\n", share);
    }
    put(&o, "utilisation ");
    put_num(&o, 0, "%*.6g", r->utilisation);
    put(&o, " (%llu of %llu line bits); payload bits %llu; router flits %llu; replays %llu\n",
        (unsigned long long)r->bits_sent, (unsigned long long)r->capacity_bits,
        (unsigned long long)r->payload_bits, (unsigned long long)r->router_flits,
        (unsigned long long)r->replays);
    put(&o, "link pJ/line bit ");
    put_num(&o, 0, "%*.6g", r->link_pj_per_line_bit);
    put(&o, "; pJ/payload bit ");
    put_num(&o, 0, "%*.6g", r->pj_per_payload_bit);
    put(&o, " (link ");
    put_num(&o, 0, "%*.6g", r->link_pj_per_payload_bit);
    put(&o, "); router pJ/flit ");
    put_num(&o, 0, "%*.6g", r->router_pj_per_flit);
    put(&o, "; average power ");
    put_num(&o, 0, "%*.6g", r->average_power_mw);
    put(&o, " mW\n");
    return out_done(&o);
}

int energy_report_table2(const energy_report_t *e, const energy_report_t *a,
                         const char *elabel, const char *alabel, char *buf, size_t buflen)
{
    if (!e || !a || (!buf && buflen))
        return -1;
    if (!elabel)
        elabel = "expected";
    if (!alabel)
        alabel = "actual";
    out_t o = {buf, buflen, 0, 0};
    if (buflen)
        buf[0] = '\0';
    char eh[40], ah[40], ep[40], ap[40];
    snprintf(eh, sizeof eh, "%s pJ", elabel);
    snprintf(ah, sizeof ah, "%s pJ", alabel);
    snprintf(ep, sizeof ep, "%s pJ/b", elabel);
    snprintf(ap, sizeof ap, "%s pJ/b", alabel);
    put(&o, "energy, card %s (%s) against %s (%s), pJ/b per payload bit\n", e->card, elabel,
        a->card, alabel);
    put(&o, "%-18s %16s %16s %12s %14s %14s\n", "component", eh, ah, "rel. diff", ep, ap);
    for (int c = 0; c < ENERGY_NUM_COMPONENTS + 3; c++) {
        const char *name;
        double x, y;
        if (c < ENERGY_NUM_COMPONENTS) {
            name = comp[c].name;
            x = energy_report_component_pj(e, (energy_component_t)c);
            y = energy_report_component_pj(a, (energy_component_t)c);
        } else if (c == ENERGY_NUM_COMPONENTS) {
            name = "= link";
            x = e->link_pj;
            y = a->link_pj;
        } else if (c == ENERGY_NUM_COMPONENTS + 1) {
            name = "= router";
            x = e->router_pj;
            y = a->router_pj;
        } else {
            name = "= total";
            x = e->total_pj;
            y = a->total_pj;
        }
        put(&o, "%-18s ", name);
        put_num(&o, 16, "%*.9g", x);
        put(&o, " ");
        put_num(&o, 16, "%*.9g", y);
        put(&o, " ");
        double d = rel_diff(x, y);
        if (isinf(d))
            put(&o, "%12s", "n/a");
        else
            put(&o, "%12.3e", d);
        put(&o, " ");
        put_num(&o, 14, "%*.6g", ratio(x, (double)e->payload_bits));
        put(&o, " ");
        put_num(&o, 14, "%*.6g", ratio(y, (double)a->payload_bits));
        put(&o, "\n");
    }
    return out_done(&o);
}

/* ---- JSON ---------------------------------------------------------------------- */

static json_t *jnum(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static json_t *jcount(uint64_t x)
{
    return x <= (uint64_t)INT64_MAX ? json_integer((json_int_t)x) : json_real((double)x);
}

/* set key to a new value; records a failure in *bad */
static void jset(json_t *obj, const char *key, json_t *val, int *bad)
{
    if (!val || json_object_set_new(obj, key, val) != 0)
        *bad = 1;
}

struct json_t *energy_report_json(const energy_report_t *r)
{
    if (!r)
        return NULL;
    int bad = 0;
    json_t *root = json_object();
    json_t *comps = json_object();
    if (!root || !comps) {
        json_decref(root);
        json_decref(comps);
        return NULL;
    }
    jset(root, "card", json_string(r->card), &bad);
    jset(root, "cycles", jcount(r->cycles), &bad);
    jset(root, "clock_hz", jnum(r->clock_hz), &bad);
    jset(root, "seconds", jnum(r->seconds), &bad);
    for (int c = 0; c < ENERGY_NUM_COMPONENTS; c++) {
        json_t *o = json_object();
        if (!o) {
            bad = 1;
            break;
        }
        jset(o, "kind", json_string(comp[c].is_static ? "static" : "dynamic"), &bad);
        jset(o, "part", json_string(energy_component_is_link((energy_component_t)c) ? "link"
                                                                                  : "router"),
             &bad);
        jset(o, "static_pj", jnum(r->static_pj[c]), &bad);
        jset(o, "dynamic_pj", jnum(r->dynamic_pj[c]), &bad);
        jset(o, "total_pj", jnum(r->static_pj[c] + r->dynamic_pj[c]), &bad);
        jset(comps, comp[c].name, o, &bad);
    }
    jset(root, "components", comps, &bad);
    jset(root, "static_pj", jnum(r->static_total_pj), &bad);
    jset(root, "dynamic_pj", jnum(r->dynamic_total_pj), &bad);
    jset(root, "link_pj", jnum(r->link_pj), &bad);
    jset(root, "router_pj", jnum(r->router_pj), &bad);
    jset(root, "total_pj", jnum(r->total_pj), &bad);
    jset(root, "bits_sent", jcount(r->bits_sent), &bad);
    jset(root, "capacity_bits", jcount(r->capacity_bits), &bad);
    jset(root, "payload_bits", jcount(r->payload_bits), &bad);
    jset(root, "router_flits", jcount(r->router_flits), &bad);
    jset(root, "replays", jcount(r->replays), &bad);
    jset(root, "utilisation", jnum(r->utilisation), &bad);
    jset(root, "link_pj_per_line_bit", jnum(r->link_pj_per_line_bit), &bad);
    jset(root, "pj_per_payload_bit", jnum(r->pj_per_payload_bit), &bad);
    jset(root, "link_pj_per_payload_bit", jnum(r->link_pj_per_payload_bit), &bad);
    jset(root, "router_pj_per_flit", jnum(r->router_pj_per_flit), &bad);
    jset(root, "average_power_mw", jnum(r->average_power_mw), &bad);
    if (bad) {
        json_decref(root);
        return NULL;
    }
    return root;
}

char *energy_report_json_string(const energy_report_t *r)
{
    json_t *j = energy_report_json(r);
    if (!j)
        return NULL;
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(j);
    return s;
}

/* ---- analytic ------------------------------------------------------------------ */

int energy_link_at_utilisation(const energy_card_t *card, unsigned lanes, unsigned lane_w,
                               double clock_hz, double u, energy_point_t *out, char *err,
                               size_t errlen)
{
    if (!card || !out) {
        seterr(err, errlen, "energy_link_at_utilisation: NULL argument");
        return -1;
    }
    if (!(u > 0 && u <= 1)) {
        seterr(err, errlen, "energy_link_at_utilisation: u = %g (must be in (0, 1])", u);
        return -1;
    }
    if (lanes < 1 || lanes > ENERGY_MAX_LANES || lane_w < 8 || lane_w > 64) {
        seterr(err, errlen,
               "energy_link_at_utilisation: lanes = %u, lane_w = %u (must be 1..8, 8..64)",
               lanes, lane_w);
        return -1;
    }
    if (!isfinite(clock_hz) || clock_hz <= 0) {
        seterr(err, errlen, "energy_link_at_utilisation: clock_hz = %g (must be > 0)",
               clock_hz);
        return -1;
    }
    const double *v = card->v;
    memset(out, 0, sizeof *out);
    out->u = u;
    out->rate_gbps = (double)lanes * lane_w * clock_hz / 1e9;
    out->dynamic_pj_per_bit = v[EK_MOD_PJ] + v[EK_SER_PJ] + v[EK_RX_PJ];
    out->static_mw =
        (double)lanes * (v[EK_LASER_MW] + v[EK_HEATER_MW_PER_CODE] * v[EK_HEATER_NOMINAL_CODE]);
    out->static_pj_per_bit = out->static_mw / (u * out->rate_gbps); /* mW / (Gb/s) = pJ/bit */
    out->total_pj_per_bit = out->dynamic_pj_per_bit + out->static_pj_per_bit;
    out->static_share = ratio(out->static_pj_per_bit, out->total_pj_per_bit);
    return 0;
}
