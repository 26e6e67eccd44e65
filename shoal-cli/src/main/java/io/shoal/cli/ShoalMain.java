package io.shoal.cli;

import io.shoal.cli.client.DaemonException;
import io.shoal.cli.client.HttpTransport;
import io.shoal.cli.command.node.NodeCommand;
import io.shoal.cli.command.resource.ConfigCommand;
import io.shoal.cli.command.resource.NetworkCommand;
import io.shoal.cli.command.resource.SecretCommand;
import io.shoal.cli.command.service.ServiceCommand;
import io.shoal.cli.command.stack.StackCommand;
import io.shoal.cli.command.swarm.SwarmCommand;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code shoal} command: Docker's grammar for swarm, node, service, stack, secret, config and
 * network, plus {@code daemon}.
 * Exit codes: 0 success, 1 any error (bad flags, daemon error, unreachable daemon).
 */
@Command(name = "shoal", mixinStandardHelpOptions = true, versionProvider = ShoalMain.Version.class,
    description = "A container orchestrator that speaks Docker Swarm mode.")
public final class ShoalMain implements Runnable {
  /**
   * The command tree: group name → its class and its subcommands (by name and alias). Kept as
   * data rather than in {@code @Command(subcommands=...)} because picocli builds the model of every
   * registered command eagerly by reflection, which cost about half of the CLI's start time; {@link
   * #commandLine(Cli, String...)} registers only the branch a command line uses.
   */
  static final Map<String, Group> GROUPS = new LinkedHashMap<>();

  static {
    GROUPS.put("swarm", new Group(SwarmCommand.class, SwarmCommand.SUBCOMMANDS));
    GROUPS.put("node", new Group(NodeCommand.class, NodeCommand.SUBCOMMANDS));
    GROUPS.put("service", new Group(ServiceCommand.class, ServiceCommand.SUBCOMMANDS));
    GROUPS.put("stack", new Group(StackCommand.class, StackCommand.SUBCOMMANDS));
    GROUPS.put("secret", new Group(SecretCommand.class, SecretCommand.SUBCOMMANDS));
    GROUPS.put("config", new Group(ConfigCommand.class, ConfigCommand.SUBCOMMANDS));
    GROUPS.put("network", new Group(NetworkCommand.class, NetworkCommand.SUBCOMMANDS));
  }

  /** A command group and its subcommands keyed by every name they answer to. */
  record Group(Class<?> type, Map<String, Class<?>> subcommands) {}

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
    if (args.length > 0 && args[0].equals("bench")) {
      // Straight through to the benchmark programs (shoal-bench, bundled like the daemon)
      benchmark(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    System.exit(run(args, Cli.system()));
  }

  /** {@code shoal bench <name> [flags]}: runs io.shoal.bench.Bench when the jar carries it. */
  private static void benchmark(String[] args) throws Exception {
    Class<?> bench;
    try {
      bench = Class.forName("io.shoal.bench.Bench");
    } catch (ClassNotFoundException e) {
      System.err.println("shoal bench: this build has no benchmarks (built with -Dcli.standalone)");
      System.exit(1);
      return;
    }
    bench.getMethod("main", String[].class).invoke(null, (Object) args);
  }

  /** Runs one command line against the given world; returns the exit code. */
  public static int run(String[] args, Cli cli) {
    return commandLine(cli, args).execute(args);
  }

  /** The full parser (every command), used by tests to parse flags without running anything. */
  public static CommandLine commandLine(Cli cli) {
    return commandLine(cli, new String[0]);
  }

  /**
   * A parser holding the branch {@code args} names ({@code service create} registers only that
   * command); when the words name no known command, everything is registered so help and "unknown
   * command" errors list all of it.
   */
  public static CommandLine commandLine(Cli cli, String... args) {
    Factory factory = new Factory(cli);
    CommandLine cl = new CommandLine(ShoalMain.class, factory);
    List<String> words = commandWords(args);
    String first = words.isEmpty() ? null : words.get(0);
    boolean versionOnly = first == null && List.of(args).stream().anyMatch(a -> a.equals("-V") || a.equals("--version"));
    boolean all = !versionOnly && (first == null || !GROUPS.containsKey(first));
    for (Map.Entry<String, Group> g : GROUPS.entrySet()) {
      if (!versionOnly && (all || g.getKey().equals(first))) {
        cl.addSubcommand(g.getKey(), group(g.getValue(), all || words.size() < 2 ? null : words.get(1), factory));
      }
    }
    if (all) {
      cl.addSubcommand("daemon", new CommandLine(DaemonCommand.class, factory));
      cl.addSubcommand("help", new CommandLine.HelpCommand());
    }
    cl.setOut(new java.io.PrintWriter(cli.out(), true));
    cl.setErr(new java.io.PrintWriter(cli.err(), true));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    CommandLine service = cl.getSubcommands().get("service");
    if (service != null && service.getSubcommands().containsKey("create")) {
      // `service create IMAGE CMD -x` passes -x to the container, as docker does.
      service.getSubcommands().get("create").setStopAtPositional(true);
    }
    cl.setParameterExceptionHandler((ex, rejected) -> {
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

  private static CommandLine group(Group g, String sub, Factory factory) {
    CommandLine cl = new CommandLine(g.type(), factory);
    Class<?> only = sub == null ? null : g.subcommands().get(sub);
    java.util.Set<Class<?>> added = new java.util.HashSet<>();
    for (Class<?> c : g.subcommands().values()) {
      if ((only == null || only == c) && added.add(c)) {
        cl.addSubcommand(new CommandLine(c, factory));
      }
    }
    if (only == null) {
      cl.addSubcommand("help", new CommandLine.HelpCommand());
    }
    return cl;
  }

  /** The first two non-option words ({@code service}, {@code create}), skipping -H's value. */
  static List<String> commandWords(String[] args) {
    List<String> words = new ArrayList<>(2);
    for (int i = 0; i < args.length && words.size() < 2; i++) {
      String a = args[i];
      if (a.equals("-H") || a.equals("--host")) {
        i++;
      } else if (a.equals("--")) {
        break;
      } else if (!a.startsWith("-")) {
        words.add(a);
      }
    }
    return words;
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
