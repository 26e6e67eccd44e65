package io.shoal.daemon.console;

/**
 * The newest console view (JSON) and its sequence number; page streams wait here for a newer one.
 * Only the newest matters: a page that was slow skips straight to it.
 *
 * <p>Threading: publish and await from any thread (this object's monitor).
 */
final class Latest {
  private long seq;
  private byte[] json;
  private boolean closed;

  /** The stream ends: the console is closing. */
  static final Version END = new Version(-1, null);

  synchronized void close() {
    closed = true;
    notifyAll();
  }

  synchronized void publish(byte[] next) {
    json = next;
    seq++;
    notifyAll();
  }

  /** A view and its sequence number. */
  record Version(long seq, byte[] json) {}

  /** The newest view if newer than {@code seen}, waiting up to {@code millis}; null on timeout. */
  synchronized Version awaitNewer(long seen, long millis) throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000;
    while (seq <= seen || json == null) {
      if (closed) return END;
      long left = (end - System.nanoTime()) / 1_000_000;
      if (left <= 0) return null;
      wait(left);
    }
    return new Version(seq, json);
  }

  synchronized Version now() {
    return json == null ? null : new Version(seq, json);
  }
}
