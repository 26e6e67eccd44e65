package io.shoal.testkit.sim;

/**
 * Deliberate bugs the harness can be run with, so tests can show that each invariant catches the
 * kind of fault it guards against (a checker that never fires proves nothing). Never set in the
 * scenarios themselves.
 */
public enum Mutation {
  /** Raft grants votes without the log-up-to-date check: a stale member can win and lose commits. */
  VOTE_WITHOUT_LOG_CHECK,
  /** The dispatcher writes status reports even when they move a task backwards. */
  STATUS_BACKWARDS,
  /** The agent ignores a desired state of SHUTDOWN: replaced tasks keep running. */
  AGENT_IGNORES_SHUTDOWN
}
