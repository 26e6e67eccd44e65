package io.shoal.daemon.swarm;

import io.shoal.agent.exec.Executor;
import io.shoal.agent.exec.ObservedTask;
import io.shoal.agent.exec.TaskController;
import io.shoal.agent.exec.TaskDependencies;
import io.shoal.api.model.Node;
import io.shoal.api.model.Task;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An executor that reports the node under the daemon's configured host name. */
final class NamedExecutor implements Executor {
  private final Executor delegate;
  private final String hostname;

  NamedExecutor(Executor delegate, String hostname) {
    this.delegate = delegate;
    this.hostname = hostname;
  }

  @Override
  public Node.Description describe() {
    Node.Description d = delegate.describe();
    return new Node.Description(hostname, d.platform(), d.resources(), d.engine(), d.tlsInfo());
  }

  @Override
  public TaskController controller(Task task, TaskDependencies deps) {
    return delegate.controller(task, deps);
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
  public void close() {
    delegate.close();
  }
}
