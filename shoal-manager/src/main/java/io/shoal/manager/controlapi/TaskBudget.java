package io.shoal.manager.controlapi;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.validation.SpecValidator;
import io.shoal.store.ReadTx;

/**
 * The cluster-wide bound on desired tasks, checked inside the write that would pass it so two
 * concurrent creates cannot both slip under it. Pure over the transaction's view; stateless.
 *
 * <p>Why {@value #MAX_TASKS_PER_CLUSTER}: every manager holds every task (with up to 5 finished
 * ones of history per slot) in memory and in its raft log, and the orchestrator and scheduler
 * plan over all of them. Twice the largest measured cluster (100,000 tasks on 5,000 nodes, see
 * docs/BENCHMARKS.md) leaves room to grow while keeping a manager's heap bounded no matter what
 * the API is asked; {@link SpecValidator#MAX_TASKS_PER_SERVICE} bounds any single service.
 */
final class TaskBudget {
  static final long MAX_TASKS_PER_CLUSTER = 200_000;

  private TaskBudget() {}

  /**
   * Refuses {@code next} (replacing {@code replacing}, null for a create) when the desired tasks
   * of every service would pass {@link #MAX_TASKS_PER_CLUSTER}. A refusal writes nothing.
   */
  static void check(ReadTx tx, ServiceSpec next, Service replacing) {
    long nodes = tx.nodes().size();
    // scaling down (or keeping the count) is always allowed, so a cluster over the bound can shrink
    if (replacing != null && desired(next.modeOrDefault(), nodes) <= desired(replacing.spec().modeOrDefault(), nodes)) return;
    long total = desired(next.modeOrDefault(), nodes);
    for (Service s : tx.services()) {
      if (replacing != null && s.id().equals(replacing.id())) continue;
      total += desired(s.spec().modeOrDefault(), nodes);
    }
    if (total > MAX_TASKS_PER_CLUSTER) {
      throw new ShoalException.InvalidSpec("services would ask for " + total + " tasks in all, more than Shoal allows in one"
          + " cluster (" + MAX_TASKS_PER_CLUSTER + "): scale other services down or remove some first");
    }
  }

  /** Tasks a mode keeps at once: replicas, a job's concurrency, or one per node for global modes. */
  static long desired(ServiceMode m, long nodes) {
    if (m.isGlobal()) return nodes;
    if (m.replicatedJob() != null) return m.replicatedJob().maxConcurrentOrDefault();
    return m.replicaCount();
  }
}
