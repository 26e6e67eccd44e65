package io.shoal.cli;

import io.shoal.cli.client.ApiClient;
import io.shoal.cli.client.HttpTransport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import picocli.CommandLine;

/**
 * A {@link Cli} for tests: captured output, a fixed environment, and a clock that only moves when
 * the sleeper is called, so waiting code runs instantly and deterministically.
 */
public final class TestCli {
  public final ByteArrayOutputStream out = new ByteArrayOutputStream();
  public final ByteArrayOutputStream err = new ByteArrayOutputStream();
  public final MutableClock clock;
  public final Cli cli;

  public TestCli(String host, boolean terminal) {
    this(host, terminal, Instant.parse("2026-11-21T12:00:00Z"));
  }

  public TestCli(String host, boolean terminal, Instant now) {
    clock = new MutableClock(now);
    Map<String, String> env = host == null ? Map.of() : Map.of("SHOAL_HOST", host);
    cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        env, clock, clock::advance, terminal, h -> new ApiClient(new HttpTransport(h)));
  }

  public int run(String... args) {
    return ShoalMain.run(args, cli);
  }

  public String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  public String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Parses a command line and returns the innermost command object, without running it. */
  @SuppressWarnings("unchecked")
  public <T> T parse(String... args) {
    CommandLine.ParseResult pr = ShoalMain.commandLine(cli).parseArgs(args);
    while (pr.hasSubcommand()) {
      pr = pr.subcommand();
    }
    return (T) pr.commandSpec().userObject();
  }

  /** A clock advanced by the code under test through its sleeper. */
  public static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    public void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
