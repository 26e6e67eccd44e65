package io.shoal.manager.allocator;

import io.shoal.api.model.Endpoint;
import io.shoal.api.model.Network;
import io.shoal.api.model.NetworkAttachment;
import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.manager.ipam.Cidr;
import io.shoal.store.ReadTx;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which addresses of each network are held, read from the store: there is no separate pool
 * bookkeeping to drift from the objects. An address is held by a node's gateway, a service's VIP,
 * or an attachment of a task that is not finished (actual state at most RUNNING: its container
 * may still be up, even if a manager already told it to stop). A finished task keeps its
 * attachment for {@code inspect}, but no longer holds the address.
 *
 * <p>Not thread-safe; built and used inside one store transaction.
 */
final class TakenAddresses {
  private final Map<String, Set<Long>> byNetwork = new HashMap<>();

  static TakenAddresses of(ReadTx tx) {
    TakenAddresses t = new TakenAddresses();
    for (Network n : tx.networks()) {
      if (n.allocation() == null) continue;
      n.allocation().nodeGateways().values().forEach(a -> t.add(n.id(), a));
    }
    for (Service s : tx.services()) {
      Endpoint e = s.endpoint();
      if (e == null || e.virtualIPs() == null) continue;
      for (Endpoint.VirtualIP v : e.virtualIPs()) t.add(v.networkID(), v.addr());
    }
    for (Task task : tx.tasks()) {
      if (task.networksAttachments() == null || !holds(task)) continue;
      for (NetworkAttachment a : task.networksAttachments()) a.addresses().forEach(addr -> t.add(a.networkID(), addr));
    }
    return t;
  }

  /** Whether a task's attachments still hold their addresses. */
  static boolean holds(Task t) {
    return t.state().compareTo(TaskState.RUNNING) <= 0;
  }

  Set<Long> of(String networkId) {
    return byNetwork.computeIfAbsent(networkId, k -> new HashSet<>());
  }

  /** Marks {@code addr} (plain or CIDR form) held on {@code networkId}; false if it already was. */
  boolean add(String networkId, String addr) {
    if (addr == null) return false;
    int slash = addr.indexOf('/');
    long a = Cidr.address(slash < 0 ? addr : addr.substring(0, slash));
    return a >= 0 && of(networkId).add(a);
  }
}
