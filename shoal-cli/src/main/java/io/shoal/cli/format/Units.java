package io.shoal.cli.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker's value syntaxes: Go durations ({@code 5s}, {@code 1m30s}, {@code 1.5h}) to nanoseconds,
 * memory sizes ({@code 512M}, {@code 1g}, binary multiples as docker's RAMInBytes) to bytes, CPU
 * counts ({@code 0.5}) to NanoCPUs; and the reverse for display. Parse errors are
 * IllegalArgumentException with a message fit for the user.
 */
public final class Units {
  private Units() {}

  private static final Pattern DURATION_PART = Pattern.compile("(\\d*\\.?\\d*)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)");
  private static final Pattern RAM = Pattern.compile("^(\\d+(?:\\.\\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$");
  private static final BigDecimal BILLION = BigDecimal.valueOf(1_000_000_000L);

  /** Go's time.ParseDuration, to nanoseconds. Negative durations are rejected. */
  public static long parseDuration(String text) {
    String s = text.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("invalid duration \"" + text + "\"");
    }
    if (s.startsWith("-")) {
      throw new IllegalArgumentException("duration \"" + text + "\" must be positive");
    }
    if (s.startsWith("+")) {
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return 0;
    }
    Matcher m = DURATION_PART.matcher(s);
    int pos = 0;
    BigDecimal total = BigDecimal.ZERO;
    while (pos < s.length()) {
      if (!m.find(pos) || m.start() != pos || m.group(1).isEmpty() || m.group(1).equals(".")) {
        throw new IllegalArgumentException("invalid duration \"" + text + "\"");
      }
      BigDecimal n = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
      total = total.add(n.multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
      pos = m.end();
    }
    try {
      return total.setScale(0, RoundingMode.DOWN).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("invalid duration \"" + text + "\": out of range");
    }
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "\u00b5s", "\u03bcs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> throw new IllegalArgumentException("unknown unit " + unit);
    };
  }

  /** Go's Duration.String: {@code 1m30s}, {@code 5s}, {@code 500ms}, {@code 1h0m0s}, {@code 0s}. */
  public static String formatDuration(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    String sign = nanos < 0 ? "-" : "";
    long u = Math.abs(nanos);
    if (u < 1_000_000_000L) {
      if (u < 1_000L) {
        return sign + u + "ns";
      }
      if (u < 1_000_000L) {
        return sign + trimFraction(BigDecimal.valueOf(u, 3)) + "\u00b5s";
      }
      return sign + trimFraction(BigDecimal.valueOf(u, 6)) + "ms";
    }
    long hours = u / 3_600_000_000_000L;
    long rem = u % 3_600_000_000_000L;
    long minutes = rem / 60_000_000_000L;
    long secNanos = rem % 60_000_000_000L;
    String seconds = trimFraction(BigDecimal.valueOf(secNanos, 9)) + "s";
    if (hours > 0) {
      return sign + hours + "h" + minutes + "m" + seconds;
    }
    if (minutes > 0) {
      return sign + minutes + "m" + seconds;
    }
    return sign + seconds;
  }

  private static String trimFraction(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0).toPlainString() : s.toPlainString();
  }

  /** Docker's RAMInBytes: {@code 512M} = 536870912; suffixes k, m, g, t, p are powers of 1024. */
  public static long parseMemory(String text) {
    Matcher m = RAM.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid size: '" + text + "'");
    }
    BigDecimal size;
    try {
      size = new BigDecimal(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid size: '" + text + "'");
    }
    int power = m.group(2) == null ? 0 : "kmgtp".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
    BigDecimal bytes = size.multiply(BigDecimal.valueOf(1024).pow(power));
    try {
      return bytes.setScale(0, RoundingMode.DOWN).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("invalid size: '" + text + "': too large");
    }
  }

  /** Docker's BytesSize: binary units, four significant digits ({@code 512MiB}, {@code 1.5GiB}). */
  public static String formatBytes(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    BigDecimal v = BigDecimal.valueOf(bytes);
    int i = 0;
    BigDecimal k = BigDecimal.valueOf(1024);
    while (v.compareTo(k) >= 0 && i < units.length - 1) {
      v = v.divide(k, MathContext.DECIMAL64);
      i++;
    }
    return trimFraction(v.round(new MathContext(4, RoundingMode.HALF_EVEN))) + units[i];
  }

  /** Docker's NanoCPUs flag: decimal CPUs to billionths; more than 9 decimals is an error. */
  public static long parseCpus(String text) {
    BigDecimal cpus;
    try {
      cpus = new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("failed to parse " + text + " as a rational number");
    }
    if (cpus.signum() < 0) {
      throw new IllegalArgumentException("CPU count \"" + text + "\" must not be negative");
    }
    BigDecimal nanos = cpus.multiply(BILLION);
    try {
      return nanos.stripTrailingZeros().longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("value is too precise");
    }
  }

  /** NanoCPUs as a decimal count: 500000000 is {@code 0.5}. */
  public static String formatCpus(long nanoCpus) {
    return trimFraction(BigDecimal.valueOf(nanoCpus).divide(BILLION));
  }
}
