package io.shoal.manager.orchestrator;

import io.shoal.api.model.Node;

/** Whether a node can keep running tasks, and whether it may take new ones. */
public final class NodeAvailability {
  private NodeAvailability() {}

  /** Tasks on a node that is gone, down or drained must move (replicated) or stop (global). */
  public static boolean lost(Node n) {
    if (n == null) return true;
    if (n.status() != null && Node.DOWN.equals(n.status().state())) return true;
    return n.spec() != null && Node.NodeSpec.DRAIN.equals(n.spec().availabilityOrActive());
  }

  /** Ready and active: may be given new tasks. */
  public static boolean acceptsNew(Node n) {
    return n != null && n.isReady() && Node.NodeSpec.ACTIVE.equals(n.spec().availabilityOrActive());
  }
}
