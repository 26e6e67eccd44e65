package io.shoal.daemon.swarm;

import io.shoal.agent.exec.Executor;
import io.shoal.agent.exec.ObservedTask;
import io.shoal.agent.exec.TaskController;
import io.shoal.agent.exec.TaskDependencies;
import io.shoal.api.model.Node;
import io.shoal.api.model.Task;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An executor that reports the node under the daemon's configured host name, with its data path
 * address as an engine label (see {@link DataPath}).
 */
final class NamedExecutor implements Executor {
  private final Executor delegate;
  private final String hostname;
  private final String dataPathAddr;

  NamedExecutor(Executor delegate, String hostname, String dataPathAddr) {
    this.delegate = delegate;
    this.hostname = hostname;
    this.dataPathAddr = dataPathAddr;
  }

  @Override
  public Node.Description describe() {
    Node.Description d = delegate.describe();
    java.util.Map<String, String> labels = new java.util.TreeMap<>(d.engine() == null ? java.util.Map.of() : d.engine().labels());
    labels.put(DataPath.LABEL, dataPathAddr);
    Node.Engine engine = d.engine() == null ? new Node.Engine(null, labels, null)
        : new Node.Engine(d.engine().engineVersion(), labels, d.engine().plugins());
    return new Node.Description(hostname, d.platform(), d.resources(), engine, d.tlsInfo());
  }

  /**
   * Runs {@code task} with its templates expanded for this node (hostname, env, mounts, labels,
   * golang-templated secrets and configs). A template that cannot be rendered here (a field the
   * create-time check could not know, a missing reference) fails the task with the reason.
   */
  @Override
  public TaskController controller(Task task, TaskDependencies deps) {
    TaskTemplates.Expanded e;
    try {
      e = TaskTemplates.expand(task, deps, description());
    } catch (io.shoal.api.template.TemplateException ex) {
      throw new io.shoal.agent.exec.ExecutorException.Rejected("task template: " + ex.getMessage());
    }
    return delegate.controller(e.task(), e.deps());
  }

  private volatile Node.Description described;

  /** This node's description for templates ({@code .Node.Hostname}, {@code .Node.Platform}), asked once. */
  private Node.Description description() {
    Node.Description d = described;
    if (d == null) {
      d = describe();
      described = d;
    }
    return d;
  }

  @Override
  public List<ObservedTask> existing() {
    return delegate.existing();
  }

  @Override
  public CompletableFuture<Void> removeOrphan(ObservedTask orphan) {
    return delegate.removeOrphan(orphan);
  }

  @Override
  public void onNetworkView(io.shoal.api.net.NodeNetworkView view) {
    delegate.onNetworkView(view);
  }

  @Override
  public void leaveNetworks() {
    delegate.leaveNetworks();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
