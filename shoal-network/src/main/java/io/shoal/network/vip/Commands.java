package io.shoal.network.vip;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code nft} and {@code ip} for the kernel tables, optionally inside a network namespace
 * (tests make their own). A command that fails throws with its error output, never silently.
 */
public final class Commands {
  private final List<String> prefix;

  /** @param netns a namespace to run in ({@code ip netns exec NAME}), or null for this one */
  public Commands(String netns) {
    this.prefix = netns == null ? List.of() : List.of("ip", "netns", "exec", netns);
  }

  /** Runs a command with {@code stdin}, returns its output. */
  public String run(String stdin, String... cmd) throws IOException {
    List<String> all = new ArrayList<>(prefix);
    all.addAll(List.of(cmd));
    Process p = new ProcessBuilder(all).redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + ": timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + out.strip());
    return out;
  }

  /** True when nft can be run here as root (loads nothing). */
  public boolean nftUsable() {
    try {
      run(null, "nft", "list", "tables");
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
