# tests/iss: RISC-V assembly programs run on the ISS by optile-iss
# (docs/spec.md sections 3.2 and 3.8). Each tests/iss/<name>.S becomes
# $(O)/iss-tests/<name>.elf; the TESTS words below say how each one must end.

ISS_CC      ?= riscv64-unknown-elf-gcc
ISS_CFLAGS  := -march=rv32im_zicsr -mabi=ilp32 -nostdlib -nostartfiles -static \
               -Wa,--fatal-warnings -Wl,--no-warn-rwx-segments -T tests/iss/link.ld -Itests/iss
ISS_SRCS    := $(sort $(wildcard tests/iss/*.S))
ISS_ELFS    := $(patsubst tests/iss/%.S,$(O)/iss-tests/%.elf,$(ISS_SRCS))
ISS_PROG    := $(BIN)/optile-iss
ISS_EXPECT  := tests/iss/expect-exit.sh
ISS_LIMIT   := --max-instructions@100000000
# TESTS words are split on @ by a shell: the regular expressions given to
# expect-exit.sh use '.' for a space and no shell metacharacters or '$'.

$(O)/iss-tests/%.elf: tests/iss/%.S tests/iss/iss_test.h tests/iss/link.ld
	@mkdir -p $(@D)
	$(ISS_CC) $(ISS_CFLAGS) $< -o $@

# the ELFs are built by `make build` like the other programs
BINS += $(ISS_ELFS)

# self-checking programs: must write tohost = 1
ISS_TESTS := $(foreach t,arith control memory trap csr bench,$(ISS_PROG)@$(ISS_LIMIT)@$(O)/iss-tests/$(t).elf)
# a failing test is reported with its number and exit status n
ISS_TESTS += !$(ISS_PROG)@$(ISS_LIMIT)@$(O)/iss-tests/fail3.elf
ISS_TESTS += $(ISS_EXPECT)@3@FAIL:.test.3@$(ISS_PROG)@$(O)/iss-tests/fail3.elf
# the checker itself catches a wrong status and a wrong message
ISS_TESTS += !$(ISS_EXPECT)@4@FAIL:.test.3@$(ISS_PROG)@$(O)/iss-tests/fail3.elf
ISS_TESTS += !$(ISS_EXPECT)@3@PASS@$(ISS_PROG)@$(O)/iss-tests/fail3.elf
# a run bounded by --max-instructions; a hart stuck in a trap loop
ISS_TESTS += $(ISS_EXPECT)@124@stopped.after.1000.instructions@$(ISS_PROG)@--max-instructions@1000@$(O)/iss-tests/spin.elf
ISS_TESTS += $(ISS_EXPECT)@125@began.with.environment.call.from.M-mode@$(ISS_PROG)@$(O)/iss-tests/stuck.elf
# the trace shows user-mode ecalls; bad input is rejected with status 2
ISS_TESTS += $(ISS_EXPECT)@0@.U.800.+t30_at.+trap:.environment.call.from.U-mode@$(ISS_PROG)@--trace@$(O)/iss-tests/trap.elf
ISS_TESTS += $(ISS_EXPECT)@2@not.an.ELF.file@$(ISS_PROG)@tests/iss/link.ld
ISS_TESTS += $(ISS_EXPECT)@2@unknown.option..--bogus@$(ISS_PROG)@--bogus@$(O)/iss-tests/arith.elf
ISS_TESTS += $(ISS_EXPECT)@2@--ram-size@$(ISS_PROG)@--ram-size@3000@$(O)/iss-tests/arith.elf

TESTS += $(ISS_TESTS)

.PHONY: iss-tests
iss-tests: $(ISS_PROG) $(ISS_ELFS) ## build the ISS assembly tests (tests/iss/*.S) and run them on optile-iss
	@fail=0; for w in $(ISS_TESTS); do \
	  neg=0; case $$w in '!'*) neg=1; w=$${w#!};; esac; \
	  IFS=@ read -r -a cmd <<<"$$w"; \
	  if "$${cmd[@]}" >/dev/null 2>&1; then r=0; else r=1; fi; \
	  if [ $$r -eq $$neg ]; then echo "ok    $$w"; else echo "FAIL  $$w"; fail=1; fi; \
	done; exit $$fail
