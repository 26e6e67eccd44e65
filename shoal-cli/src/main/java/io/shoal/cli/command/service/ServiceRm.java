package io.shoal.cli.command.service;

import io.shoal.cli.Cli;
import io.shoal.cli.client.DaemonException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code shoal service rm SERVICE...}: removes each, printing its name; any failure exits 1. */
@Command(name = "rm", aliases = "remove", description = "Remove one or more services",
    mixinStandardHelpOptions = true)
public final class ServiceRm implements Callable<Integer> {
  private final Cli cli;

  @Parameters(arity = "1..*", paramLabel = "SERVICE") List<String> services;

  public ServiceRm(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    int code = 0;
    for (String s : services) {
      try {
        cli.api().removeService(s);
        cli.out().println(s);
      } catch (DaemonException e) {
        cli.err().println("Error response from daemon: " + e.getMessage());
        code = 1;
      }
    }
    return code;
  }
}
