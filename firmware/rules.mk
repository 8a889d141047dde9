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

# Native unit tests of the firmware logic (docs/spec.md 10.9): every
# firmware/*.c except main.c and mmio_hw.c, compiled with the host's gcc and
# linked with the simulated tile tests/fw/fw_mock.c (which implements mmio.h).
# Each tests/fw/test_fw_<x>.c becomes $(O)/tests/fw/test_fw_<x>, run by
# `make test`. libhost.a and libcsim.a are linked too: test_fw_host.c runs
# the host driver against the firmware logic, test_fw_iss.c runs the real
# ELF on the ISS of csim/iss.
FW_LOGIC_SRCS    := $(filter-out firmware/main.c firmware/mmio_hw.c,$(FW_SRCS))
FW_TEST_SRCS     := $(sort $(wildcard tests/fw/test_fw_*.c))
FW_TEST_BINS     := $(patsubst %.c,$(O)/%,$(FW_TEST_SRCS))
# test_fw_iss runs the real ELF on the ISS (csim/iss): it takes the ELF's path
FW_TEST_WORDS    := $(patsubst %/test_fw_iss,%/test_fw_iss@$(FW_ELF),$(FW_TEST_BINS))
FW_NATIVE_OBJ    := $(OBJ)/fw-native
FW_NATIVE_CFLAGS := -std=c11 -Wall -Wextra -Werror $(OPT) -g $(SAN_FLAGS) -MMD -MP \
                    -D_DEFAULT_SOURCE -I$(GEN) -Ifirmware -Itests/fw -Ihost
FW_NATIVE_OBJS   := $(patsubst %.c,$(FW_NATIVE_OBJ)/%.o,$(FW_LOGIC_SRCS) tests/fw/fw_mock.c)

$(FW_NATIVE_OBJ)/%.o: %.c | regs
	@mkdir -p $(@D)
	$(CC) $(FW_NATIVE_CFLAGS) -c $< -o $@

$(O)/tests/fw/test_fw_%: $(FW_NATIVE_OBJ)/tests/fw/test_fw_%.o $(FW_NATIVE_OBJS) $(LIB)/libhost.a $(LIB)/libcsim.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ -o $@ -lcmocka -lelf -lm

# the ISS test includes csim/iss/iss.h and needs the ELF it runs
$(FW_NATIVE_OBJ)/tests/fw/test_fw_iss.o: FW_NATIVE_CFLAGS += -Icsim
$(O)/tests/fw/test_fw_iss: | $(FW_ELF)

fw-tests: $(FW_TEST_BINS) $(FW_ELF) ## build and run the firmware's unit tests (tests/fw: native logic, and the ELF on the ISS)
	@bash scripts/run-tests.sh $(O)/test-logs $(FW_TEST_WORDS)

.PHONY: fw-tests
TESTS     += $(FW_TEST_WORDS)
