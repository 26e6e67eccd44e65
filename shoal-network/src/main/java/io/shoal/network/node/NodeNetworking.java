package io.shoal.network.node;

import io.shoal.api.net.NodeNetworkView;
import io.shoal.api.net.NodeNetworkView.EndpointInfo;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's consumers of the network view (resolver, VIP balancing, routing mesh) behind one
 * door: the daemon hands every new view to {@link #onView}, and the agent calls
 * {@link #onTaskStopping} before it stops a task's container, so every consumer forgets the
 * task's endpoints before the container gets SIGTERM — earlier than the managers' next view.
 *
 * <p>A stopping task stays forgotten until a view no longer lists it (the managers caught up),
 * then the mark is dropped. Threading: both entry points may be called from any thread; calls
 * are serialised here, and each consumer sees views in order.
 */
public final class NodeNetworking implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeNetworking.class);

  /** Something on this node built from the view; {@code stopping} tasks are to be left out. */
  public interface Consumer extends AutoCloseable {
    void apply(NodeNetworkView view, Set<String> stopping);

    @Override
    default void close() {}
  }

  private final List<Consumer> consumers = new CopyOnWriteArrayList<>();
  private final Set<String> stopping = new HashSet<>();
  private NodeNetworkView last;

  public NodeNetworking(List<Consumer> consumers) {
    this.consumers.addAll(consumers);
  }

  public synchronized void onView(NodeNetworkView view) {
    if (last != null && view.version() < last.version()) return; // an old answer overtaken by a newer one
    Set<String> listed = view.endpoints().stream().map(EndpointInfo::taskId).collect(Collectors.toSet());
    stopping.retainAll(listed);
    last = view;
    push();
  }

  /** The agent is about to stop this task's container. */
  public synchronized void onTaskStopping(String taskId) {
    if (!stopping.add(taskId)) return;
    if (last != null && last.endpoints().stream().anyMatch(e -> e.taskId().equals(taskId))) push();
  }

  public synchronized NodeNetworkView lastView() {
    return last;
  }

  private void push() {
    Set<String> s = Set.copyOf(stopping);
    for (Consumer c : consumers) {
      try {
        c.apply(last, s);
      } catch (RuntimeException e) {
        log.warn("network view consumer {} failed: {}", c.getClass().getSimpleName(), e.toString(), e);
      }
    }
  }

  @Override
  public void close() {
    for (Consumer c : consumers) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("closing {}: {}", c.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
