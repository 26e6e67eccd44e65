package io.shoal.cli;

import io.shoal.cli.client.DaemonException;
import io.shoal.cli.client.HttpTransport;
import io.shoal.cli.command.node.NodeCommand;
import io.shoal.cli.command.service.ServiceCommand;
import io.shoal.cli.command.swarm.SwarmCommand;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code shoal} command: Docker's grammar for swarm, node and service, plus {@code daemon}.
 * Exit codes: 0 success, 1 any error (bad flags, daemon error, unreachable daemon).
 */
@Command(name = "shoal", mixinStandardHelpOptions = true, versionProvider = ShoalMain.Version.class,
    description = "A container orchestrator that speaks Docker Swarm mode.",
    subcommands = {
        SwarmCommand.class, NodeCommand.class, ServiceCommand.class, DaemonCommand.class,
        // `shoal stack` (deploy|ls|ps|services|rm) registers here, next to the others.
        CommandLine.HelpCommand.class})
public final class ShoalMain implements Runnable {
  private final Cli cli;

  @Spec
  CommandSpec spec;

  public ShoalMain(Cli cli) {
    this.cli = cli;
  }

  @Option(names = {"-H", "--host"}, paramLabel = "HOST",
      description = "Daemon socket to connect to (unix:///path or tcp://host:port); "
          + "default $SHOAL_HOST, $DOCKER_HOST, then unix:///run/shoal/shoal.sock")
  void host(String host) {
    cli.hostFlag(host);
  }

  @Override
  public void run() {
    spec.commandLine().usage(cli.out());
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("daemon")) {
      // Straight through: the daemon parses its own flags, and runs until it is stopped.
      try {
        DaemonCommand.run(Arrays.copyOfRange(args, 1, args.length));
      } catch (UsageException e) {
        System.err.println(e.getMessage());
        System.exit(1);
      }
      return;
    }
    System.exit(run(args, Cli.system()));
  }

  /** Runs one command line against the given world; returns the exit code. */
  public static int run(String[] args, Cli cli) {
    return commandLine(cli).execute(args);
  }

  /** The configured parser, also used by tests to parse flags without running anything. */
  public static CommandLine commandLine(Cli cli) {
    CommandLine cl = new CommandLine(ShoalMain.class, new Factory(cli));
    cl.setOut(new java.io.PrintWriter(cli.out(), true));
    cl.setErr(new java.io.PrintWriter(cli.err(), true));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // `service create IMAGE CMD -x` passes -x to the container, as docker does.
    cl.getSubcommands().get("service").getSubcommands().get("create").setStopAtPositional(true);
    cl.setParameterExceptionHandler((ex, args) -> {
      cli.err().println(ex.getMessage());
      String path = ex.getCommandLine().getCommandSpec().qualifiedName();
      cli.err().println("See '" + path + " --help'.");
      return 1;
    });
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      cli.err().println(describe(ex));
      return 1;
    });
    return cl;
  }

  /** Docker's error lines: daemon errors are prefixed, usage and connection errors are not. */
  static String describe(Exception ex) {
    if (ex instanceof DaemonException d) {
      return "Error response from daemon: " + d.getMessage();
    }
    if (ex instanceof CommandFailure f) {
      return f.getMessage();
    }
    if (ex instanceof UsageException u) {
      return u.getMessage();
    }
    if (ex instanceof UncheckedIOException u) {
      if (u.getCause() instanceof HttpTransport.ConnectException c) {
        return c.getMessage();
      }
      return "Error: " + (u.getCause() == null ? u.getMessage() : u.getCause().getMessage());
    }
    if (ex instanceof HttpTransport.ConnectException c) {
      return c.getMessage();
    }
    if (ex instanceof IllegalArgumentException i) {
      return i.getMessage();
    }
    return "Error: " + ex;
  }

  /** Gives commands that want it the {@link Cli}; others are made the default way. */
  static final class Factory implements CommandLine.IFactory {
    private final Cli cli;

    Factory(Cli cli) {
      this.cli = cli;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        Constructor<K> c = cls.getDeclaredConstructor(Cli.class);
        c.setAccessible(true);
        return c.newInstance(cli);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(cls);
      }
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = ShoalMain.class.getPackage().getImplementationVersion();
      return new String[] {"shoal " + (v == null ? "0.1.0-SNAPSHOT" : v)};
    }
  }
}
