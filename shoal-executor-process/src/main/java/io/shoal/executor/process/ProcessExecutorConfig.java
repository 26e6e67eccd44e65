package io.shoal.executor.process;

import java.nio.file.Path;

/**
 * @param nodeId this node's id (reported in logs only: processes carry no labels)
 * @param taskDir per-task directories (working dir when the spec has none, output log) live here
 */
public record ProcessExecutorConfig(String nodeId, Path taskDir) {
  public static ProcessExecutorConfig of(String nodeId, Path dataDir) {
    return new ProcessExecutorConfig(nodeId, dataDir.resolve("processes"));
  }
}
