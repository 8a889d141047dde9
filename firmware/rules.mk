# Management firmware: RV32IM ELF with picolibc (docs/spec.md section 3.3).

FW_CC      := riscv64-unknown-elf-gcc
FW_ARCH    := -march=rv32im -misa-spec=2.2 -mabi=ilp32
FW_CFLAGS  := $(FW_ARCH) --specs=picolibc.specs -std=c11 -Wall -Wextra -Werror -Os -g \
              -ffunction-sections -fdata-sections -I$(GEN) -Ifirmware -MMD -MP
FW_LDFLAGS := $(FW_ARCH) --specs=picolibc.specs -T firmware/link.ld -Wl,--gc-sections
FW_SRCS    := $(sort $(wildcard firmware/*.c))
FW_OBJS    := $(patsubst %.c,$(O)/fw/%.o,$(FW_SRCS))
FW_ELF     := $(O)/fw/optile-fw.elf

firmware: $(FW_ELF) ## build the management firmware ELF (RV32IM, picolibc)

$(O)/fw/%.o: %.c | regs
	@mkdir -p $(@D)
	$(FW_CC) $(FW_CFLAGS) -c $< -o $@

$(FW_ELF): $(FW_OBJS) firmware/link.ld
	$(FW_CC) $(FW_LDFLAGS) $(FW_OBJS) -o $@
	riscv64-unknown-elf-size $@

BINS += $(FW_ELF)
