/* FST to VCD through fst2vcd (see waves.h). */
#include "run/waves.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

const char *waves_fst2vcd_prog(void) {
  const char *p = getenv("OPTILE_FST2VCD");
  return p && *p ? p : "fst2vcd";
}

/* An executable regular file? */
static int runnable(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int waves_fst2vcd_check(const char *prog, char *err, size_t errlen) {
  if (strchr(prog, '/')) {
    if (runnable(prog)) return 0;
  } else {
    const char *path = getenv("PATH");
    char dir[4096];
    for (const char *s = path ? path : ""; *s;) {
      size_t n = strcspn(s, ":");
      snprintf(dir, sizeof(dir), "%.*s/%s", (int)(n ? n : 1), n ? s : ".", prog);
      if (runnable(dir)) return 0;
      s += n;
      if (*s == ':') s++;
    }
  }
  snprintf(err, errlen,
           "--waves=vcd needs %s (GTKWave's FST to VCD converter; Debian package gtkwave, listed in "
           "scripts/deps-debian.txt), which is not installed or not on PATH; use --waves=fst",
           prog);
  return -1;
}

int waves_fst_to_vcd(const char *prog, const char *fst, const char *vcd, char *err, size_t errlen) {
  if (waves_fst2vcd_check(prog, err, errlen)) return -1;
  char *argv[] = {(char *)prog, "-f", (char *)fst, "-o", (char *)vcd, NULL};
  pid_t pid;
  /* its chatter goes to /dev/null; the exit status and the file say enough */
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  int rc = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc) {
    snprintf(err, errlen, "cannot run %s: %s", prog, strerror(rc));
    return -1;
  }
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      snprintf(err, errlen, "%s: waitpid: %s", prog, strerror(errno));
      return -1;
    }
  struct stat st;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || stat(vcd, &st) != 0 || st.st_size == 0) {
    snprintf(err, errlen, "%s -f %s -o %s failed (%s %d)", prog, fst, vcd,
             WIFEXITED(status) ? "exit status" : "signal",
             WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    return -1;
  }
  return 0;
}
