package io.shoal.executor.docker;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a node keeps its tasks' secret files: an in-memory file system (tmpfs), never the node's
 * disk, as Swarm does. Chosen once, in this order:
 * <ol>
 *   <li>{@code <agent data dir>/secrets} when the operator already mounted a tmpfs there;
 *   <li>{@code /dev/shm/shoal-<node id>}: the tmpfs every Linux host has. It is shared by every
 *       mount namespace, so a dockerd started in another one (as {@code ip netns exec} does)
 *       sees the files it is asked to bind-mount, which a tmpfs the daemon mounted itself in its
 *       own namespace would not be;
 *   <li>a tmpfs the daemon mounts at {@code <agent data dir>/secrets} (root only).
 * </ol>
 * With none of these, tasks that use secrets are rejected: writing them to disk instead would be
 * the silent downgrade this exists to prevent. Thread-safe (immutable once built).
 */
final class SecretMemory {
  private static final Logger log = LoggerFactory.getLogger(SecretMemory.class);
  private static final String TMPFS = "tmpfs";

  private final Path root;
  private final String why;

  private SecretMemory(Path root, String why) {
    this.root = root;
    this.why = why;
  }

  /** The directory for secrets, or null with {@link #unavailable()} saying why. */
  Path root() {
    return root;
  }

  String unavailable() {
    return why;
  }

  /** @param onDisk the directory that would be used on disk: {@code <agent data dir>/secrets} */
  static SecretMemory choose(Path onDisk, String nodeId) {
    if (isTmpfs(onDisk)) return at(onDisk, "an operator-mounted tmpfs");
    Path shm = Path.of("/dev/shm");
    if (isTmpfs(shm)) {
      Path dir = shm.resolve("shoal-" + nodeId.replaceAll("[^A-Za-z0-9_.-]", "_"));
      try {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return at(dir, "/dev/shm");
      } catch (IOException | UnsupportedOperationException e) {
        log.warn("cannot use {} for secrets: {}", dir, e.toString());
      }
    }
    String mounted = mountTmpfs(onDisk);
    if (mounted == null && isTmpfs(onDisk)) return at(onDisk, "a tmpfs mounted by this daemon");
    return new SecretMemory(null, "no in-memory file system (tmpfs) for secrets on this node: /dev/shm is not a tmpfs"
        + " and mounting one at " + onDisk + " failed (" + mounted + "); Shoal never writes secrets to disk");
  }

  private static SecretMemory at(Path dir, String what) {
    log.info("task secrets are kept in memory: {} ({})", dir, what);
    return new SecretMemory(dir, null);
  }

  static boolean isTmpfs(Path p) {
    try {
      if (!Files.isDirectory(p)) return false;
      FileStore fs = Files.getFileStore(p);
      return TMPFS.equals(fs.type());
    } catch (IOException e) {
      return false;
    }
  }

  /** Mounts a small tmpfs at {@code dir}; null on success, else what went wrong. */
  private static String mountTmpfs(Path dir) {
    try {
      Files.createDirectories(dir);
      Process p = new ProcessBuilder(List.of("mount", "-t", TMPFS, "-o", "mode=0700,size=64m,nosuid,nodev,noexec",
          "shoal-secrets", dir.toString())).redirectErrorStream(true).start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "mount timed out";
      }
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.exitValue() == 0 ? null : out.isEmpty() ? "exit " + p.exitValue() : out;
    } catch (IOException e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
