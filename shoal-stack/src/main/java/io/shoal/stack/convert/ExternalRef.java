package io.shoal.stack.convert;

/** An object the stack uses but does not own: it must already exist under {@code name}. */
public record ExternalRef(Kind kind, String name) {
  public enum Kind {
    NETWORK,
    SECRET,
    CONFIG;

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Override
  public String toString() {
    return kind.word() + " " + name;
  }
}
