/*
 * energy_card.c - energy card loader (docs/spec.md section 8.6).
 *
 * libinih does the INI syntax. It does not report line numbers or section
 * headers to the handler, so the loader feeds it through its own line
 * reader, which counts lines, sees section headers (unknown and repeated
 * sections, empty ones included), indentation (continuation lines) and
 * over-long lines. The first error in file order wins.
 */
#include "energy/energy_internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

/* ---- the format -------------------------------------------------------------- */

enum { SEC_CARD, SEC_LASER, SEC_MOD, SEC_RX, SEC_SER, SEC_HEATERS, SEC_BUFFERS, SEC_XBAR,
       SEC_ALLOC, SEC_CLOCK, SEC_LEAKAGE, NSECTIONS };

static const char *const section_names[NSECTIONS] = {
    "card",           "laser",    "modulator_driver", "receiver", "serializer", "heaters",
    "router_buffers", "crossbar", "allocation",       "clock",    "leakage",
};

enum { KIND_NUM, KIND_CODE, KIND_NAME, KIND_TEXT };

typedef struct {
    int section;
    const char *key;
    int kind;
    int required;
} key_def_t;

/* indexed by the KEY_* values of energy_internal.h */
static const key_def_t key_defs[EK_NKEYS] = {
    [EK_NAME] = {SEC_CARD, "name", KIND_NAME, 1},
    [EK_DESCRIPTION] = {SEC_CARD, "description", KIND_TEXT, 0},
    [EK_LASER_MW] = {SEC_LASER, "electrical_mw_per_lane", KIND_NUM, 1},
    [EK_MOD_PJ] = {SEC_MOD, "pj_per_bit", KIND_NUM, 1},
    [EK_RX_PJ] = {SEC_RX, "pj_per_bit", KIND_NUM, 1},
    [EK_SER_PJ] = {SEC_SER, "pj_per_bit", KIND_NUM, 1},
    [EK_HEATER_MW_PER_CODE] = {SEC_HEATERS, "mw_per_code", KIND_NUM, 1},
    [EK_HEATER_NOMINAL_CODE] = {SEC_HEATERS, "nominal_code", KIND_CODE, 1},
    [EK_BUF_WR_PJ] = {SEC_BUFFERS, "pj_per_write_64b", KIND_NUM, 1},
    [EK_BUF_RD_PJ] = {SEC_BUFFERS, "pj_per_read_64b", KIND_NUM, 1},
    [EK_XBAR_PJ] = {SEC_XBAR, "pj_per_traversal_64b", KIND_NUM, 1},
    [EK_VA_PJ] = {SEC_ALLOC, "pj_per_va_grant", KIND_NUM, 1},
    [EK_SA_PJ] = {SEC_ALLOC, "pj_per_sa_arbitration", KIND_NUM, 1},
    [EK_CLK_PJ] = {SEC_CLOCK, "pj_per_cycle", KIND_NUM, 1},
    [EK_LEAK_MW] = {SEC_LEAKAGE, "static_mw", KIND_NUM, 1},
};

static int find_section(const char *name)
{
    for (int s = 0; s < NSECTIONS; s++)
        if (strcmp(section_names[s], name) == 0)
            return s;
    return -1;
}

static int find_key(int section, const char *key)
{
    for (int k = 0; k < EK_NKEYS; k++)
        if (key_defs[k].section == section && strcmp(key_defs[k].key, key) == 0)
            return k;
    return -1;
}

/* ---- parse context ----------------------------------------------------------- */

typedef struct {
    const char *origin; /* path or origin name for messages */
    FILE *file;         /* source: a file, or */
    const char *text;   /* a string (advanced as it is read) */
    int line;           /* number of the line last handed to inih */
    int indented;       /* that line starts with a blank */
    int cur_section;    /* section of that line: index, -1 none yet, -2 unknown */
    int sec_line[NSECTIONS];
    int key_line[EK_NKEYS];
    int last_key;       /* key index of the previous key line, -1 */
    int err_line;       /* 0: no error yet */
    char err[512];
    energy_card_t *card;
} pctx_t;

static void perr(pctx_t *p, int line, const char *fmt, ...)
{
    if (p->err_line != 0 && p->err_line <= line)
        return; /* keep the first error in file order */
    va_list ap;
    va_start(ap, fmt);
    int n = snprintf(p->err, sizeof p->err, "%s:%d: ", p->origin, line);
    if (n < 0)
        n = 0;
    if ((size_t)n < sizeof p->err)
        vsnprintf(p->err + n, sizeof p->err - (size_t)n, fmt, ap);
    va_end(ap);
    p->err_line = line;
}

static int next_char(pctx_t *p)
{
    if (p->file)
        return fgetc(p->file);
    if (*p->text == '\0')
        return EOF;
    return (unsigned char)*p->text++;
}

