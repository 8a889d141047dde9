# The co-simulation runner's plain-C parts (scenarios, results, progress).

RUN_SRCS := $(filter-out %_main.c,$(sort $(wildcard tb/run/*.c)))
$(LIB)/librun.a: $(call obj,$(RUN_SRCS))

$(O)/tests/run/%: $(OBJ)/tests/run/%.o $(LIB)/librun.a $(LIB)/libcsim.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ -o $@ $(LDLIBS)
TESTS += $(patsubst %.c,$(O)/%,$(sort $(wildcard tests/run/test_*.c)))
