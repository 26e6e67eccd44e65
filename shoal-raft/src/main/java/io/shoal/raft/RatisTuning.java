package io.shoal.raft;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * The Ratis properties Shoal runs with, derived from a {@link RaftConfig}; each setting says why it
 * differs from Ratis' default. Stateless.
 */
final class RatisTuning {
  private RatisTuning() {}

  static RaftProperties properties(RaftConfig config, String address, Path dataDir) {
    RaftProperties p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    int colon = address.lastIndexOf(':');
    GrpcConfigKeys.Server.setHost(p, config.bindHost() != null ? config.bindHost() : address.substring(0, colon));
    GrpcConfigKeys.Server.setPort(p, Integer.parseInt(address.substring(colon + 1)));
    RaftServerConfigKeys.setStorageDir(p, List.of(dataDir.toFile()));

    RaftServerConfigKeys.Rpc.setTimeoutMin(p, td(config.electionTimeoutMin()));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, td(config.electionTimeoutMax()));
    // The first election after a start has nobody to wait for when the group is fresh or all
    // managers restart together; pre-vote keeps a fast first timeout from disrupting a leader.
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, td(config.electionTimeoutMin().dividedBy(4)));
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, td(config.electionTimeoutMin().dividedBy(2)));
    RaftServerConfigKeys.Rpc.setRequestTimeout(p, td(config.rpcTimeout()));
    // A manager back from a partition must not depose a healthy leader with its inflated term.
    RaftServerConfigKeys.LeaderElection.setPreVote(p, true);
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, td(config.rpcTimeout()));

    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(config.segmentSizeMax()));
    RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf(Math.min(config.segmentSizeMax(), 1 << 20)));
    // The largest entry is bounded by the appender's byte limit (MemoryStore batches up to 500
    // actions, ~1-2 MiB); Ratis refuses to start unless the write buffer exceeds that limit + 8.
    RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf(4 << 20));
    RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf((4 << 20) + 64 * 1024));
    RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, true);

    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotEvery());
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, config.snapshotsRetained());
    // Purge up to the snapshot even when a follower lags or is down (it gets the snapshot
    // instead); otherwise one dead manager stops log compaction for good. Like Swarm, keep some
    // entries below the snapshot so a briefly slow follower catches up from the log.
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgePreservationLogNum(p, Math.min(500, config.snapshotEvery() / 2));
    RaftServerConfigKeys.Log.setPurgeGap(p, config.purgeGap());
    return p;
  }

  static TimeDuration td(Duration d) {
    return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Retry until {@link RaftConfig#proposeTimeout()}, then give up: Ratis' default for writes
   * retries forever and for other requests (membership changes) spins without sleeping.
   */
  static RetryPolicy retryPolicy(RaftConfig config) {
    TimeDuration sleep = TimeDuration.valueOf(100, TimeUnit.MILLISECONDS);
    TimeDuration timeout = td(config.proposeTimeout());
    RequestTypeDependentRetryPolicy.Builder b = RequestTypeDependentRetryPolicy.newBuilder();
    for (RaftClientRequestProto.TypeCase t : RaftClientRequestProto.TypeCase.values()) {
      b.setRetryPolicy(t, RetryPolicies.retryForeverWithSleep(sleep)).setTimeout(t, timeout);
    }
    return b.build();
  }

}
