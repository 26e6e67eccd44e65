package io.shoal.raft;

import java.time.Instant;

/**
 * One manager of the raft group as this node sees it, for {@code docker node ls}' MANAGER STATUS
 * ({@code Leader}, {@code Reachable}, {@code Unreachable}). Immutable.
 *
 * @param id raft peer id (the node id)
 * @param address raft address, host:port
 * @param leader whether it is the current leader
 * @param reachability what the leader last heard from it; {@code UNKNOWN} when no leader answered
 * @param lastContact when the leader last heard from it, null when unknown
 */
public record PeerStatus(String id, String address, boolean leader, Reachability reachability, Instant lastContact) {

  /** Docker's words for a manager's health. */
  public enum Reachability {
    REACHABLE,
    UNREACHABLE,
    UNKNOWN
  }

  /** Docker's MANAGER STATUS column: "Leader", "Reachable", "Unreachable" or "". */
  public String managerStatus() {
    if (leader) return "Leader";
    return switch (reachability) {
      case REACHABLE -> "Reachable";
      case UNREACHABLE -> "Unreachable";
      case UNKNOWN -> "";
    };
  }
}
