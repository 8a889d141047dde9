# build/bin/optile: the co-simulation runner (tb/run/optile_main.c), its
# system drivers (tb/run/sys_mesh.c: Verilated routers; tb/run/sys_two_chip.c:
# the two-chip system of tb/system) and the cross-check layer (tb/xcheck).
# This fragment is read after tb/noc, tb/system and tb/tile (sorted order), so
# their object lists are known here.

OPTILE_OBJS := $(OBJ)/tb/run/optile_main.o $(OBJ)/tb/run/sys_mesh.o $(OBJ)/tb/noc/router_dut.o \
               $(OBJ)/tb/run/sys_two_chip.o $(OBJ)/tb/ni/ni_cmp.o $(TB_SYSTEM_OBJS)
OPTILE_LIBS := $(VL)/router/Vrouter__ALL.a $(TB_SYSTEM_LIBS)

$(BIN)/optile: $(OPTILE_OBJS) $(LIB)/libxcheck.a $(LIB)/librun.a $(LIB)/libhost.a $(LIB)/libcsim.a \
               $(OPTILE_LIBS) $(VL)/libverilated.a
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LDLIBS) -lz
BINS += $(BIN)/optile


# The runner end to end in `make test`: a mesh run and a short two-chip run
# that must pass; the documented test hooks (tb/xcheck/xc.h) that must make a
# run fail at the right component or window; bad scenario files and options
# that must be refused naming file, line and key (exit 2).
XR := tests/run/expect_run.sh
XO := $(O)/runs/test
TESTS += $(BIN)/optile@--quiet@--out=$(XO)-mesh2@tests/scenarios/mesh2.ini
TESTS += $(BIN)/optile@--quiet@--out=$(XO)-two-chip@--firmware=$(FW_ELF)@tests/scenarios/two_chip_short.ini
TESTS += $(XR)@1@component.crossbar..dynamic,.driven.by.xbar@junit.xml@--@--quiet@--out=$(XO)-hook-energy@--test-hook=energy-miss:crossbar@tests/scenarios/mesh2.ini
TESTS += $(XR)@1@tile1_0.out.W:.throughput.window.3@optile.log@--@--quiet@--out=$(XO)-hook-tput@--test-hook=tput:tile1_0.out.W:3@tests/scenarios/mesh2.ini
TESTS += $(XR)@1@component.laser..static,.driven.by.laser_cycles@junit.xml@--@--quiet@--out=$(XO)-hook-laser@--test-hook=energy-miss:laser:3@--firmware=$(FW_ELF)@tests/scenarios/two_chip_short.ini
TESTS += $(XR)@1@MISMATCH.cycle.330000.at.chipB.lane.3:.lane_tx_o.word:.expected..golden..0x.{8},.actual..RTL..0x.{8}@optile.log@--@--quiet@--out=$(XO)-hook-lane@--test-hook=lane-word:B:3:330000@--firmware=$(FW_ELF)@tests/scenarios/two_chip_short.ini
TESTS += $(XR)@1@MISMATCH.cycle.250000.at.chipA.dp_rst_n:@optile.log@--@--quiet@--out=$(XO)-hook-dprst@--test-hook=dp-rst:A:250000@--firmware=$(FW_ELF)@tests/scenarios/two_chip_short.ini
TESTS += $(XR)@1@MISMATCH.cycle.320000.at.chipB.ni:.dma_tx_head:.expected..golden..0x0,.actual..RTL..0x1@optile.log@--@--quiet@--out=$(XO)-hook-ni@--test-hook=ni-obs:B:320000@--firmware=$(FW_ELF)@tests/scenarios/two_chip_short.ini
TESTS += $(XR)@0@.var.logic.*cred_q@waves/router_1_1.vcd@--@--quiet@--out=$(XO)-vcd-mesh@--waves=vcd@--waves-from=100@--waves-to=120@--cycles=2000@tests/scenarios/mesh2.ini
TESTS += $(XR)@0@.scope.module.u_phy@waves/system.B.vcd@--@--quiet@--out=$(XO)-vcd-two-chip@--waves=vcd@--waves-from=1000@--waves-to=1010@--firmware=$(FW_ELF)@tests/scenarios/two_chip_short.ini
TESTS += !$(BIN)/optile@--quiet@--out=$(XO)-bad@tests/run/bad/unknown_key.ini
TESTS += $(XR)@2@unknown_key.ini:7:.traffic.patern:.unknown.key@--@--out=$(XO)-bad@tests/run/bad/unknown_key.ini
TESTS += $(XR)@2@out_of_range.ini:4:.system.mesh:.9.is.out.of.range@--@--out=$(XO)-bad@tests/run/bad/out_of_range.ini
TESTS += $(XR)@2@syntax.ini:3:.syntax.error@--@--out=$(XO)-bad@tests/run/bad/syntax.ini
TESTS += $(XR)@2@card.ini:5:.energy.card.=.no-such-card@--@--out=$(XO)-bad@tests/run/bad/card.ini
TESTS += $(XR)@2@run.cycles:..abc..is.not.an.integer@--@--cycles=abc@tests/scenarios/mesh2.ini
TESTS += $(XR)@2@--bogus:.unknown.option@--@--bogus@tests/scenarios/mesh2.ini
TESTS += $(XR)@2@firmware.of.chip.A:./nonexistent.elf:.cannot.open@--@--quiet@--out=$(XO)-bad@--firmware=/nonexistent.elf@tests/scenarios/two_chip_short.ini
TESTS += $(XR)@2@system.mesh.is.2,.the.two-chip.system.has.one.tile.per.chip@--@--quiet@--out=$(XO)-bad@--set=system.mesh=2@tests/scenarios/two_chip_short.ini
$(XR): $(BIN)/optile
