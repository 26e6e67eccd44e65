package io.shoal.testkit.sim.raft;

import java.util.List;

/** The messages of the raft model, as in the Raft paper (figure 2). */
public sealed interface RaftMessage {
  long term();

  record RequestVote(long term, String candidate, long lastIndex, long lastTerm) implements RaftMessage {}

  record Vote(long term, boolean granted) implements RaftMessage {}

  record Append(long term, String leader, long prevIndex, long prevTerm, List<Entry> entries, long leaderCommit)
      implements RaftMessage {
    public Append {
      entries = List.copyOf(entries);
    }
  }

  /** {@code match}: on success the last index now known equal to the leader's; else a hint where to retry. */
  record AppendReply(long term, boolean success, long match) implements RaftMessage {}
}
