package io.shoal.stack.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.api.model.Network;
import io.shoal.api.model.Secret;
import io.shoal.stack.StackException;
import io.shoal.stack.load.ComposeProject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Maps a loaded {@link ComposeProject} to the {@link StackSpecs} that {@code docker stack deploy
 * <stack>} would send to the engine. Every name is {@code <stack>_<name>} unless the file gives
 * {@code name:} or the object is external; every object carries
 * {@code com.docker.stack.namespace=<stack>}.
 *
 * <p>Networks: only networks some service uses are created (as docker does); a service without
 * networks joins {@code <stack>_default}, an overlay network made for it. Secrets and configs:
 * every non-external one declared at the top level is created, with its file's bytes as data.
 * Errors name the service and key ({@code service web: undefined network "front"}). Stateless.
 */
public final class StackConverter {
  public static final String NAMESPACE_LABEL = "com.docker.stack.namespace";
  public static final String IMAGE_LABEL = "com.docker.stack.image";
  // docker's rule for stack names (they become parts of object names and DNS labels).
  private static final Pattern STACK_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private StackConverter() {}

  public static StackSpecs convert(String stack, ComposeProject project) {
    if (stack == null || !STACK_NAME.matcher(stack).matches()) {
      throw new StackException.InvalidCompose("invalid stack name \"" + stack
          + "\": it must start with a letter or digit and contain only letters, digits, '_', '.' and '-'");
    }
    JsonNode model = project.model();
    ServiceConverter sc = new ServiceConverter(stack, model);
    List<StackService> services = new ArrayList<>();
    TreeSet<String> usedNetworks = new TreeSet<>();
    JsonNode svcs = model.path("services");
    for (String name : new TreeSet<>(iterable(svcs.fieldNames()))) {
      JsonNode s = svcs.get(name);
      try {
        var spec = sc.convert(name, s);
        services.add(new StackService(name, spec, dependencies(name, s, svcs)));
      } catch (IllegalArgumentException e) {
        throw new StackException.InvalidCompose("service " + name + ": " + e.getMessage(), e);
      }
      JsonNode nets = s.get("networks");
      if (nets == null || nets.isEmpty()) usedNetworks.add("default");
      else usedNetworks.addAll(iterable(nets.fieldNames()));
    }

    List<ExternalRef> externals = new ArrayList<>();
    List<Network.NetworkSpec> networks = new ArrayList<>();
    for (String key : usedNetworks) {
      JsonNode decl = model.path("networks").get(key);
      if (decl != null && decl.path("external").asBoolean(false)) {
        externals.add(new ExternalRef(ExternalRef.Kind.NETWORK, objectName(stack, key, decl)));
        continue;
      }
      networks.add(network(stack, sc, key, decl == null ? F.objectNode() : decl));
    }

    List<Secret.Spec> secrets = fileObjects(stack, sc, project, "secrets", ExternalRef.Kind.SECRET, externals);
    List<Secret.Spec> configs = fileObjects(stack, sc, project, "configs", ExternalRef.Kind.CONFIG, externals);
    return new StackSpecs(stack, services, networks, secrets, configs, externals);
  }

  /** {@code name:} if the file sets one (external objects without it keep their key), else scoped. */
  static String objectName(String stack, String key, JsonNode decl) {
    if (decl != null && decl.hasNonNull("name") && !decl.get("name").asText().isEmpty()) {
      return decl.get("name").asText();
    }
    if (decl != null && decl.path("external").asBoolean(false)) return key;
    return stack + "_" + key;
  }

  private static Network.NetworkSpec network(String stack, ServiceConverter sc, String key, JsonNode d) {
    String driver = d.hasNonNull("driver") ? d.get("driver").asText() : "overlay";
    JsonNode ipam = null;
    JsonNode ip = d.path("ipam");
    if (ip.hasNonNull("driver") || (ip.has("config") && !ip.get("config").isEmpty())) {
      ObjectNode o = F.objectNode();
      if (ip.hasNonNull("driver")) o.put("Driver", ip.get("driver").asText());
      if (ip.has("config")) {
        var arr = o.putArray("Config");
        for (JsonNode c : ip.get("config")) arr.addObject().put("Subnet", c.path("subnet").asText());
      }
      ipam = o;
    }
    Map<String, String> options = new TreeMap<>();
    d.path("driver_opts").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
    return new Network.NetworkSpec(objectName(stack, key, d), driver, "swarm",
        d.path("internal").asBoolean(false) ? Boolean.TRUE : null,
        d.path("attachable").asBoolean(false) ? Boolean.TRUE : null,
        null, ipam, d.path("enable_ipv6").asBoolean(false) ? Boolean.TRUE : null,
        options, sc.withStackLabel(d.get("labels")));
  }

  private static List<Secret.Spec> fileObjects(String stack, ServiceConverter sc, ComposeProject project,
      String section, ExternalRef.Kind kind, List<ExternalRef> externals) {
    List<Secret.Spec> out = new ArrayList<>();
    JsonNode objs = project.model().path(section);
    String word = kind.word();
    for (String key : new TreeSet<>(iterable(objs.fieldNames()))) {
      JsonNode d = objs.get(key);
      String name = objectName(stack, key, d);
      if (d.path("external").asBoolean(false)) {
        externals.add(new ExternalRef(kind, name));
        continue;
      }
      byte[] data;
      if (d.hasNonNull("file")) {
        try {
          data = Files.readAllBytes(Path.of(d.get("file").asText()));
        } catch (IOException e) {
          throw new StackException.InvalidCompose(section + "." + key + ".file: cannot read "
              + d.get("file").asText() + " for " + word + " " + key);
        }
      } else if (d.hasNonNull("environment")) {
        String var = d.get("environment").asText();
        String v = project.environment().get(var);
        if (v == null) {
          throw new StackException.InvalidCompose(section + "." + key + ".environment: variable " + var + " is not set");
        }
        data = v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      } else if (d.hasNonNull("content")) {
        data = d.get("content").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      } else {
        throw new StackException.InvalidCompose(section + "." + key + ": " + word
            + " needs file, environment or content, or external: true");
      }
      JsonNode driver = null;
      if (d.hasNonNull("driver")) {
        ObjectNode dn = F.objectNode().put("Name", d.get("driver").asText());
        if (d.has("driver_opts")) {
          ObjectNode o = dn.putObject("Options");
          d.get("driver_opts").fields().forEachRemaining(e -> o.put(e.getKey(), e.getValue().asText()));
        }
        driver = dn;
      }
      JsonNode templating = d.hasNonNull("template_driver")
          ? F.objectNode().put("Name", d.get("template_driver").asText()) : null;
      out.add(new Secret.Spec(name, sc.withStackLabel(d.get("labels")), Base64.getEncoder().encodeToString(data),
          driver, templating));
    }
    out.sort(Comparator.comparing(Secret.Spec::name));
    return out;
  }

  private static List<Dependency> dependencies(String name, JsonNode s, JsonNode services) {
    List<Dependency> out = new ArrayList<>();
    JsonNode deps = s.get("depends_on");
    if (deps == null) return out;
    for (String dep : new TreeSet<>(iterable(deps.fieldNames()))) {
      if (!services.has(dep)) {
        throw new IllegalArgumentException("depends_on: undefined service \"" + dep + "\"");
      }
      String cond = deps.get(dep).path("condition").asText("service_started");
      out.add(new Dependency(dep, Dependency.Condition.parse(cond)));
    }
    return out;
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
