package io.shoal.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The flags of a benchmark: {@code --name value} pairs and bare {@code --flag}s. Deliberately not
 * picocli: each benchmark reads the few flags it knows and prints what it used, so a run's output
 * says its own size.
 */
public final class Args {
  private final Map<String, String> values = new HashMap<>();

  public Args(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument " + a + " (flags are --name value)");
      String name = a.substring(2);
      int eq = name.indexOf('=');
      if (eq >= 0) {
        values.put(name.substring(0, eq), name.substring(eq + 1));
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        values.put(name, args[++i]);
      } else {
        values.put(name, "true");
      }
    }
  }

  public int integer(String name, int dflt) {
    String v = values.get(name);
    return v == null ? dflt : Integer.parseInt(v.replace("_", "").replace(",", ""));
  }

  public String string(String name, String dflt) {
    return values.getOrDefault(name, dflt);
  }

  public boolean flag(String name) {
    return Boolean.parseBoolean(values.getOrDefault(name, "false"));
  }

  /** A duration in milliseconds ({@code 250}) or with a unit ({@code 250ms}, {@code 1s}). */
  public Duration duration(String name, Duration dflt) {
    String v = values.get(name);
    if (v == null) return dflt;
    if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
    if (v.endsWith("s")) return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
    return Duration.ofMillis(Long.parseLong(v));
  }
}
