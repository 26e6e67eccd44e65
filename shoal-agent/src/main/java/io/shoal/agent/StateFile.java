package io.shoal.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.shoal.agent.worker.WorkerState;
import io.shoal.api.json.Json;
import io.shoal.api.model.Config;
import io.shoal.api.model.Secret;
import io.shoal.api.model.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The agent's assignments (tasks with their latest local status, secrets, configs) as one JSON
 * file under the data dir, written atomically (temp file + rename), mode 0600.
 *
 * <p>Secrets are written as references only (id, name, labels; never their data): the node's disk
 * must not hold a secret, as in Swarm. After a restart the manager sends them again with the
 * assignments; until then a task that must start anew waits for them, while running containers,
 * adopted, keep the files they already have in memory. Not thread-safe: the agent calls it under
 * its lock.
 */
final class StateFile {
  private final Path file;

  StateFile(Path dataDir) {
    this.file = dataDir.resolve("agent").resolve("assignments.json");
  }

  record Content(
      @JsonProperty("Tasks") List<Task> tasks,
      @JsonProperty("Secrets") List<Secret> secrets,
      @JsonProperty("Configs") List<Config> configs) {}

  WorkerState read() {
    if (!Files.exists(file)) {
      return WorkerState.EMPTY;
    }
    try {
      Content c = Json.read(Files.readAllBytes(file), Content.class);
      // references only (see above): a secret is usable once the manager has sent its data again
      List<Secret> withData = c.secrets() == null ? List.of()
          : c.secrets().stream().filter(x -> x.spec() != null && x.spec().data() != null).toList();
      return new WorkerState(
          index(c.tasks(), Task::id), index(withData, Secret::id), index(c.configs(), Config::id), false);
    } catch (IOException | RuntimeException e) {
      throw new AgentException.StateUnreadable("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  void write(WorkerState s) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      List<Secret> references = s.secrets().values().stream().map(Secret::forApi).toList();
      Files.write(tmp, Json.bytes(new Content(List.copyOf(s.tasks().values()), references,
          List.copyOf(s.configs().values()))));
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system: nothing better to do
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new AgentException.StateUnwritable("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static <T> Map<String, T> index(List<T> l, Function<T, String> id) {
    return l == null ? Map.of() : l.stream().collect(Collectors.toMap(id, Function.identity(), (a, b) -> b));
  }
}
