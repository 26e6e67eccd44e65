package io.shoal.stack.convert;

import java.util.Locale;

/**
 * One {@code depends_on} edge: the service (compose name) that must be ready first, and what
 * "ready" means.
 */
public record Dependency(String service, Condition condition) {

  /** Compose's conditions; {@code service_started} is what the short (list) syntax means. */
  public enum Condition {
    SERVICE_STARTED,
    SERVICE_HEALTHY,
    SERVICE_COMPLETED_SUCCESSFULLY;

    public static Condition parse(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
