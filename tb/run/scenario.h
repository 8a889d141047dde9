/* Scenario files: what one co-simulation run does (docs/spec.md section 9).
 *
 * A scenario is an INI file (tests/scenarios/NAME.ini) parsed with libinih.
 * Every key has a type, a range and a default; an unknown section or key, a
 * value of the wrong type or out of range, or a key given twice is an error
 * that names the file, the line and the key. Command-line options override
 * keys with scenario_set("section.key", "value").
 */
#ifndef OPTILE_TB_SCENARIO_H
#define OPTILE_TB_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum scn_system { SCN_SYS_PHY_LINK, SCN_SYS_MESH, SCN_SYS_TWO_CHIP };
enum scn_traffic { SCN_TR_NONE, SCN_TR_UNIFORM, SCN_TR_TRANSPOSE, SCN_TR_BITCOMP, SCN_TR_HOTSPOT };
enum scn_waves { SCN_WAVES_NONE, SCN_WAVES_FST, SCN_WAVES_VCD };

struct scenario {
  char name[64];          /* [run] name; default: the file's base name */
  char path[512];         /* the file it came from ("" if none) */
  /* [run] */
  uint64_t cycles;        /* simulated cycles */
  uint64_t seed;
  uint32_t window;        /* throughput window, cycles */
  bool stop_on_mismatch;
  enum scn_waves waves;
  uint64_t waves_from, waves_to;
  /* [system] */
  enum scn_system system;
  uint32_t chips;         /* chips (two-chip system: 2) */
  uint32_t mesh_k;        /* k x k tiles per chip */
  uint32_t lanes;         /* optical lanes per link */
  uint32_t marker_period; /* alignment-marker period, rows */
  /* [traffic] */
  enum scn_traffic pattern;
  double rate;            /* offered flits per node per cycle, 0..1 */
  uint32_t hotspot_x, hotspot_y;
  uint64_t dma_bytes;     /* bytes chip A's driver moves to chip B */
  /* [channel] */
  uint32_t fiber_cycles;  /* fiber latency, cycles */
  uint32_t skew_cycles;   /* largest lane skew, cycles */
  double ber;             /* random bit-error rate per lane */
  double burst_rate;      /* bursts per bit */
  uint32_t burst_len;     /* bits per burst (mean) */
  int32_t lost_lane;      /* lane lost at lost_cycle; -1: none */
  uint64_t lost_cycle;
  double drift_k_per_ms;  /* ring temperature drift */
  bool retune;            /* firmware keeps the rings locked */
  /* [energy] */
  char card[64];          /* energy card name (csim/energy/cards/NAME.ini) */
  char firmware[256];     /* [system] firmware: management firmware ELF of every chip */
  /* [check] */
  double throughput_tolerance; /* largest allowed |RTL - model| / model per window */
  double energy_tolerance;     /* largest allowed relative energy difference */
};

/** Defaults for every key. */
void scenario_defaults(struct scenario *s);

/** Parse a file over the defaults. 0, or -1 with "file:line: section.key: problem"
 *  in err. */
int scenario_load(struct scenario *s, const char *path, char *err, size_t errlen);

/** Override one key ("section.key") from the command line. 0, or -1 with
 *  "section.key: problem" in err. */
int scenario_set(struct scenario *s, const char *key, const char *value, char *err, size_t errlen);

/** Cross-key checks (e.g. waves window order, lane numbers). 0 or -1 with err. */
int scenario_validate(const struct scenario *s, char *err, size_t errlen);

/** Names for reports. */
const char *scenario_system_name(enum scn_system s);
const char *scenario_traffic_name(enum scn_traffic t);
const char *scenario_waves_name(enum scn_waves w);

#endif
