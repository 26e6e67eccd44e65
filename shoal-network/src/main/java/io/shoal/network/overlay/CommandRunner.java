package io.shoal.network.overlay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command and returns its standard output; a non-zero exit is an {@link IOException}
 * carrying the command's stderr. {@code prefix} lets a test run every command in a network
 * namespace of its own ({@code nsenter --net=...}).
 */
public final class CommandRunner {
  private final List<String> prefix;

  public CommandRunner(List<String> prefix) {
    this.prefix = List.copyOf(prefix);
  }

  public static CommandRunner local() {
    return new CommandRunner(List.of());
  }

  public String run(List<String> argv) throws IOException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(argv);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    try {
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", argv) + ": timed out");
      }
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", argv) + ": " + new String(err, StandardCharsets.UTF_8).trim());
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException(String.join(" ", argv) + ": interrupted", e);
    }
  }
}
