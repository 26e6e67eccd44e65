package io.shoal.daemon.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shoal.api.model.Node;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.store.MemoryStore;
import io.shoal.store.StoreEvent;
import io.shoal.store.Watch;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counters read off one manager's store watch, so no component has to count for metrics: commits
 * and changed objects (every manager applies them), and — only while this manager leads, so that a
 * sum over managers counts each once — scheduler placements and their latency (task created to
 * ASSIGNED), task state entries, and nodes the dispatcher marked down (heartbeats late).
 *
 * <p>{@link #accept} is the pure part (tests feed it events); {@link #start} drains a watch on a
 * thread of its own. Close it when the manager goes (demotion, leave).
 */
public final class StoreEventMetrics implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoreEventMetrics.class);

  private final BooleanSupplier leading;
  private final Counter commits;
  private final Counter resets;
  private final Map<StoreObject.Kind, Counter[]> changes = new EnumMap<>(StoreObject.Kind.class);
  private final Counter placements;
  private final Timer placementLatency;
  private final Map<TaskState, Counter> entered = new EnumMap<>(TaskState.class);
  private final Counter nodesDown;
  private volatile Watch watch;
  private Thread thread;

  /** @param leading whether this manager leads now (leader-only counters count only then) */
  public StoreEventMetrics(MeterRegistry registry, BooleanSupplier leading) {
    this.leading = leading;
    commits = Counter.builder("shoal.store.commits").description("Raft entries applied to this manager's store").register(registry);
    resets = Counter.builder("shoal.store.resets").description("Snapshots installed into this manager's store").register(registry);
    for (StoreObject.Kind k : StoreObject.Kind.values()) {
      String kind = k.name().toLowerCase(Locale.ROOT);
      changes.put(k, new Counter[] {
          change(registry, kind, "create"), change(registry, kind, "update"), change(registry, kind, "delete")});
    }
    placements = Counter.builder("shoal.scheduler.placements").description("Tasks the scheduler assigned to a node").register(registry);
    placementLatency = Timer.builder("shoal.scheduler.placement.latency")
        .description("Time from a task's creation to its assignment to a node").serviceLevelObjectives(Buckets.LATENCY).register(registry);
    for (TaskState s : TaskState.values()) {
      if (s.compareTo(TaskState.ASSIGNED) < 0 && s != TaskState.PENDING) continue;
      entered.put(s, Counter.builder("shoal.orchestrator.task.transitions").description("Tasks that entered a state")
          .tag("state", s.wire()).register(registry));
    }
    nodesDown = Counter.builder("shoal.dispatcher.nodes.down").description("Nodes marked down (heartbeats late or session lost)")
        .register(registry);
  }

  private static Counter change(MeterRegistry r, String kind, String op) {
    return Counter.builder("shoal.store.changes").description("Objects written to the store")
        .tags("kind", kind, "op", op).register(r);
  }

  /** Counts one event. */
  public void accept(StoreEvent e) {
    if (e instanceof StoreEvent.Commit) {
      commits.increment();
    } else if (e instanceof StoreEvent.Reset) {
      resets.increment();
    } else if (e instanceof StoreEvent.Created c) {
      changes.get(c.object().kind())[0].increment();
      if (c.object() instanceof Task t && leading.getAsBoolean()) taskMoved(null, t);
    } else if (e instanceof StoreEvent.Updated u) {
      changes.get(u.object().kind())[1].increment();
      if (!leading.getAsBoolean()) return;
      if (u.object() instanceof Task t && u.old() instanceof Task old) taskMoved(old, t);
      if (u.object() instanceof Node n && u.old() instanceof Node old && down(n) && !down(old)) nodesDown.increment();
    } else if (e instanceof StoreEvent.Deleted d) {
      changes.get(d.object().kind())[2].increment();
    }
  }

  private static boolean down(Node n) {
    return n.status() != null && Node.DOWN.equals(n.status().state());
  }

  private void taskMoved(Task old, Task t) {
    TaskState from = old == null ? null : old.state();
    TaskState to = t.state();
    if (to == null || to == from) return;
    Counter c = entered.get(to);
    if (c != null) c.increment();
    if (to == TaskState.ASSIGNED && t.nodeID() != null) {
      placements.increment();
      if (t.createdAt() != null && t.status() != null && t.status().timestamp() != null) {
        Duration d = Duration.between(t.createdAt(), t.status().timestamp());
        if (!d.isNegative()) placementLatency.record(d);
      }
    }
  }

  /** Drains {@code store}'s events on a thread of its own until closed. */
  public StoreEventMetrics start(MemoryStore store) {
    Watch w = store.watch(e -> true);
    watch = w;
    thread = new Thread(() -> {
      try {
        while (!w.isClosed()) {
          StoreEvent e = w.poll(Duration.ofSeconds(1));
          if (e != null) accept(e);
        }
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        log.warn("store metrics stopped: {}", e.toString());
      }
    }, "shoal-metrics-store");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  @Override
  public void close() {
    Watch w = watch;
    if (w != null) w.close();
    if (thread != null) thread.interrupt();
  }
}
