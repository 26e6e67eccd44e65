package io.shoal.cli.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client over a unix or TCP socket: one connection per request with {@code
 * Connection: close}. That is all a CLI needs (a handful of requests per command), and it avoids
 * pooling and keep-alive bookkeeping. Response bodies may be Content-Length, chunked or
 * close-delimited; they are read lazily so logs can stream.
 *
 * <p>Thread-safe: holds no per-request state.
 */
public final class HttpTransport {
  private final DaemonHost host;

  public HttpTransport(DaemonHost host) {
    this.host = host;
  }

  public DaemonHost host() {
    return host;
  }

  /**
   * Sends one request and returns the response with its body unread. The caller closes it.
   *
   * @param body JSON bytes, or null for no body
   */
  public HttpResponse exchange(String method, String target, byte[] body) throws IOException {
    SocketChannel channel = open();
    try {
      OutputStream out = Channels.newOutputStream(channel);
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      // Docker's daemon ignores Host on unix sockets but HTTP/1.1 requires one.
      head.append("Host: ").append(hostHeader()).append("\r\n");
      head.append("User-Agent: shoal-cli\r\n");
      head.append("Connection: close\r\n");
      if (body != null) {
        head.append("Content-Type: application/json\r\n");
        head.append("Content-Length: ").append(body.length).append("\r\n");
      } else if (method.equals("POST") || method.equals("PUT")) {
        head.append("Content-Length: 0\r\n");
      }
      head.append("\r\n");
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 8192);
      return readResponse(method, in, channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private SocketChannel open() throws IOException {
    SocketAddress address = host.address();
    if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
      address = new InetSocketAddress(inet.getHostString(), inet.getPort());
    }
    SocketChannel channel = SocketChannel.open(host.family());
    try {
      channel.connect(address);
    } catch (IOException e) {
      channel.close();
      throw new ConnectException(host.uri(), e);
    }
    return channel;
  }

  private String hostHeader() {
    if (host.address() instanceof InetSocketAddress inet) {
      return inet.getHostString() + ":" + inet.getPort();
    }
    return "shoal";
  }

  private static HttpResponse readResponse(String method, InputStream in, SocketChannel channel)
      throws IOException {
    String statusLine;
    int status;
    Map<String, String> headers;
    do { // skip interim 1xx responses
      statusLine = readLine(in);
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("malformed HTTP status line \"" + statusLine + "\"");
      }
      try {
        status = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IOException("malformed HTTP status line \"" + statusLine + "\"");
      }
      headers = new LinkedHashMap<>();
      for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
          throw new IOException("malformed HTTP header \"" + line + "\"");
        }
        headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
      }
    } while (status >= 100 && status < 200);

    InputStream body;
    String te = headers.get("transfer-encoding");
    String cl = headers.get("content-length");
    if (method.equals("HEAD") || status == 204 || status == 304) {
      body = InputStream.nullInputStream();
    } else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      body = new ChunkedInputStream(in);
    } else if (cl != null) {
      long length;
      try {
        length = Long.parseLong(cl.trim());
      } catch (NumberFormatException e) {
        throw new IOException("malformed Content-Length \"" + cl + "\"");
      }
      body = new BoundedInputStream(in, length);
    } else {
      body = in; // delimited by the server closing the connection
    }
    return new HttpResponse(status, headers, body, channel);
  }

  /** Reads one CRLF- (or LF-) terminated line as ISO-8859-1, without the terminator. */
  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed mid-line");
      }
      if (c == '\n') {
        break;
      }
      line.write(c);
      if (line.size() > 65536) {
        throw new IOException("HTTP line too long");
      }
    }
    byte[] bytes = line.toByteArray();
    int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
    return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
  }

  /** The daemon could not be reached at all (as opposed to answering with an error). */
  public static final class ConnectException extends IOException {
    public ConnectException(String uri, IOException cause) {
      super("Cannot connect to the Shoal daemon at " + uri + ". Is the daemon running?", cause);
    }
  }
}
