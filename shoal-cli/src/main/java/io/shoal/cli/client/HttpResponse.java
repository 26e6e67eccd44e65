package io.shoal.cli.client;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP response whose body is read from the open connection. Closing it closes the
 * connection. Header names are lower-cased.
 */
public final class HttpResponse implements Closeable {
  private final int status;
  private final Map<String, String> headers;
  private final InputStream body;
  private final Closeable connection;

  HttpResponse(int status, Map<String, String> headers, InputStream body, Closeable connection) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.connection = connection;
  }

  public int status() {
    return status;
  }

  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** The decoded body (chunked or length-delimited); ends where the message ends. */
  public InputStream body() {
    return body;
  }

  public byte[] readAll() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    body.transferTo(out);
    return out.toByteArray();
  }

  public String readString() throws IOException {
    return new String(readAll(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    connection.close();
  }
}
