package io.shoal.testkit.sim;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The discrete-event core: a simulated clock, one event queue and one seeded random source. Every
 * choice in a run (message delays and drops, election timeouts, task latencies, which fault comes
 * next, object ids) is drawn from {@link #random()}, and events run one at a time in (time, order
 * of scheduling) order, so a seed fixes the whole run; {@link #traceHash()} proves it.
 *
 * <p>Threading: single-threaded by construction; nothing here may be touched from another thread.
 * Nothing reads the real time: {@link #clock()} is the only clock handed to the code under test.
 */
public final class Sim {
  /** Simulated time 0. */
  public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
  private static final int RECENT = 40;
  private static final boolean VERBOSE = Boolean.getBoolean("shoal.sim.verbose");

  private final long seed;
  private final SplittableRandom random;
  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private final List<Runnable> afterStep = new ArrayList<>();
  private final Deque<String> recent = new ArrayDeque<>();
  private final SimClock clock = new SimClock();
  private long now;
  private long order;
  private long steps;
  private long hash = 0xcbf29ce484222325L;

  public Sim(long seed) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
  }

  /** One scheduled action. {@link #cancel} keeps it out of the run (and out of the trace). */
  public static final class Event implements Comparable<Event> {
    private final long at;
    private final long order;
    private final String label;
    private final Runnable action;
    private boolean cancelled;

    private Event(long at, long order, String label, Runnable action) {
      this.at = at;
      this.order = order;
      this.label = label;
      this.action = action;
    }

    public void cancel() {
      cancelled = true;
    }

    @Override
    public int compareTo(Event o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : Long.compare(order, o.order);
    }
  }

  public long seed() {
    return seed;
  }

  public RandomGenerator random() {
    return random;
  }

  public Clock clock() {
    return clock;
  }

  /** Simulated milliseconds since {@link #EPOCH}. */
  public long now() {
    return now;
  }

  public long steps() {
    return steps;
  }

  /** A uniformly drawn delay in [min, max] ms. */
  public long between(long min, long max) {
    return min + random.nextLong(max - min + 1);
  }

  public boolean chance(double p) {
    return random.nextDouble() < p;
  }

  /** Runs {@code action} {@code delayMillis} from now; the label goes into the trace. */
  public Event after(long delayMillis, String label, Runnable action) {
    Event e = new Event(now + Math.max(0, delayMillis), order++, label, action);
    queue.add(e);
    return e;
  }

  /** Called after every event: where the invariants are checked. */
  public void afterEachStep(Runnable check) {
    afterStep.add(check);
  }

  /** Runs events until simulated time {@code untilMillis} (inclusive), then sets the clock there. */
  public void runUntil(long untilMillis) {
    while (!queue.isEmpty()) {
      Event e = queue.peek();
      if (e.at > untilMillis) break;
      queue.poll();
      if (e.cancelled) continue;
      now = e.at;
      trace(e.label);
      try {
        e.action.run();
        steps++;
        for (Runnable r : afterStep) r.run();
      } catch (SimFailure f) {
        throw f;
      } catch (RuntimeException | AssertionError x) {
        throw failure("event '" + e.label + "' failed: " + x, x);
      }
    }
    now = Math.max(now, untilMillis);
  }

  public void runFor(long millis) {
    runUntil(now + millis);
  }

  /**
   * Records something worth reading in the trace (hashed, and among the recent lines shown on
   * failure); with {@code -Dshoal.sim.verbose=true} it is printed too.
   */
  public void note(String line) {
    trace(line);
    if (VERBOSE) System.out.println(String.format("%9d ms  %s", now, line));
  }

  private void trace(String line) {
    hash = fnv(hash, now);
    for (int i = 0; i < line.length(); i++) hash = fnv(hash, line.charAt(i));
    recent.addLast(now + "ms " + line);
    if (recent.size() > RECENT) recent.removeFirst();
  }

  private static long fnv(long h, long v) {
    return (h ^ v) * 0x100000001b3L;
  }

  /** A hash of every event run and every note, in order: equal for equal seeds. */
  public long traceHash() {
    return hash;
  }

  /** A failure that names the seed, the time and what happened just before. */
  public SimFailure failure(String message, Throwable cause) {
    StringBuilder b = new StringBuilder();
    b.append(message).append("\n  seed=").append(seed).append(" at t=").append(now).append("ms after ")
        .append(steps).append(" steps; rerun with -Dshoal.sim.seed=").append(seed).append("\n  last events:");
    for (String r : recent) b.append("\n    ").append(r);
    return new SimFailure(b.toString(), cause);
  }

  public SimFailure failure(String message) {
    return failure(message, null);
  }

  /** The simulated clock: reads {@link #now}. */
  private final class SimClock extends Clock {
    @Override
    public Instant instant() {
      return EPOCH.plusMillis(now);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
