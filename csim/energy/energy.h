/*
 * energy.h - energy model of an optile tile and its optical link
 * (docs/spec.md section 8).
 *
 * Activity counts (energy_activity_t, filled from the RTL's counters or from
 * the golden models' own activity) times the figures of an energy card (an
 * INI file under csim/energy/cards/, behind the opaque energy_card_t) give
 * per component energies, split into static (power x time) and dynamic
 * (energy per event), and derived figures: utilisation, link pJ per line
 * bit, pJ per delivered payload bit. energy_compare() is the per component
 * checker of the energy cross-check.
 *
 * Units: pJ, mW, cycles of 1/clock_hz; 1 mW for 1 ns is 1 pJ.
 * Every function that can fail returns non-zero and, when given an `err`
 * buffer, writes a message into it. No function keeps global state.
 */
#ifndef OPTILE_ENERGY_H
#define OPTILE_ENERGY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ENERGY_MAX_LANES 8
#define ENERGY_HEATER_CODE_MAX 4095u /* 12-bit heater codes (spec 4.1) */

/** The components of spec 8.2, in report order. 0..4 are the link, 5..9 the router. */
typedef enum {
    ENERGY_LASER = 0,
    ENERGY_MODULATOR_DRIVER,
    ENERGY_RECEIVER,
    ENERGY_SERIALIZER,
    ENERGY_HEATERS,
    ENERGY_ROUTER_BUFFERS,
    ENERGY_CROSSBAR,
    ENERGY_ALLOCATION,
    ENERGY_CLOCK,
    ENERGY_LEAKAGE,
    ENERGY_NUM_COMPONENTS
} energy_component_t;

/** Name of a component ("laser", "modulator_driver", ...); "?" if out of range. */
const char *energy_component_name(energy_component_t c);

/** The activity counts that drive a component (for messages), e.g. "bits_sent". */
const char *energy_component_driver(energy_component_t c);

/** 1 if the component is static (power drawn over time), 0 if dynamic (per event). */
int energy_component_is_static(energy_component_t c);

/** 1 if the component belongs to the optical link (0..4), 0 if to the router. */
int energy_component_is_link(energy_component_t c);

/* ---- energy cards ------------------------------------------------------------ */

/** An energy card (opaque). */
typedef struct energy_card energy_card_t;

/**
 * Load a card from an INI file (format: spec 8.6). On success stores a new
 * card in *out and returns 0. On any error returns -1, leaves *out NULL and
 * writes "path:line: section.key: problem" into err (if err != NULL).
 */
int energy_card_load(const char *path, energy_card_t **out, char *err, size_t errlen);

/**
 * Same as energy_card_load(), from a NUL-terminated string; `origin` is the
 * name used in place of a path in messages (and as the card's path).
 */
int energy_card_parse_string(const char *text, const char *origin, energy_card_t **out,
                             char *err, size_t errlen);

/** Free a card (NULL is allowed). */
void energy_card_free(energy_card_t *card);

/** The card's [card] name. */
const char *energy_card_name(const energy_card_t *card);

/** The card's [card] description ("" if the card has none). */
const char *energy_card_description(const energy_card_t *card);

/** The path (or origin) the card was loaded from. */
const char *energy_card_path(const energy_card_t *card);

/**
 * A numeric value of the card by section and key (e.g. "laser",
 * "electrical_mw_per_lane"). Returns 0 and stores it in *value, or -1 if
 * the section/key pair is not a numeric key of the format.
 */
int energy_card_get(const energy_card_t *card, const char *section, const char *key,
                    double *value);

/* ---- activity ---------------------------------------------------------------- */

/** Activity counts of one window (spec 8.3). Lanes >= `lanes` must be 0. */
typedef struct {
    unsigned lanes;     /* L, 1..8 */
    unsigned lane_w;    /* W, bits per lane per cycle, 8..64 */
    unsigned flit_bits; /* router flit payload width F, >= 64 */
    double clock_hz;    /* clock frequency, > 0 */
    uint64_t cycles;    /* cycles of the window (tile-cycles after energy_activity_add) */

    uint64_t bits_sent[ENERGY_MAX_LANES];       /* 66 per block composed (spec 4.12) */
    uint64_t bits_received[ENERGY_MAX_LANES];   /* bits arriving at this receiver */
    uint64_t laser_cycles[ENERGY_MAX_LANES];    /* cycles with the lane's laser on */
    uint64_t heater_integral[ENERGY_MAX_LANES]; /* sum over cycles of the heater code */
    uint64_t replays;                           /* replay triggers (reported only) */

    uint64_t buf_writes;   /* router input-buffer writes, all ports */
    uint64_t buf_reads;    /* router input-buffer pops, all ports */
    uint64_t xbar;         /* crossbar traversals */
    uint64_t va_grants;    /* VC-allocation grants */
    uint64_t sa_arbs;      /* switch arbitrations */
    uint64_t router_flits; /* flits leaving the router (reported only) */

    uint64_t payload_bits; /* payload bits delivered, each once */
} energy_activity_t;

/** Zero every count and set the defaults L = 8, W = 32, F = 256, 1 GHz. */
void energy_activity_init(energy_activity_t *a);

/** Check an activity record (spec 8.3); 0 if valid, else -1 naming the field. */
int energy_activity_check(const energy_activity_t *a, char *err, size_t errlen);

/**
 * dst += src, field by field (spec 8.3, "Adding"). Both must have the same
 * lanes, lane_w, flit_bits and clock_hz; returns -1 (dst unchanged) if not,
 * or if a count would overflow 64 bits.
 */