static void list_keys(int section, char *out, size_t outlen)
{
    size_t used = 0;
    out[0] = '\0';
    for (int k = 0; k < EK_NKEYS; k++) {
        if (key_defs[k].section != section)
            continue;
        int n = snprintf(out + used, outlen - used, "%s%s", used ? ", " : "", key_defs[k].key);
        if (n < 0 || (size_t)n >= outlen - used)
            return;
        used += (size_t)n;
    }
}

/* Look at a line the reader is about to hand to inih: section headers. */
static void inspect_line(pctx_t *p, const char *s)
{
    if (p->line == 1 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3; /* UTF-8 byte order mark, as inih */
    p->indented = (*s == ' ' || *s == '\t');
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s != '[')
        return;
    const char *close = strchr(s, ']');
    if (!close)
        return; /* inih reports the syntax error */
    char name[64];
    const char *a = s + 1;
    while (a < close && isspace((unsigned char)*a))
        a++;
    const char *b = close;
    while (b > a && isspace((unsigned char)b[-1]))
        b--;
    size_t n = (size_t)(b - a);
    if (n >= sizeof name)
        n = sizeof name - 1;
    memcpy(name, a, n);
    name[n] = '\0';
    p->last_key = -1;
    int sec = find_section(name);
    if (sec < 0) {
        char all[256];
        size_t used = 0;
        all[0] = '\0';
        for (int i = 0; i < NSECTIONS; i++) {
            int w = snprintf(all + used, sizeof all - used, "%s%s", i ? ", " : "",
                             section_names[i]);
            if (w < 0 || (size_t)w >= sizeof all - used)
                break;
            used += (size_t)w;
        }
        perr(p, p->line, "[%s]: unknown section (expected one of: %s)", name, all);
        p->cur_section = -2;
        return;
    }
    if (p->sec_line[sec] != 0) {
        perr(p, p->line, "[%s]: section given twice (first on line %d)", name,
             p->sec_line[sec]);
        p->cur_section = sec;
        return;
    }
    p->sec_line[sec] = p->line;
    p->cur_section = sec;
}

/* inih line reader (fgets semantics): counts lines, checks their length. */
static char *reader(char *str, int num, void *stream)
{
    pctx_t *p = stream;
    size_t n = 0, cap = num > 0 ? (size_t)num - 1 : 0, content = 0;
    int c, got = 0;
    while ((c = next_char(p)) != EOF) {
        got = 1;
        if (c == '\n')
            break;
        if (c != '\r')
            content++;
        if (n < cap)
            str[n++] = (char)c;
    }
    if (!got)
        return NULL;
    if (num > 0)
        str[n] = '\0';
    p->line++;
    if (content > cap)
        perr(p, p->line, "line longer than %zu characters", cap);
    inspect_line(p, str);
    return str;
}

static int is_decimal(const char *s)
{
    int digits = 0;
    if (*s == '+' || *s == '-')
        s++;
    while (isdigit((unsigned char)*s)) {
        s++;
        digits++;
    }
    if (*s == '.') {
        s++;
        while (isdigit((unsigned char)*s)) {
            s++;
            digits++;
        }
    }
    if (!digits)
        return 0;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!isdigit((unsigned char)*s))
            return 0;
        while (isdigit((unsigned char)*s))
            s++;
    }
    return *s == '\0';
}

static int valid_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '.' && *s != '_' && *s != '-')
            return 0;
    return 1;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    (void)section; /* the reader's view of the section is used: it is trimmed */
    pctx_t *p = user;
    int line = p->line;

    if (p->indented && p->last_key >= 0 && strcmp(key_defs[p->last_key].key, name) == 0) {
        perr(p, line, "%s.%s: continuation line (indented) not allowed",
             section_names[key_defs[p->last_key].section], name);
        return 0;
    }
    if (p->cur_section == -1) {
        perr(p, line, "%s: key outside any section", name);
        return 0;
    }
    if (p->cur_section == -2)
        return 0; /* unknown section, already reported */
    const char *sec = section_names[p->cur_section];
    int k = find_key(p->cur_section, name);
    if (k < 0) {
        char keys[256];
        list_keys(p->cur_section, keys, sizeof keys);
        perr(p, line, "%s.%s: unknown key (expected one of: %s)", sec, name, keys);
        return 0;
    }
    p->last_key = k;
    if (p->key_line[k] != 0) {
        perr(p, line, "%s.%s: key given twice (first on line %d)", sec, name, p->key_line[k]);
        return 0;
    }
    p->key_line[k] = line;

    if (*value == '\0') {
        perr(p, line, "%s.%s: missing value", sec, name);
        return 0;
    }
    switch (key_defs[k].kind) {
    case KIND_NAME:
        if (!valid_name(value) || strlen(value) >= sizeof p->card->name) {
            perr(p, line, "%s.%s: bad name '%s' (1..%zu letters, digits, '.', '_', '-')", sec,
                 name, value, sizeof p->card->name - 1);
            return 0;
        }
        strcpy(p->card->name, value);
        return 1;
    case KIND_TEXT:
        snprintf(p->card->description, sizeof p->card->description, "%s", value);
        return 1;
    default:
        break;
    }
    if (!is_decimal(value)) {
        perr(p, line, "%s.%s: not a decimal number: '%s'", sec, name, value);
        return 0;
    }
    errno = 0;
    double v = strtod(value, NULL);
    if (errno == ERANGE || !isfinite(v)) {
        perr(p, line, "%s.%s: number out of range: '%s'", sec, name, value);
        return 0;
    }
    if (v < 0) {
        perr(p, line, "%s.%s: negative value %s (must be >= 0)", sec, name, value);
        return 0;
    }
    if (key_defs[k].kind == KIND_CODE && v > ENERGY_HEATER_CODE_MAX) {
        perr(p, line, "%s.%s: heater code %s above %u", sec, name, value,
             ENERGY_HEATER_CODE_MAX);
        return 0;
    }
    p->card->v[k] = v;
    return 1;
}

