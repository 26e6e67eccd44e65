package io.shoal.executor.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.shoal.api.dispatch.LogLine;
import io.shoal.api.dispatch.LogRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's logs as {@link LogLine}s. Asks the engine for timestamps and cuts them off each
 * frame (Docker puts {@code RFC3339Nano} and a space before every line), so the line's time is
 * the engine's, not the reader's. stdout/stderr are demultiplexed by the engine's frames.
 */
final class DockerLogs {
  private static final Logger log = LoggerFactory.getLogger(DockerLogs.class);

  private DockerLogs() {}

  static AutoCloseable stream(DockerClient docker, Clock clock, String container, String taskId,
      LogRequest req, Consumer<LogLine> sink, Runnable onEnd) {
    LogContainerCmd cmd = docker.logContainerCmd(container).withTimestamps(true)
        .withStdOut(req.stdout()).withStdErr(req.stderr()).withFollowStream(req.follow());
    if (req.tail() >= 0) {
      cmd.withTail((int) Math.min(Integer.MAX_VALUE, req.tail()));
    } else {
      cmd.withTailAll();
    }
    if (req.since() != null) {
      cmd.withSince((int) req.since().getEpochSecond());
    }
    AtomicBoolean ended = new AtomicBoolean();
    Runnable end = () -> {
      if (ended.compareAndSet(false, true)) {
        onEnd.run();
      }
    };
    ResultCallback.Adapter<Frame> cb = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame f) {
        sink.accept(line(taskId, f, clock));
      }

      @Override
      public void onError(Throwable t) {
        if (!ended.get()) {
          log.debug("logs of {}: {}", container, t.toString());
        }
        end.run();
      }

      @Override
      public void onComplete() {
        end.run();
      }
    };
    cmd.exec(cb);
    return () -> {
      try {
        cb.close();
      } finally {
        end.run();
      }
    };
  }

  static LogLine line(String taskId, Frame f, Clock clock) {
    byte[] p = f.getPayload();
    int stream = f.getStreamType() == StreamType.STDERR ? 2 : 1;
    int sp = -1;
    for (int i = 0; i < Math.min(p.length, 40); i++) {
      if (p[i] == ' ') {
        sp = i;
        break;
      }
    }
    if (sp > 0) {
      try {
        Instant ts = Instant.parse(new String(p, 0, sp, StandardCharsets.US_ASCII));
        return new LogLine(taskId, stream, ts, Arrays.copyOfRange(p, sp + 1, p.length));
      } catch (DateTimeParseException e) {
        // no timestamp on this frame: keep it whole
      }
    }
    return new LogLine(taskId, stream, clock.instant(), p);
  }
}
