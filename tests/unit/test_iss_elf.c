/*
 * test_iss_elf.c - the ELF loader and symbol table (docs/spec.md 3.7).
 *
 * Test files are written byte by byte into a temporary directory by a small
 * ELF writer below (from the ELF specification's layouts, independent of
 * libelf and of the loader): a good executable, and one file per rejection
 * (truncations, wrong class, data encoding, machine, type and flags, bad
 * entry, segments overlapping or outside the map, not an ELF at all), each
 * of which must give its own message naming the file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "iss/iss.h"
#include "iss/iss_enc.h"

/* ---- a minimal ELF32 writer ----------------------------------------------------- */

/* field values from the ELF and RISC-V psABI specifications */
enum { ET_REL_ = 1, ET_EXEC_ = 2, ET_DYN_ = 3, EM_ARM_ = 40, EM_RISCV_ = 243, PT_LOAD_ = 1, PT_NOTE_ = 4 };
enum { SHT_PROGBITS_ = 1, SHT_SYMTAB_ = 2, SHT_STRTAB_ = 3, SHN_ABS_ = 0xFFF1 };
enum { STB_LOCAL_ = 0, STB_GLOBAL_ = 1, STT_NOTYPE_ = 0, STT_OBJECT_ = 1, STT_FUNC_ = 2, STT_SECTION_ = 3 };
#define ST_INFO(b, t) ((unsigned char)(((b) << 4) | (t)))

typedef struct seg_spec {
    uint32_t type, paddr, filesz, memsz;
    const uint8_t *data; /* filesz bytes */
} seg_spec;

typedef struct sym_spec {
    const char *name;
    uint32_t value, size;
    unsigned char info;
    uint16_t shndx; /* 0: the .text section (1) */
} sym_spec;

typedef struct elf_spec {
    unsigned char cls, enc, idver;
    uint16_t type, machine, phentsize;
    uint32_t version, entry, flags;
    seg_spec seg[4];
    int nseg;
    sym_spec sym[10];
    int nsym;
} elf_spec;

typedef struct obuf {
    uint8_t b[1 << 16];
    size_t n;
    int be;
} obuf;

static void p8(obuf *o, unsigned v) { o->b[o->n++] = (uint8_t)v; }
static void p16(obuf *o, unsigned v)
{
    if (o->be) { p8(o, v >> 8); p8(o, v); } else { p8(o, v); p8(o, v >> 8); }
}
static void p32(obuf *o, uint32_t v)
{
    if (o->be) { p16(o, v >> 16); p16(o, v & 0xFFFFu); } else { p16(o, v & 0xFFFFu); p16(o, v >> 16); }
}
static void align4(obuf *o) { while (o->n % 4) p8(o, 0); }
static void set32(obuf *o, size_t at, uint32_t v)
{
    size_t n = o->n;
    o->n = at;
    p32(o, v);
    o->n = n;
}

/* a spec for a good RV32 executable: code at 0x80000000, data with bss, symbols */
static const uint8_t good_data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
static uint8_t good_code[64];

