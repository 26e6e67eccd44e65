package io.shoal.cli.command.service;

import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceMode;
import io.shoal.cli.Cli;
import io.shoal.cli.UsageException;
import io.shoal.cli.client.DaemonException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal service scale SERVICE=REPLICAS...}: sets the replica count of each, then (unless
 * {@code --detach}) waits for each to converge. All specifiers are checked before the first write.
 */
@Command(name = "scale", description = "Scale one or multiple replicated services",
    mixinStandardHelpOptions = true)
public final class ServiceScale implements Callable<Integer> {
  private final Cli cli;

  @Option(names = {"-d", "--detach"}, arity = "0..1", fallbackValue = "true",
      description = "Exit immediately instead of waiting for the service to converge") Boolean detach;

  @Parameters(arity = "1..*", paramLabel = "SERVICE=REPLICAS") List<String> specifiers;

  public ServiceScale(Cli cli) {
    this.cli = cli;
  }

  /** Parses {@code web=6} pairs, in order; rejects malformed ones with docker's wording. */
  public static Map<String, Long> parse(List<String> specifiers) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String s : specifiers) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("Invalid scale specifier '" + s + "'.\nSee 'shoal service scale --help'.");
      }
      String n = s.substring(eq + 1);
      try {
        long replicas = Long.parseLong(n);
        if (replicas < 0) {
          throw new NumberFormatException();
        }
        out.put(s.substring(0, eq), replicas);
      } catch (NumberFormatException e) {
        throw new UsageException("invalid replicas value " + n + ": must be a non-negative integer");
      }
    }
    return out;
  }

  @Override
  public Integer call() throws Exception {
    Map<String, Long> wanted = parse(specifiers);
    List<String> scaled = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Map.Entry<String, Long> e : wanted.entrySet()) {
      try {
        Service s = cli.api().service(e.getKey());
        ServiceMode mode = s.spec().modeOrDefault();
        ServiceMode next;
        if (mode.replicated() != null) {
          next = ServiceMode.replicas(e.getValue());
        } else if (mode.replicatedJob() != null) {
          next = new ServiceMode(null, null, new ServiceMode.ReplicatedJob(
              mode.replicatedJob().maxConcurrent(), e.getValue()), null);
        } else {
          errors.add(e.getKey() + ": scale can only be used with replicated or replicated-job mode");
          continue;
        }
        cli.api().updateService(s.id(), s.version().index(), s.spec().withMode(next));
        cli.out().println(e.getKey() + " scaled to " + e.getValue());
        scaled.add(s.id());
      } catch (DaemonException ex) {
        errors.add(ex.getMessage());
      }
    }
    if (!Boolean.TRUE.equals(detach)) {
      for (String id : scaled) {
        ServiceSupport.awaitConverged(cli, id, false, false);
      }
    }
    for (String err : errors) {
      cli.err().println(err);
    }
    return errors.isEmpty() ? 0 : 1;
  }
}
