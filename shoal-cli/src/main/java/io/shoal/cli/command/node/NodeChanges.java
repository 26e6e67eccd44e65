package io.shoal.cli.command.node;

import io.shoal.api.json.Json;
import io.shoal.api.model.Node;
import io.shoal.cli.Cli;
import io.shoal.cli.client.DaemonException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code node promote|demote|rm}: role changes are node updates; rm is a delete. */
final class NodeChanges {
  private NodeChanges() {}

  /** Sets every named node's role; prints docker's sentences; any failure exits 1. */
  static int setRole(Cli cli, List<String> nodes, String role) {
    int code = 0;
    for (String ref : nodes) {
      try {
        String id = NodeCommand.resolve(cli.api(), ref);
        Node n = Json.lenient().convertValue(cli.api().nodeRaw(id), Node.class);
        if (role.equals(n.spec().role())) {
          cli.out().println(role.equals("manager") ? "Node " + ref + " is already a manager."
              : "Node " + ref + " is already a worker.");
          continue;
        }
        cli.api().updateNode(n.id(), n.version().index(),
            new Node.NodeSpec(n.spec().name(), n.spec().labels(), role, n.spec().availability()));
        cli.out().println(role.equals("manager") ? "Node " + ref + " promoted to a manager in the swarm."
            : "Manager " + ref + " demoted in the swarm.");
      } catch (DaemonException e) {
        cli.err().println("Error response from daemon: " + e.getMessage());
        code = 1;
      }
    }
    return code;
  }

  @Command(name = "promote", description = "Promote one or more nodes to manager in the swarm", mixinStandardHelpOptions = true)
  static final class Promote implements Callable<Integer> {
    private final Cli cli;
    @Parameters(arity = "1..*", paramLabel = "NODE") List<String> nodes;

    Promote(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      return setRole(cli, nodes, "manager");
    }
  }

  @Command(name = "demote", description = "Demote one or more nodes from manager in the swarm", mixinStandardHelpOptions = true)
  static final class Demote implements Callable<Integer> {
    private final Cli cli;
    @Parameters(arity = "1..*", paramLabel = "NODE") List<String> nodes;

    Demote(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      return setRole(cli, nodes, "worker");
    }
  }

  @Command(name = "rm", aliases = "remove", description = "Remove one or more nodes from the swarm", mixinStandardHelpOptions = true)
  static final class Rm implements Callable<Integer> {
    private final Cli cli;
    @Option(names = {"-f", "--force"}, description = "Force remove a node from the swarm") boolean force;
    @Parameters(arity = "1..*", paramLabel = "NODE") List<String> nodes;

    Rm(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      int code = 0;
      for (String ref : nodes) {
        try {
          cli.api().removeNode(NodeCommand.resolve(cli.api(), ref), force);
          cli.out().println(ref);
        } catch (DaemonException e) {
          cli.err().println("Error response from daemon: " + e.getMessage());
          code = 1;
        }
      }
      return code;
    }
  }
}
