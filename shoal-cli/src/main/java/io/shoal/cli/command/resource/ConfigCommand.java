package io.shoal.cli.command.resource;

import io.shoal.cli.Cli;
import io.shoal.cli.command.resource.SecretCommand.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code shoal config create|ls|inspect|rm}: {@link SecretCommand}'s logic on {@code /configs}. */
@Command(name = "config", description = "Manage Swarm configs", mixinStandardHelpOptions = true)
public final class ConfigCommand implements Runnable {
  public static final Map<String, Class<?>> SUBCOMMANDS = io.shoal.cli.Commands.of(
      "create", Create.class,
      "ls", Ls.class, "list", Ls.class,
      "inspect", Inspect.class,
      "rm", Rm.class, "remove", Rm.class);

  private final Cli cli;

  @Spec
  CommandSpec spec;

  public ConfigCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(cli.out());
  }

  @Command(name = "create", description = "Create a config from a file or STDIN", mixinStandardHelpOptions = true)
  public static final class Create implements Callable<Integer> {
    private final Cli cli;

    @Option(names = {"-l", "--label"}, paramLabel = "list", description = "Config labels") List<String> labels = new ArrayList<>();
    @Option(names = "--template-driver", paramLabel = "string", description = "Template driver") String templateDriver;
    @Parameters(index = "0", paramLabel = "CONFIG") String name;
    @Parameters(index = "1", paramLabel = "file|-") String file;

    public Create(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      return SecretCommand.create(cli, Kind.CONFIG, name, file, labels, null, templateDriver);
    }
  }

  @Command(name = "ls", aliases = "list", description = "List configs", mixinStandardHelpOptions = true)
  public static final class Ls implements Callable<Integer> {
    private final Cli cli;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided") List<String> filters = new ArrayList<>();
    @Option(names = "--format", paramLabel = "string", description = "Format output using a template with {{.Field}} placeholders") String format;
    @Option(names = {"-q", "--quiet"}, description = "Only display IDs") boolean quiet;

    public Ls(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      return SecretCommand.ls(cli, Kind.CONFIG, filters, format, quiet);
    }
  }

  @Command(name = "inspect", description = "Display detailed information on one or more configs", mixinStandardHelpOptions = true)
  public static final class Inspect implements Callable<Integer> {
    private final Cli cli;

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = "Format output using a template with {{.Path}} placeholders") String format;
    @Parameters(arity = "1..*", paramLabel = "CONFIG") List<String> names;

    public Inspect(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      return Resources.inspect(cli, names, format, n -> Kind.CONFIG.get(cli.api(), n));
    }
  }

  @Command(name = "rm", aliases = "remove", description = "Remove one or more configs", mixinStandardHelpOptions = true)
  public static final class Rm implements Callable<Integer> {
    private final Cli cli;

    @Parameters(arity = "1..*", paramLabel = "CONFIG") List<String> names;

    public Rm(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      return Resources.remove(cli, names, n -> Kind.CONFIG.remove(cli.api(), n));
    }
  }
}
