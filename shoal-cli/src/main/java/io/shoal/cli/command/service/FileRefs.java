package io.shoal.cli.command.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.api.model.ConfigReference;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.SecretReference;
import io.shoal.api.model.ServiceSpec;
import io.shoal.cli.CommandFailure;
import io.shoal.cli.UsageException;
import io.shoal.cli.client.ApiClient;
import io.shoal.cli.client.Filters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code --secret} and {@code --config}: docker's short ({@code name}) and long
 * ({@code source=name,target=path,uid=0,gid=0,mode=0400}) syntax. Parsing is local, so a bad value
 * fails before any request; {@link #resolve} then swaps names for ids by listing the daemon's
 * secrets and configs, as docker does ("secret not found: x").
 */
final class FileRefs {
  private FileRefs() {}

  /** A parsed reference: what the user named, and the file it becomes. */
  record Ref(String source, SecretReference.FileTarget file) {}

  static Ref parse(String flag, String value) {
    String source = null;
    String target = null;
    String uid = "0";
    String gid = "0";
    int mode = 0444;
    if (!value.contains("=")) {
      source = value;
    } else {
      for (String field : value.split(",")) {
        int eq = field.indexOf('=');
        if (eq < 0) throw UsageException.badValue(flag, value, "invalid field '" + field + "' must be a key=value pair");
        String k = field.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String v = field.substring(eq + 1).trim();
        switch (k) {
          case "source", "src" -> source = v;
          case "target" -> target = v;
          case "uid" -> uid = v;
          case "gid" -> gid = v;
          case "mode" -> mode = mode(flag, value, v);
          default -> throw UsageException.badValue(flag, value, "invalid field in " + flag.substring(2) + " request: " + k);
        }
      }
    }
    if (source == null || source.isEmpty()) {
      throw UsageException.badValue(flag, value, "source is required");
    }
    return new Ref(source, new SecretReference.FileTarget(target == null || target.isEmpty() ? source : target, uid, gid, mode));
  }

  /** Go's ParseUint base 0: a leading 0 is octal, 0x hex, else decimal. */
  private static int mode(String flag, String value, String v) {
    try {
      long m = v.startsWith("0x") ? Long.parseLong(v.substring(2), 16)
          : v.length() > 1 && v.startsWith("0") ? Long.parseLong(v.substring(1).replaceFirst("^o", ""), 8) : Long.parseLong(v);
      if (m < 0 || m > 0xffffffffL) throw new NumberFormatException();
      return (int) m;
    } catch (NumberFormatException e) {
      throw UsageException.badValue(flag, value, "invalid mode " + v);
    }
  }

  /** Checks for two references writing the same file, as docker refuses them. */
  static void checkTargets(String kind, List<Ref> refs) {
    Set<String> seen = new HashSet<>();
    for (Ref r : refs) {
      if (!seen.add(r.file().name())) {
        throw new UsageException("duplicate " + kind + " target for " + r.source() + " not allowed");
      }
    }
  }

  /** The spec with secret and config references, their ids looked up by name on the daemon. */
  static ServiceSpec resolve(ApiClient api, ServiceSpec spec, List<Ref> secrets, List<Ref> configs) {
    if (secrets.isEmpty() && configs.isEmpty()) return spec;
    List<SecretReference> s = new ArrayList<>();
    if (!secrets.isEmpty()) {
      Map<String, String> ids = ids(api.secretsRaw(names(secrets)));
      for (Ref r : secrets) s.add(new SecretReference(r.file(), require(ids, "secret", r.source()), r.source()));
    }
    List<ConfigReference> c = new ArrayList<>();
    if (!configs.isEmpty()) {
      Map<String, String> ids = ids(api.configsRaw(names(configs)));
      for (Ref r : configs) c.add(new ConfigReference(r.file(), null, require(ids, "config", r.source()), r.source()));
    }
    ContainerSpec cs = spec.taskTemplate().containerSpec();
    return spec.withTaskTemplate(spec.taskTemplate().withContainerSpec(
        cs.withSecretsAndConfigs(s.isEmpty() ? cs.secrets() : s, c.isEmpty() ? cs.configs() : c)));
  }

  private static Filters names(List<Ref> refs) {
    Filters f = new Filters();
    refs.forEach(r -> f.add("name", r.source()));
    return f;
  }

  private static Map<String, String> ids(JsonNode list) {
    Map<String, String> ids = new HashMap<>();
    for (JsonNode n : ApiClient.elements(list)) ids.put(n.path("Spec").path("Name").asText(), n.path("ID").asText());
    return ids;
  }

  private static String require(Map<String, String> ids, String kind, String name) {
    String id = ids.get(name);
    if (id == null) throw new CommandFailure(kind + " not found: " + name);
    return id;
  }
}
