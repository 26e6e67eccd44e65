package io.shoal.rpc;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.shoal.api.error.ShoalException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The managers a client knows and which one it prefers: the last that answered, or the leader
 * one of them named. {@link #call} tries the preferred manager first, follows leader hints, then
 * the others in order, so a worker whose manager went away moves to the next one by itself.
 *
 * <p>Thread-safe (immutable list snapshots in volatile fields).
 */
final class ManagerTargets {
  private volatile List<String> managers;
  private volatile String preferred;

  ManagerTargets(List<String> managers) {
    update(managers);
  }

  void update(List<String> addrs) {
    List<String> copy = List.copyOf(new LinkedHashSet<>(addrs));
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("at least one manager address is needed");
    }
    managers = copy;
    String p = preferred;
    if (p == null || !copy.contains(p)) {
      preferred = copy.get(0);
    }
  }

  List<String> managers() {
    return managers;
  }

  String preferred() {
    return preferred;
  }

  /**
   * Remembers that {@code addr} failed: the next call starts at the leader it named, else at the
   * manager after it.
   */
  void failed(String addr, StatusRuntimeException e) {
    String hint = RpcErrors.leaderHint(e);
    if (hint != null && !hint.equals(addr)) {
      learn(hint);
      preferred = hint;
      return;
    }
    List<String> m = managers;
    int i = m.indexOf(addr);
    preferred = m.get((i + 1) % m.size());
  }

  /**
   * Runs {@code call} against managers until one answers. Errors that another manager cannot
   * fix (NotFound, InvalidSpec, Forbidden, ...) are rethrown at once, typed. When every manager
   * failed: {@code ShoalException.Unavailable} naming each and why.
   */
  <T> T call(ClusterChannels channels, Function<ManagedChannel, T> call) {
    return callAt(addr -> call.apply(channels.toManager(addr)));
  }

  <T> T callAt(Function<String, T> call) {
    List<String> m = managers;
    Deque<String> order = new ArrayDeque<>();
    String start = preferred;
    order.add(start);
    int i = Math.max(0, m.indexOf(start));
    for (int k = 1; k <= m.size(); k++) {
      order.add(m.get((i + k) % m.size()));
    }
    Set<String> tried = new LinkedHashSet<>();
    List<String> failures = new ArrayList<>();
    while (!order.isEmpty()) {
      String addr = order.poll();
      if (!tried.add(addr)) {
        continue;
      }
      try {
        T result = call.apply(addr);
        preferred = addr;
        return result;
      } catch (StatusRuntimeException e) {
        if (!RpcErrors.isRetryableElsewhere(e)) {
          preferred = addr;
          throw RpcErrors.fromStatus(e, addr);
        }
        String hint = RpcErrors.leaderHint(e);
        if (hint != null && !tried.contains(hint)) {
          learn(hint);
          order.addFirst(hint);
        }
        failures.add(addr + ": " + reason(e));
      }
    }
    throw new ShoalException.Unavailable(
        "could not reach the leader through any manager at " + String.join(", ", tried) + ": "
            + String.join("; ", failures));
  }

  /** A leader named by an authenticated manager is a manager: keep it for later failovers. */
  private void learn(String addr) {
    List<String> m = managers;
    if (!m.contains(addr)) {
      List<String> next = new ArrayList<>(m);
      next.add(addr);
      managers = List.copyOf(next);
    }
  }

  static String reason(StatusRuntimeException e) {
    return RpcErrors.typeOf(e) != null && e.getStatus().getDescription() != null
        ? e.getStatus().getDescription()
        : RpcErrors.transportReason(e);
  }
}
