package io.shoal.daemon.engine;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP/1.1 exchange with the engine over its own connection ({@code unix://} or
 * {@code tcp://}): the request head goes out as given, the response head is read, and the body
 * stays on {@link #body()} for the caller to stream. Blocking; not thread-safe (one request).
 */
final class EngineConnection implements AutoCloseable {
  private final SocketChannel channel;
  private final OutputStream out;
  private final BufferedInputStream in;
  private int status;
  private String reason = "";
  private final List<String[]> headers = new ArrayList<>();

  private EngineConnection(SocketChannel channel) {
    this.channel = channel;
    // not Channels.newInputStream/newOutputStream: both take the channel's blocking lock, so a
    // read waiting for the engine (a tunnel's output) would block every write (its stdin)
    this.out = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) channel.write(buf);
      }
    };
    this.in = new BufferedInputStream(new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int r = read(one, 0, 1);
        return r < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        return channel.read(ByteBuffer.wrap(b, off, len));
      }
    }, 16384);
  }

  static EngineConnection open(String host) throws IOException {
    URI uri = URI.create(host);
    SocketChannel ch;
    switch (uri.getScheme()) {
      case "unix" -> {
        ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(uri.getPath()));
      }
      case "tcp", "http" -> {
        ch = SocketChannel.open();
        ch.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort()));
      }
      default -> throw new IOException("unsupported engine host " + host + " (unix:// or tcp://)");
    }
    return new EngineConnection(ch);
  }

  OutputStream out() {
    return out;
  }

  /** Sends a request head; the body, if any, follows on {@link #out()}. */
  void sendHead(String method, String target, List<String[]> requestHeaders) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    for (String[] h : requestHeaders) sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
    sb.append("\r\n");
    out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Reads the status line and headers. */
  void readHead() throws IOException {
    String statusLine = line();
    while (statusLine.isEmpty()) statusLine = line(); // tolerate a stray CRLF
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) throw new IOException("bad response from engine: " + statusLine);
    status = Integer.parseInt(parts[1]);
    reason = parts.length > 2 ? parts[2] : "";
    for (String l = line(); !l.isEmpty(); l = line()) {
      int colon = l.indexOf(':');
      if (colon > 0) headers.add(new String[] {l.substring(0, colon).trim(), l.substring(colon + 1).trim()});
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') break;
      if (c != '\r') b.write(c);
    }
    if (c < 0 && b.size() == 0) throw new IOException("the engine closed the connection");
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  int status() {
    return status;
  }

  String reason() {
    return reason;
  }

  List<String[]> headers() {
    return headers;
  }

  String header(String name) {
    for (String[] h : headers) if (h[0].equalsIgnoreCase(name)) return h[1];
    return null;
  }

  boolean chunked() {
    String te = header("Transfer-Encoding");
    return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
  }

  /** The raw stream after the head (the body, or for a 101 the engine's side of the tunnel). */
  InputStream body() {
    return in;
  }

  SocketChannel channel() {
    return channel;
  }

  /** Copies a chunked body to {@code sink}, one flush per chunk so streams stay live. */
  void copyChunked(OutputStream sink) throws IOException {
    while (true) {
      String size = line();
      int semi = size.indexOf(';');
      long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
      if (n == 0) {
        while (!line().isEmpty()) { } // trailers
        return;
      }
      copyExactly(sink, n);
      line(); // CRLF after the chunk
      sink.flush();
    }
  }

  void copyExactly(OutputStream sink, long n) throws IOException {
    byte[] buf = new byte[16384];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) throw new IOException("the engine's answer ended early");
      sink.write(buf, 0, r);
      n -= r;
    }
  }

  /** Copies until the engine closes, flushing whatever arrives. */
  void copyToEnd(OutputStream sink) throws IOException {
    byte[] buf = new byte[16384];
    for (int r; (r = in.read(buf)) >= 0; ) {
      sink.write(buf, 0, r);
      sink.flush();
    }
  }

  byte[] readAll() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    if (chunked()) copyChunked(b);
    else if (header("Content-Length") != null) copyExactly(b, Long.parseLong(header("Content-Length")));
    else copyToEnd(b);
    return b.toByteArray();
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
