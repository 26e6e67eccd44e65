package io.shoal.cli.command.service;

import io.shoal.cli.Cli;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code shoal service}: the group; prints its usage when given no subcommand. */
@Command(name = "service", description = "Manage Swarm services", mixinStandardHelpOptions = true,
    subcommands = {ServiceCreate.class, ServiceInspect.class, ServiceLogs.class, ServiceLs.class,
        ServicePs.class, ServiceRm.class, ServiceScale.class, ServiceUpdate.class,
        CommandLine.HelpCommand.class})
public final class ServiceCommand implements Runnable {
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
