package io.shoal.daemon;

import io.shoal.agent.exec.Executor;
import io.shoal.executor.process.ProcessExecutor;
import io.shoal.executor.process.ProcessExecutorConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;

/** Makes the process executor (tasks as host processes, for machines without an engine). */
final class ProcessExecutors {
  private ProcessExecutors() {}

  static Executor create(String nodeId, Path dataDir) {
    return new ProcessExecutor(ProcessExecutorConfig.of(nodeId, dataDir), Clock.systemUTC(),
        Executors.newScheduledThreadPool(1, daemonThreads("shoal-process-timer")),
        Executors.newCachedThreadPool(daemonThreads("shoal-process")));
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
