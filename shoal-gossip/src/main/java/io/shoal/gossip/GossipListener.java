package io.shoal.gossip;

/**
 * What consumers (the dispatcher, the data path, the resolver) hear from a member. Called on the
 * member's own thread, in order; a listener must not block (hand work to its own thread).
 */
public interface GossipListener {
  /** A member joined or changed state (alive, suspect, confirmed dead, left). */
  default void memberChanged(MemberInfo member) {}

  /**
   * A record became visible or changed ({@code present} true) or went away ({@code present}
   * false): deleted by its owner, or its owner confirmed dead or left.
   */
  default void recordChanged(GossipRecord record, boolean present) {}
}
