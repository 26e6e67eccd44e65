package io.shoal.daemon.swarm;

import io.shoal.agent.exec.TaskDependencies;
import io.shoal.agent.exec.TaskNames;
import io.shoal.api.model.Config;
import io.shoal.api.model.ConfigReference;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.Node;
import io.shoal.api.model.Secret;
import io.shoal.api.model.SecretReference;
import io.shoal.api.model.Task;
import io.shoal.api.template.GoTemplate;
import io.shoal.api.template.ServiceTemplates;
import io.shoal.api.template.TemplateException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Expands a task's templates on the node that runs it, as Swarm's agent does: the container spec's
 * hostname, env, mounts and labels, and the data of golang-templated secrets and configs — with
 * {@code env "X"} (the container's expanded env), {@code secret "target"} and {@code config
 * "target"} (the data of the task's other references, by target). Pure.
 */
final class TaskTemplates {
  private TaskTemplates() {}

  record Expanded(Task task, TaskDependencies deps) {}

  static Expanded expand(Task task, TaskDependencies deps, Node.Description node) {
    ContainerSpec cs = task.spec() == null ? null : task.spec().containerSpec();
    if (cs == null) return new Expanded(task, deps);
    Map<String, Object> ctx = ServiceTemplates.context(task.serviceID(), TaskNames.serviceName(task), task.labels(), task,
        task.nodeID(), node);
    ContainerSpec expandedSpec = ServiceTemplates.expand(cs, ctx, GoTemplate.Functions.NONE);
    Task t = expandedSpec == cs ? task : new Task(task.id(), task.version(), task.createdAt(), task.updatedAt(), task.name(),
        task.labels(), task.spec().withContainerSpec(expandedSpec), task.serviceID(), task.slot(), task.nodeID(), task.status(),
        task.desiredState(), task.specVersion(), task.jobIteration(), task.endpoint());
    Map<String, String> env = new LinkedHashMap<>();
    for (String e : expandedSpec.env() == null ? java.util.List.<String>of() : expandedSpec.env()) {
      int eq = e.indexOf('=');
      if (eq > 0) env.put(e.substring(0, eq), e.substring(eq + 1));
    }
    Map<String, String> secretsByTarget = new LinkedHashMap<>();
    for (SecretReference r : expandedSpec.secrets() == null ? java.util.List.<SecretReference>of() : expandedSpec.secrets()) {
      deps.secret(r.secretID()).ifPresent(s -> secretsByTarget.put(target(r.file(), r.secretName()), decode(s.spec())));
    }
    Map<String, String> configsByTarget = new LinkedHashMap<>();
    for (ConfigReference r : expandedSpec.configs() == null ? java.util.List.<ConfigReference>of() : expandedSpec.configs()) {
      deps.config(r.configID()).ifPresent(c -> configsByTarget.put(target(r.file(), r.configName()), decode(c.spec())));
    }
    GoTemplate.Functions functions = (f, arg) -> {
      String v = switch (f) {
        case "env" -> env.getOrDefault(arg, "");
        case "secret" -> secretsByTarget.get(arg);
        case "config" -> configsByTarget.get(arg);
        default -> null;
      };
      if (v == null) throw new TemplateException("template: " + f + " \"" + arg + "\" is not referenced by this task");
      return v;
    };
    Map<String, Secret> secrets = new LinkedHashMap<>(deps.secrets());
    secrets.replaceAll((id, s) -> templated(s.spec()) ? new Secret(s.id(), s.version(), s.createdAt(), s.updatedAt(),
        rendered(s.spec(), ctx, functions)) : s);
    Map<String, Config> configs = new LinkedHashMap<>(deps.configs());
    configs.replaceAll((id, c) -> templated(c.spec()) ? new Config(c.id(), c.version(), c.createdAt(), c.updatedAt(),
        rendered(c.spec(), ctx, functions)) : c);
    return new Expanded(t, new TaskDependencies(secrets, configs));
  }

  private static String target(SecretReference.FileTarget f, String name) {
    return f == null || f.name() == null || f.name().isEmpty() ? name : f.name();
  }

  private static boolean templated(Secret.Spec s) {
    return s.templating() != null && "golang".equals(s.templating().path("Name").asText());
  }

  private static String decode(Secret.Spec s) {
    return s.data() == null ? "" : new String(Base64.getMimeDecoder().decode(s.data()), StandardCharsets.UTF_8);
  }

  private static Secret.Spec rendered(Secret.Spec s, Map<String, Object> ctx, GoTemplate.Functions functions) {
    String out = GoTemplate.parse(decode(s)).render(ctx, functions);
    return new Secret.Spec(s.name(), s.labels(), Base64.getEncoder().encodeToString(out.getBytes(StandardCharsets.UTF_8)),
        s.driver(), s.templating());
  }
}
