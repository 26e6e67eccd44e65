package io.shoal.gossip;

/** SWIM's view of a member: alive, suspected, confirmed dead, or gone by its own leave. */
public enum MemberState {
  ALIVE,
  SUSPECT,
  DEAD,
  LEFT;

  /** Dead or left: not probed, not gossiped to, its records no longer visible. */
  public boolean gone() {
    return this == DEAD || this == LEFT;
  }
}
