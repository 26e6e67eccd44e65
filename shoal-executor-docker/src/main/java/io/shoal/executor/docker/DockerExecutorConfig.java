package io.shoal.executor.docker;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the docker executor reaches its engine and where it keeps per-task files.
 *
 * @param engineHost the engine's DOCKER_HOST, e.g. {@code unix:///run/shoal-engine/docker.sock}
 * @param nodeId this node's id: containers are labelled with it, and only containers with it are
 *     adopted (several test nodes may share one engine)
 * @param taskDir where secret and config files of tasks are written (under the agent's data dir)
 * @param pullTimeout how long to try pulling an image that is not present locally
 * @param ingressBindIp where ingress target ports are published for the routing mesh: loopback
 *     on a one-machine swarm; the node's own address when other nodes' meshes must reach them
 */
public record DockerExecutorConfig(String engineHost, String nodeId, Path taskDir, Duration pullTimeout,
    String ingressBindIp) {
  public static final String DEFAULT_ENGINE = "unix:///var/run/docker.sock";
  public static final String LOOPBACK = "127.0.0.1";

  public DockerExecutorConfig(String engineHost, String nodeId, Path taskDir, Duration pullTimeout) {
    this(engineHost, nodeId, taskDir, pullTimeout, LOOPBACK);
  }

  public static DockerExecutorConfig of(String engineHost, String nodeId, Path dataDir) {
    return new DockerExecutorConfig(engineHost, nodeId, dataDir.resolve("tasks"), Duration.ofSeconds(30), LOOPBACK);
  }

  public DockerExecutorConfig withIngressBindIp(String ip) {
    return new DockerExecutorConfig(engineHost, nodeId, taskDir, pullTimeout, ip == null || ip.isEmpty() ? LOOPBACK : ip);
  }
}
