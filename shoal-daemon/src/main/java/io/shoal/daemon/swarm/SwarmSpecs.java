package io.shoal.daemon.swarm;

import io.shoal.api.model.Cluster;
import io.shoal.api.model.Cluster.SwarmSpec;
import io.shoal.api.error.ShoalException;
import io.shoal.ca.RootCA;

/**
 * Fills a user's swarm spec from Swarm's defaults: zero or absent means "the default", as the
 * docker CLI sends every section with zero values for what the user did not set.
 */
public final class SwarmSpecs {
  private SwarmSpecs() {}

  public static SwarmSpec withDefaults(SwarmSpec given) {
    SwarmSpec d = SwarmSpec.defaults();
    if (given == null) return d;
    Long history = given.orchestration() == null ? null : given.orchestration().taskHistoryRetentionLimit();
    Cluster.Raft r = given.raft();
    Cluster.Raft dr = d.raft();
    Cluster.Raft raft = r == null ? dr : new Cluster.Raft(
        nz(r.snapshotInterval(), dr.snapshotInterval()),
        r.keepOldSnapshots() == null ? dr.keepOldSnapshots() : r.keepOldSnapshots(),
        nz(r.logEntriesForSlowFollowers(), dr.logEntriesForSlowFollowers()),
        r.electionTick() == null || r.electionTick() == 0 ? dr.electionTick() : r.electionTick(),
        r.heartbeatTick() == null || r.heartbeatTick() == 0 ? dr.heartbeatTick() : r.heartbeatTick());
    Long hb = given.dispatcher() == null ? null : given.dispatcher().heartbeatPeriod();
    Cluster.CAConfig ca = given.caConfig();
    Long expiry = ca == null ? null : ca.nodeCertExpiry();
    if (expiry != null && expiry != 0 && expiry < RootCA.MIN_NODE_EXPIRY.toNanos()) {
      // checked here, where the spec is accepted: a stored value the CA cannot sign with would
      // fail every later join and renewal instead (Swarm's words)
      throw new ShoalException.InvalidSpec("minimum certificate expiry time is 1h0m0s");
    }
    return new SwarmSpec(
        given.name() == null || given.name().isEmpty() ? "default" : given.name(),
        given.labels(),
        new Cluster.Orchestration(history == null ? d.orchestration().taskHistoryRetentionLimit() : history),
        raft,
        new Cluster.Dispatcher(nz(hb, d.dispatcher().heartbeatPeriod())),
        new Cluster.CAConfig(nz(expiry, d.caConfig().nodeCertExpiry()),
            ca == null ? null : ca.externalCAs(), null, null, ca == null ? null : ca.forceRotate()),
        given.encryptionConfig(),
        given.taskDefaults());
  }

  /** An update: what the user sent, defaults where it sent zero. */
  public static SwarmSpec update(SwarmSpec given) {
    return withDefaults(given);
  }

  private static Long nz(Long v, Long dflt) {
    return v == null || v == 0 ? dflt : v;
  }
}
