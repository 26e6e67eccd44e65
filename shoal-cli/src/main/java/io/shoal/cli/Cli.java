package io.shoal.cli;

import io.shoal.cli.client.ApiClient;
import io.shoal.cli.client.DaemonHost;
import io.shoal.cli.client.HttpTransport;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * What a command needs from the world, passed to every command's constructor: output streams,
 * environment, clock, sleeper, whether stdout is a terminal, and how to reach the daemon. Tests
 * build one with captured streams and a fake clock; {@link #system()} is the real one.
 *
 * <p>Single-threaded: one command runs per instance.
 */
public final class Cli {
  /** Waits between polls; tests pass one that advances a fake clock instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;
  private final Clock clock;
  private final Sleeper sleeper;
  private final boolean terminal;
  private final Function<DaemonHost, ApiClient> clients;
  private String hostFlag;
  private ApiClient api;
  private java.io.InputStream stdin = System.in;

  public Cli(PrintStream out, PrintStream err, Map<String, String> env, Clock clock, Sleeper sleeper,
      boolean terminal, Function<DaemonHost, ApiClient> clients) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.clock = clock;
    this.sleeper = sleeper;
    this.terminal = terminal;
    this.clients = clients;
  }

  public static Cli system() {
    // System.console() is non-null only when both stdin and stdout are terminals; docker checks
    // stdout alone, but this is the best Java 17 offers without native calls.
    boolean tty = System.console() != null && !"dumb".equals(System.getenv("TERM"));
    return new Cli(System.out, System.err, System.getenv(), Clock.systemUTC(),
        d -> Thread.sleep(d.toMillis()), tty, h -> new ApiClient(new HttpTransport(h)));
  }

  public PrintStream out() {
    return out;
  }

  public PrintStream err() {
    return err;
  }

  public Map<String, String> env() {
    return env;
  }

  public Clock clock() {
    return clock;
  }

  /** What {@code secret create NAME -} reads; tests set their own. */
  public java.io.InputStream stdin() {
    return stdin;
  }

  public Cli stdin(java.io.InputStream in) {
    this.stdin = in;
    return this;
  }

  public Sleeper sleeper() {
    return sleeper;
  }

  public boolean terminal() {
    return terminal;
  }

  public void hostFlag(String host) {
    this.hostFlag = host;
  }

  /** The daemon client, created on first use so bad flags fail before any connection. */
  public ApiClient api() {
    if (api == null) {
      api = clients.apply(DaemonHost.resolve(hostFlag, env));
    }
    return api;
  }
}
