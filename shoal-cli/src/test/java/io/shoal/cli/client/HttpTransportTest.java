package io.shoal.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shoal.cli.client.FakeDaemon.Framing;
import io.shoal.cli.client.FakeDaemon.Response;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** T3: the HTTP client against a real HTTP server on a unix socket. */
class HttpTransportTest {
  @TempDir
  Path dir;

  private static Response ping(String version) {
    Response r = new Response(200, Map.of("Content-Type", "text/plain"),
        List.of("OK".getBytes(StandardCharsets.UTF_8)), Framing.LENGTH);
    return version == null ? r : r.withHeader("API-Version", version);
  }

  @Test
  void contentLengthBody() throws Exception {
    try (FakeDaemon d = new FakeDaemon(dir, req -> Response.ok("{\"ID\":\"abc\"}"))) {
      HttpTransport t = new HttpTransport(DaemonHost.parse(d.uri()));
      try (HttpResponse r = t.exchange("GET", "/v1.44/info", null)) {
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).isEqualTo("application/json");
        assertThat(r.readString()).isEqualTo("{\"ID\":\"abc\"}");
      }
      assertThat(d.requests().get(0).headers()).containsEntry("connection", "close").containsKey("host");
    }
  }

  @Test
  void chunkedBodyWithExtensionsAndTrailers() throws Exception {
    Response chunked = new Response(200, Map.of(), List.of("[{\"ID\":".getBytes(), "\"x\"}".getBytes(),
        "]".getBytes()), Framing.CHUNKED);
    try (FakeDaemon d = new FakeDaemon(dir, req -> chunked)) {
      try (HttpResponse r = new HttpTransport(DaemonHost.parse(d.uri())).exchange("GET", "/x", null)) {
        assertThat(r.readString()).isEqualTo("[{\"ID\":\"x\"}]");
      }
    }
  }

  @Test
  void closeDelimitedBody() throws Exception {
    try (FakeDaemon d = new FakeDaemon(dir, req -> Response.ok("plain until close").framed(Framing.CLOSE))) {
      try (HttpResponse r = new HttpTransport(DaemonHost.parse(d.uri())).exchange("GET", "/x", null)) {
        assertThat(r.readString()).isEqualTo("plain until close");
      }
    }
  }

  @Test
  void requestBodyIsSentWithLength() throws Exception {
    try (FakeDaemon d = new FakeDaemon(dir, req -> Response.ok("{}"))) {
      byte[] body = "{\"Name\":\"web\"}".getBytes(StandardCharsets.UTF_8);
      try (HttpResponse r = new HttpTransport(DaemonHost.parse(d.uri())).exchange("POST", "/s", body)) {
        r.readAll();
      }
      FakeDaemon.Request req = d.requests().get(0);
      assertThat(req.method()).isEqualTo("POST");
      assertThat(req.body()).isEqualTo("{\"Name\":\"web\"}");
      assertThat(req.headers()).containsEntry("content-type", "application/json");
    }
  }

  @Test
  void negotiatesVersionFromPing() throws Exception {
    try (FakeDaemon d = new FakeDaemon(dir, req -> req.path().equals("/_ping") ? ping("1.41") : Response.ok("{}"))) {
      ApiClient api = new ApiClient(new HttpTransport(DaemonHost.parse(d.uri())));
      api.info();
      api.info();
      assertThat(d.requests()).extracting(FakeDaemon.Request::path).containsExactly("/_ping", "/v1.41/info", "/v1.41/info");
    }
  }

  @Test
  void newerOrMissingDaemonVersionUsesOurs() throws Exception {
    try (FakeDaemon d = new FakeDaemon(dir, req -> req.path().equals("/_ping") ? ping("1.47") : Response.ok("{}"))) {
      ApiClient api = new ApiClient(new HttpTransport(DaemonHost.parse(d.uri())));
      assertThat(api.apiVersion()).isEqualTo("1.44");
    }
    try (FakeDaemon d = new FakeDaemon(dir, req -> ping(null))) {
      assertThat(new ApiClient(new HttpTransport(DaemonHost.parse(d.uri()))).apiVersion()).isEqualTo("1.44");
    }
  }

  @Test
  void errorBodyBecomesDaemonException() throws Exception {
    try (FakeDaemon d = new FakeDaemon(dir, req -> req.path().equals("/_ping") ? ping("1.44")
        : Response.error(409, "name conflicts with an existing object"))) {
      ApiClient api = new ApiClient(new HttpTransport(DaemonHost.parse(d.uri())));
      assertThatThrownBy(api::info).isInstanceOf(DaemonException.class)
          .hasMessage("name conflicts with an existing object")
          .extracting(e -> ((DaemonException) e).status()).isEqualTo(409);
    }
  }

  @Test
  void chunkedErrorAndNonJsonError() throws Exception {
    try (FakeDaemon d = new FakeDaemon(dir, req -> req.path().equals("/_ping") ? ping("1.44")
        : req.path().endsWith("/a") ? Response.error(404, "service web not found").framed(Framing.CHUNKED)
        : Response.json(500, "boom"))) {
      ApiClient api = new ApiClient(new HttpTransport(DaemonHost.parse(d.uri())));
      assertThatThrownBy(() -> api.get("/a", null)).hasMessage("service web not found");
      assertThatThrownBy(() -> api.get("/b", null)).hasMessage("boom");
    }
  }

  @Test
  void queryAndFiltersAreEncoded() throws Exception {
    try (FakeDaemon d = new FakeDaemon(dir, req -> req.path().equals("/_ping") ? ping("1.44") : Response.ok("[]"))) {
      ApiClient api = new ApiClient(new HttpTransport(DaemonHost.parse(d.uri())));
      api.tasks(Filters.of("service", "web").add("desired-state", "running"));
      FakeDaemon.Request req = d.apiRequests().get(0);
      assertThat(req.path()).isEqualTo("/v1.44/tasks");
      assertThat(req.query("filters")).isEqualTo("{\"desired-state\":{\"running\":true},\"service\":{\"web\":true}}");
    }
  }

  @Test
  void streamsMultiplexedLogsAcrossChunks() throws Exception {
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    frame(frames, 1, "hello ");
    frame(frames, 1, "world\nsecond\n");
    frame(frames, 2, "oops\n");
    byte[] all = frames.toByteArray();
    // split mid-header and mid-payload to prove the decoder does not assume alignment
    List<byte[]> pieces = List.of(slice(all, 0, 3), slice(all, 3, 17), slice(all, 17, all.length));
    Response logs = new Response(200, Map.of("Content-Type", "application/vnd.docker.multiplexed-stream"),
        pieces, Framing.CHUNKED);
    try (FakeDaemon d = new FakeDaemon(dir, req -> req.path().equals("/_ping") ? ping("1.44") : logs)) {
      ApiClient api = new ApiClient(new HttpTransport(DaemonHost.parse(d.uri())));
      List<String> lines = new ArrayList<>();
      try (HttpResponse r = api.stream("/services/web/logs", Map.of("follow", "1"))) {
        LogStream.lines(r.body(), r.header("Content-Type"), (s, l) -> lines.add(s + ":" + l));
      }
      assertThat(lines).containsExactly("1:hello world", "1:second", "2:oops");
    }
  }

  @Test
  void rawLogsWithoutContentType() throws Exception {
    List<String> lines = new ArrayList<>();
    LogStream.lines(new java.io.ByteArrayInputStream("a\nb".getBytes()), null, (s, l) -> lines.add(l));
    assertThat(lines).containsExactly("a", "b");
  }

  @Test
  void unreachableDaemonIsReportedAsSuch() {
    ApiClient api = new ApiClient(new HttpTransport(DaemonHost.parse("unix://" + dir.resolve("none.sock"))));
    assertThatThrownBy(api::info).isInstanceOf(UncheckedIOException.class)
        .cause().isInstanceOf(HttpTransport.ConnectException.class)
        .hasMessageContaining("Cannot connect to the Shoal daemon at unix://");
  }

  @Test
  void hostResolution() {
    assertThat(DaemonHost.resolve(null, Map.of()).uri()).isEqualTo("unix:///run/shoal/shoal.sock");
    assertThat(DaemonHost.resolve(null, Map.of("DOCKER_HOST", "unix:///d.sock")).uri()).isEqualTo("unix:///d.sock");
    assertThat(DaemonHost.resolve(null, Map.of("DOCKER_HOST", "unix:///d.sock", "SHOAL_HOST", "unix:///s.sock")).uri())
        .isEqualTo("unix:///s.sock");
    assertThat(DaemonHost.resolve("tcp://127.0.0.1:2375", Map.of("SHOAL_HOST", "unix:///s.sock")).address())
        .hasToString("127.0.0.1/<unresolved>:2375");
    assertThatThrownBy(() -> DaemonHost.parse("http://x")).hasMessageContaining("invalid host");
    assertThatThrownBy(() -> DaemonHost.parse("tcp://host")).hasMessageContaining("tcp://HOST:PORT");
  }

  private static void frame(ByteArrayOutputStream out, int stream, String payload) {
    byte[] p = payload.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(new byte[] {(byte) stream, 0, 0, 0, 0, 0, (byte) (p.length >> 8), (byte) p.length});
    out.writeBytes(p);
  }

  private static byte[] slice(byte[] a, int from, int to) {
    return java.util.Arrays.copyOfRange(a, from, to);
  }
}
