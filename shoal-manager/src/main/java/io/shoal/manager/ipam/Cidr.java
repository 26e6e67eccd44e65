package io.shoal.manager.ipam;

import java.util.regex.Pattern;

/**
 * An IPv4 block, as an unsigned 32-bit base (held in a long) and a prefix length. Parses dotted
 * literals only, so no name is ever resolved.
 */
public record Cidr(long base, int prefix) {
  private static final Pattern DOTTED = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");

  public Cidr {
    if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("prefix " + prefix);
    base = base & mask(prefix);
  }

  /** {@code 10.0.1.0/24}; null if it is not an IPv4 CIDR. The host bits are dropped. */
  public static Cidr parse(String s) {
    if (s == null) return null;
    int slash = s.indexOf('/');
    if (slash < 0) return null;
    long a = address(s.substring(0, slash));
    if (a < 0) return null;
    int p;
    try {
      p = Integer.parseInt(s.substring(slash + 1));
    } catch (NumberFormatException e) {
      return null;
    }
    return p < 0 || p > 32 ? null : new Cidr(a, p);
  }

  /** Whether {@code s} is a CIDR whose host bits are all zero. */
  public static boolean isCanonical(String s) {
    Cidr c = parse(s);
    return c != null && address(s.substring(0, s.indexOf('/'))) == c.base;
  }

  /** A dotted IPv4 address as an unsigned value, or -1. */
  public static long address(String s) {
    if (s == null) return -1;
    var m = DOTTED.matcher(s);
    if (!m.matches()) return -1;
    long v = 0;
    for (int i = 1; i <= 4; i++) {
      int octet = Integer.parseInt(m.group(i));
      if (octet > 255) return -1;
      v = (v << 8) | octet;
    }
    return v;
  }

  public static String format(long a) {
    return ((a >> 24) & 255) + "." + ((a >> 16) & 255) + "." + ((a >> 8) & 255) + "." + (a & 255);
  }

  static long mask(int prefix) {
    return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
  }

  public long size() {
    return 1L << (32 - prefix);
  }

  public long last() {
    return base + size() - 1;
  }

  public boolean contains(long a) {
    return a >= base && a <= last();
  }

  public boolean overlaps(Cidr o) {
    return base <= o.last() && o.base <= last();
  }

  /** {@code address/prefix} of this block, e.g. {@code 10.0.1.7/24}. */
  public String withPrefix(long a) {
    return format(a) + "/" + prefix;
  }

  @Override
  public String toString() {
    return format(base) + "/" + prefix;
  }
}