static elf_spec good_spec(void)
{
    /* sw a1, 0(a0) with a0 = tohost, a1 = 7: fail test 3 */
    uint32_t prog[] = {
        rv_lui(RV_A0, 0x80001u),        /* a0 = 0x80001000 = tohost */
        rv_addi(RV_A1, RV_ZERO, 7),
        rv_sw(RV_A1, RV_A0, 0),
        rv_jal(RV_ZERO, 0),
    };
    for (size_t i = 0; i < 4; i++)
        for (int k = 0; k < 4; k++)
            good_code[4 * i + (size_t)k] = (uint8_t)(prog[i] >> (8 * k));
    elf_spec e;
    memset(&e, 0, sizeof e);
    e.cls = 1;   /* ELFCLASS32 */
    e.enc = 1;   /* ELFDATA2LSB */
    e.idver = 1; /* EV_CURRENT */
    e.type = ET_EXEC_;
    e.machine = EM_RISCV_;
    e.phentsize = 32;
    e.version = 1;
    e.entry = ISS_RAM_BASE;
    e.seg[0] = (seg_spec){PT_LOAD_, ISS_RAM_BASE, 16, 16, good_code};
    e.seg[1] = (seg_spec){PT_LOAD_, ISS_RAM_BASE + 0x1000u, 8, 0x100, good_data}; /* 0xF8 bytes of bss */
    e.nseg = 2;
    e.sym[0] = (sym_spec){"_start", ISS_RAM_BASE, 16, ST_INFO(STB_GLOBAL_, STT_FUNC_), 0};
    e.sym[1] = (sym_spec){"loop", ISS_RAM_BASE + 12u, 0, ST_INFO(STB_LOCAL_, STT_NOTYPE_), 0};
    e.sym[2] = (sym_spec){"tohost", ISS_RAM_BASE + 0x1000u, 8, ST_INFO(STB_GLOBAL_, STT_OBJECT_), 0};
    e.sym[3] = (sym_spec){"mbox", ISS_RAM_BASE + 0x1010u, 16, ST_INFO(STB_GLOBAL_, STT_OBJECT_), 0};
    e.sym[4] = (sym_spec){"stack_size", 0x2000u, 0, ST_INFO(STB_GLOBAL_, STT_NOTYPE_), SHN_ABS_};
    e.sym[5] = (sym_spec){"text_label", ISS_RAM_BASE, 0, ST_INFO(STB_LOCAL_, STT_NOTYPE_), 0};
    e.sym[6] = (sym_spec){"", ISS_RAM_BASE, 0, ST_INFO(STB_LOCAL_, STT_SECTION_), 0};
    e.sym[7] = (sym_spec){"$x", ISS_RAM_BASE, 0, ST_INFO(STB_LOCAL_, STT_NOTYPE_), 0};
    e.nsym = 8;
    return e;
}

/*
 * Layout: ELF header | program headers | segment data | .symtab | .strtab |
 * .shstrtab | section headers (null, .text, .symtab, .strtab, .shstrtab).
 */
static size_t build(const elf_spec *e, obuf *o)
{
    memset(o, 0, sizeof *o);
    o->be = e->enc == 2;
    /* identification */
    p8(o, 0x7F); p8(o, 'E'); p8(o, 'L'); p8(o, 'F');
    p8(o, e->cls); p8(o, e->enc); p8(o, e->idver);
    while (o->n < 16)
        p8(o, 0);
    p16(o, e->type);
    p16(o, e->machine);
    p32(o, e->version);
    p32(o, e->entry);
    size_t at_phoff = o->n;
    p32(o, 0); /* e_phoff */
    size_t at_shoff = o->n;
    p32(o, 0); /* e_shoff */
    p32(o, e->flags);
    p16(o, 52);            /* e_ehsize */
    p16(o, e->phentsize);  /* e_phentsize */
    p16(o, (unsigned)e->nseg);
    p16(o, 40);            /* e_shentsize */
    p16(o, 5);             /* e_shnum */
    p16(o, 4);             /* e_shstrndx */
    /* program headers */
    set32(o, at_phoff, (uint32_t)o->n);
    size_t at_off[4];
    for (int i = 0; i < e->nseg; i++) {
        p32(o, e->seg[i].type);
        at_off[i] = o->n;
        p32(o, 0);                 /* p_offset */
        p32(o, e->seg[i].paddr);   /* p_vaddr */
        p32(o, e->seg[i].paddr);   /* p_paddr */
        p32(o, e->seg[i].filesz);
        p32(o, e->seg[i].memsz);
        p32(o, 7);                 /* RWX */
        p32(o, 4);
    }
    /* segment data */
    uint32_t text_off = 0;
    for (int i = 0; i < e->nseg; i++) {
        align4(o);
        set32(o, at_off[i], (uint32_t)o->n);
        if (i == 0)
            text_off = (uint32_t)o->n;
        for (uint32_t k = 0; k < e->seg[i].filesz; k++)
            p8(o, e->seg[i].data ? e->seg[i].data[k] : 0);
    }
    /* .strtab contents */
    char strtab[512];
    size_t strn = 1, name_off[10];
    strtab[0] = 0;
    for (int i = 0; i < e->nsym; i++) {
        size_t l = strlen(e->sym[i].name);
        name_off[i] = strn;
        memcpy(strtab + strn, e->sym[i].name, l + 1);
        strn += l + 1;
    }
    /* .symtab: the null symbol, then the list */
    align4(o);
    uint32_t symtab_off = (uint32_t)o->n;
    for (int k = 0; k < 16; k++)
        p8(o, 0);
    for (int i = 0; i < e->nsym; i++) {
        p32(o, (uint32_t)name_off[i]);
        p32(o, e->sym[i].value);
        p32(o, e->sym[i].size);
        p8(o, e->sym[i].info);
        p8(o, 0);
        p16(o, e->sym[i].shndx ? e->sym[i].shndx : 1);
    }
    uint32_t symtab_size = (uint32_t)(16 * (e->nsym + 1));
    uint32_t strtab_off = (uint32_t)o->n;
    for (size_t k = 0; k < strn; k++)
        p8(o, (unsigned char)strtab[k]);
    static const char shstr[] = "\0.text\0.symtab\0.strtab\0.shstrtab";
    uint32_t shstr_off = (uint32_t)o->n;
    for (size_t k = 0; k < sizeof shstr; k++)
        p8(o, (unsigned char)shstr[k]);
    /* section headers */
    align4(o);
    set32(o, at_shoff, (uint32_t)o->n);
    struct { uint32_t name, type, flags, addr, off, size, link, info, align, entsize; } sh[5] = {
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        {1, SHT_PROGBITS_, 6, e->nseg ? e->seg[0].paddr : 0, text_off, e->nseg ? e->seg[0].filesz : 0, 0, 0, 4, 0},
        {7, SHT_SYMTAB_, 0, 0, symtab_off, symtab_size, 3, 1, 4, 16},
        {15, SHT_STRTAB_, 0, 0, strtab_off, (uint32_t)strn, 0, 0, 1, 0},
        {23, SHT_STRTAB_, 0, 0, shstr_off, (uint32_t)sizeof shstr, 0, 0, 1, 0},
    };
    for (int i = 0; i < 5; i++) {
        p32(o, sh[i].name); p32(o, sh[i].type); p32(o, sh[i].flags); p32(o, sh[i].addr); p32(o, sh[i].off);
        p32(o, sh[i].size); p32(o, sh[i].link); p32(o, sh[i].info); p32(o, sh[i].align); p32(o, sh[i].entsize);
    }
    return o->n;
}

