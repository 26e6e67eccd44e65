package io.shoal.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shoal.api.model.Node;
import io.shoal.store.LocalProposer;
import io.shoal.store.MemoryStore;
import io.shoal.store.StoreEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The shell's loop: rounds on events, and on its tick even while events never stop coming. */
class ComponentTest {
  final MemoryStore store = new MemoryStore(Clock.systemUTC());

  static final class Counting extends Component {
    final AtomicInteger full = new AtomicInteger();
    final AtomicInteger withEvents = new AtomicInteger();
    final AtomicInteger commits = new AtomicInteger();

    Counting(MemoryStore store, Duration tick) {
      super("counting", store, tick, e -> e.subject() instanceof Node);
    }

    @Override
    protected void reconcile(List<StoreEvent> events, boolean isFull) {
      if (isFull) full.incrementAndGet();
      if (!events.isEmpty()) withEvents.incrementAndGet();
      if (events.stream().anyMatch(e -> e instanceof StoreEvent.Commit)) commits.incrementAndGet();
    }
  }

  @Test
  void ticksAndRoundsKeepComingUnderASteadyStreamOfEvents() throws Exception {
    store.setProposer(new LocalProposer(store));
    store.update(tx -> tx.create(io.shoal.manager.Fx.node("n1")));
    AtomicBoolean writing = new AtomicBoolean(true);
    // a writer changing the node every 2 ms: closer than the component's debounce
    Thread writer = new Thread(() -> {
      while (writing.get()) {
        store.update(tx -> tx.update(tx.node("n1")));
        java.util.concurrent.locks.LockSupport.parkNanos(2_000_000); // the load's pace, not a wait
      }
    });
    try (Counting c = new Counting(store, Duration.ofMillis(200))) {
      c.start();
      writer.start();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(c.withEvents.get()).isGreaterThanOrEqualTo(5);
        assertThat(c.full.get()).isGreaterThanOrEqualTo(4); // the first round, then ticks
      });
      assertThat(c.commits.get()).as("commit markers are not handed to reconcile").isZero();
    } finally {
      writing.set(false);
      writer.join(5000);
    }
  }
}
