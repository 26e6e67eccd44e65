package io.shoal.store;

import java.time.Instant;
import java.util.List;

/**
 * A batch of actions applied atomically at one raft index. {@code at} is the proposing leader's
 * clock, carried in the entry so every replica stamps the same times.
 */
public record Proposal(Instant at, List<StoreAction> actions) {
  public Proposal {
    actions = List.copyOf(actions);
  }
}
