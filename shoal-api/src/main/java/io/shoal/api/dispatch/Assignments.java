package io.shoal.api.dispatch;

import io.shoal.api.model.Config;
import io.shoal.api.model.Secret;
import io.shoal.api.model.Task;
import java.util.List;

/**
 * What a node should run. {@code full}: the complete set (everything not listed is to be
 * removed); otherwise an increment: {@code tasks} added or changed, {@code removedTasks} ids gone.
 * Secrets and configs referenced by the node's tasks travel with them (data included).
 */
public record Assignments(
    boolean full,
    List<Task> tasks,
    List<String> removedTasks,
    List<Secret> secrets,
    List<Config> configs,
    List<String> removedSecrets,
    List<String> removedConfigs) {

  public Assignments {
    tasks = List.copyOf(tasks);
    removedTasks = List.copyOf(removedTasks);
    secrets = List.copyOf(secrets);
    configs = List.copyOf(configs);
    removedSecrets = List.copyOf(removedSecrets);
    removedConfigs = List.copyOf(removedConfigs);
  }

  public static Assignments full(List<Task> tasks, List<Secret> secrets, List<Config> configs) {
    return new Assignments(true, tasks, List.of(), secrets, configs, List.of(), List.of());
  }

  public static Assignments increment(List<Task> changed, List<String> removed) {
    return new Assignments(false, changed, removed, List.of(), List.of(), List.of(), List.of());
  }
}
