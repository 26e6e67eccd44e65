package io.shoal.manager.orchestrator;

import io.shoal.api.model.Ids;
import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import io.shoal.api.model.Version;
import java.time.Instant;
import java.util.Map;
import java.util.random.RandomGenerator;

/** Makes new tasks from a service, as every orchestrator does. Pure but for the injected random ids. */
public final class TaskFactory {
  private final RandomGenerator random;

  public TaskFactory(RandomGenerator random) {
    this.random = random;
  }

  /** A new task for {@code slot} (replicated) or {@code nodeId} (global), desired to run. */
  public Task newTask(Service s, long slot, String nodeId, TaskState desired, Instant now) {
    String id = Ids.newId(random);
    String name = s.spec().name() + "." + (nodeId != null && slot == 0 ? nodeId : String.valueOf(slot));
    Version iteration = s.jobStatus() == null ? null : s.jobStatus().jobIteration();
    return new Task(id, Version.ZERO, null, null, name, Map.of(), s.spec().taskTemplate(), s.id(), slot,
        nodeId, TaskStatus.of(TaskState.NEW, "created", now), desired, s.version(), iteration, s.endpoint());
  }
}
