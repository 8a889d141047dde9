# The co-simulation runner's plain-C parts (scenarios, results, progress,
# report) and their tests. The program build/bin/optile (optile_main.c and
# the system drivers sys_*.c) is linked in tb/xcheck/rules.mk, which is read
# after every model's fragment.

RUN_SRCS := $(filter-out %_main.c tb/run/sys_%.c,$(sort $(wildcard tb/run/*.c)))
$(LIB)/librun.a: $(call obj,$(RUN_SRCS))

XC_SRCS := $(sort $(wildcard tb/xcheck/*.c))
$(LIB)/libxcheck.a: $(call obj,$(XC_SRCS))

$(O)/tests/run/%: $(OBJ)/tests/run/%.o $(LIB)/libxcheck.a $(LIB)/librun.a $(LIB)/libcsim.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ -o $@ $(LDLIBS)
TESTS += $(patsubst %.c,$(O)/%,$(sort $(wildcard tests/run/test_*.c)))
