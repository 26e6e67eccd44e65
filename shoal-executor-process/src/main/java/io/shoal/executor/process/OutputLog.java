package io.shoal.executor.process;

import io.shoal.api.dispatch.LogLine;
import io.shoal.api.dispatch.LogRequest;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A process's stdout and stderr in one file, one line per output line: {@code <RFC 3339 time>
 * <stream 1|2> <text>}, like Docker's json-file driver keeps time and stream per line. Writers
 * (one pump per stream) share the file under this object's monitor.
 */
final class OutputLog {
  private final Path file;
  private final Clock clock;

  OutputLog(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  /** Copies {@code in} line by line into the file until it ends (run on a pool thread). */
  void pump(InputStream in, int stream) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        append(stream, line);
      }
    } catch (IOException e) {
      // the process closed its end: nothing more to copy
    }
  }

  private synchronized void append(int stream, String line) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      w.write(clock.instant() + " " + stream + " " + line + "\n");
    }
  }

  static LogLine parse(String taskId, String line) {
    int a = line.indexOf(' ');
    int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
    if (a < 0 || b < 0) {
      return null;
    }
    return new LogLine(taskId, line.charAt(a + 1) == '2' ? 2 : 1, Instant.parse(line.substring(0, a)),
        (line.substring(b + 1) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static boolean wanted(LogRequest req, LogLine l) {
    return (l.stream() == 1 ? req.stdout() : req.stderr())
        && (req.since() == null || !l.timestamp().isBefore(req.since()));
  }

  /**
   * Streams lines per {@code req}. Without follow, everything present is sent at once on the
   * caller's thread; with follow the file is polled on {@code scheduler} until {@code done} says
   * the process has ended (and the rest is read) or the handle is closed.
   */
  AutoCloseable stream(String taskId, LogRequest req, Consumer<LogLine> sink, Runnable onEnd,
      ScheduledExecutorService scheduler, BooleanSupplier done) {
    long[] offset = {0};
    Deque<LogLine> tail = new ArrayDeque<>();
    List<LogLine> all = readFrom(taskId, offset);
    for (LogLine l : all) {
      if (wanted(req, l)) {
        tail.add(l);
        if (req.tail() >= 0 && tail.size() > req.tail()) {
          tail.removeFirst();
        }
      }
    }
    tail.forEach(sink);
    AtomicBoolean ended = new AtomicBoolean();
    Runnable end = () -> {
      if (ended.compareAndSet(false, true)) {
        onEnd.run();
      }
    };
    if (!req.follow()) {
      end.run();
      return () -> {};
    }
    ScheduledFuture<?>[] poll = new ScheduledFuture<?>[1];
    poll[0] = scheduler.scheduleWithFixedDelay(() -> {
      if (ended.get()) {
        return;
      }
      boolean finished = done.getAsBoolean();
      readFrom(taskId, offset).stream().filter(l -> wanted(req, l)).forEach(sink);
      if (finished) {
        end.run();
        poll[0].cancel(false);
      }
    }, 100, 100, TimeUnit.MILLISECONDS);
    return () -> {
      poll[0].cancel(false);
      end.run();
    };
  }

  /** Complete lines from {@code offset[0]} on; advances it past them. */
  private List<LogLine> readFrom(String taskId, long[] offset) {
    List<LogLine> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      if (len <= offset[0]) {
        return out;
      }
      byte[] buf = new byte[(int) Math.min(Integer.MAX_VALUE - 8, len - offset[0])];
      f.seek(offset[0]);
      f.readFully(buf);
      int start = 0;
      for (int i = 0; i < buf.length; i++) {
        if (buf[i] == '\n') {
          LogLine l = parse(taskId, new String(buf, start, i - start, StandardCharsets.UTF_8));
          if (l != null) {
            out.add(l);
          }
          start = i + 1;
        }
      }
      offset[0] += start;
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
