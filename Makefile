# optile: one front door. `make help` lists every target.
#
# `make run` and `make test` first install what is missing (scripts/deps.sh),
# then re-enter make so that every tool found below is the installed one.

SHELL       := /bin/bash
.DEFAULT_GOAL := help
.SUFFIXES:
.DELETE_ON_ERROR:
.SECONDARY:

O           ?= build
GEN         := build/gen
VENV        := build/venv
OBJ         := $(O)/obj
BIN         := $(O)/bin
LIB         := $(O)/lib
# Verilated models are generated code: they are built once, without
# sanitizers (instrumenting them makes the C++ compiler take tens of minutes),
# and shared by the default and the sanitizer builds.
VL          := build/vl

CCACHE      := $(shell command -v ccache 2>/dev/null)
CC          := $(CCACHE) gcc
CXX         := $(CCACHE) g++
SAN_FLAGS   ?=
OPT         ?= -O2
CPPFLAGS    := -Icsim -Itb -Ihost -I$(GEN) -D_DEFAULT_SOURCE
CFLAGS      := -std=c11 -Wall -Wextra -Werror $(OPT) -g $(SAN_FLAGS) -MMD -MP
CXXFLAGS    := -std=c++17 -Wall -Wextra -Werror $(OPT) -g $(SAN_FLAGS) -MMD -MP
LDFLAGS     := $(SAN_FLAGS)
LDLIBS      := -lcmocka -lelf -linih -ljansson -lm -lpthread

VERILATOR   := verilator
# Verilator's generated makefile picks up ccache by itself (OBJCACHE).
VFLAGS      := -Wall --assert --x-assign unique --x-initial unique -O3 --build \
               -MAKEFLAGS OPT_FAST=-O2
VINC        := /usr/share/verilator/include

# --- things every rules.mk may add to ---------------------------------------
TESTS       :=
BINS        :=
RTL_SRCS    :=
LINT_TOPS   :=
CSRC_LINT   :=

