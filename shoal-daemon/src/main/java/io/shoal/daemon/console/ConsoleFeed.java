package io.shoal.daemon.console;

import io.shoal.api.json.Json;
import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.store.MemoryStore;
import io.shoal.store.StoreEvent;
import io.shoal.store.Watch;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one manager's store watch into {@link ClusterView}s for the console: after a commit (or a
 * snapshot install) it waits a short moment for more to arrive, then reads the store once and
 * publishes the view to the {@link Latest} every open page streams from. So a burst of a thousand
 * task updates costs one read and one message per page, and the cost does not grow with the number
 * of pages. A leader change writes nothing to the store, so the loop also republishes when the
 * leader it last showed is no longer the leader.
 *
 * <p>Its own watch rather than {@code io.shoal.daemon.events.ClusterEvents} (the API's
 * {@code /events}): Docker's swarm events carry no tasks, and the page wants whole views, not
 * per-field changes.
 *
 * <p>Threading: one thread of its own; {@link #close} stops it.
 */
final class ConsoleFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConsoleFeed.class);
  /** How long a commit waits for more before the view is rebuilt. */
  static final Duration COALESCE = Duration.ofMillis(150);

  private final MemoryStore store;
  private final Supplier<String> leader;
  private final Latest out;
  private final Clock clock;
  private final Watch watch;
  private final Thread thread;
  private String shownLeader;

  ConsoleFeed(MemoryStore store, Supplier<String> leader, Latest out, Clock clock) {
    this.store = store;
    this.leader = leader;
    this.out = out;
    this.clock = clock;
    // subscribe first, then read: nothing that commits in between is missed
    this.watch = store.watch(e -> e instanceof StoreEvent.Commit || e instanceof StoreEvent.Reset);
    publish();
    this.thread = new Thread(this::run, "shoal-console-feed");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (!watch.isClosed()) {
        StoreEvent e = watch.poll(Duration.ofSeconds(1));
        if (e == null) {
          if (!Objects.equals(shownLeader, leader.get())) publish();
          continue;
        }
        Thread.sleep(COALESCE.toMillis()); // let the rest of a burst arrive: one view for all of it
        watch.drain();
        publish();
      }
    } catch (InterruptedException ignored) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("console feed stopped: {}", e.toString());
    }
  }

  private record Read(long index, List<Node> nodes, List<Service> services, List<Task> tasks) {}

  private void publish() {
    String l = leader.get();
    Read r = store.view(tx -> new Read(tx.index(), tx.nodes(), tx.services(), tx.tasks()));
    ClusterView v = ClusterView.of(r.index(), clock.instant(), l, r.nodes(), r.services(), r.tasks());
    shownLeader = l;
    out.publish(Json.bytes(v));
  }

  @Override
  public void close() {
    watch.close();
    thread.interrupt();
  }
}
