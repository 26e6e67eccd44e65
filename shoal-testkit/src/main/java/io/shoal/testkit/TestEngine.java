package io.shoal.testkit;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Docker engine for T5 tests. {@link #host()} returns a {@code unix://} DOCKER_HOST that
 * answers and has the test image {@value #IMAGE}:
 *
 * <ol>
 *   <li>{@code SHOAL_TEST_DOCKER_HOST} if set (the image is then the caller's business);
 *   <li>else the engine of {@code scripts/engine.sh} ({@value #ENGINE_SOCKET}); the script's
 *       {@code image} command starts it if needed and builds the image if missing.
 * </ol>
 *
 * If no engine can be had the test is <b>aborted</b> (reported as skipped, never passed) with a
 * message starting {@code NO DOCKER ENGINE:} and the reason.
 *
 * <pre>{@code
 * String host = TestEngine.host();   // in @BeforeAll
 * }</pre>
 *
 * Thread-safe; the result is computed once per JVM.
 */
public final class TestEngine {
  public static final String IMAGE = "shoal-test/busybox:1";
  public static final String ENGINE_SOCKET = "/run/shoal-engine/docker.sock";

  private static String host;
  private static String failure;

  private TestEngine() {}

  public static synchronized String host() {
    if (host == null && failure == null) {
      try {
        host = find();
      } catch (RuntimeException e) {
        failure = e.getMessage();
      }
    }
    if (host == null) {
      System.err.println("NO DOCKER ENGINE: " + failure + " (T5 test aborted, not passed)");
      Assumptions.abort("NO DOCKER ENGINE: " + failure);
    }
    return host;
  }

  private static String find() {
    String env = System.getenv("SHOAL_TEST_DOCKER_HOST");
    if (env != null && !env.isBlank()) {
      if (env.startsWith("unix://") && !ping(Path.of(env.substring("unix://".length())))) {
        throw new IllegalStateException("SHOAL_TEST_DOCKER_HOST=" + env + " does not answer /_ping");
      }
      return env;
    }
    Path script = repoRoot().resolve("scripts").resolve("engine.sh");
    // `image` starts the engine if it does not answer and builds the image if missing; both idempotent
    String out = run(script, "image");
    if (!ping(Path.of(ENGINE_SOCKET))) {
      throw new IllegalStateException("scripts/engine.sh image ran but " + ENGINE_SOCKET
          + " does not answer: " + out);
    }
    return "unix://" + ENGINE_SOCKET;
  }

  /** The repository root: the nearest directory up from the working dir holding scripts/engine.sh. */
  public static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      if (Files.isRegularFile(p.resolve("scripts").resolve("engine.sh"))) {
        return p;
      }
      p = p.getParent();
    }
    throw new IllegalStateException("no scripts/engine.sh above " + Path.of("").toAbsolutePath());
  }

  private static String run(Path script, String arg) {
    try {
      Process p = new ProcessBuilder("bash", script.toString(), arg).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(180, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(script + " " + arg + " timed out");
      }
      String text = new String(out, StandardCharsets.UTF_8).trim();
      if (p.exitValue() != 0) {
        throw new IllegalStateException(script + " " + arg + " exited " + p.exitValue() + ": " + text);
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + script, e);
    }
  }

  /** True if a Docker engine answers {@code GET /_ping} with OK on the socket. */
  public static boolean ping(Path socket) {
    if (!Files.exists(socket)) {
      return false;
    }
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      ByteBuffer buf = ByteBuffer.allocate(4096);
      StringBuilder sb = new StringBuilder();
      while (ch.read(buf) > 0) {
        buf.flip();
        sb.append(StandardCharsets.US_ASCII.decode(buf));
        buf.clear();
      }
      return sb.toString().startsWith("HTTP/1.") && sb.toString().contains(" 200 ") && sb.toString().endsWith("OK");
    } catch (IOException e) {
      return false;
    }
  }
}
