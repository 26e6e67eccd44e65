package io.shoal.cli.command.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.cli.Cli;
import io.shoal.cli.UsageException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code shoal swarm join-token [-q] [--rotate] worker|manager}. */
@Command(name = "join-token", description = "Manage join tokens", mixinStandardHelpOptions = true)
public final class JoinToken implements Callable<Integer> {
  private final Cli cli;

  @Option(names = {"-q", "--quiet"}, description = "Only display token") boolean quiet;
  @Option(names = "--rotate", description = "Rotate join token") boolean rotate;
  @Parameters(index = "0", paramLabel = "(worker|manager)") String role;

  public JoinToken(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    if (!role.equals("worker") && !role.equals("manager")) {
      throw new UsageException("unknown role " + role);
    }
    boolean worker = role.equals("worker");
    if (rotate) {
      JsonNode swarm = cli.api().swarm();
      cli.api().swarmUpdate(swarm.path("Version").path("Index").asLong(), swarm.path("Spec"), worker, !worker);
      if (!quiet) {
        cli.out().println("Successfully rotated " + role + " join token.");
        cli.out().println();
      }
    }
    JsonNode swarm = cli.api().swarm();
    String token = swarm.path("JoinTokens").path(worker ? "Worker" : "Manager").asText("");
    if (quiet) {
      cli.out().println(token);
      return 0;
    }
    cli.out().println("To add a " + role + " to this swarm, run the following command:");
    cli.out().println();
    cli.out().println("    shoal swarm join --token " + token + " " + managerAddr(cli));
    cli.out().println();
    return 0;
  }

  /** This manager's cluster address as {@code /info} reports it. */
  static String managerAddr(Cli cli) {
    JsonNode info = cli.api().info().path("Swarm");
    String self = info.path("NodeID").asText("");
    for (JsonNode m : info.path("RemoteManagers")) {
      if (self.equals(m.path("NodeID").asText())) {
        return m.path("Addr").asText();
      }
    }
    String addr = info.path("NodeAddr").asText("");
    return addr.isEmpty() ? "<manager-address>:2377" : addr + ":2377";
  }
}
