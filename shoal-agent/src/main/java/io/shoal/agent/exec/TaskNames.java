package io.shoal.agent.exec;

import io.shoal.api.model.Task;

/**
 * Docker Swarm's naming and labelling of task containers, shared by all executors so a restarted
 * agent finds what an earlier one made. The container of a replicated task is
 * {@code <service>.<slot>.<task id>}, of a global task {@code <service>.<node id>.<task id>}.
 */
public final class TaskNames {
  public static final String LABEL_SERVICE_ID = "com.docker.swarm.service.id";
  public static final String LABEL_SERVICE_NAME = "com.docker.swarm.service.name";
  public static final String LABEL_TASK = "com.docker.swarm.task";
  public static final String LABEL_TASK_ID = "com.docker.swarm.task.id";
  public static final String LABEL_TASK_NAME = "com.docker.swarm.task.name";
  public static final String LABEL_NODE_ID = "com.docker.swarm.node.id";

  private TaskNames() {}

  /**
   * The service's name. Tasks carry it in their {@code name} as {@code docker service ps} shows
   * it ({@code web.1}, {@code web.<node id>}) or as a label; without either, the service id.
   */
  public static String serviceName(Task t) {
    String label = t.labels().get(LABEL_SERVICE_NAME);
    if (label != null && !label.isBlank()) {
      return label;
    }
    String n = t.name();
    if (n == null || n.isBlank()) {
      return t.serviceID() == null ? "task" : t.serviceID();
    }
    String suffix = "." + slotOrNode(t);
    if (n.endsWith("." + t.id())) {
      n = n.substring(0, n.length() - t.id().length() - 1);
    }
    return n.endsWith(suffix) ? n.substring(0, n.length() - suffix.length()) : n;
  }

  private static String slotOrNode(Task t) {
    return t.slot() > 0 ? Long.toString(t.slot()) : String.valueOf(t.nodeID());
  }

  /** {@code <service>.<slot or node id>.<task id>}: the container name and the task.name label. */
  public static String containerName(Task t) {
    return serviceName(t) + "." + slotOrNode(t) + "." + t.id();
  }
}
