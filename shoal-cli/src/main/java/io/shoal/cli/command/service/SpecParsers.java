package io.shoal.cli.command.service;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.api.model.Driver;
import io.shoal.api.model.Mount;
import io.shoal.api.model.Placement;
import io.shoal.api.model.PortConfig;
import io.shoal.cli.UsageException;
import io.shoal.cli.format.Units;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parsers for docker's structured flag values: {@code --publish} (short {@code 8080:80/udp} and
 * long {@code published=8080,target=80,mode=host}), {@code --mount}, {@code --placement-pref} and
 * {@code KEY=VALUE} lists. Each error names the flag and the value, as docker's do.
 */
final class SpecParsers {
  private SpecParsers() {}

  // ---- ports ----

  static List<PortConfig> publish(String flag, String value) {
    return value.contains("=") ? List.of(publishLong(flag, value)) : publishShort(flag, value);
  }

  private static PortConfig publishLong(String flag, String value) {
    String mode = PortConfig.INGRESS;
    String protocol = "tcp";
    Integer target = null;
    Integer published = null;
    for (String field : value.split(",")) {
      String[] kv = field.split("=", 2);
      if (kv.length != 2) {
        throw UsageException.badValue(flag, value, "invalid field '" + field + "' must be a key=value pair");
      }
      String k = kv[0].trim().toLowerCase(Locale.ROOT);
      String v = kv[1].trim();
      switch (k) {
        case "mode" -> {
          if (!v.equals(PortConfig.INGRESS) && !v.equals(PortConfig.HOST)) {
            throw UsageException.badValue(flag, value, "invalid publish mode value (" + v + "); must be either ingress or host");
          }
          mode = v;
        }
        case "protocol" -> protocol = protocol(flag, value, v);
        case "target" -> target = port(flag, value, v);
        case "published" -> published = port(flag, value, v);
        default -> throw UsageException.badValue(flag, value, "invalid field key " + k);
      }
    }
    if (target == null) {
      throw UsageException.badValue(flag, value, "missing mandatory field \"target\"");
    }
    return new PortConfig(null, protocol, target, published, mode);
  }

