package io.shoal.stack.convert;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compose's units, read as docker reads them: durations as Go's {@code time.ParseDuration}
 * ({@code "1m30s"}, {@code "1.5h"}, {@code "250ms"}) to nanoseconds; sizes as docker's
 * {@code RAMInBytes} ({@code "512M"}, {@code "1.5g"}, {@code "64mb"}; k/m/g/t/p are powers of 1024)
 * to bytes; CPUs as decimal fractions ({@code "0.5"}) to NanoCPUs. Pure functions;
 * {@link IllegalArgumentException} on bad input, with the text that was given.
 */
public final class Units {
  private static final Pattern DURATION_PART = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)");
  private static final Pattern SIZE = Pattern.compile("^(\\d+(?:\\.\\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$");

  private Units() {}

  /** A Go duration to nanoseconds. */
  public static long durationNanos(String text) {
    String s = text.trim();
    if (s.equals("0") || s.equals("+0") || s.equals("-0")) return 0;
    boolean negative = s.startsWith("-");
    if (s.startsWith("-") || s.startsWith("+")) s = s.substring(1);
    if (s.isEmpty()) throw new IllegalArgumentException("invalid duration \"" + text + "\"");
    Matcher m = DURATION_PART.matcher(s);
    BigDecimal total = BigDecimal.ZERO;
    int pos = 0;
    while (pos < s.length()) {
      if (!m.find(pos) || m.start() != pos || m.group(1).isEmpty() || m.group(1).equals(".")) {
        throw new IllegalArgumentException("invalid duration \"" + text + "\"");
      }
      long unit = switch (m.group(2)) {
        case "ns" -> 1L;
        case "us", "µs", "μs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      total = total.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
      pos = m.end();
    }
    long nanos = total.longValue();
    return negative ? -nanos : nanos;
  }

  /** A size to bytes; a plain number is bytes. */
  public static long bytes(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) throw new IllegalArgumentException("invalid size: '" + text + "'");
    BigDecimal n = new BigDecimal(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
    int power = "kmgtp".indexOf(unit.isEmpty() ? "x" : unit) + 1;
    return n.multiply(BigDecimal.valueOf(1024).pow(power)).longValue();
  }

  /** A decimal CPU count to NanoCPUs; more precision than 1e-9 is an error, as in docker. */
  public static long nanoCpus(String text) {
    BigDecimal v;
    try {
      v = new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("failed to parse " + text + " as a rational number");
    }
    BigDecimal nanos = v.movePointRight(9);
    if (nanos.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException("value is too precise: " + text);
    }
    return nanos.longValueExact();
  }
}
