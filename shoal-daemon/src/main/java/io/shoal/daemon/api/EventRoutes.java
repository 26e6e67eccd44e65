package io.shoal.daemon.api;

import io.shoal.api.error.ShoalException;
import io.shoal.api.json.Json;
import io.shoal.daemon.events.ClusterEvents;
import io.shoal.daemon.events.Event;
import io.shoal.daemon.events.EventFilter;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * {@code GET /events}: the swarm events of this manager's store, as dockerd streams them — the
 * kept events in [since, until] first, then live ones until {@code until} or until the client
 * goes. A node that is not a manager has no swarm events: its stream stays empty, as dockerd's
 * shows no swarm events on a worker.
 */
final class EventRoutes {
  private static final Duration TICK = Duration.ofSeconds(1);
  /**
   * Quiet time after which a space is written: a peer that closed is only noticed on a write, and
   * JSON stream readers (the docker CLI, docker-java, docker-py) skip whitespace between values.
   */
  private static final int KEEPALIVE_TICKS = 5;

  private EventRoutes() {}

  static void register(Router r, Backend b, Clock clock) {
    r.on("GET", "/events", ex -> serve(ex, b, clock));
  }

  static void serve(Exchange ex, Backend b, Clock clock) throws Exception {
    String sinceQ = ex.query("since");
    String untilQ = ex.query("until");
    Instant since = parseTime(sinceQ, clock);
    Instant until = parseTime(untilQ, clock);
    if (since != null && until != null && until.isBefore(since)) {
      throw new ShoalException.InvalidSpec("`since` time (" + sinceQ + ") cannot be after `until` time (" + untilQ + ")");
    }
    EventFilter filter = EventFilter.of(ex.filters());
    ClusterEvents source = b.events();
    boolean onlyPast = until != null && until.isBefore(clock.instant());
    OutputStream out = ex.stream(200, "application/json");
    try (OutputStream o = out) {
      o.flush();
      if (source == null) {
        waitUntil(ex, o, until, clock, onlyPast);
        return;
      }
      try (ClusterEvents.Subscription s = source.subscribe(since, until, filter)) {
        for (Event e : s.replayed()) write(o, e);
        o.flush();
        if (onlyPast) return;
        int quiet = 0;
        while (!s.ended()) {
          if (until != null && !clock.instant().isBefore(until)) return;
          Event e = s.next(TICK);
          if (e != null) {
            write(o, e);
            o.flush();
            quiet = 0;
          } else if (ex.clientGone()) {
            return;
          } else if (++quiet >= KEEPALIVE_TICKS) {
            o.write(' ');
            o.flush();
            quiet = 0;
          }
        }
      }
    } catch (IOException gone) {
      // the client went away: nothing to answer
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt(); // the server is stopping: end the stream
    }
  }

  private static void waitUntil(Exchange ex, OutputStream o, Instant until, Clock clock, boolean onlyPast)
      throws InterruptedException, IOException {
    if (onlyPast) return;
    int quiet = 0;
    while ((until == null || clock.instant().isBefore(until)) && !ex.clientGone()) {
      Thread.sleep(TICK.toMillis());
      if (++quiet >= KEEPALIVE_TICKS) {
        o.write(' ');
        o.flush();
        quiet = 0;
      }
    }
  }

  private static void write(OutputStream o, Event e) throws IOException {
    o.write(Json.bytes(e));
    o.write('\n');
  }

  /**
   * Docker's event times: unix seconds with an optional fraction ({@code 1700000000.123456789}),
   * which the CLI sends for {@code --since 1m} and {@code --until 0s}; RFC 3339 is taken too.
   */
  static Instant parseTime(String v, Clock clock) {
    if (v == null || v.isEmpty()) return null;
    try {
      BigDecimal d = new BigDecimal(v);
      long secs = d.longValue();
      long nanos = d.subtract(BigDecimal.valueOf(secs)).movePointRight(9).longValue();
      return Instant.ofEpochSecond(secs, nanos);
    } catch (NumberFormatException e) {
      try {
        return OffsetDateTime.parse(v).toInstant();
      } catch (DateTimeParseException e2) {
        throw new ShoalException.InvalidSpec("invalid timestamp: " + v);
      }
    }
  }
}
