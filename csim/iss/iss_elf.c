/*
 * iss_elf.c - ELF loader and symbol table of the ISS (docs/spec.md section 3.7).
 *
 * Every check runs before anything is written into the hart, so a rejected
 * file leaves memory and symbols untouched. Each rejection has its own
 * message of the form "path: problem".
 */
#include "iss/iss_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_SEGMENTS 64

typedef struct seg {
    uint64_t paddr, filesz, memsz, offset;
    size_t index; /* program header index */
} seg;

static void elf_err(char *err, size_t errlen, const char *path, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    int n = snprintf(err, errlen, "%s: ", path);
    if (n < 0 || (size_t)n >= errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

static const char *class_name(unsigned c)
{
    switch (c) {
    case ELFCLASSNONE: return "ELFCLASSNONE";
    case ELFCLASS32:   return "ELFCLASS32";
    case ELFCLASS64:   return "ELFCLASS64";
    default:           return "an unknown class";
    }
}

static const char *type_name(unsigned t)
{
    switch (t) {
    case ET_NONE: return "ET_NONE";
    case ET_REL:  return "ET_REL (an object file, not linked)";
    case ET_EXEC: return "ET_EXEC";
    case ET_DYN:  return "ET_DYN (position-independent or shared object)";
    case ET_CORE: return "ET_CORE";
    default:      return "unknown";
    }
}

static const char *machine_name(unsigned m)
{
    switch (m) {
    case EM_NONE:    return "EM_NONE";
    case EM_386:     return "EM_386";
    case EM_ARM:     return "EM_ARM";
    case EM_X86_64:  return "EM_X86_64";
    case EM_AARCH64: return "EM_AARCH64";
    case EM_RISCV:   return "EM_RISCV";
    default:         return "unknown";
    }
}

/* region of the map that holds [a, a+len): returns its name or NULL */
static const char *region_of(const iss *s, uint64_t a, uint64_t len)
{
    if (a >= ISS_ROM_BASE && a + len <= (uint64_t)ISS_ROM_BASE + ISS_ROM_SIZE)
        return "ROM";
    if (a >= ISS_RAM_BASE && a + len <= (uint64_t)ISS_RAM_BASE + s->ram_size)
        return "RAM";
    return NULL;
}

static int sym_cmp_addr(const void *pa, const void *pb)
{
    const iss_sym *a = *(const iss_sym *const *)pa;
    const iss_sym *b = *(const iss_sym *const *)pb;
    if (a->value != b->value)
        return a->value < b->value ? -1 : 1;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    return strcmp(b->name, a->name); /* alphabetical first wins among equals */
}

#define RANK_NOADDR 0x80000000u /* absolute symbol: a value, not an address */

void iss_set_symbols_(iss *s, iss_sym *syms, size_t n, char *strpool)
{
    free(s->by_addr);
    free(s->syms);
    free(s->strpool);
    s->syms = syms;
    s->nsyms = 0;
    s->strpool = strpool;
    s->by_addr = NULL;
    s->naddr = 0;
    s->has_tohost = 0;
    s->tohost_addr = 0;
    if (!syms)
        return;
    s->nsyms = n;
    s->by_addr = malloc((n ? n : 1) * sizeof *s->by_addr);
    if (s->by_addr) { /* without it only address lookups are lost */
        size_t na = 0;
        for (size_t i = 0; i < n; i++)
            if (!(syms[i].rank & RANK_NOADDR))
                s->by_addr[na++] = &syms[i];
        qsort(s->by_addr, na, sizeof *s->by_addr, sym_cmp_addr);
        s->naddr = na;
    }
    uint32_t a;
    if (iss_symbol(s, "tohost", &a) == 0) {
        s->has_tohost = 1;
        s->tohost_addr = a;
    }
}

int iss_symbol(const iss *s, const char *name, uint32_t *addr)
{
    const iss_sym *best = NULL;
    if (!name)
        return -1;
    for (size_t i = 0; i < s->nsyms; i++) {
        if (strcmp(s->syms[i].name, name) == 0 &&
            (!best || (s->syms[i].rank & ~RANK_NOADDR) > (best->rank & ~RANK_NOADDR)))
            best = &s->syms[i];
    }
    if (!best)
        return -1;
    if (addr)
        *addr = best->value;
    return 0;
}

const char *iss_symbol_at(const iss *s, uint32_t addr, uint32_t *offset)
{
    size_t n = s->naddr;
    size_t lo = 0, hi = n; /* first index with value > addr */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->by_addr[mid]->value <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    const iss_sym *sym = s->by_addr[lo - 1]; /* highest rank at that value sorts last */
    if (offset)
        *offset = addr - sym->value;
    return sym->name;
}

/* Reads the symbol table into a fresh array; 0 or -1 with err set. */
static int read_symbols(Elf *elf, size_t fsize, const char *path, iss_sym **out, size_t *nout,
                        char **pool_out, char *err, size_t errlen)
{
    Elf_Scn *scn = NULL;
    *out = NULL;
    *nout = 0;
    *pool_out = NULL;
    while ((scn = elf_nextscn(elf, scn)) != NULL) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh)) {
            elf_err(err, errlen, path, "cannot read a section header: %s", elf_errmsg(-1));
            return -1;
        }
        if (sh.sh_type != SHT_SYMTAB)
            continue;
        if (sh.sh_offset > fsize || sh.sh_size > fsize - sh.sh_offset) {
            elf_err(err, errlen, path, "truncated: the symbol table needs bytes 0x%llx-0x%llx but the file has %zu bytes",
                    (unsigned long long)sh.sh_offset, (unsigned long long)(sh.sh_offset + sh.sh_size), fsize);
            return -1;
        }
        if (sh.sh_entsize != sizeof(Elf32_Sym)) {
            elf_err(err, errlen, path, "symbol table entry size is %llu, expected %zu",
                    (unsigned long long)sh.sh_entsize, sizeof(Elf32_Sym));
            return -1;
        }
        Elf_Scn *strscn = elf_getscn(elf, sh.sh_link);
        GElf_Shdr strsh;
        if (!strscn || !gelf_getshdr(strscn, &strsh) || strsh.sh_type != SHT_STRTAB) {
            elf_err(err, errlen, path, "the symbol table links to section %u, which is not a string table",
                    (unsigned)sh.sh_link);
            return -1;
        }
        if (strsh.sh_offset > fsize || strsh.sh_size > fsize - strsh.sh_offset) {
            elf_err(err, errlen, path, "truncated: the symbol string table needs bytes 0x%llx-0x%llx but the file has %zu bytes",
                    (unsigned long long)strsh.sh_offset, (unsigned long long)(strsh.sh_offset + strsh.sh_size), fsize);
            return -1;
        }
        Elf_Data *data = elf_getdata(scn, NULL);
        if (!data) {
            elf_err(err, errlen, path, "cannot read the symbol table: %s", elf_errmsg(-1));
            return -1;
        }
        size_t count = sh.sh_size / sh.sh_entsize;
        iss_sym *syms = calloc(count ? count : 1, sizeof *syms);
        size_t poolsize = 0;
        /* first pass: sizes */
        for (size_t i = 0; i < count; i++) {
            GElf_Sym sym;
            if (!gelf_getsym(data, (int)i, &sym))
                continue;
            const char *nm = elf_strptr(elf, sh.sh_link, sym.st_name);
            if (nm)
                poolsize += strlen(nm) + 1;
        }
        char *pool = malloc(poolsize ? poolsize : 1);
        if (!syms || !pool) {
            free(syms);
            free(pool);
            elf_err(err, errlen, path, "out of memory reading %zu symbols", count);
            return -1;
        }
        size_t n = 0, used = 0;
        for (size_t i = 0; i < count; i++) {
            GElf_Sym sym;
            if (!gelf_getsym(data, (int)i, &sym))
                continue;
            unsigned type = GELF_ST_TYPE(sym.st_info), bind = GELF_ST_BIND(sym.st_info);
            const char *nm = elf_strptr(elf, sh.sh_link, sym.st_name);
            if (!nm || !nm[0] || nm[0] == '$' || (nm[0] == '.' && nm[1] == 'L'))
                continue;
            if (type == STT_SECTION || type == STT_FILE || sym.st_shndx == SHN_UNDEF)
                continue;
            size_t len = strlen(nm) + 1;
            if (used + len > poolsize)
                break; /* cannot happen: the first pass counted these */
            memcpy(pool + used, nm, len);
            syms[n].name = pool + used;
            used += len;
            syms[n].value = (uint32_t)sym.st_value;
            syms[n].rank = ((type == STT_FUNC || type == STT_OBJECT) ? 2u : 0u) +
                           (bind != STB_LOCAL ? 1u : 0u);
            if (sym.st_shndx == SHN_ABS)
                syms[n].rank |= RANK_NOADDR;
            n++;
        }
        *out = syms;
        *nout = n;
        *pool_out = pool;
        return 0; /* one SHT_SYMTAB per executable */
    }
    return 0;
}

