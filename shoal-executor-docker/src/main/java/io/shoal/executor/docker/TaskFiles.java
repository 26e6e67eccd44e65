package io.shoal.executor.docker;

import com.github.dockerjava.api.model.MountType;
import io.shoal.agent.exec.ExecutorException;
import io.shoal.agent.exec.TaskDependencies;
import io.shoal.api.model.ConfigReference;
import io.shoal.api.model.ContainerSpec;
import io.shoal.api.model.SecretReference;
import io.shoal.api.model.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A task's secrets and configs as files in per-task directories, bind-mounted read-only into the
 * container: secrets at {@code /run/secrets/<File.Name>} (or File.Name when absolute), configs at
 * File.Name (absolute, else under {@code /}). The file mode is the reference's (0444 by default),
 * owner UID/GID set when given and permitted.
 *
 * <p>Configs live under the agent's data dir ({@code <dir>/<task id>/configs/<id>}). Secrets live
 * only in memory ({@link SecretMemory}: {@code <tmpfs>/<task id>/<id>}), as Swarm keeps them, and
 * never touch the node's disk; both are removed with the task.
 */
final class TaskFiles {
  private final Path root;
  private final String nodeId;
  private SecretMemory memory; // guarded by this; chosen on first use

  TaskFiles(Path root, String nodeId) {
    this.root = root;
    this.nodeId = nodeId;
  }

  /** A node that never runs a task with secrets chooses (and creates) nothing. */
  private synchronized SecretMemory memory() {
    if (memory == null) memory = SecretMemory.choose(root.resolveSibling("secrets"), nodeId);
    return memory;
  }

  private synchronized SecretMemory chosen() {
    return memory;
  }

  Path dir(String taskId) {
    return root.resolve(taskId);
  }

  /** The task's secret directory in memory, or null when this node has no tmpfs for secrets. */
  Path secretDir(String taskId) {
    Path r = memory().root();
    return r == null ? null : r.resolve(taskId);
  }

  /** Writes the files and returns the mounts for them. */
  List<com.github.dockerjava.api.model.Mount> write(Task t, TaskDependencies deps) {
    ContainerSpec cs = t.spec().containerSpec();
    List<com.github.dockerjava.api.model.Mount> mounts = new ArrayList<>();
    for (SecretReference r : cs.secrets() == null ? List.<SecretReference>of() : cs.secrets()) {
      var secret = deps.secret(r.secretID()).orElseThrow(() ->
          new ExecutorException.Rejected("secret " + r.secretName() + " (" + r.secretID() + ") not available on this node"));
      String name = r.file() == null || r.file().name() == null ? r.secretName() : r.file().name();
      String target = name.startsWith("/") ? name : "/run/secrets/" + name;
      Path dir = secretDir(t.id());
      if (dir == null) throw new ExecutorException.Rejected(memory().unavailable());
      Path f = file(dir, t.id(), "secret", r.secretID(), secret.spec().data(), r.file());
      mounts.add(bind(f, target));
    }
    for (ConfigReference r : cs.configs() == null ? List.<ConfigReference>of() : cs.configs()) {
      if (r.file() == null) {
        continue; // a runtime config (credential spec): nothing to mount
      }
      var config = deps.config(r.configID()).orElseThrow(() ->
          new ExecutorException.Rejected("config " + r.configName() + " (" + r.configID() + ") not available on this node"));
      String name = r.file().name() == null ? r.configName() : r.file().name();
      String target = name.startsWith("/") ? name : "/" + name;
      Path f = file(dir(t.id()).resolve("configs"), t.id(), "config", r.configID(), config.spec().data(), r.file());
      mounts.add(bind(f, target));
    }
    return mounts;
  }

  private Path file(Path d, String taskId, String kind, String id, String base64, SecretReference.FileTarget ft) {
    try {
      Files.createDirectories(d);
      Path f = d.resolve(id);
      byte[] data = base64 == null ? new byte[0] : Base64.getDecoder().decode(base64);
      Files.write(f, data);
      int mode = ft == null || ft.mode() == null ? 0444 : ft.mode();
      Files.setPosixFilePermissions(f, permissions(mode));
      if (ft != null) {
        owner(f, "unix:uid", ft.uid());
        owner(f, "unix:gid", ft.gid());
      }
      return f;
    } catch (IOException | IllegalArgumentException e) {
      throw new ExecutorException.Rejected("cannot write " + kind + " file for task " + taskId + ": " + e.getMessage(), e);
    }
  }

  private static void owner(Path f, String attr, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    try {
      Files.setAttribute(f, attr, Integer.parseInt(value));
    } catch (IOException | RuntimeException e) {
      // not root, or not a number: the file stays the agent's; readable through its mode
    }
  }

  private static com.github.dockerjava.api.model.Mount bind(Path f, String target) {
    return new com.github.dockerjava.api.model.Mount().withType(MountType.BIND)
        .withSource(f.toAbsolutePath().toString()).withTarget(target).withReadOnly(true);
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < order.length; i++) {
      if ((mode & (1 << i)) != 0) {
        s.add(order[i]);
      }
    }
    return s;
  }

  /** Deletes the task's directories: its configs on disk and its secrets in memory. */
  void delete(String taskId) {
    deleteTree(dir(taskId));
    SecretMemory m = chosen();
    if (m != null && m.root() != null) deleteTree(m.root().resolve(taskId));
  }

  /** On executor close: removes the node's secret directory if no task's secrets are left in it. */
  void releaseMemory() {
    SecretMemory m = chosen();
    if (m == null || m.root() == null) return;
    try {
      Files.deleteIfExists(m.root());
    } catch (IOException e) {
      // not empty: adopted tasks still use their secrets after a restart
    }
  }

  private static void deleteTree(Path d) {
    if (!Files.exists(d)) {
      return;
    }
    try (Stream<Path> s = Files.walk(d)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // leftovers are harmless; the next remove tries again
    }
  }
}
