# Tile and two-chip system speed bench (bench/tile_bench.c): simulated cycles
# per second of one Verilated tile (link idle; flits on its mesh ports) and
# of the two-chip system (tb/system) after link bring-up.
#
# Fragments are included in sorted order, so this one is read before
# firmware/ and tb/ define the firmware ELF, the tile model and the system
# objects. Prerequisites are expanded when a rule is read, so bench-tile
# hands the system's link list to a sub-make as TILE_BENCH_DEPS (the recipe
# is expanded when it runs, after every fragment was read); the link line,
# a recipe too, names them itself.
#
# make bench-tile [TILE_BENCH_CYCLES=N] [TILE_BENCH_ARGS="-r 0.5 -c 2000"]

TILE_BENCH_CYCLES ?= 200000
TILE_BENCH_ARGS   ?=
TILE_BENCH_DEPS   ?=

$(O)/bench/tile_bench: $(OBJ)/bench/tile_bench.o $(TILE_BENCH_DEPS)
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) $< $(TB_SYSTEM_OBJS) $(TB_SYSTEM_LIBS) -o $@ $(LDLIBS) -lz

.PHONY: bench-tile
bench-tile: ## one tile (link idle, mesh load) and the two-chip system after bring-up: simulated cycles/s, CPU and wall
	@$(MAKE) --no-print-directory $(FW_ELF) $(O)/bench/tile_bench \
	  TILE_BENCH_DEPS="$(TB_SYSTEM_OBJS) $(TB_SYSTEM_LIBS)"
	$(O)/bench/tile_bench -f $(FW_ELF) -o $(O)/bench $(TILE_BENCH_ARGS) $(TILE_BENCH_CYCLES)

.PHONY: bench
bench: ## every benchmark in turn: bench-phy, bench-mesh, bench-tile, bench-run (figures under build/bench/)
	@$(MAKE) --no-print-directory bench-phy
	@$(MAKE) --no-print-directory bench-mesh
	@$(MAKE) --no-print-directory bench-tile
	@$(MAKE) --no-print-directory bench-run
