package io.shoal.cli.command.service;

import io.shoal.api.model.Service;
import io.shoal.cli.Cli;
import io.shoal.cli.CommandFailure;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal service rollback SERVICE}: as docker does it, the current spec is posted back with
 * {@code rollback=previous}, and the daemon swaps in the previous spec.
 */
@Command(name = "rollback", description = "Revert changes to a service's configuration", mixinStandardHelpOptions = true)
public final class ServiceRollback implements Callable<Integer> {
  private final Cli cli;

  @Option(names = {"-d", "--detach"}, arity = "0..1", fallbackValue = "true",
      description = "Exit immediately instead of waiting for the service to converge") Boolean detach;
  @Option(names = {"-q", "--quiet"}, description = "Suppress progress output") boolean quiet;
  @Parameters(index = "0", paramLabel = "SERVICE") String service;

  public ServiceRollback(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    Service current = cli.api().service(service);
    if (current.previousSpec() == null) {
      throw new CommandFailure("Error response from daemon: service " + service + " does not have a previous spec");
    }
    cli.api().rollbackService(current.id(), current.version().index(), current.spec());
    cli.out().println(service);
    if (!Boolean.TRUE.equals(detach)) {
      ServiceSupport.awaitConverged(cli, current.id(), quiet, true, true);
    }
    return 0;
  }
}
