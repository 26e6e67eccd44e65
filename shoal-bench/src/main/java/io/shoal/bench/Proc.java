package io.shoal.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs external commands (the docker CLI, dockerd, a shoal daemon) with a deadline. Processes
 * this class starts are stopped by their own PID ({@link Process#destroy}), never by name.
 */
final class Proc {
  private Proc() {}

  record Result(int code, String out) {
    boolean ok() {
      return code == 0;
    }
  }

  /** Runs {@code cmd} to completion (stdout and stderr together); code -1 on timeout (the process is killed). */
  static Result run(Map<String, String> env, long timeoutSeconds, String... cmd) {
    Path out = null;
    try {
      // output to a file, not a pipe: a hung command must not block the read past the deadline
      out = Files.createTempFile("shoal-bench-cmd", ".out");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, Files.readString(out, StandardCharsets.UTF_8));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      return new Result(-2, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-3, "interrupted");
    } finally {
      if (out != null) out.toFile().delete();
    }
  }

  /** The docker CLI against {@code host} (unix:///...). */
  static Result docker(String host, String... args) {
    List<String> cmd = new ArrayList<>(List.of("docker", "-H", host));
    cmd.addAll(Arrays.asList(args));
    return run(Map.of(), 120, cmd.toArray(String[]::new));
  }

  /** Starts {@code cmd} in the background with its output in {@code log}. */
  static Process spawn(Path log, List<String> cmd) throws IOException {
    Files.createDirectories(log.getParent());
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** SIGTERM, then SIGKILL after {@code graceSeconds}: only for processes this benchmark started. */
  static void stop(Process p, long graceSeconds) {
    if (p == null || !p.isAlive()) return;
    p.destroy();
    try {
      if (!p.waitFor(graceSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Resident set size of {@code pid} in KiB from /proc, or -1. */
  static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  static boolean commandExists(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, name))) return true;
    }
    return false;
  }
}
