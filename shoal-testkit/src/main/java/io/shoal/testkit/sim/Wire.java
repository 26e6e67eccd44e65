package io.shoal.testkit.sim;

import io.shoal.api.dispatch.TaskStatusUpdate;
import io.shoal.api.model.Task;
import io.shoal.store.Proposal;
import java.util.List;

/** Messages between simulated managers (write forwarding) and between agents and the dispatcher. */
final class Wire {
  private Wire() {}

  /** A follower hands a user's write to the leader. */
  record Forward(long request, Proposal proposal) {}

  /** The leader's answer: where the entry went ({@code index}, {@code entryId}) or why not. */
  record Forwarded(long request, long index, long entryId, String error) {}

  record Register(String node) {}

  /** {@code error} null: a session; else the reason, with the leader if this manager knows it. */
  record Registered(String session, long periodMillis, String error, String leaderHint) {}

  record Heartbeat(String node, String session, List<TaskStatusUpdate> statuses) {}

  record HeartbeatReply(String session, long periodMillis, String error, String leaderHint) {}

  record Statuses(String node, String session, List<TaskStatusUpdate> statuses) {}

  /** The full set of a node's tasks (ASSIGNED and later); {@code seq} orders sets of one session. */
  record AssignmentSet(String session, long seq, List<Task> tasks) {}
}
