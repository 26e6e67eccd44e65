package io.shoal.agent.worker;

import io.shoal.api.dispatch.Assignments;
import io.shoal.api.model.Config;
import io.shoal.api.model.Secret;
import io.shoal.api.model.Task;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this node has been told to run: tasks, and the secrets and configs they use. Immutable;
 * {@link #apply} folds an {@link Assignments} message in (a full set replaces everything, an
 * increment adds, changes and removes).
 *
 * @param authoritative true once a full set came from a manager in this agent's life; only then
 *     may the agent remove containers it finds but was not told about
 */
public record WorkerState(
    Map<String, Task> tasks, Map<String, Secret> secrets, Map<String, Config> configs,
    boolean authoritative) {

  public static final WorkerState EMPTY = new WorkerState(Map.of(), Map.of(), Map.of(), false);

  public WorkerState {
    tasks = Map.copyOf(tasks);
    secrets = Map.copyOf(secrets);
    configs = Map.copyOf(configs);
  }

  public WorkerState apply(Assignments a) {
    Map<String, Task> t = new LinkedHashMap<>(a.full() ? Map.of() : tasks);
    Map<String, Secret> s = new LinkedHashMap<>(a.full() ? Map.of() : secrets);
    Map<String, Config> c = new LinkedHashMap<>(a.full() ? Map.of() : configs);
    a.removedTasks().forEach(t::remove);
    a.removedSecrets().forEach(s::remove);
    a.removedConfigs().forEach(c::remove);
    a.tasks().forEach(x -> t.put(x.id(), x));
    a.secrets().forEach(x -> s.put(x.id(), x));
    a.configs().forEach(x -> c.put(x.id(), x));
    return new WorkerState(t, s, c, authoritative || a.full());
  }

  /** The same assignments, not (yet) confirmed by a manager: what is read back after a restart. */
  public WorkerState unconfirmed() {
    return new WorkerState(tasks, secrets, configs, false);
  }
}
