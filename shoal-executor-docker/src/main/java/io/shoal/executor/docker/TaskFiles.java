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
 * A task's secrets and configs as files in a per-task directory under the agent's data dir
 * ({@code <dir>/<task id>/secrets|configs/<id>}), bind-mounted read-only into the container:
 * secrets at {@code /run/secrets/<File.Name>} (or File.Name when absolute), configs at File.Name
 * (absolute, else under {@code /}). The file mode is the reference's (0444 by default), owner
 * UID/GID set when given and permitted. Swarm keeps secrets on tmpfs; putting the data dir on a
 * tmpfs gives the same.
 */
final class TaskFiles {
  private final Path root;

  TaskFiles(Path root) {
    this.root = root;
  }

  Path dir(String taskId) {
    return root.resolve(taskId);
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
      Path f = file(t.id(), "secrets", r.secretID(), secret.spec().data(), r.file());
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
      Path f = file(t.id(), "configs", r.configID(), config.spec().data(), r.file());
      mounts.add(bind(f, target));
    }
    return mounts;
  }

  private Path file(String taskId, String kind, String id, String base64, SecretReference.FileTarget ft) {
    try {
      Path d = dir(taskId).resolve(kind);
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

  /** Deletes the task's directory. */
  void delete(String taskId) {
    Path d = dir(taskId);
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
