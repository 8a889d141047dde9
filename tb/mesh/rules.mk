# Mesh co-simulation (docs/spec.md section 5; issue 4): k x k Verilated
# routers wired in C against the golden mesh (csim/noc/noc_mesh.h), traffic
# agents, scoreboards, and its cmocka test (the bench is in bench/rules.mk).

MESH_OBJS := $(OBJ)/tb/mesh/mesh_sim.o $(OBJ)/tb/mesh/mesh_sb.o $(OBJ)/tb/noc/router_dut.o \
             $(OBJ)/tb/run/progress.o
MESH_LIBS := $(LIB)/libcsim.a $(VL)/router/Vrouter__ALL.a $(VL)/libverilated.a

$(O)/tests/cosim/test_mesh_cosim: $(OBJ)/tests/cosim/test_mesh_cosim.o $(MESH_OBJS) $(MESH_LIBS)
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) $^ -o $@ $(LDLIBS) -lz
TESTS += $(O)/tests/cosim/test_mesh_cosim