static int finish(pctx_t *p, int ret, energy_card_t **out, char *err, size_t errlen)
{
    if (ret == -2)
        perr(p, p->line > 0 ? p->line : 1, "out of memory");
    else if (ret > 0)
        perr(p, ret, "syntax error (expected '[section]', 'key = value' or a comment)");
    if (p->err_line == 0) {
        int last = p->line > 0 ? p->line : 1;
        for (int s = 0; s < NSECTIONS && p->err_line == 0; s++)
            if (p->sec_line[s] == 0)
                perr(p, last, "[%s]: missing required section", section_names[s]);
        for (int k = 0; k < EK_NKEYS && p->err_line == 0; k++)
            if (key_defs[k].required && p->key_line[k] == 0)
                perr(p, p->sec_line[key_defs[k].section],
                     "%s.%s: missing required key (section starts on this line)",
                     section_names[key_defs[k].section], key_defs[k].key);
    }
    if (p->err_line != 0) {
        if (err && errlen)
            snprintf(err, errlen, "%s", p->err);
        free(p->card);
        return -1;
    }
    snprintf(p->card->path, sizeof p->card->path, "%s", p->origin);
    *out = p->card;
    return 0;
}

static int start(pctx_t *p, const char *origin, energy_card_t **out, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    if (out)
        *out = NULL;
    if (!out || !origin) {
        if (err && errlen)
            snprintf(err, errlen, "energy_card_load: NULL argument");
        return -1;
    }
    p->origin = origin;
    p->cur_section = -1;
    p->last_key = -1;
    p->card = calloc(1, sizeof *p->card);
    if (!p->card) {
        if (err && errlen)
            snprintf(err, errlen, "%s: out of memory", origin);
        return -1;
    }
    return 0;
}

int energy_card_load(const char *path, energy_card_t **out, char *err, size_t errlen)
{
    pctx_t p;
    if (start(&p, path, out, err, errlen) != 0)
        return -1;
    p.file = fopen(path, "rb");
    if (!p.file) {
        if (err && errlen)
            snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        free(p.card);
        return -1;
    }
    int ret = ini_parse_stream(reader, &p, handler, &p);
    int rerr = ferror(p.file);
    fclose(p.file);
    if (rerr) {
        if (err && errlen)
            snprintf(err, errlen, "%s: read error", path);
        free(p.card);
        return -1;
    }
    return finish(&p, ret, out, err, errlen);
}

int energy_card_parse_string(const char *text, const char *origin, energy_card_t **out,
                             char *err, size_t errlen)
{
    pctx_t p;
    if (start(&p, origin, out, err, errlen) != 0)
        return -1;
    if (!text) {
        if (err && errlen)
            snprintf(err, errlen, "%s: NULL text", origin);
        free(p.card);
        return -1;
    }
    p.text = text;
    int ret = ini_parse_stream(reader, &p, handler, &p);
    return finish(&p, ret, out, err, errlen);
}

void energy_card_free(energy_card_t *card)
{
    free(card);
}

const char *energy_card_name(const energy_card_t *card)
{
    return card ? card->name : "";
}

const char *energy_card_description(const energy_card_t *card)
{
    return card ? card->description : "";
}

const char *energy_card_path(const energy_card_t *card)
{
    return card ? card->path : "";
}

int energy_card_get(const energy_card_t *card, const char *section, const char *key,
                    double *value)
{
    if (!card || !section || !key || !value)
        return -1;
    int s = find_section(section);
    if (s < 0)
        return -1;
    int k = find_key(s, key);
    if (k < 0 || key_defs[k].kind == KIND_NAME || key_defs[k].kind == KIND_TEXT)
        return -1;
    *value = card->v[k];
    return 0;
}
