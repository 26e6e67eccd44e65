package io.shoal.raft;

import java.time.Duration;

/**
 * Tuning of one {@link RaftNode}. The defaults suit a small machine (2 cores shared with the
 * containers it runs): elections wait long enough to ride out a GC pause, segments are small so a
 * purge frees disk soon after a snapshot. Immutable and thread-safe.
 *
 * @param proposeTimeout how long {@link RaftNode#propose} waits for a commit before failing with
 *     {@code Unavailable} (no leader or no quorum)
 * @param electionTimeoutMin lower bound of the randomised follower timeout before it campaigns
 * @param electionTimeoutMax upper bound of that timeout
 * @param rpcTimeout timeout of one raft RPC (append, vote, client request)
 * @param snapshotEvery take a snapshot after this many applied entries (Swarm's default: 10000)
 * @param purgeGap purge the log only once at least this many entries lie below the snapshot
 * @param segmentSizeMax roll a log segment (a file) at this size, in bytes
 * @param snapshotsRetained snapshot files kept on disk
 * @param encryptAtRest seal log entries and snapshots with the data key (see {@link DataKey})
 * @param bindHost the interface the raft port binds to ({@code 0.0.0.0} for all), or null to bind
 *     the host of the advertised address given to {@link RaftNode}
 */
public record RaftConfig(
    Duration proposeTimeout,
    Duration electionTimeoutMin,
    Duration electionTimeoutMax,
    Duration rpcTimeout,
    long snapshotEvery,
    int purgeGap,
    long segmentSizeMax,
    int snapshotsRetained,
    boolean encryptAtRest,
    String bindHost) {

  /**
   * Offset of the default raft port from the cluster-management port ({@code --listen-addr}, 2377):
   * 2378. Less than 10, so daemons on one host whose listen ports are 10 apart never clash.
   */
  public static final int PORT_OFFSET = 1;

  /** The default raft port for a cluster-management (listen) port; overridable by the daemon. */
  public static int raftPort(int listenPort) {
    return listenPort + PORT_OFFSET;
  }

  public RaftConfig {
    if (electionTimeoutMax.compareTo(electionTimeoutMin) <= 0) {
      throw new IllegalArgumentException("electionTimeoutMax must exceed electionTimeoutMin");
    }
    if (snapshotEvery < 1 || purgeGap < 1 || snapshotsRetained < 1) {
      throw new IllegalArgumentException("snapshotEvery, purgeGap and snapshotsRetained must be positive");
    }
  }

  /**
   * Election 1-2 s: Ratis' default (150-300 ms) elects a new leader on every young-GC hiccup of a
   * busy 2-core host; Swarm itself waits ~10 ticks of 1 s. RPC 3 s: longer than an election, so a
   * slow append is not mistaken for a dead peer. Segments 1 MiB: a Shoal entry is a few KB.
   */
  public static RaftConfig defaults() {
    return new RaftConfig(Duration.ofSeconds(10), Duration.ofMillis(1000), Duration.ofMillis(2000),
        Duration.ofSeconds(3), 10_000, 1024, 1 << 20, 2, true, null);
  }

  public RaftConfig withProposeTimeout(Duration d) {
    return new RaftConfig(d, electionTimeoutMin, electionTimeoutMax, rpcTimeout, snapshotEvery, purgeGap,
        segmentSizeMax, snapshotsRetained, encryptAtRest, bindHost);
  }

  public RaftConfig withElectionTimeout(Duration min, Duration max) {
    return new RaftConfig(proposeTimeout, min, max, rpcTimeout, snapshotEvery, purgeGap, segmentSizeMax,
        snapshotsRetained, encryptAtRest, bindHost);
  }

  public RaftConfig withSnapshotEvery(long entries, int purgeGap) {
    return new RaftConfig(proposeTimeout, electionTimeoutMin, electionTimeoutMax, rpcTimeout, entries,
        purgeGap, segmentSizeMax, snapshotsRetained, encryptAtRest, bindHost);
  }

  public RaftConfig withSegmentSizeMax(long bytes) {
    return new RaftConfig(proposeTimeout, electionTimeoutMin, electionTimeoutMax, rpcTimeout, snapshotEvery,
        purgeGap, bytes, snapshotsRetained, encryptAtRest, bindHost);
  }

  public RaftConfig withBindHost(String host) {
    return new RaftConfig(proposeTimeout, electionTimeoutMin, electionTimeoutMax, rpcTimeout, snapshotEvery,
        purgeGap, segmentSizeMax, snapshotsRetained, encryptAtRest, host);
  }

  public RaftConfig withEncryptAtRest(boolean on) {
    return new RaftConfig(proposeTimeout, electionTimeoutMin, electionTimeoutMax, rpcTimeout, snapshotEvery,
        purgeGap, segmentSizeMax, snapshotsRetained, on, bindHost);
  }
}
