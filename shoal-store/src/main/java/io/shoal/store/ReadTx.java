package io.shoal.store;

import io.shoal.api.model.Cluster;
import io.shoal.api.model.Config;
import io.shoal.api.model.Network;
import io.shoal.api.model.Node;
import io.shoal.api.model.Secret;
import io.shoal.api.model.Service;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import java.util.List;

/**
 * A consistent read of the store. Valid only inside the {@code view} or {@code update} callback
 * that handed it out; objects read from it are immutable and may be kept.
 */
public interface ReadTx {
  <T extends StoreObject> T get(StoreObject.Kind kind, String id);

  <T extends StoreObject> T byName(StoreObject.Kind kind, String name);

  <T extends StoreObject> List<T> all(StoreObject.Kind kind);

  List<Task> tasksOfService(String serviceId);

  List<Task> tasksOfNode(String nodeId);

  /** The raft index of the last applied proposal. */
  long index();

  default Node node(String id) {
    return get(StoreObject.Kind.NODE, id);
  }

  default Service service(String id) {
    return get(StoreObject.Kind.SERVICE, id);
  }

  default Task task(String id) {
    return get(StoreObject.Kind.TASK, id);
  }

  default List<Node> nodes() {
    return all(StoreObject.Kind.NODE);
  }

  default List<Service> services() {
    return all(StoreObject.Kind.SERVICE);
  }

  default List<Task> tasks() {
    return all(StoreObject.Kind.TASK);
  }

  default List<Network> networks() {
    return all(StoreObject.Kind.NETWORK);
  }

  default List<Secret> secrets() {
    return all(StoreObject.Kind.SECRET);
  }

  default List<Config> configs() {
    return all(StoreObject.Kind.CONFIG);
  }

  /** The swarm's one cluster object, or null before {@code swarm init}. */
  default Cluster cluster() {
    List<Cluster> all = all(StoreObject.Kind.CLUSTER);
    return all.isEmpty() ? null : all.get(0);
  }
}