# --- the golden models: one library --------------------------------------------
CSIM_SRCS   := $(filter-out %_main.c,$(sort $(wildcard csim/*/*.c)))
CSIM_MAINS  := $(sort $(wildcard csim/*/*_main.c))
HOST_SRCS   := $(sort $(wildcard host/*.c))
UNIT_SRCS   := $(sort $(wildcard tests/unit/test_*.c))

obj = $(patsubst %.c,$(OBJ)/%.o,$(1))

$(LIB)/libcsim.a: $(call obj,$(CSIM_SRCS))
$(LIB)/libhost.a: $(call obj,$(HOST_SRCS))
$(LIB)/%.a:
	@mkdir -p $(@D)
	@rm -f $@
	$(if $^,ar rcs $@ $^,ar rcs $@)

$(OBJ)/%.o: %.c | regs
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(OBJ)/%.o: %.cpp | regs
	@mkdir -p $(@D)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c $< -o $@

# csim/<m>/<name>_main.c -> $(BIN)/<name with - for _>
define csim_main
$(BIN)/$(subst _,-,$(patsubst %_main.c,%,$(notdir $(1)))): $(call obj,$(1)) $(LIB)/libcsim.a
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) $$^ -o $$@ $$(LDLIBS)
BINS += $(BIN)/$(subst _,-,$(patsubst %_main.c,%,$(notdir $(1))))
endef
$(foreach m,$(CSIM_MAINS),$(eval $(call csim_main,$(m))))

# tests/unit/test_<x>.c -> $(O)/tests/unit/test_<x>
UNIT_BINS   := $(patsubst %.c,$(O)/%,$(UNIT_SRCS))
$(O)/tests/unit/%: $(OBJ)/tests/unit/%.o $(LIB)/libcsim.a $(LIB)/libhost.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ -o $@ $(LDLIBS)
TESTS += $(UNIT_BINS)

# $(call vl_model,NAME,TOP,SOURCES,EXTRA_FLAGS): Verilate TOP into $(VL)/NAME,
# giving $(VL)/NAME/VNAME__ALL.a and $(VL)/NAME/libverilated.a.
define vl_model
$(VL)/$(1)/V$(1)__ALL.a: $(3) | regs
	@mkdir -p $(VL)/$(1)
	+$(VERILATOR) --cc $(VFLAGS) $(4) --Mdir $(VL)/$(1) --prefix V$(1) --top-module $(2) $(3)
	@touch $$@
endef

# Verilator's run-time library, built once per build folder.
VL_RT_SRCS  := verilated.cpp verilated_threads.cpp verilated_fst_c.cpp verilated_vcd_c.cpp
$(VL)/rt/%.o: $(VINC)/%.cpp
	@mkdir -p $(@D)
	$(CXX) -std=c++17 -O2 -I$(VINC) -I$(VINC)/vltstd -DVM_TRACE=1 -DVM_TRACE_FST=1 -DVM_TRACE_VCD=1 -w -c $< -o $@
$(VL)/libverilated.a: $(patsubst %.cpp,$(VL)/rt/%.o,$(VL_RT_SRCS))
	@rm -f $@
	ar rcs $@ $^

# --- the register map ---------------------------------------------------------
include rtl/csr/rules.mk

# --- every other fragment; bench/ last, its programs link what the others define -
FRAGMENTS := $(filter-out rtl/csr/rules.mk bench/rules.mk,$(sort $(shell find rtl csim host firmware tb tests -name rules.mk 2>/dev/null)))
include $(FRAGMENTS)
include bench/rules.mk

# --- front door -------------------------------------------------------------------
.PHONY: help deps run run-default test test-run test-asan build lint lint-rtl lint-c regs firmware versions clean

help: ## list every target
	@echo "optile: co-simulation testbench for an accelerator network tile and its optical PHY"
	@echo
	@grep -hE '^[a-zA-Z0-9_.-]+:[^=]*## ' $(MAKEFILE_LIST) | \
	  sed -E 's/^([a-zA-Z0-9_.-]+):[^#]*## (.*)/\1\t\2/' | sort -u | \
	  awk -F'\t' '{ printf "  make %-16s %s\n", $$1, $$2 }'

deps: ## install missing Debian packages and the Python generators (needs root)
	@bash scripts/deps.sh

run: deps ## install, build and run the default co-simulation
	@$(MAKE) --no-print-directory run-default

# The default co-simulation (BRIEF section 5): the two-chip scenario, every
# check on; results under $(O)/runs/default-<seed>/. Options for the runner
# go in RUN_ARGS, e.g. make run RUN_ARGS="--waves --waves-from=376000 --waves-to=378000".
RUN_ARGS ?=
run-default: $(BIN)/optile $(FW_ELF)
	$(BIN)/optile --firmware=$(FW_ELF) $(RUN_ARGS) tests/scenarios/default.ini

test: deps ## install, build and run every test (what CI runs)
	@$(MAKE) --no-print-directory test-run

# Test scripts find this build's programs through OPTILE (the runner).
test-run: build
	@OPTILE=$(BIN)/optile bash scripts/run-tests.sh $(O)/test-logs $(TESTS)

test-asan: deps ## build with AddressSanitizer and UBSan, then run every test
	@$(MAKE) --no-print-directory O=build/asan OPT=-O1 \
	  SAN_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  test-run

build: regs $(BINS) $(filter-out !%,$(foreach t,$(TESTS),$(firstword $(subst @, ,$(patsubst !%,%,$(t)))))) ## build every program and test

lint: regs lint-rtl lint-c ## verilator -Wall lint of all RTL and cppcheck of all C

# Each top is linted with its own sources (LINT_SRCS_<top>, set by the
# fragment that adds it), so packages it does not import raise no warnings.
lint_srcs = $(or $(LINT_SRCS_$(1)),$(RTL_SRCS))
lint-rtl: regs
	@set -e; $(foreach t,$(LINT_TOPS),\
	  echo "verilator --lint-only -Wall --top-module $(t)"; \
	  $(VERILATOR) --lint-only -Wall --top-module $(t) $(call lint_srcs,$(t));)

lint-c: regs
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability,performance \
	  --inline-suppr --suppress=missingIncludeSystem -Icsim -Itb -Ihost -I$(GEN) \
	  $(sort $(wildcard csim/*/*.c host/*.c tb/*/*.c firmware/*.c tests/*/*.c)) $(CSRC_LINT)

versions: ## print installed tool versions beside the tested ones (tools.versions)
	@bash scripts/versions.sh

clean: ## remove build/ (all generated files, models, results) and waves/out/
	rm -rf build waves/out

-include $(shell find $(OBJ) $(O)/fw -name '*.d' 2>/dev/null)
