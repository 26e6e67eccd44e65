package io.shoal.agent;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How an agent behaves. {@link #defaults} gives Swarm-like values.
 *
 * @param nodeId this node's id (the certificate's CN once TLS is in)
 * @param addr the address this node reports to the manager
 * @param dataDir where assignments are persisted (a restart without a manager keeps reconciling);
 *     null keeps nothing on disk
 * @param flushInterval how long status changes are coalesced before one batch goes out
 * @param healthPoll how often a task's health verdict is read
 * @param retryDelay wait before retrying an operation the runtime was unavailable for
 * @param backoffMin first wait before re-connecting to an unreachable manager
 * @param backoffMax longest such wait (it doubles up to this, with ±20% jitter)
 */
public record AgentConfig(
    String nodeId,
    String addr,
    Path dataDir,
    Duration flushInterval,
    Duration healthPoll,
    Duration retryDelay,
    Duration backoffMin,
    Duration backoffMax) {

  public static AgentConfig defaults(String nodeId, String addr, Path dataDir) {
    return new AgentConfig(nodeId, addr, dataDir, Duration.ofMillis(100), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofSeconds(5));
  }

  public AgentConfig withTimings(Duration flush, Duration health, Duration retry, Duration bMin, Duration bMax) {
    return new AgentConfig(nodeId, addr, dataDir, flush, health, retry, bMin, bMax);
  }
}