  private static List<PortConfig> publishShort(String flag, String value) {
    String v = value;
    String protocol = "tcp";
    int slash = v.indexOf('/');
    if (slash >= 0) {
      protocol = protocol(flag, value, v.substring(slash + 1));
      v = v.substring(0, slash);
    }
    String[] parts = v.split(":", -1);
    if (parts.length > 2) {
      throw UsageException.badValue(flag, value, "hostip is not supported");
    }
    int[] target = range(flag, value, parts[parts.length - 1]);
    int[] published = parts.length == 2 && !parts[0].isEmpty() ? range(flag, value, parts[0]) : null;
    int n = target[1] - target[0] + 1;
    if (published != null && published[1] - published[0] + 1 != n) {
      throw UsageException.badValue(flag, value, "port ranges don't match");
    }
    List<PortConfig> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Integer pub = published == null ? null : published[0] + i;
      out.add(new PortConfig(null, protocol, target[0] + i, pub, PortConfig.INGRESS));
    }
    return out;
  }

  private static int[] range(String flag, String value, String s) {
    int dash = s.indexOf('-');
    if (dash < 0) {
      int p = port(flag, value, s);
      return new int[] {p, p};
    }
    int a = port(flag, value, s.substring(0, dash));
    int b = port(flag, value, s.substring(dash + 1));
    if (b < a) {
      throw UsageException.badValue(flag, value, "invalid range " + s);
    }
    return new int[] {a, b};
  }

  private static int port(String flag, String value, String s) {
    try {
      int p = Integer.parseInt(s.trim());
      if (p < 0 || p > 65535) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw UsageException.badValue(flag, value, "invalid port " + (s.isEmpty() ? "\"\"" : s));
    }
  }

  private static String protocol(String flag, String value, String p) {
    String l = p.toLowerCase(Locale.ROOT);
    if (!l.equals("tcp") && !l.equals("udp") && !l.equals("sctp")) {
      throw UsageException.badValue(flag, value, "invalid protocol " + p);
    }
    return l;
  }

  // ---- mounts ----

  static Mount mount(String flag, String value) {
    String type = "volume";
    String source = null;
    String target = null;
    Boolean readOnly = null;
    String consistency = null;
    String propagation = null;
    Boolean noCopy = null;
    Map<String, String> volumeLabels = new LinkedHashMap<>();
    String volumeDriver = null;
    Map<String, String> volumeOpts = new LinkedHashMap<>();
    String subpath = null;
    Long tmpfsSize = null;
    Integer tmpfsMode = null;
    for (String field : value.split(",")) {
      String[] kv = field.split("=", 2);
      String k = kv[0].trim().toLowerCase(Locale.ROOT);
      String v = kv.length == 2 ? kv[1].trim() : null;
      if (v == null && !k.equals("readonly") && !k.equals("ro") && !k.equals("volume-nocopy")) {
        throw UsageException.badValue(flag, value, "invalid field '" + field + "' must be a key=value pair");
      }
      switch (k) {
        case "type" -> type = v.toLowerCase(Locale.ROOT);
        case "source", "src" -> source = v;
        case "target", "dst", "destination" -> target = v;
        case "readonly", "ro" -> readOnly = bool(flag, value, k, v);
        case "consistency" -> consistency = v;
        case "bind-propagation" -> propagation = v;
        case "volume-nocopy" -> noCopy = bool(flag, value, k, v);
        case "volume-label" -> putKv(flag, value, volumeLabels, v);
        case "volume-driver" -> volumeDriver = v;
        case "volume-opt" -> putKv(flag, value, volumeOpts, v);
        case "volume-subpath" -> subpath = v;
        case "tmpfs-size" -> {
          try {
            tmpfsSize = Units.parseMemory(v);
          } catch (IllegalArgumentException e) {
            throw UsageException.badValue(flag, value, e.getMessage());
          }
        }
        case "tmpfs-mode" -> {
          try {
            tmpfsMode = Integer.parseInt(v, 8);
          } catch (NumberFormatException e) {
            throw UsageException.badValue(flag, value, "invalid tmpfs-mode " + v);
          }
        }
        default -> throw UsageException.badValue(flag, value, "unexpected key '" + k + "' in '" + field + "'");
      }
    }
    if (!List.of("bind", "volume", "tmpfs", "npipe", "cluster").contains(type)) {
      throw UsageException.badValue(flag, value, "invalid mount type " + type);
    }
    if (target == null || target.isEmpty()) {
      throw UsageException.badValue(flag, value, "target is required");
    }
    if (type.equals("bind") && (source == null || source.isEmpty())) {
      throw UsageException.badValue(flag, value, "source is required when specifying bind");
    }
    if (type.equals("tmpfs") && source != null) {
      throw UsageException.badValue(flag, value, "source must not be specified for tmpfs");
    }
    boolean volumeOptions = noCopy != null || !volumeLabels.isEmpty() || volumeDriver != null
        || !volumeOpts.isEmpty() || subpath != null;
    if (volumeOptions && !type.equals("volume")) {
      throw UsageException.badValue(flag, value, "cannot mix 'volume-*' options with mount type '" + type + "'");
    }
    if ((tmpfsSize != null || tmpfsMode != null) && !type.equals("tmpfs")) {
      throw UsageException.badValue(flag, value, "cannot mix 'tmpfs-*' options with mount type '" + type + "'");
    }
    if (propagation != null && !type.equals("bind")) {
      throw UsageException.badValue(flag, value, "cannot mix 'bind-*' options with mount type '" + type + "'");
    }
    ObjectNode bindOptions = null;
    if (propagation != null) {
      bindOptions = JsonNodeFactory.instance.objectNode().put("Propagation", propagation);
    }
    Mount.VolumeOptions vo = !volumeOptions ? null : new Mount.VolumeOptions(noCopy,
        volumeLabels.isEmpty() ? null : volumeLabels,
        volumeDriver == null && volumeOpts.isEmpty() ? null
            : new Driver(volumeDriver, volumeOpts.isEmpty() ? null : volumeOpts), subpath);
    Mount.TmpfsOptions to = tmpfsSize == null && tmpfsMode == null ? null
        : new Mount.TmpfsOptions(tmpfsSize, tmpfsMode, null);
    return new Mount(target, source, type, readOnly, consistency, bindOptions, vo, to, null);
  }

  private static Boolean bool(String flag, String value, String key, String v) {
    if (v == null) {
      return true;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "1", "true" -> true;
      case "0", "false" -> false;
      default -> throw UsageException.badValue(flag, value, "invalid value for " + key + ": " + v);
    };
  }

  private static void putKv(String flag, String value, Map<String, String> into, String kv) {
    int eq = kv.indexOf('=');
    if (eq <= 0) {
      throw UsageException.badValue(flag, value, "invalid key=value pair '" + kv + "'");
    }
    into.put(kv.substring(0, eq), kv.substring(eq + 1));
  }

  // ---- placement preferences, key=value ----

  static Placement.Preference placementPref(String flag, String value) {
    int eq = value.indexOf('=');
    if (eq <= 0) {
      throw UsageException.badValue(flag, value, "placement preference must be of the format \"<strategy>=<arg>\"");
    }
    String strategy = value.substring(0, eq).toLowerCase(Locale.ROOT);
    if (!strategy.equals("spread")) {
      throw UsageException.badValue(flag, value, "unsupported placement preference " + strategy + " (only spread is supported)");
    }
    return new Placement.Preference(new Placement.Spread(value.substring(eq + 1)));
  }

  /** {@code k=v} (or a bare {@code k}, meaning empty value) into an ordered map. */
  static Map<String, String> keyValues(String flag, List<String> values) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String kv : values) {
      int eq = kv.indexOf('=');
      String k = eq < 0 ? kv : kv.substring(0, eq);
      if (k.isEmpty()) {
        throw UsageException.badValue(flag, kv, "invalid label: empty key");
      }
      out.put(k, eq < 0 ? "" : kv.substring(eq + 1));
    }
    return out;
  }

  /** The key of an env entry ({@code A=1} → {@code A}). */
  static String envKey(String env) {
    int eq = env.indexOf('=');
    return eq < 0 ? env : env.substring(0, eq);
  }

  /**
   * Validates an env entry; a bare {@code KEY} takes its value from the CLI's own environment when
   * set there, as docker's {@code -e KEY} does.
   */
  static String checkEnv(String flag, String env, Map<String, String> cliEnv) {
    if (env.isEmpty() || env.startsWith("=")) {
      throw UsageException.badValue(flag, env, "invalid environment variable: " + env);
    }
    if (!env.contains("=") && cliEnv.containsKey(env)) {
      return env + "=" + cliEnv.get(env);
    }
    return env;
  }
}
