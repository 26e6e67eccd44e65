package io.shoal.cli.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes an HTTP/1.1 chunked body. Reads chunk by chunk without buffering ahead, so a streamed
 * log line reaches the caller as soon as its chunk arrives.
 */
final class ChunkedInputStream extends InputStream {
  private final InputStream in;
  private long remaining; // bytes left in the current chunk
  private boolean done;

  ChunkedInputStream(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (done) {
      return -1;
    }
    if (remaining == 0) {
      remaining = nextChunkSize();
      if (remaining == 0) {
        // Trailers: header lines up to an empty line; we have no use for them.
        while (!HttpTransport.readLine(in).isEmpty()) {
          // skip
        }
        done = true;
        return -1;
      }
    }
    int n = in.read(b, off, (int) Math.min(len, remaining));
    if (n < 0) {
      throw new EOFException("connection closed inside a chunk");
    }
    remaining -= n;
    if (remaining == 0) {
      String crlf = HttpTransport.readLine(in);
      if (!crlf.isEmpty()) {
        throw new IOException("malformed chunk: missing CRLF after data");
      }
    }
    return n;
  }

  private long nextChunkSize() throws IOException {
    String line = HttpTransport.readLine(in);
    int semi = line.indexOf(';');
    String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
    try {
      long size = Long.parseLong(hex, 16);
      if (size < 0) {
        throw new NumberFormatException();
      }
      return size;
    } catch (NumberFormatException e) {
      throw new IOException("malformed chunk size \"" + line + "\"");
    }
  }

  @Override
  public int available() throws IOException {
    return done ? 0 : (int) Math.min(remaining, in.available());
  }
}