static char dir[256];

static const char *path_of(const char *name)
{
    static char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

static void write_bytes(const char *name, const void *b, size_t n)
{
    FILE *f = fopen(path_of(name), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
}

static size_t write_elf(const char *name, const elf_spec *e)
{
    static obuf o;
    size_t n = build(e, &o);
    write_bytes(name, o.b, n);
    return n;
}

/* writes the first `keep` bytes of the spec's file */
static void write_truncated(const char *name, const elf_spec *e, size_t keep)
{
    static obuf o;
    size_t n = build(e, &o);
    assert_true(keep < n);
    write_bytes(name, o.b, keep);
}

static int group_setup(void **state)
{
    (void)state;
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/test_iss_elf.XXXXXX", t && *t ? t : "/tmp");
    return mkdtemp(dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* loading `name` must fail with a message "<path>: ...<want>..." */
static void expect_error(const char *name, const char *want)
{
    char err[512] = "";
    iss *s = iss_new(NULL, NULL, 0);
    assert_non_null(s);
    const char *p = path_of(name);
    int r = iss_load_elf(s, p, err, sizeof err);
    iss_free(s);
    if (r != -1 || strncmp(err, p, strlen(p)) != 0 || !strstr(err, want))
        fail_msg("%s: load returned %d with \"%s\"; expected an error containing \"%s\"", name, r, err, want);
}

/* ---- tests ------------------------------------------------------------------------ */

static void test_good_elf(void **state)
{
    (void)state;
    elf_spec e = good_spec();
    write_elf("good.elf", &e);
    iss *s = iss_new(NULL, NULL, 0);
    assert_non_null(s);
    uint8_t junk[0x100];
    memset(junk, 0xAA, sizeof junk);
    iss_mem_write(s, ISS_RAM_BASE + 0x1000u, junk, sizeof junk);
    char err[256] = "";
    if (iss_load_elf(s, path_of("good.elf"), err, sizeof err) != 0)
        fail_msg("good.elf: %s", err);
    /* contents and bss */
    uint8_t b[0x100];
    iss_mem_read(s, ISS_RAM_BASE, b, 16);
    assert_memory_equal(b, good_code, 16);
    iss_mem_read(s, ISS_RAM_BASE + 0x1000u, b, 0x100);
    assert_memory_equal(b, good_data, 8);
    for (size_t i = 8; i < 0x100; i++)
        if (b[i] != 0)
            fail_msg("bss byte %zu is 0x%02x, expected 0", i, b[i]);
    assert_int_equal(junk[0], 0xAA);
    /* symbols */
    uint32_t a = 0;
    assert_int_equal(iss_symbol(s, "tohost", &a), 0);
    assert_int_equal(a, ISS_RAM_BASE + 0x1000u);
    assert_int_equal(iss_symbol(s, "mbox", &a), 0);
    assert_int_equal(a, ISS_RAM_BASE + 0x1010u);
    assert_int_equal(iss_symbol(s, "stack_size", &a), 0);
    assert_int_equal(a, 0x2000u);
    assert_int_equal(iss_symbol(s, "$x", &a), -1); /* mapping symbols are skipped */
    assert_int_equal(iss_symbol(s, "nosuch", &a), -1);
    assert_int_equal(iss_symbol(s, NULL, &a), -1);
    /* address -> symbol: the global function wins over a local label at one address */
    uint32_t off = 99;
    assert_string_equal(iss_symbol_at(s, ISS_RAM_BASE, &off), "_start");
    assert_int_equal(off, 0u);
    assert_string_equal(iss_symbol_at(s, ISS_RAM_BASE + 8u, &off), "_start");
    assert_int_equal(off, 8u);
    assert_string_equal(iss_symbol_at(s, ISS_RAM_BASE + 12u, &off), "loop");
    assert_string_equal(iss_symbol_at(s, ISS_RAM_BASE + 0x1004u, &off), "tohost");
    assert_int_equal(off, 4u);
    assert_string_equal(iss_symbol_at(s, ISS_RAM_BASE + 0x1020u, &off), "mbox");
    assert_null(iss_symbol_at(s, ISS_RAM_BASE - 4u, &off));
    assert_null(iss_symbol_at(s, 0x2000u, &off)); /* the absolute symbol is not an address */
    /* run: the trampoline, then the program stores 7 to tohost */
    iss_run_result r;
    assert_int_equal(iss_run(s, 100, NULL, NULL, &r), ISS_STOP_HALT);
    uint32_t v = 0;
    assert_int_equal(iss_tohost(s, &v), 1);
    assert_int_equal(v, 7u);
    assert_int_equal(r.instructions, 5u);
    assert_int_equal(iss_last_step(s)->status, ISS_HALTED);
    assert_int_equal(iss_last_step(s)->retired, 1);
    /* a halted hart does nothing */
    uint64_t c = iss_cycles(s);
    assert_int_equal(iss_step(s), ISS_HALTED);
    assert_int_equal(iss_cycles(s), c);
    assert_int_equal(iss_last_step(s)->retired, 0);
    assert_int_equal(iss_run(s, 100, NULL, NULL, &r), ISS_STOP_HALT);
    assert_int_equal(r.cycles, 0u);
    /* reset clears the halt, keeps the program and the symbols */
    iss_reset(s);
    assert_int_equal(iss_tohost(s, NULL), 0);
    assert_int_equal(iss_symbol(s, "tohost", &a), 0);
    assert_int_equal(iss_run(s, 100, NULL, NULL, &r), ISS_STOP_HALT);
    iss_free(s);
}

static void test_tohost_rules(void **state)
{
    (void)state;
    elf_spec e = good_spec();
    /* a program: sb 1 to tohost, sw 0 to tohost, sw 1 to tohost + 4, then sw 2 to tohost */
    uint32_t prog[] = {
        rv_lui(RV_A0, 0x80001u), rv_addi(RV_A1, RV_ZERO, 1), rv_sb(RV_A1, RV_A0, 0), rv_sw(RV_ZERO, RV_A0, 0),
        rv_sw(RV_A1, RV_A0, 4), rv_addi(RV_A1, RV_ZERO, 2), rv_sw(RV_A1, RV_A0, 0), rv_jal(RV_ZERO, 0),
    };
    static uint8_t code[32];
    for (size_t i = 0; i < 8; i++)
        for (int k = 0; k < 4; k++)
            code[4 * i + (size_t)k] = (uint8_t)(prog[i] >> (8 * k));
    e.seg[0].data = code;
    e.seg[0].filesz = e.seg[0].memsz = 32;
    write_elf("tohost.elf", &e);
    iss *s = iss_new(NULL, NULL, 0);
    assert_non_null(s);
    assert_int_equal(iss_load_elf(s, path_of("tohost.elf"), NULL, 0), 0);
    iss_set_pc(s, ISS_RAM_BASE);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(iss_step(s), ISS_RETIRED);
        assert_int_equal(iss_tohost(s, NULL), 0);
    }
    assert_int_equal(iss_step(s), ISS_HALTED);
    uint32_t v = 0;
    assert_int_equal(iss_tohost(s, &v), 1);
    assert_int_equal(v, 2u); /* kept as-is: not a pass/fail code */
    uint32_t mem = 0;
    iss_mem_read(s, ISS_RAM_BASE + 0x1000u, &mem, 4);
    assert_int_equal(mem, 2u); /* the store also happened */
    iss_free(s);
}

static void test_failed_load_changes_nothing(void **state)
{
    (void)state;
    elf_spec e = good_spec();
    write_elf("keep.elf", &e);
    elf_spec bad = good_spec();
    bad.seg[1].paddr = ISS_RAM_BASE + 8u; /* overlaps segment 0: rejected after segment 0 is checked */
    static uint8_t other[16];
    memset(other, 0x55, sizeof other);
    bad.seg[0].data = other;
    bad.sym[0].name = "other";
    write_elf("bad_overlap2.elf", &bad);
    iss *s = iss_new(NULL, NULL, 0);
    assert_non_null(s);
    assert_int_equal(iss_load_elf(s, path_of("keep.elf"), NULL, 0), 0);
    char err[256];
    assert_int_equal(iss_load_elf(s, path_of("bad_overlap2.elf"), err, sizeof err), -1);
    uint8_t b[16];
    iss_mem_read(s, ISS_RAM_BASE, b, 16);
    assert_memory_equal(b, good_code, 16);
    uint32_t a;
    assert_int_equal(iss_symbol(s, "_start", &a), 0);
    assert_int_equal(iss_symbol(s, "other", &a), -1);
    /* a NULL error buffer is allowed */
    assert_int_equal(iss_load_elf(s, path_of("bad_overlap2.elf"), NULL, 0), -1);
    iss_free(s);
}

static void test_entry_and_rom(void **state)
{
    (void)state;
    /* a program in ROM with the entry at the reset pc is accepted */
    elf_spec e = good_spec();
    e.entry = ISS_RESET_PC;
    e.seg[0].paddr = ISS_ROM_BASE;
    write_elf("rom.elf", &e);
    iss *s = iss_new(NULL, NULL, 0);
    assert_non_null(s);
    char err[256] = "";
    if (iss_load_elf(s, path_of("rom.elf"), err, sizeof err) != 0)
        fail_msg("%s", err);
    uint8_t b[16];
    iss_mem_read(s, ISS_ROM_BASE, b, 16);
    assert_memory_equal(b, good_code, 16);
    iss_free(s);
    /* any other entry is rejected */
    e = good_spec();
    e.entry = ISS_RAM_BASE + 0x100u;
    write_elf("entry.elf", &e);
    expect_error("entry.elf", "entry point 0x80000100 is neither 0x80000000");
}

static void test_ram_size_decides(void **state)
{
    (void)state;
    elf_spec e = good_spec();
    e.seg[1].paddr = ISS_RAM_BASE + 0x10000u; /* beyond a 64 KiB RAM */
    write_elf("big.elf", &e);
    iss_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.ram_size = 0x10000u;
    iss *s = iss_new(&cfg, NULL, 0);
    assert_non_null(s);
    char err[512];
    assert_int_equal(iss_load_elf(s, path_of("big.elf"), err, sizeof err), -1);
    assert_non_null(strstr(err, "RAM [0x80000000, 0x80010000)"));
    iss_free(s);
    s = iss_new(NULL, NULL, 0);
    assert_int_equal(iss_load_elf(s, path_of("big.elf"), err, sizeof err), 0);
    iss_free(s);
}

/* each malformed file gets its own message */
static void test_rejections(void **state)
{
    (void)state;
    elf_spec e;
    static obuf o;
    size_t full;

    e = good_spec();
    full = build(&e, &o);
    write_truncated("trunc_ident.elf", &e, 10);
    expect_error("trunc_ident.elf", "truncated: 10 bytes, shorter than the ELF identification");
    write_truncated("trunc_header.elf", &e, 30);
    expect_error("trunc_header.elf", "truncated: 30 bytes, shorter than the 52-byte ELF header");
    write_truncated("trunc_phdr.elf", &e, 60);
    expect_error("trunc_phdr.elf", "the program header table needs bytes 0x34-0x74");
    write_truncated("trunc_seg.elf", &e, 0x74 + 8);
    expect_error("trunc_seg.elf", "section header table"); /* the section headers come last: cut first */
    write_truncated("trunc_tail.elf", &e, full - 1);
    expect_error("trunc_tail.elf", "truncated: the section header table needs bytes");

    {
        /* segment data beyond the end of the file: patch p_filesz/p_memsz of segment 0 */
        elf_spec g = good_spec();
        size_t n = build(&g, &o);
        o.n = n;
        set32(&o, 0x34 + 16, 0x100000u); /* p_filesz of segment 0 */
        set32(&o, 0x34 + 20, 0x100000u); /* p_memsz */
        write_bytes("trunc_data.elf", o.b, n);
        expect_error("trunc_data.elf", "truncated: segment 0 needs file bytes");
    }

    /* ELFCLASS64: a proper 64-bit header */
    {
        uint8_t h[64];
        memset(h, 0, sizeof h);
        memcpy(h, "\177ELF", 4);
        h[4] = 2; h[5] = 1; h[6] = 1;
        h[16] = ET_EXEC_; h[18] = EM_RISCV_; h[20] = 1;
        h[52] = 64; /* e_ehsize */
        write_bytes("class64.elf", h, sizeof h);
        expect_error("class64.elf", "ELF class is ELFCLASS64, expected ELFCLASS32");
    }
    e = good_spec();
    e.cls = 0;
    write_elf("class0.elf", &e);
    expect_error("class0.elf", "ELF class is ELFCLASSNONE, expected ELFCLASS32");

    e = good_spec();
    e.enc = 2; /* every field big-endian */
    write_elf("bigendian.elf", &e);
    expect_error("bigendian.elf", "ELF data encoding is ELFDATA2MSB (big-endian), expected ELFDATA2LSB");

    e = good_spec();
    e.idver = 0;
    write_elf("idver.elf", &e);
    expect_error("idver.elf", "ELF identification version is 0");

    e = good_spec();
    e.machine = EM_ARM_;
    write_elf("arm.elf", &e);
    expect_error("arm.elf", "machine is EM_ARM (40), expected EM_RISCV (243)");

    e = good_spec();
    e.type = ET_DYN_;
    write_elf("dyn.elf", &e);
    expect_error("dyn.elf", "ELF type is ET_DYN");
    e.type = ET_REL_;
    write_elf("rel.elf", &e);
    expect_error("rel.elf", "ELF type is ET_REL");

    e = good_spec();
    e.flags = 0x1; /* EF_RISCV_RVC */
    write_elf("rvc.elf", &e);
    expect_error("rvc.elf", "EF_RISCV_RVC");
    e.flags = 0x4; /* double-float ABI */
    write_elf("fabi.elf", &e);
    expect_error("fabi.elf", "hardware floating-point ABI");
    e.flags = 0x8;
    write_elf("rve.elf", &e);
    expect_error("rve.elf", "RV32E");
    e.flags = 0x10; /* EF_RISCV_TSO is harmless on one hart */
    write_elf("tso.elf", &e);
    {
        iss *s = iss_new(NULL, NULL, 0);
        assert_int_equal(iss_load_elf(s, path_of("tso.elf"), NULL, 0), 0);
        iss_free(s);
    }

    e = good_spec();
    e.phentsize = 36;
    write_elf("phent.elf", &e);
    expect_error("phent.elf", "program header entry size is 36, expected 32");

    e = good_spec();
    e.seg[1].paddr = ISS_RAM_BASE + 8u;
    write_elf("overlap.elf", &e);
    expect_error("overlap.elf", "segments 0 [0x80000000, 0x80000010) and 1 [0x80000008, 0x80000108) overlap");
    e = good_spec();
    e.seg[1].paddr = ISS_RAM_BASE + 8u; /* a pure-bss segment overlapping the code */
    e.seg[1].filesz = 0;
    e.seg[1].memsz = 4;
    write_elf("overlap_bss.elf", &e);
    expect_error("overlap_bss.elf", "overlap");

    const struct { uint32_t addr, size; const char *name; } outside[] = {
        {0x90000000u, 16, "out_far.elf"},
        {ISS_RAM_BASE + ISS_RAM_DEFAULT - 8u, 16, "out_ramend.elf"},
        {ISS_WIN_BASE, 16, "out_window.elf"},
        {ISS_ROM_BASE + ISS_ROM_SIZE - 4u, 16, "out_romend.elf"},
        {0x0u, 16, "out_zero.elf"},
        {0xFFFFFFF8u, 16, "out_wrap.elf"},
    };
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        e = good_spec();
        e.seg[1].paddr = outside[i].addr;
        e.seg[1].memsz = outside[i].size;
        write_elf(outside[i].name, &e);
        expect_error(outside[i].name, "segment 1 [");
        expect_error(outside[i].name, "is outside the memory map");
    }

    e = good_spec();
    e.seg[1].memsz = 4; /* smaller than filesz = 8 */
    write_elf("memsz.elf", &e);
    expect_error("memsz.elf", "segment 1: memory size 0x4 is smaller than its file size 0x8");

    e = good_spec();
    e.seg[0].type = PT_NOTE_;
    e.seg[1].type = PT_NOTE_;
    write_elf("noload.elf", &e);
    expect_error("noload.elf", "no loadable (PT_LOAD) segment");
    e.nseg = 0;
    write_elf("nophdr.elf", &e);
    expect_error("nophdr.elf", "no program headers");

    write_bytes("text.elf", "hello, this is not an ELF file\n", 31);
    expect_error("text.elf", "not an ELF file");
    write_bytes("empty.elf", "", 0);
    expect_error("empty.elf", "not an ELF file");
    expect_error("missing.elf", "cannot open: No such file or directory");
    assert_int_equal(mkdir(path_of("adir.elf"), 0700), 0);
    expect_error("adir.elf", "not a regular file");
    {
        char err[64];
        iss *s = iss_new(NULL, NULL, 0);
        assert_int_equal(iss_load_elf(s, NULL, err, sizeof err), -1);
        assert_non_null(strstr(err, "no file name"));
        iss_free(s);
    }
}

/* the checker is not vacuous: a good file is not reported as an error */
static void test_checker_catches_wrong_expectation(void **state)
{
    (void)state;
    elf_spec e = good_spec();
    write_elf("fine.elf", &e);
    char err[256] = "";
    iss *s = iss_new(NULL, NULL, 0);
    assert_int_equal(iss_load_elf(s, path_of("fine.elf"), err, sizeof err), 0);
    assert_string_equal(err, "");
    iss_free(s);
    /* and two distinct rejections give distinct messages */
    char e1[256], e2[256];
    e.machine = EM_ARM_;
    write_elf("d1.elf", &e);
    e = good_spec();
    e.enc = 2;
    write_elf("d2.elf", &e);
    s = iss_new(NULL, NULL, 0);
    iss_load_elf(s, path_of("d1.elf"), e1, sizeof e1);
    iss_load_elf(s, path_of("d2.elf"), e2, sizeof e2);
    assert_string_not_equal(e1 + strlen(dir), e2 + strlen(dir));
    iss_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_elf),
        cmocka_unit_test(test_tohost_rules),
        cmocka_unit_test(test_failed_load_changes_nothing),
        cmocka_unit_test(test_entry_and_rom),
        cmocka_unit_test(test_ram_size_decides),
        cmocka_unit_test(test_rejections),
        cmocka_unit_test(test_checker_catches_wrong_expectation),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
