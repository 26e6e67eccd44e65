package io.shoal.stack.plan;

import io.shoal.api.model.Config;
import io.shoal.api.model.Network;
import io.shoal.api.model.Secret;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.Version;

/**
 * Where a plan is carried out: the daemon's store/controlapi, or a Docker-API client in the CLI.
 * Implementations throw whatever their writes throw; {@link StackExecutor} wraps it in
 * {@link io.shoal.stack.StackException.DeployFailed} naming the step. Called from one thread.
 */
public interface StackTarget {

  /** Every object that matters to {@code stack} (its own, labelled ones, and all it may name as external). */
  ClusterState state(String stack);

  /** @return the new network's id */
  String createNetwork(Network.NetworkSpec spec);

  String createSecret(Secret.Spec spec);

  void updateSecret(String id, Version version, Secret.Spec spec);

  String createConfig(Secret.Spec spec);

  void updateConfig(String id, Version version, Secret.Spec spec);

  /** @return the new service's id */
  String createService(ServiceSpec spec);

  void updateService(String id, Version version, ServiceSpec spec);

  void removeService(String id);

  void removeNetwork(String id);

  void removeSecret(String id);

  void removeConfig(String id);

  /** How far the service's tasks are; read while waiting on a {@code depends_on} condition. */
  Readiness readiness(String serviceId);

  /**
   * Task counts of a service. {@code running} counts tasks in state RUNNING — with a healthcheck,
   * Swarm moves a task to RUNNING only once it is healthy — {@code completed} tasks that exited 0,
   * {@code failed} those that failed or were rejected.
   */
  record Readiness(long desired, long running, long completed, long failed) {}
}
