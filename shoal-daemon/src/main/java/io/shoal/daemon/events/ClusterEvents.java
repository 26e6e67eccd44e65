package io.shoal.daemon.events;

import io.shoal.store.MemoryStore;
import io.shoal.store.StoreEvent;
import io.shoal.store.Watch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A manager's swarm events, live and recent. One thread ("shoal-events") drains the store's watch
 * (whose queue never blocks the store's apply), translates, keeps the last {@code history} events
 * for {@code since} replays and offers each to every subscriber's bounded queue. A subscriber
 * whose queue is full has fallen too far behind: it is ended (as dockerd evicts a slow events
 * listener) and its reader sees {@link Subscription#ended()} after what it already had, so one
 * slow client costs neither the store nor the other clients anything.
 *
 * <p>Reusable by anything that wants the event feed (the API's {@code /events}, a console).
 * Thread-safe.
 */
public final class ClusterEvents implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterEvents.class);
  /** Events a subscriber may have unread before it is ended. */
  public static final int SUBSCRIBER_QUEUE = 4096;

  private final Clock clock;
  private final int history;
  private final ArrayDeque<Event> recent = new ArrayDeque<>();
  private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
  private final Watch watch;
  private final Thread thread;
  private volatile boolean closed;

  public ClusterEvents(MemoryStore store, Clock clock, int history) {
    this.clock = clock;
    this.history = history;
    this.watch = store.watch(e -> e.subject() != null);
    this.thread = new Thread(this::run, "shoal-events");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (!closed) {
        StoreEvent se = watch.take();
        Event e = EventTranslator.translate(se, clock.instant());
        if (e != null) publish(e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("event feed stopped", e);
    }
  }

  /** Adds {@code e} to the history and to every subscriber (tests and other sources may publish). */
  public void publish(Event e) {
    synchronized (recent) {
      recent.addLast(e);
      while (recent.size() > history) recent.removeFirst();
      for (Subscription s : subscribers) s.offer(e);
    }
  }

  /**
   * Subscribes to events matching {@code filter}: those already kept with a time in [since, until]
   * (none when both are null, as dockerd) are {@link Subscription#replayed()}, then live ones follow
   * until {@code until} (if in the future) or until closed. Atomic with respect to publishing: no
   * event is both replayed and delivered, none is lost between the two.
   */
  public Subscription subscribe(Instant since, Instant until, Predicate<Event> filter) {
    return subscribe(since, until, filter, SUBSCRIBER_QUEUE);
  }

  Subscription subscribe(Instant since, Instant until, Predicate<Event> filter, int capacity) {
    Subscription s = new Subscription(filter, until, capacity);
    synchronized (recent) {
      if (since != null || until != null) {
        long from = since == null ? Long.MIN_VALUE : nanos(since);
        long to = until == null ? Long.MAX_VALUE : nanos(until);
        for (Event e : recent) if (e.timeNano() >= from && e.timeNano() <= to && filter.test(e)) s.replayed.add(e);
      }
      if (closed) s.end();
      else subscribers.add(s);
    }
    return s;
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** Subscribers now (for {@code /info}'s NEventsListener). */
  public int listeners() {
    return subscribers.size();
  }

  @Override
  public void close() {
    closed = true;
    watch.close();
    thread.interrupt();
    synchronized (recent) {
      for (Subscription s : subscribers) s.end();
      subscribers.clear();
    }
  }

  /** One reader's view: the replayed events, then live ones through a bounded queue. */
  public final class Subscription implements AutoCloseable {
    private static final Event END = new Event("", "", new Event.Actor("", java.util.Map.of()), "", 0, 0);
    private final Predicate<Event> filter;
    private final Instant until;
    private final ArrayBlockingQueue<Event> queue;
    private final List<Event> replayed = new ArrayList<>();
    private volatile boolean ended;
    private volatile boolean evicted;

    private Subscription(Predicate<Event> filter, Instant until, int capacity) {
      this.filter = filter;
      this.until = until;
      this.queue = new ArrayBlockingQueue<>(capacity + 1);
    }

    /** Called under the publisher's lock. */
    private void offer(Event e) {
      if (ended || !filter.test(e)) return;
      if (until != null && e.timeNano() > nanos(until)) return;
      if (queue.remainingCapacity() <= 1) {
        evicted = true;
        log.warn("events subscriber fell {} events behind: ending its stream", queue.size());
        end();
        return;
      }
      queue.add(e);
    }

    private void end() {
      if (!ended) {
        ended = true;
        queue.offer(END);
        subscribers.remove(this);
      }
    }

    /** Kept events in [since, until] that match, oldest first. */
    public List<Event> replayed() {
      return List.copyOf(replayed);
    }

    /**
     * The next live event, waiting up to {@code timeout}; null on timeout or once the stream
     * ended (see {@link #ended()}: closed, evicted, or the source closed).
     */
    public Event next(Duration timeout) throws InterruptedException {
      if (ended && queue.isEmpty()) return null;
      Event e = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (e == END) {
        queue.offer(END); // stays ended for later calls
        return null;
      }
      return e;
    }

    /** True once no more events will come and every queued one was read. */
    public boolean ended() {
      return ended && (queue.isEmpty() || queue.peek() == END);
    }

    /** True if this subscriber was ended for reading too slowly. */
    public boolean evicted() {
      return evicted;
    }

    @Override
    public void close() {
      synchronized (recent) {
        end();
      }
    }
  }
}
