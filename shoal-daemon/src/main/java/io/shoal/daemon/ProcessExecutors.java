package io.shoal.daemon;

import io.shoal.agent.exec.Executor;
import java.nio.file.Path;

/** Makes the process executor (tasks as host processes, for machines without an engine). */
final class ProcessExecutors {
  private ProcessExecutors() {}

  static Executor create(String nodeId, Path dataDir) {
    throw new UnsupportedOperationException("process executor: wired when shoal-executor-process lands");
  }
}
