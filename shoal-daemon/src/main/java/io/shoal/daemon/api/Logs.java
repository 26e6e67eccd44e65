package io.shoal.daemon.api;

import io.shoal.api.dispatch.LogLine;
import io.shoal.api.dispatch.LogRequest;
import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.manager.controlapi.Filters;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Service and task logs in Docker's stream format: one frame per line, an 8-byte header (stream
 * 1 stdout / 2 stderr, then the length) and a payload of {@code [timestamp ]details message},
 * where details are the {@code com.docker.swarm.*} ids the docker CLI turns into
 * {@code web.1.abc@node | message}.
 */
final class Logs {
  private Logs() {}

  static void serve(Exchange ex, Backend b, Service service, Task single) throws Exception {
    boolean follow = ex.flag("follow", false);
    boolean timestamps = ex.flag("timestamps", false);
    boolean details = ex.flag("details", false);
    boolean stdout = ex.flag("stdout", false);
    boolean stderr = ex.flag("stderr", false);
    if (!stdout && !stderr) throw new ShoalException.InvalidSpec("Bad parameters: you must choose at least one stream");
    String tailQ = ex.query("tail");
    long tail = tailQ == null || tailQ.isEmpty() || tailQ.equals("all") ? -1 : parseTail(tailQ);
    Instant since = parseSince(ex.query("since"));
    LogRequest req = new LogRequest(follow, tail, since, stdout, stderr);
    List<Task> tasks = new ArrayList<>();
    if (single != null) tasks.add(single);
    else tasks.addAll(b.control().tasks(new Filters(Map.of("service", List.of(service.id())))));
    tasks.removeIf(t -> t.nodeID() == null || t.nodeID().isEmpty() || t.status().containerStatus() == null);

    OutputStream out = ex.stream(200, "application/vnd.docker.multiplexed-stream");
    CountDownLatch ended = new CountDownLatch(tasks.size());
    boolean[] broken = {false};
    List<AutoCloseable> handles = new ArrayList<>();
    try {
      for (Task t : tasks) {
        String ctx = "com.docker.swarm.node.id=" + t.nodeID() + ",com.docker.swarm.service.id=" + t.serviceID()
            + ",com.docker.swarm.task.id=" + t.id();
        handles.add(b.taskLogs().stream(t, req, line -> {
          synchronized (out) {
            if (broken[0]) return;
            try {
              write(out, line, timestamps, details ? ctx : null);
              out.flush();
            } catch (IOException e) {
              broken[0] = true;
              ended.countDown();
            }
          }
        }, ended::countDown));
      }
      if (follow) {
        ended.await();
      } else if (!ended.await(60, TimeUnit.SECONDS)) {
        synchronized (out) {
          broken[0] = true;
        }
      }
    } finally {
      for (AutoCloseable h : handles) {
        try {
          h.close();
        } catch (Exception ignored) {
          // already ended
        }
      }
      synchronized (out) {
        broken[0] = true;
        try {
          out.close();
        } catch (IOException ignored) {
          // client went away
        }
      }
    }
  }

  private static void write(OutputStream out, LogLine line, boolean timestamps, String ctx) throws IOException {
    StringBuilder prefix = new StringBuilder();
    if (timestamps) prefix.append(line.timestamp() == null ? Instant.EPOCH : line.timestamp()).append(' ');
    if (ctx != null) prefix.append(ctx).append(' ');
    byte[] p = prefix.toString().getBytes(StandardCharsets.UTF_8);
    byte[] data = line.data();
    boolean nl = data.length > 0 && data[data.length - 1] == '\n';
    int len = p.length + data.length + (nl ? 0 : 1);
    byte[] header = {(byte) (line.stream() == 2 ? 2 : 1), 0, 0, 0,
        (byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len};
    out.write(header);
    out.write(p);
    out.write(data);
    if (!nl) out.write('\n');
  }

  private static long parseTail(String v) {
    try {
      long n = Long.parseLong(v);
      return n < 0 ? -1 : n;
    } catch (NumberFormatException e) {
      return -1; // docker: a bad tail means all
    }
  }

  /** Docker sends {@code since} as unix seconds with an optional fraction. */
  private static Instant parseSince(String v) {
    if (v == null || v.isEmpty() || v.equals("0")) return null;
    try {
      BigDecimal d = new BigDecimal(v);
      long secs = d.longValue();
      long nanos = d.subtract(BigDecimal.valueOf(secs)).movePointRight(9).longValue();
      return Instant.ofEpochSecond(secs, nanos);
    } catch (NumberFormatException e) {
      throw new ShoalException.InvalidSpec("invalid value for since: " + v);
    }
  }
}
