package io.shoal.cli.format;

import io.shoal.api.model.PortConfig;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Small display rules shared by docker's tables: short ids, image names, ports, state words. */
public final class Display {
  private Display() {}

  /** Docker shows 12-character ids unless {@code --no-trunc}. */
  public static String shortId(String id, boolean noTrunc) {
    if (id == null) {
      return "";
    }
    return noTrunc || id.length() <= 12 ? id : id.substring(0, 12);
  }

  /** {@code busybox:1@sha256:...} shows as {@code busybox:1} unless {@code --no-trunc}. */
  public static String image(String image, boolean noTrunc) {
    if (image == null) {
      return "";
    }
    int at = image.indexOf('@');
    return noTrunc || at < 0 ? image : image.substring(0, at);
  }

  /** {@code running} → {@code Running}. */
  public static String capitalize(String s) {
    if (s == null || s.isEmpty()) {
      return "";
    }
    return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
  }

  /** One port as docker prints it: {@code *:8080->80/tcp}. */
  public static String port(PortConfig p) {
    String published = p.published() == 0 ? "" : Integer.toString(p.published());
    return "*:" + published + "->" + p.target() + "/" + p.protocolOrDefault();
  }

  public static String ports(List<PortConfig> ports) {
    return ports.stream().map(Display::port).collect(Collectors.joining(", "));
  }

  /** Go's {@code %q} for an error cell (printable Unicode kept as is). */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  /** Docker cuts task errors to 30 characters in {@code service ps}, ending with "…". */
  public static String taskError(String err, boolean noTrunc) {
    if (err == null || err.isEmpty()) {
      return "";
    }
    String e = err;
    if (!noTrunc && e.codePointCount(0, e.length()) > 30) {
      e = e.substring(0, e.offsetByCodePoints(0, 29)) + "\u2026";
    }
    return quote(e);
  }
}