int iss_load_elf(iss *s, const char *path, char *err, size_t errlen)
{
    int rc = -1;
    int fd = -1;
    Elf *elf = NULL;
    iss_sym *syms = NULL;
    char *pool = NULL;
    size_t nsyms = 0;

    if (!path) {
        elf_err(err, errlen, "(null)", "no file name given");
        return -1;
    }
    if (elf_version(EV_CURRENT) == EV_NONE) {
        elf_err(err, errlen, path, "libelf is out of date: %s", elf_errmsg(-1));
        return -1;
    }
    fd = open(path, O_RDONLY);
    if (fd < 0) {
        elf_err(err, errlen, path, "cannot open: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        elf_err(err, errlen, path, "cannot stat: %s", strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        elf_err(err, errlen, path, "not a regular file");
        goto out;
    }
    size_t fsize = (size_t)st.st_size;
    {
        /* the identification is checked here rather than through libelf, which
           calls a file too short for its header "not an ELF file" */
        unsigned char id[EI_NIDENT];
        ssize_t got = pread(fd, id, sizeof id, 0);
        if (got < 0) {
            elf_err(err, errlen, path, "cannot read: %s", strerror(errno));
            goto out;
        }
        if (got < SELFMAG || memcmp(id, ELFMAG, SELFMAG) != 0) {
            elf_err(err, errlen, path, "not an ELF file (no \\177ELF magic at the start)");
            goto out;
        }
        if (got < EI_NIDENT) {
            elf_err(err, errlen, path, "truncated: %zu bytes, shorter than the ELF identification", fsize);
            goto out;
        }
        if (id[EI_CLASS] != ELFCLASS32) {
            elf_err(err, errlen, path, "ELF class is %s, expected ELFCLASS32", class_name(id[EI_CLASS]));
            goto out;
        }
        if (id[EI_DATA] != ELFDATA2LSB) {
            elf_err(err, errlen, path, "ELF data encoding is %s, expected ELFDATA2LSB (little-endian)",
                    id[EI_DATA] == ELFDATA2MSB ? "ELFDATA2MSB (big-endian)" : "invalid");
            goto out;
        }
        if (id[EI_VERSION] != EV_CURRENT) {
            elf_err(err, errlen, path, "ELF identification version is %u, expected %u (EV_CURRENT)",
                    (unsigned)id[EI_VERSION], (unsigned)EV_CURRENT);
            goto out;
        }
        if (fsize < sizeof(Elf32_Ehdr)) {
            elf_err(err, errlen, path, "truncated: %zu bytes, shorter than the %zu-byte ELF header",
                    fsize, sizeof(Elf32_Ehdr));
            goto out;
        }
    }
    elf = elf_begin(fd, ELF_C_READ, NULL);
    if (!elf) {
        elf_err(err, errlen, path, "libelf cannot read it: %s", elf_errmsg(-1));
        goto out;
    }
    if (elf_kind(elf) != ELF_K_ELF) {
        elf_err(err, errlen, path, "libelf does not recognise it as an ELF file");
        goto out;
    }
    GElf_Ehdr eh;
    if (!gelf_getehdr(elf, &eh)) {
        elf_err(err, errlen, path, "cannot read the ELF header: %s", elf_errmsg(-1));
        goto out;
    }
    if (eh.e_machine != EM_RISCV) {
        elf_err(err, errlen, path, "machine is %s (%u), expected EM_RISCV (%u)",
                machine_name(eh.e_machine), (unsigned)eh.e_machine, (unsigned)EM_RISCV);
        goto out;
    }
    if (eh.e_type != ET_EXEC) {
        elf_err(err, errlen, path, "ELF type is %s, expected ET_EXEC (a linked executable)",
                type_name(eh.e_type));
        goto out;
    }
    if (eh.e_version != EV_CURRENT) {
        elf_err(err, errlen, path, "ELF version is %u, expected %u (EV_CURRENT)",
                (unsigned)eh.e_version, (unsigned)EV_CURRENT);
        goto out;
    }
    if (eh.e_flags & EF_RISCV_RVC) {
        elf_err(err, errlen, path, "built for the C extension (e_flags has EF_RISCV_RVC); the ISS is RV32IM: use -march=rv32im_zicsr");
        goto out;
    }
    if (eh.e_flags & EF_RISCV_FLOAT_ABI) {
        elf_err(err, errlen, path, "built for a hardware floating-point ABI (e_flags 0x%x); the ISS has no F/D: use -mabi=ilp32",
                (unsigned)eh.e_flags);
        goto out;
    }
    if (eh.e_flags & EF_RISCV_RVE) {
        elf_err(err, errlen, path, "built for RV32E (e_flags has EF_RISCV_RVE), expected RV32I");
        goto out;
    }
    if (eh.e_entry != ISS_RAM_BASE && eh.e_entry != ISS_RESET_PC) {
        elf_err(err, errlen, path, "entry point 0x%08llx is neither 0x%08x (where the boot ROM jumps) nor the reset pc 0x%08x; link _start first at 0x%08x",
                (unsigned long long)eh.e_entry, (unsigned)ISS_RAM_BASE, (unsigned)ISS_RESET_PC,
                (unsigned)ISS_RAM_BASE);
        goto out;
    }

    /* program headers: the count from the header (libelf reports 0 for a
       table that runs past the end of the file, which would hide the truncation) */
    size_t phnum = eh.e_phnum;
    if (phnum == PN_XNUM && elf_getphdrnum(elf, &phnum) != 0) {
        elf_err(err, errlen, path, "cannot read the program header count: %s", elf_errmsg(-1));
        goto out;
    }
    if (phnum == 0) {
        elf_err(err, errlen, path, "no program headers: nothing to load");
        goto out;
    }
    if (eh.e_phentsize != sizeof(Elf32_Phdr)) {
        elf_err(err, errlen, path, "program header entry size is %u, expected %zu",
                (unsigned)eh.e_phentsize, sizeof(Elf32_Phdr));
        goto out;
    }
    if (eh.e_phoff > fsize || phnum * sizeof(Elf32_Phdr) > fsize - eh.e_phoff) {
        elf_err(err, errlen, path, "truncated: the program header table needs bytes 0x%llx-0x%llx but the file has %zu bytes",
                (unsigned long long)eh.e_phoff,
                (unsigned long long)(eh.e_phoff + phnum * sizeof(Elf32_Phdr)), fsize);
        goto out;
    }
    if (eh.e_shoff != 0 &&
        (eh.e_shoff > fsize || (uint64_t)eh.e_shnum * eh.e_shentsize > fsize - eh.e_shoff)) {
        elf_err(err, errlen, path, "truncated: the section header table needs bytes 0x%llx-0x%llx but the file has %zu bytes",
                (unsigned long long)eh.e_shoff,
                (unsigned long long)(eh.e_shoff + (uint64_t)eh.e_shnum * eh.e_shentsize), fsize);
        goto out;
    }
    seg segs[MAX_SEGMENTS];
    size_t nseg = 0;
    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(elf, (int)i, &ph)) {
            elf_err(err, errlen, path, "cannot read program header %zu: %s", i, elf_errmsg(-1));
            goto out;
        }
        if (ph.p_type != PT_LOAD)
            continue;
        if (ph.p_memsz < ph.p_filesz) {
            elf_err(err, errlen, path, "segment %zu: memory size 0x%llx is smaller than its file size 0x%llx",
                    i, (unsigned long long)ph.p_memsz, (unsigned long long)ph.p_filesz);
            goto out;
        }
        if (ph.p_memsz == 0)
            continue;
        if (ph.p_offset > fsize || ph.p_filesz > fsize - ph.p_offset) {
            elf_err(err, errlen, path, "truncated: segment %zu needs file bytes 0x%llx-0x%llx but the file has %zu bytes",
                    i, (unsigned long long)ph.p_offset, (unsigned long long)(ph.p_offset + ph.p_filesz), fsize);
            goto out;
        }
        if (!region_of(s, ph.p_paddr, ph.p_memsz)) {
            elf_err(err, errlen, path, "segment %zu [0x%08llx, 0x%08llx) is outside the memory map: it must fit in ROM [0x%08x, 0x%08x) or RAM [0x%08x, 0x%08x)",
                    i, (unsigned long long)ph.p_paddr, (unsigned long long)(ph.p_paddr + ph.p_memsz),
                    (unsigned)ISS_ROM_BASE, (unsigned)(ISS_ROM_BASE + ISS_ROM_SIZE),
                    (unsigned)ISS_RAM_BASE, (unsigned)(ISS_RAM_BASE + s->ram_size));
            goto out;
        }
        if (nseg == MAX_SEGMENTS) {
            elf_err(err, errlen, path, "more than %d loadable segments", MAX_SEGMENTS);
            goto out;
        }
        segs[nseg].paddr = ph.p_paddr;
        segs[nseg].filesz = ph.p_filesz;
        segs[nseg].memsz = ph.p_memsz;
        segs[nseg].offset = ph.p_offset;
        segs[nseg].index = i;
        nseg++;
    }
    if (nseg == 0) {
        elf_err(err, errlen, path, "no loadable (PT_LOAD) segment with a non-zero size");
        goto out;
    }
    for (size_t i = 0; i < nseg; i++)
        for (size_t j = i + 1; j < nseg; j++)
            if (segs[i].paddr < segs[j].paddr + segs[j].memsz &&
                segs[j].paddr < segs[i].paddr + segs[i].memsz) {
                elf_err(err, errlen, path, "segments %zu [0x%08llx, 0x%08llx) and %zu [0x%08llx, 0x%08llx) overlap",
                        segs[i].index, (unsigned long long)segs[i].paddr,
                        (unsigned long long)(segs[i].paddr + segs[i].memsz), segs[j].index,
                        (unsigned long long)segs[j].paddr,
                        (unsigned long long)(segs[j].paddr + segs[j].memsz));
                goto out;
            }

    size_t rawsize = 0;
    const char *raw = elf_rawfile(elf, &rawsize);
    if (!raw || rawsize < fsize) {
        elf_err(err, errlen, path, "cannot read the file contents: %s", elf_errmsg(-1));
        goto out;
    }
    if (read_symbols(elf, fsize, path, &syms, &nsyms, &pool, err, errlen) != 0)
        goto out;

    /* all checks passed: commit */
    for (size_t i = 0; i < nseg; i++) {
        /* checked above to lie inside ROM or RAM */
        uint8_t *dst = iss_backdoor_(s, (uint32_t)segs[i].paddr, (size_t)segs[i].memsz);
        if (!dst)
            continue;
        memcpy(dst, raw + segs[i].offset, (size_t)segs[i].filesz);
        memset(dst + segs[i].filesz, 0, (size_t)(segs[i].memsz - segs[i].filesz));
    }
    iss_set_symbols_(s, syms, nsyms, pool);
    syms = NULL;
    pool = NULL;
    rc = 0;

out:
    free(syms);
    free(pool);
    if (elf)
        elf_end(elf);
    if (fd >= 0)
        close(fd);
    return rc;
}
