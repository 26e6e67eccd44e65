package io.shoal.testkit.sim.raft;

import io.shoal.store.Proposal;

/**
 * One raft log entry: the term it was appended in, a run-unique id (so checks can tell two entries
 * at the same index apart), and the store proposal it carries — null for the no-op a new leader
 * appends to commit what earlier terms left.
 */
public record Entry(long term, long id, Proposal proposal) {
  public boolean noop() {
    return proposal == null;
  }
}
