package io.shoal.cli.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** A Content-Length body: exactly {@code length} bytes, then end of stream. */
final class BoundedInputStream extends InputStream {
  private final InputStream in;
  private long remaining;

  BoundedInputStream(InputStream in, long length) {
    this.in = in;
    this.remaining = length;
  }

  @Override
  public int read() throws IOException {
    if (remaining <= 0) {
      return -1;
    }
    int c = in.read();
    if (c < 0) {
      throw new EOFException("connection closed before Content-Length bytes arrived");
    }
    remaining--;
    return c;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (remaining <= 0) {
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, remaining));
    if (n < 0) {
      throw new EOFException("connection closed before Content-Length bytes arrived");
    }
    remaining -= n;
    return n;
  }
}
