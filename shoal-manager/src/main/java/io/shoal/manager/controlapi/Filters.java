package io.shoal.manager.controlapi;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Docker's list filters: {@code {"name": ["web"], "label": ["a=b"]}}. Within one key any value may
 * match; all keys must match. Unknown keys are an error, as in Docker ("invalid filter 'x'").
 */
public record Filters(Map<String, List<String>> values) {
  public static final Filters NONE = new Filters(Map.of());

  public Filters {
    values = Map.copyOf(values);
  }

  public void allowOnly(String... keys) {
    List<String> ok = List.of(keys);
    for (String k : values.keySet()) {
      if (!ok.contains(k)) throw new io.shoal.api.error.ShoalException.InvalidSpec("invalid filter '" + k + "'");
    }
  }

  public boolean has(String key) {
    List<String> v = values.get(key);
    return v != null && !v.isEmpty();
  }

  public List<String> get(String key) {
    return values.getOrDefault(key, List.of());
  }

  /** No filter for {@code key}, or some value matches {@code test}. */
  public boolean any(String key, Function<String, Boolean> test) {
    if (!has(key)) return true;
    for (String v : get(key)) if (test.apply(v)) return true;
    return false;
  }

  /** Docker's label filter: {@code key} (present) or {@code key=value} (equal). */
  public boolean labels(String key, Map<String, String> labels) {
    if (!has(key)) return true;
    for (String f : get(key)) {
      int eq = f.indexOf('=');
      boolean ok = eq < 0 ? labels.containsKey(f) : f.substring(eq + 1).equals(labels.get(f.substring(0, eq)));
      if (!ok) return false; // labels: every label filter must match
    }
    return true;
  }
}
