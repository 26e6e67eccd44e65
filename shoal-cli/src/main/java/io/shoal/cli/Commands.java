package io.shoal.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the ordered name → command-class maps of the command tree (order is help order). */
public final class Commands {
  private Commands() {}

  /** {@code of("ls", Ls.class, "list", Ls.class, ...)}. */
  public static Map<String, Class<?>> of(Object... nameClassPairs) {
    Map<String, Class<?>> m = new LinkedHashMap<>();
    for (int i = 0; i < nameClassPairs.length; i += 2) {
      m.put((String) nameClassPairs[i], (Class<?>) nameClassPairs[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }
}
