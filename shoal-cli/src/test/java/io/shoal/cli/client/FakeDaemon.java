package io.shoal.cli.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A tiny HTTP/1.1 server on a unix socket for tests: each request is answered by a handler
 * function, and every request is recorded. Responses can be framed by Content-Length, as chunks
 * (split where the test says) or by closing the connection. One thread serves connections in turn.
 */
public final class FakeDaemon implements AutoCloseable {
  /** A recorded request. */
  public record Request(String method, String target, Map<String, String> headers, String body) {
    public String path() {
      int q = target.indexOf('?');
      return q < 0 ? target : target.substring(0, q);
    }

    public String query(String name) {
      int q = target.indexOf('?');
      if (q < 0) {
        return null;
      }
      for (String kv : target.substring(q + 1).split("&")) {
        int eq = kv.indexOf('=');
        if (eq > 0 && kv.substring(0, eq).equals(name)) {
          return java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
        }
      }
      return null;
    }
  }

  /** How a response body is framed. */
  public enum Framing { LENGTH, CHUNKED, CLOSE }

  /** A canned response; {@code chunks} are the pieces when chunked. */
  public record Response(int status, Map<String, String> headers, List<byte[]> chunks, Framing framing) {
    public static Response json(int status, String body) {
      return new Response(status, Map.of("Content-Type", "application/json"),
          List.of(body.getBytes(StandardCharsets.UTF_8)), Framing.LENGTH);
    }

    public static Response ok(String body) {
      return json(200, body);
    }

    public static Response error(int status, String message) {
      return json(status, "{\"message\":\"" + message.replace("\"", "\\\"") + "\"}\n");
    }

    public Response framed(Framing f) {
      return new Response(status, headers, chunks, f);
    }

    public Response withHeader(String k, String v) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(k, v);
      return new Response(status, h, chunks, framing);
    }
  }

  private final Path socket;
  private final ServerSocketChannel server;
  private final Thread thread;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Function<Request, Response> handler;

  public FakeDaemon(Path dir, Function<Request, Response> handler) throws IOException {
    this.socket = dir.resolve("fake.sock");
    Files.deleteIfExists(socket);
    this.handler = handler;
    this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    this.thread = new Thread(this::serve, "fake-daemon");
    thread.setDaemon(true);
    thread.start();
  }

  public String uri() {
    return "unix://" + socket;
  }

  public List<Request> requests() {
    return requests;
  }

  /** Requests other than the version ping. */
  public List<Request> apiRequests() {
    return requests.stream().filter(r -> !r.path().equals("/_ping")).toList();
  }

  public void handler(Function<Request, Response> h) {
    this.handler = h;
  }

  private void serve() {
    while (server.isOpen()) {
      try (SocketChannel ch = server.accept()) {
        InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
        OutputStream out = Channels.newOutputStream(ch);
        Request req = read(in);
        requests.add(req);
        Response resp = handler.apply(req);
        write(out, resp);
      } catch (IOException e) {
        if (!server.isOpen()) {
          return;
        }
      }
    }
  }

  private static Request read(InputStream in) throws IOException {
    String line = HttpTransport.readLine(in);
    String[] parts = line.split(" ");
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = HttpTransport.readLine(in); !h.isEmpty(); h = HttpTransport.readLine(in)) {
      int c = h.indexOf(':');
      headers.put(h.substring(0, c).trim().toLowerCase(Locale.ROOT), h.substring(c + 1).trim());
    }
    int len = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(len);
    return new Request(parts[0], parts[1], headers, new String(body, StandardCharsets.UTF_8));
  }

  private static void write(OutputStream out, Response r) throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 " + r.status() + " X\r\n");
    r.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] c : r.chunks()) {
      all.write(c);
    }
    switch (r.framing()) {
      case LENGTH -> head.append("Content-Length: ").append(all.size()).append("\r\n");
      case CHUNKED -> head.append("Transfer-Encoding: chunked\r\n");
      case CLOSE -> head.append("Connection: close\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (r.framing() == Framing.CHUNKED) {
      for (byte[] c : r.chunks()) {
        out.write((Integer.toHexString(c.length) + ";ext=1\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(c);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      }
      out.write("0\r\nX-Trailer: t\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    } else {
      out.write(all.toByteArray());
    }
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
    Files.deleteIfExists(socket);
  }
}
