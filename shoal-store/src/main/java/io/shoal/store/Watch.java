package io.shoal.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A subscription to store events, in apply order. Events are queued without bound (apply never
 * blocks on a slow watcher); the consumer drains on its own thread. Close it when done.
 */
public final class Watch implements AutoCloseable {
  private final LinkedBlockingQueue<StoreEvent> queue = new LinkedBlockingQueue<>();
  private final Predicate<StoreEvent> filter;
  private final Runnable onClose;
  private volatile boolean closed;

  Watch(Predicate<StoreEvent> filter, Runnable onClose) {
    this.filter = filter;
    this.onClose = onClose;
  }

  void offer(StoreEvent e) {
    if (!closed && (e instanceof StoreEvent.Reset || e instanceof StoreEvent.Commit || filter.test(e))) queue.add(e);
  }

  /** Waits up to {@code timeout} for the next event; null if none came. */
  public StoreEvent poll(Duration timeout) throws InterruptedException {
    return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The next event, waiting as long as needed. */
  public StoreEvent take() throws InterruptedException {
    return queue.take();
  }

  /** Everything queued now, without waiting. */
  public List<StoreEvent> drain() {
    List<StoreEvent> out = new ArrayList<>();
    queue.drainTo(out);
    return out;
  }

  /** Events queued and not yet taken (how far this watcher is behind), for metrics. */
  public int backlog() {
    return queue.size();
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
    onClose.run();
  }
}
