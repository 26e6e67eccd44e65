package io.shoal.agent.exec;

import io.shoal.api.model.Config;
import io.shoal.api.model.ConfigReference;
import io.shoal.api.model.Secret;
import io.shoal.api.model.SecretReference;
import io.shoal.api.model.Task;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The secrets and configs (with data) a task refers to, as the dispatcher sent them. */
public record TaskDependencies(Map<String, Secret> secrets, Map<String, Config> configs) {
  public static final TaskDependencies NONE = new TaskDependencies(Map.of(), Map.of());

  public TaskDependencies {
    secrets = Map.copyOf(secrets);
    configs = Map.copyOf(configs);
  }

  /** Picks out of everything known what {@code task}'s container spec references. */
  public static TaskDependencies forTask(Task task, Map<String, Secret> allSecrets,
      Map<String, Config> allConfigs) {
    var cs = task.spec() == null ? null : task.spec().containerSpec();
    if (cs == null) {
      return NONE;
    }
    Map<String, Secret> s = (cs.secrets() == null ? List.<SecretReference>of() : cs.secrets())
        .stream().map(r -> allSecrets.get(r.secretID())).filter(x -> x != null)
        .collect(Collectors.toMap(Secret::id, Function.identity(), (a, b) -> a));
    Map<String, Config> c = (cs.configs() == null ? List.<ConfigReference>of() : cs.configs())
        .stream().map(r -> allConfigs.get(r.configID())).filter(x -> x != null)
        .collect(Collectors.toMap(Config::id, Function.identity(), (a, b) -> a));
    return new TaskDependencies(s, c);
  }

  public Optional<Secret> secret(String id) {
    return Optional.ofNullable(secrets.get(id));
  }

  public Optional<Config> config(String id) {
    return Optional.ofNullable(configs.get(id));
  }
}
