package io.shoal.api.model;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Null-safe copies for record components: absent stays absent, present becomes immutable. */
public final class Labels {
  private Labels() {}

  public static Map<String, String> copy(Map<String, String> m) {
    return m == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(m));
  }

  public static <T> List<T> list(List<T> l) {
    return l == null ? null : List.copyOf(l);
  }

  public static <T> List<T> orEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }

  public static Map<String, String> mapOrNull(Map<String, String> m) {
    return m == null ? null : java.util.Collections.unmodifiableMap(new TreeMap<>(m));
  }
}