int energy_activity_add(energy_activity_t *dst, const energy_activity_t *src, char *err,
                        size_t errlen);

/* ---- report ------------------------------------------------------------------ */

#define ENERGY_NAME_MAX 64

/** Result of energy_compute() (spec 8.4). NaN marks a figure whose denominator is 0. */
typedef struct {
    char card[ENERGY_NAME_MAX];                /* the card's name */
    double static_pj[ENERGY_NUM_COMPONENTS];   /* per component, static part */
    double dynamic_pj[ENERGY_NUM_COMPONENTS];  /* per component, dynamic part */
    double static_total_pj, dynamic_total_pj;  /* sums over components */
    double link_pj, router_pj, total_pj;       /* components 0..4, 5..9, all */

    uint64_t cycles;
    double clock_hz;
    double seconds;                  /* cycles / clock_hz */
    uint64_t bits_sent;              /* sum over lanes */
    uint64_t capacity_bits;          /* lanes * lane_w * cycles */
    uint64_t payload_bits;
    uint64_t router_flits;
    uint64_t replays;

    double utilisation;              /* bits_sent / capacity_bits */
    double link_pj_per_line_bit;     /* link_pj / bits_sent */
    double pj_per_payload_bit;       /* total_pj / payload_bits */
    double link_pj_per_payload_bit;  /* link_pj / payload_bits */
    double router_pj_per_flit;       /* router_pj / router_flits */
    double average_power_mw;         /* total_pj / (seconds in ns) */
} energy_report_t;

/**
 * Apply a card to an activity record: fills *report. Returns 0, or -1 with a
 * message in err (err may be NULL) if an argument is NULL or the activity
 * fails energy_activity_check().
 */
int energy_compute(const energy_card_t *card, const energy_activity_t *activity,
                   energy_report_t *report, char *err, size_t errlen);

/** Energy (static + dynamic) of one component of a report, pJ. */
double energy_report_component_pj(const energy_report_t *r, energy_component_t c);

/**
 * Compare two reports (spec 8.4): for each component in order, its static
 * then its dynamic energy, then pJ per payload bit. Values match when
 * |a - b| / max(|a|, |b|) <= tolerance (both 0 match; two NaN match).
 * Returns 0 if everything matches, 1 at the first mismatch (msg names the
 * component, static or dynamic, its driving counts, expected and actual pJ
 * and the relative difference), -1 on bad arguments (NULL report, tolerance
 * negative or not finite). msg may be NULL.
 */
int energy_compare(const energy_report_t *expected, const energy_report_t *actual,
                   double tolerance, char *msg, size_t msglen);

/**
 * Format a report as a text table for the terminal: one row per component
 * (static pJ, dynamic pJ, total pJ, pJ per line bit, share of the total),
 * link/router/total rows and the derived figures. snprintf semantics:
 * returns the length the full text needs (excluding the NUL), writes at most
 * buflen bytes (always NUL-terminated when buflen > 0); -1 on NULL report.
 */
int energy_report_table(const energy_report_t *r, char *buf, size_t buflen);

/**
 * Format two reports side by side (expected against actual, e.g. golden
 * against RTL): per component the two energies and their relative
 * difference, then totals and pJ per payload bit. Labels head the columns
 * (NULL: "expected", "actual"). snprintf semantics as energy_report_table().
 */
int energy_report_table2(const energy_report_t *expected, const energy_report_t *actual,
                         const char *expected_label, const char *actual_label, char *buf,
                         size_t buflen);

struct json_t; /* jansson's json_t */

/**
 * The report as a new jansson object (caller owns the reference; free with
 * json_decref). Keys: card, cycles, clock_hz, seconds, components (an object
 * keyed by component name, each {kind, static_pj, dynamic_pj, total_pj}),
 * static_pj, dynamic_pj, link_pj, router_pj, total_pj, bits_sent,
 * capacity_bits, payload_bits, router_flits, replays, utilisation,
 * link_pj_per_line_bit, pj_per_payload_bit, link_pj_per_payload_bit,
 * router_pj_per_flit, average_power_mw. NaN figures become null.
 * Returns NULL on a NULL report or allocation failure.
 */
struct json_t *energy_report_json(const energy_report_t *r);

/** The same JSON as a malloc'd string (indented by 2; caller frees); NULL on error. */
char *energy_report_json_string(const energy_report_t *r);

/* ---- analytic model ---------------------------------------------------------- */

/** The link's energy per line bit at utilisation u (spec 8.5). */
typedef struct {
    double u;                  /* utilisation, (0, 1] */
    double rate_gbps;          /* R = lanes * lane_w * clock, Gb/s */
    double dynamic_pj_per_bit; /* E_dyn = e_mod + e_ser + e_rx */
    double static_mw;          /* P_static = lanes * (P_laser + k_h * h_nom) */
    double static_pj_per_bit;  /* P_static / (u * R) */
    double total_pj_per_bit;   /* E_dyn + P_static / (u * R) */
    double static_share;       /* static_pj_per_bit / total_pj_per_bit (NaN if total is 0) */
} energy_point_t;

/**
 * E(u) = E_dyn + P_static / (u x rate) for `lanes` lanes of `lane_w` bits at
 * `clock_hz` (spec 8.5). Returns 0, or -1 with a message for bad arguments
 * (u outside (0, 1], lanes outside 1..8, lane_w outside 8..64, clock not > 0).
 */
int energy_link_at_utilisation(const energy_card_t *card, unsigned lanes, unsigned lane_w,
                               double clock_hz, double u, energy_point_t *out, char *err,
                               size_t errlen);

#ifdef __cplusplus
}
#endif

#endif /* OPTILE_ENERGY_H */
