package io.shoal.manager;

import io.shoal.store.MemoryStore;
import io.shoal.store.StoreEvent;
import io.shoal.store.Watch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin shell around a pure core: one thread, fed by its store watch, that gathers events
 * for a short quiet period (so a burst of changes is handled once) and calls {@link #reconcile};
 * and calls it on a tick too, for decisions that depend only on time (restart delays, heartbeats).
 *
 * <p>Threading: {@link #reconcile} runs only on this component's thread. A failing round is
 * logged and retried on the next event or tick: components are level-triggered, so a missed
 * round loses nothing.
 */
public abstract class Component implements AutoCloseable {
  private static final Duration DEBOUNCE = Duration.ofMillis(10);
  private static final int MAX_GATHER = 50_000;
  private static final Duration MAX_GATHER_TIME = Duration.ofMillis(100);

  protected final Logger log = LoggerFactory.getLogger(getClass());
  protected final MemoryStore store;
  private final String name;
  private final Duration tick;
  private final Predicate<StoreEvent> interest;
  private volatile boolean running;
  private Thread thread;
  private Watch watch;

  protected Component(String name, MemoryStore store, Duration tick, Predicate<StoreEvent> interest) {
    this.name = name;
    this.store = store;
    this.tick = tick;
    this.interest = interest;
  }

  public synchronized void start() {
    if (running) return;
    running = true;
    watch = store.watch(interest);
    thread = new Thread(this::loop, "shoal-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * One round. {@code events} holds what happened since the last round (empty on a tick);
   * {@code full} is true on the first round, on ticks and after a store reset.
   */
  protected abstract void reconcile(List<StoreEvent> events, boolean full);

  private void loop() {
    boolean full = true;
    List<StoreEvent> batch = new ArrayList<>();
    long nextFull = System.nanoTime();
    while (running) {
      try {
        if (full || !batch.isEmpty()) {
          round(batch, full);
          if (full) nextFull = System.nanoTime() + tick.toNanos();
        }
        batch.clear();
        full = false;
        StoreEvent first = watch.poll(Duration.ofNanos(Math.max(0, nextFull - System.nanoTime())));
        if (first != null) {
          batch.add(first);
          // gather the rest of the burst, but only for so long: a steady stream of events spaced
          // closer than the debounce must not postpone the round forever
          long gatherEnd = System.nanoTime() + MAX_GATHER_TIME.toNanos();
          StoreEvent e;
          while (batch.size() < MAX_GATHER && System.nanoTime() - gatherEnd < 0 && (e = watch.poll(DEBOUNCE)) != null) {
            batch.add(e);
          }
          if (batch.stream().anyMatch(ev -> ev instanceof StoreEvent.Reset)) full = true;
          batch.removeIf(ev -> ev instanceof StoreEvent.Commit || ev instanceof StoreEvent.Reset);
        }
        // the tick is due even while events keep coming: time-based decisions (restart delays,
        // update delays and monitors, heartbeats) must not starve behind unrelated changes
        if (System.nanoTime() - nextFull >= 0) full = true;
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void round(List<StoreEvent> batch, boolean full) {
    try {
      reconcile(batch, full);
    } catch (RuntimeException ex) {
      log.warn("{}: round failed, retrying on the next change or tick: {}", name, ex.toString());
      log.debug("{}: round failure", name, ex);
    }
  }

  @Override
  public synchronized void close() {
    running = false;
    if (watch != null) watch.close();
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
