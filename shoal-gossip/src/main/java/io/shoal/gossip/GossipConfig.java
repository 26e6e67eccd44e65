package io.shoal.gossip;

import java.time.Duration;

/**
 * The protocol's timings and sizes. {@link #lan()} is the default for a data centre network:
 * tighter than memberlist's LAN profile (1 s probes, suspicion x4) because Swarm's failure
 * detection target here is a cut node confirmed dead in about 3 s; Lifeguard's local health
 * awareness is what keeps those short timeouts from accusing healthy nodes when this one is slow.
 *
 * @param probeInterval       one probe of one member per interval (scaled by local health)
 * @param probeTimeout        wait for a direct ack before asking {@code indirectChecks} peers
 * @param indirectChecks      k peers asked to probe a member that did not answer
 * @param suspicionMult       minimum suspicion = mult x max(1, log10 n) x probeInterval
 * @param suspicionMaxMult    suspicion starts at maxMult x minimum, shrinks with confirmations
 * @param maxLocalHealth      local health multiplier cap (Lifeguard's "awareness")
 * @param gossipInterval      one dissemination round (only when something is queued)
 * @param gossipFanout        members a round sends to
 * @param retransmitMult      each update is sent retransmitMult x ceil(log10(n + 1)) times
 * @param pushPullInterval    full-state exchange with one random member (anti-entropy)
 * @param reconnectInterval   full-state exchange with one member believed dead (heals partitions)
 * @param deadRetention       a dead member's entry (and its records) are forgotten after this
 * @param tombstoneRetention  a deleted record is kept this long so the delete reaches everyone
 * @param packetBudget        bytes of one datagram, piggybacked updates included
 */
public record GossipConfig(
    Duration probeInterval,
    Duration probeTimeout,
    int indirectChecks,
    int suspicionMult,
    int suspicionMaxMult,
    int maxLocalHealth,
    Duration gossipInterval,
    int gossipFanout,
    int retransmitMult,
    Duration pushPullInterval,
    Duration reconnectInterval,
    Duration deadRetention,
    Duration tombstoneRetention,
    int packetBudget) {

  public static final int DEFAULT_PORT = 7946;
  /** Largest datagram accepted (before decryption); anything bigger is dropped as oversized. */
  public static final int MAX_PACKET = 65_000;
  /** Largest push-pull stream accepted. */
  public static final int MAX_STREAM = 32 << 20;

  public GossipConfig {
    if (probeTimeout.compareTo(probeInterval) >= 0) {
      throw new IllegalArgumentException("probe timeout must be shorter than the probe interval");
    }
    if (gossipFanout < 1 || indirectChecks < 0 || suspicionMult < 1 || suspicionMaxMult < 1 || retransmitMult < 1) {
      throw new IllegalArgumentException("fanout, suspicion and retransmit multipliers must be positive");
    }
    if (packetBudget < 512 || packetBudget > MAX_PACKET) {
      throw new IllegalArgumentException("packet budget must be within 512.." + MAX_PACKET);
    }
  }

  public static GossipConfig lan() {
    return new GossipConfig(Duration.ofMillis(500), Duration.ofMillis(200), 3, 3, 4, 8,
        Duration.ofMillis(100), 3, 4, Duration.ofSeconds(30), Duration.ofSeconds(10),
        Duration.ofMinutes(5), Duration.ofMinutes(5), 1400);
  }

  public GossipConfig withPushPullInterval(Duration d) {
    return new GossipConfig(probeInterval, probeTimeout, indirectChecks, suspicionMult, suspicionMaxMult,
        maxLocalHealth, gossipInterval, gossipFanout, retransmitMult, d, reconnectInterval, deadRetention,
        tombstoneRetention, packetBudget);
  }

  public GossipConfig withRetention(Duration dead, Duration tombstones) {
    return new GossipConfig(probeInterval, probeTimeout, indirectChecks, suspicionMult, suspicionMaxMult,
        maxLocalHealth, gossipInterval, gossipFanout, retransmitMult, pushPullInterval, reconnectInterval, dead,
        tombstones, packetBudget);
  }

  public GossipConfig withReconnectInterval(Duration d) {
    return new GossipConfig(probeInterval, probeTimeout, indirectChecks, suspicionMult, suspicionMaxMult,
        maxLocalHealth, gossipInterval, gossipFanout, retransmitMult, pushPullInterval, d, deadRetention,
        tombstoneRetention, packetBudget);
  }
}
