/* Stand-in for the two-chip driver while tb/system is not in the tree
 * (tb/xcheck/rules.mk links it when TB_SYSTEM_OBJS is empty). */
#include <stdio.h>

#include "run/runner.h"

int sys_two_chip_run(struct runner *r, char *err, size_t errlen) {
  snprintf(err, errlen, "%s: system.type = two-chip: this build has no two-chip system (tb/system)", r->s.path);
  return -1;
}
