package io.shoal.cli.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * Splits a Docker log stream into lines. Non-TTY logs are multiplexed: 8-byte frames {@code
 * [stream, 0, 0, 0, size(4, big-endian)]} then payload, stream 1 stdout and 2 stderr; TTY logs
 * are raw. The format is detected from the Content-Type, or from the first bytes when absent.
 * A line split across frames is joined before it is delivered.
 */
public final class LogStream {
  public static final int STDOUT = 1;
  public static final int STDERR = 2;

  private LogStream() {}

  /** Delivers each complete line (without its newline) with its stream number until EOF. */
  public static void lines(InputStream body, String contentType, BiConsumer<Integer, String> sink)
      throws IOException {
    BufferedInputStream in = new BufferedInputStream(body, 8192);
    boolean raw = contentType != null && contentType.contains("raw-stream");
    if (!raw && (contentType == null || !contentType.contains("multiplexed"))) {
      in.mark(8);
      byte[] head = in.readNBytes(8);
      in.reset();
      raw = !(head.length == 8 && head[0] >= 0 && head[0] <= 2 && head[1] == 0 && head[2] == 0 && head[3] == 0);
    }
    ByteArrayOutputStream[] pending = {null, new ByteArrayOutputStream(), new ByteArrayOutputStream()};
    if (raw) {
      feed(in.readAllBytes(), STDOUT, pending[STDOUT], sink);
    } else {
      byte[] header = new byte[8];
      while (true) {
        int n = in.readNBytes(header, 0, 8);
        if (n == 0) {
          break;
        }
        if (n < 8) {
          throw new EOFException("log stream ended inside a frame header");
        }
        int stream = header[0] == STDERR ? STDERR : STDOUT;
        int size = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
        byte[] payload = in.readNBytes(size);
        if (payload.length < size) {
          throw new EOFException("log stream ended inside a frame");
        }
        feed(payload, stream, pending[stream], sink);
      }
    }
    for (int s = STDOUT; s <= STDERR; s++) {
      if (pending[s].size() > 0) {
        sink.accept(s, pending[s].toString(StandardCharsets.UTF_8));
      }
    }
  }

  private static void feed(byte[] data, int stream, ByteArrayOutputStream pending, BiConsumer<Integer, String> sink) {
    for (byte b : data) {
      if (b == '\n') {
        sink.accept(stream, pending.toString(StandardCharsets.UTF_8));
        pending.reset();
      } else {
        pending.write(b);
      }
    }
  }
}
