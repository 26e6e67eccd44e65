package io.shoal.gossip;

/** Why an incoming packet or stream was dropped; each is a counter in {@link GossipMetrics}. */
public enum DropReason {
  OVERSIZED,
  TRUNCATED,
  UNKNOWN_KEY,
  AUTHENTICATION_FAILED,
  REPLAYED,
  STALE,
  REMOVED_NODE,
  SENDER_MISMATCH,
  MALFORMED
}
