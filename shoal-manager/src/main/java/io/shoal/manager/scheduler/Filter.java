package io.shoal.manager.scheduler;

import io.shoal.api.model.Node;
import io.shoal.api.model.PortConfig;
import io.shoal.api.model.Task;
import io.shoal.api.validation.Constraint;
import java.util.List;

/**
 * One test a node must pass to take a task, and how to explain a count of nodes failing it. The
 * explanations, joined, are the "no suitable node (...)" message users see in {@code service ps}.
 */
public sealed interface Filter {
  boolean accepts(NodeInfo n, Task t);

  String explain(int nodes);

  static String plural(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  /** Ready and active (not paused, not drained). */
  record Ready() implements Filter {
    public boolean accepts(NodeInfo n, Task t) {
      return n.node.isReady() && Node.NodeSpec.ACTIVE.equals(n.node.spec().availabilityOrActive());
    }

    public String explain(int nodes) {
      return plural(nodes, "node", "nodes") + " not available for new tasks";
    }
  }

  /** Enough unreserved CPU and memory for the task's reservations. */
  record Resources() implements Filter {
    public boolean accepts(NodeInfo n, Task t) {
      var r = t.spec().resourcesOrNone();
      long cpu = r.reservedCpus();
      long mem = r.reservedMemory();
      if (cpu > 0 && n.totalCpus() - n.reservedCpus < cpu) return false;
      return mem <= 0 || n.totalMemory() - n.reservedMemory >= mem;
    }

    public String explain(int nodes) {
      return "insufficient resources on " + plural(nodes, "node", "nodes");
    }
  }

  /** The task's placement constraints. */
  record Constraints(List<Constraint> constraints) implements Filter {
    public boolean accepts(NodeInfo n, Task t) {
      for (Constraint c : constraints) if (!c.matches(n.node)) return false;
      return true;
    }

    public String explain(int nodes) {
      return "scheduling constraints not satisfied on " + plural(nodes, "node", "nodes");
    }
  }

  /** Host-mode published ports must be free on the node. */
  record HostPorts() implements Filter {
    public boolean accepts(NodeInfo n, Task t) {
      for (PortConfig p : NodeInfo.hostPorts(t)) {
        if (n.hostPorts.contains(p.published() + "/" + p.protocolOrDefault())) return false;
      }
      return true;
    }

    public String explain(int nodes) {
      return "host-mode port already in use on " + plural(nodes, "node", "nodes");
    }
  }

  /** {@code Placement.MaxReplicas} tasks of the service per node at most. */
  record MaxReplicas(long max) implements Filter {
    public boolean accepts(NodeInfo n, Task t) {
      return max == 0 || n.countOf(t.serviceID()) < max;
    }

    public String explain(int nodes) {
      return "max replicas per node limit exceed";
    }
  }
}
