package io.shoal.cli.command.service;

import io.shoal.cli.Cli;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code shoal service}: the group; prints its usage when given no subcommand. */
@Command(name = "service", description = "Manage Swarm services", mixinStandardHelpOptions = true)
public final class ServiceCommand implements Runnable {
  /** Subcommands by name and alias; registered by ShoalMain only when used. */
  public static final java.util.Map<String, Class<?>> SUBCOMMANDS = io.shoal.cli.Commands.of(
      "create", ServiceCreate.class,
      "inspect", ServiceInspect.class,
      "logs", ServiceLogs.class,
      "ls", ServiceLs.class,
      "list", ServiceLs.class,
      "ps", ServicePs.class,
      "rm", ServiceRm.class,
      "remove", ServiceRm.class,
      "rollback", ServiceRollback.class,
      "scale", ServiceScale.class,
      "update", ServiceUpdate.class);

  private final Cli cli;

  @Spec
  CommandSpec spec;

  public ServiceCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(cli.out());
  }
}
