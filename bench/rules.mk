# Benchmarks (they print figures and write them under $(O)/bench; nothing
# here is a test). Read after every other fragment, so prerequisites may
# name the objects, models and firmware those define.

BENCH_UTIL := $(OBJ)/bench/bench_util.o

# PHY: payload efficiency against BER and the replay timeout; two-PHY speed.
$(O)/bench/phy_bench: $(OBJ)/bench/phy_bench.o $(BENCH_UTIL) $(TB_PHY_COSIM_OBJS) \
    $(VL)/phy/Vphy__ALL.a $(VL)/phydrop/Vphydrop__ALL.a $(LIB)/libcsim.a $(VL)/libverilated.a
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LDLIBS) -lz

.PHONY: bench-phy
bench-phy: $(O)/bench/phy_bench ## PHY: payload efficiency against BER and replay timeout, two-PHY co-simulation speed
	set -o pipefail; $(O)/bench/phy_bench | tee $(O)/bench/phy_bench.txt

# Mesh: latency against offered load (data and picture), saturation, speed.
$(O)/bench/mesh_bench: $(OBJ)/bench/mesh_bench.o $(BENCH_UTIL) $(MESH_OBJS) $(MESH_LIBS)
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LDLIBS) -lz

.PHONY: bench-mesh
bench-mesh: $(O)/bench/mesh_bench ## 4x4 mesh latency vs load (RTL, model; data + PNG), saturation, cycles/s
	$(O)/bench/mesh_bench $(O)/bench
	gnuplot -e "dat='$(O)/bench/mesh_latency.dat'; out='$(O)/bench/mesh_latency.png'" bench/mesh_latency.gp
	@echo "picture: $(O)/bench/mesh_latency.png"

# Tile and two-chip system speed.
# make bench-tile [TILE_BENCH_CYCLES=N] [TILE_BENCH_ARGS="-r 0.5 -c 2000"]
TILE_BENCH_CYCLES ?= 200000
TILE_BENCH_ARGS   ?=

$(O)/bench/tile_bench: $(OBJ)/bench/tile_bench.o $(BENCH_UTIL) $(TB_SYSTEM_OBJS) $(TB_SYSTEM_LIBS)
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LDLIBS) -lz

.PHONY: bench-tile
bench-tile: $(O)/bench/tile_bench $(FW_ELF) ## one tile (link idle, mesh load) and the two-chip system after bring-up: simulated cycles/s, CPU and wall
	$(O)/bench/tile_bench -f $(FW_ELF) -o $(O)/bench $(TILE_BENCH_ARGS) $(TILE_BENCH_CYCLES)

# The default run with every check on against the bare RTL.
.PHONY: bench-run
bench-run: $(BIN)/optile $(FW_ELF) ## default run: simulated cycles/s with all checks on and bare RTL (checks off), overhead %
	bash bench/run_overhead.sh $(BIN)/optile tests/scenarios/default.ini

.PHONY: bench
bench: ## every benchmark in turn: bench-phy, bench-mesh, bench-tile, bench-run (figures under build/bench/)
	@$(MAKE) --no-print-directory bench-phy
	@$(MAKE) --no-print-directory bench-mesh
	@$(MAKE) --no-print-directory bench-tile
	@$(MAKE) --no-print-directory bench-run
