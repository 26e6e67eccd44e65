package io.shoal.cli.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Docker's {@code filters} query parameter: {@code {"name":{"web":true}}}. That map-of-true shape
 * is the one every API version accepts (newer daemons also take lists).
 */
public final class Filters {
  private final Map<String, Map<String, Boolean>> terms = new TreeMap<>();

  public static Filters of(String key, String value) {
    return new Filters().add(key, value);
  }

  public Filters add(String key, String value) {
    terms.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(value, true);
    return this;
  }

  /** Adds {@code key=value} terms as given to {@code -f/--filter}. */
  public Filters addAll(List<String> keyValues) {
    for (String kv : keyValues) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("bad format of filter (expected name=value)");
      }
      add(kv.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT), kv.substring(eq + 1));
    }
    return this;
  }

  public boolean isEmpty() {
    return terms.isEmpty();
  }

  /**
   * The JSON text to send; empty string when there are no terms. Written by hand: it is the
   * only JSON a read-only command writes, and Jackson's serializer set-up costs start time.
   */
  public String toJson() {
    if (terms.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("{");
    String sep = "";
    for (Map.Entry<String, Map<String, Boolean>> t : terms.entrySet()) {
      sb.append(sep).append(quote(t.getKey())).append(":{");
      String inner = "";
      for (String v : t.getValue().keySet()) {
        sb.append(inner).append(quote(v)).append(":true");
        inner = ",";
      }
      sb.append('}');
      sep = ",";
    }
    return sb.append('}').toString();
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
