package io.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The swarm itself (Docker's {@code GET /swarm}). One object, id = cluster id. {@code rootCA} holds
 * the CA material; it is stored and replicated but {@link #forApi()} strips its private parts.
 * {@code removedNodes} lists nodes removed from the swarm, whose certificates every node refuses
 * from then on (as SwarmKit's cluster object does); it is not part of Docker's API shape.
 */
public record Cluster(
    @JsonProperty("ID") String id,
    Version version,
    Instant createdAt,
    Instant updatedAt,
    SwarmSpec spec,
    @JsonProperty("TLSInfo") JsonNode tlsInfo,
    Boolean rootRotationInProgress,
    Integer dataPathPort,
    List<String> defaultAddrPool,
    Integer subnetSize,
    JoinTokens joinTokens,
    @JsonProperty("RootCA") RootCA rootCA,
    List<String> removedNodes,
    List<GossipKeyRecord> networkBootstrapKeys) implements StoreObject {

  public Cluster {
    defaultAddrPool = Labels.list(defaultAddrPool);
    removedNodes = Labels.list(removedNodes);
    networkBootstrapKeys = networkBootstrapKeys == null ? null : List.copyOf(networkBootstrapKeys);
  }

  public Cluster(String id, Version version, Instant createdAt, Instant updatedAt, SwarmSpec spec, JsonNode tlsInfo,
      Boolean rootRotationInProgress, Integer dataPathPort, List<String> defaultAddrPool, Integer subnetSize,
      JoinTokens joinTokens, RootCA rootCA, List<String> removedNodes) {
    this(id, version, createdAt, updatedAt, spec, tlsInfo, rootRotationInProgress, dataPathPort, defaultAddrPool,
        subnetSize, joinTokens, rootCA, removedNodes, null);
  }

  /** The gossip keys (managers rotate them, see the key manager); null before the first. */
  public Cluster withNetworkBootstrapKeys(List<GossipKeyRecord> keys) {
    return new Cluster(id, version, createdAt, updatedAt, spec, tlsInfo, rootRotationInProgress, dataPathPort,
        defaultAddrPool, subnetSize, joinTokens, rootCA, removedNodes, keys);
  }

  public Cluster(String id, Version version, Instant createdAt, Instant updatedAt, SwarmSpec spec, JsonNode tlsInfo,
      Boolean rootRotationInProgress, Integer dataPathPort, List<String> defaultAddrPool, Integer subnetSize,
      JoinTokens joinTokens, RootCA rootCA) {
    this(id, version, createdAt, updatedAt, spec, tlsInfo, rootRotationInProgress, dataPathPort, defaultAddrPool,
        subnetSize, joinTokens, rootCA, null);
  }

  public boolean removed(String nodeId) {
    return removedNodes != null && removedNodes.contains(nodeId);
  }

  public Cluster withRemovedNode(String nodeId) {
    List<String> r = new java.util.ArrayList<>(removedNodes == null ? List.of() : removedNodes);
    if (!r.contains(nodeId)) r.add(nodeId);
    return new Cluster(id, version, createdAt, updatedAt, spec, tlsInfo, rootRotationInProgress, dataPathPort,
        defaultAddrPool, subnetSize, joinTokens, rootCA, r, networkBootstrapKeys);
  }

  public Cluster stamped(long index, Instant at) {
    return new Cluster(id, new Version(index), StoreObject.created(createdAt, at), at, spec, tlsInfo,
        rootRotationInProgress, dataPathPort, defaultAddrPool, subnetSize, joinTokens, rootCA, removedNodes, networkBootstrapKeys);
  }

  public Kind kind() {
    return Kind.CLUSTER;
  }

  public Cluster withSpec(SwarmSpec s) {
    return new Cluster(id, version, createdAt, updatedAt, s, tlsInfo, rootRotationInProgress,
        dataPathPort, defaultAddrPool, subnetSize, joinTokens, rootCA, removedNodes, networkBootstrapKeys);
  }

  public Cluster withJoinTokens(JoinTokens j) {
    return new Cluster(id, version, createdAt, updatedAt, spec, tlsInfo, rootRotationInProgress,
        dataPathPort, defaultAddrPool, subnetSize, j, rootCA, removedNodes, networkBootstrapKeys);
  }

  public Cluster withRootCA(RootCA r, JsonNode tls) {
    return new Cluster(id, version, createdAt, updatedAt, spec, tls, rootRotationInProgress,
        dataPathPort, defaultAddrPool, subnetSize, joinTokens, r, removedNodes, networkBootstrapKeys);
  }

  /** The shape served on the API: no CA key. */
  public Cluster forApi() {
    return new Cluster(id, version, createdAt, updatedAt, spec, tlsInfo, rootRotationInProgress,
        dataPathPort, defaultAddrPool, subnetSize, joinTokens, null, null, null);
  }

  public record JoinTokens(String worker, String manager) {}

  /** The CA: certificate PEM, key PEM (encrypted at rest by raft), and join token secrets. */
  public record RootCA(String caCert, String caKey, String caCertHash) {}

  /** Docker's {@code SwarmSpec}. */
  public record SwarmSpec(
      String name,
      Map<String, String> labels,
      Orchestration orchestration,
      Raft raft,
      Dispatcher dispatcher,
      @JsonProperty("CAConfig") CAConfig caConfig,
      JsonNode encryptionConfig,
      JsonNode taskDefaults) {
    public SwarmSpec {
      labels = Labels.copy(labels);
    }

    public static SwarmSpec defaults() {
      return new SwarmSpec("default", Map.of(), new Orchestration(5L),
          new Raft(10000L, 0L, 500L, 10, 1), new Dispatcher(5_000_000_000L),
          new CAConfig(7_776_000_000_000_000L, null, null, null, null), null, null);
    }

    public long taskHistoryLimit() {
      return orchestration == null || orchestration.taskHistoryRetentionLimit() == null
          ? 5 : orchestration.taskHistoryRetentionLimit();
    }

    public long heartbeatNanos() {
      return dispatcher == null || dispatcher.heartbeatPeriod() == null || dispatcher.heartbeatPeriod() == 0
          ? 5_000_000_000L : dispatcher.heartbeatPeriod();
    }
  }

  public record Orchestration(Long taskHistoryRetentionLimit) {}

  public record Raft(Long snapshotInterval, Long keepOldSnapshots, Long logEntriesForSlowFollowers,
      Integer electionTick, Integer heartbeatTick) {}

  public record Dispatcher(Long heartbeatPeriod) {}

  public record CAConfig(Long nodeCertExpiry, @JsonProperty("ExternalCAs") JsonNode externalCAs,
      @JsonProperty("SigningCACert") String signingCACert, @JsonProperty("SigningCAKey") String signingCAKey,
      Long forceRotate) {}
}
