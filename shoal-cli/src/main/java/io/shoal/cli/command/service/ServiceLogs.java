package io.shoal.cli.command.service;

import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.cli.Cli;
import io.shoal.cli.client.Filters;
import io.shoal.cli.client.HttpResponse;
import io.shoal.cli.client.LogStream;
import io.shoal.cli.format.Display;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shoal service logs [OPTIONS] SERVICE}: streams the service's logs, each line prefixed
 * {@code web.1.abcdef012345@node1    | } like docker. The prefix comes from the log details the
 * daemon adds ({@code com.docker.swarm.task.id=...}), which we ask for and do not show.
 */
@Command(name = "logs", description = "Fetch the logs of a service", mixinStandardHelpOptions = true)
public final class ServiceLogs implements Callable<Integer> {
  private final Cli cli;

  @Option(names = {"-f", "--follow"}, description = "Follow log output") boolean follow;
  @Option(names = "--tail", paramLabel = "string", description = "Number of lines to show from the end of the logs (default \"all\")") String tail = "all";
  @Option(names = {"-t", "--timestamps"}, description = "Show timestamps") boolean timestamps;
  @Option(names = "--since", paramLabel = "string", description = "Show logs since timestamp or relative (e.g. 42m)") String since;
  @Option(names = "--details", description = "Show extra details provided to logs") boolean details;
  @Option(names = "--no-task-ids", description = "Do not include task IDs in output") boolean noTaskIds;
  @Option(names = "--no-trunc", description = "Do not truncate output") boolean noTrunc;
  @Option(names = "--no-resolve", description = "Do not map IDs to Names in output") boolean noResolve;
  @Option(names = "--raw", description = "Do not neatly format logs") boolean raw;

  @Parameters(index = "0", paramLabel = "SERVICE|TASK") String target;

  public ServiceLogs(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    if (!tail.equals("all")) {
      SpecFlags.uint("--tail", tail);
    }
    if (since != null && !since.matches("\\d.*")) {
      throw io.shoal.cli.UsageException.badValue("--since", since, "expected a timestamp or a duration like 42m");
    }
    Service service = cli.api().service(target);
    Map<String, Task> tasks = new HashMap<>();
    cli.api().tasks(Filters.of("service", service.id())).forEach(t -> tasks.put(t.id(), t));
    Map<String, String> nodes = noResolve ? Map.of() : ServiceSupport.nodeNames(cli.api());
    Map<String, String> query = new LinkedHashMap<>();
    query.put("stdout", "1");
    query.put("stderr", "1");
    query.put("details", "true");
    query.put("follow", follow ? "1" : "");
    query.put("timestamps", timestamps ? "1" : "");
    query.put("tail", tail);
    if (since != null) {
      query.put("since", sinceValue(since));
    }
    try (HttpResponse r = cli.api().stream("/services/" + service.id() + "/logs", query)) {
      LogStream.lines(r.body(), r.header("Content-Type"), (stream, line) -> {
        PrintStream out = stream == LogStream.STDERR ? cli.err() : cli.out();
        out.println(format(line, service, tasks, nodes));
        out.flush();
      });
    }
    return 0;
  }

  /** A relative {@code 42m} becomes seconds since the epoch; timestamps pass through. */
  private String sinceValue(String s) {
    if (s.matches("\\d+(\\.\\d+)?") || s.contains("T") || s.contains("-")) {
      return s;
    }
    long nanos = SpecFlags.duration("--since", s);
    return Long.toString(cli.clock().instant().minusNanos(nanos).getEpochSecond());
  }

  /** {@code [timestamp ]details message} to docker's prefixed form. */
  String format(String line, Service service, Map<String, Task> tasks, Map<String, String> nodes) {
    String timestamp = null;
    String rest = line;
    if (timestamps) {
      int sp = rest.indexOf(' ');
      if (sp > 0) {
        timestamp = rest.substring(0, sp);
        rest = rest.substring(sp + 1);
      }
    }
    Map<String, String> ctx = new HashMap<>();
    int sp = rest.indexOf(' ');
    String head = sp < 0 ? rest : rest.substring(0, sp);
    if (head.contains("com.docker.swarm.")) {
      for (String kv : head.split(",")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          ctx.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
      }
      rest = sp < 0 ? "" : rest.substring(sp + 1);
    }
    // docker's order: [timestamp ]context    | message
    StringBuilder out = new StringBuilder();
    if (timestamp != null) {
      out.append(timestamp).append(' ');
    }
    if (!raw && !ctx.isEmpty()) {
      Task task = tasks.get(ctx.get("com.docker.swarm.task.id"));
      String nodeId = ctx.getOrDefault("com.docker.swarm.node.id", task == null ? "" : task.nodeID());
      String name = service.name() + "." + (task == null ? "?" : task.slot() != 0 ? Long.toString(task.slot()) : task.nodeID());
      if (!noTaskIds && ctx.containsKey("com.docker.swarm.task.id")) {
        name += "." + Display.shortId(ctx.get("com.docker.swarm.task.id"), noTrunc);
      }
      out.append(name).append('@').append(nodes.getOrDefault(nodeId, nodeId)).append("    | ");
    }
    if (details && !ctx.isEmpty()) {
      out.append(head).append(' ');
    }
    return out.append(rest).toString();
  }
}
