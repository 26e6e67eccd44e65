package io.shoal.cli;

import io.shoal.api.json.Json;
import io.shoal.api.model.Node;
import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.cli.client.Filters;
import io.shoal.cli.command.node.NodeCommand;
import io.shoal.cli.command.service.ServiceCreate;
import io.shoal.cli.command.service.ServiceLs;
import io.shoal.cli.format.JsonPrinter;
import io.shoal.cli.format.Pretty;
import io.shoal.cli.format.TaskTable;
import io.shoal.cli.progress.Progress;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Exercises the CLI's usual code paths without a daemon, so the build can record the classes they
 * load in an AppCDS archive ({@code -XX:ArchiveClassesAtExit}); bin/shoal then starts from that
 * archive. Prints nothing; not part of the command tree.
 */
public final class CdsTraining {
  private CdsTraining() {}

  private static final String SERVICE = "{\"ID\":\"s1\",\"Version\":{\"Index\":3},\"CreatedAt\":\"2026-01-01T00:00:00Z\","
      + "\"Spec\":{\"Name\":\"web\",\"Labels\":{\"a\":\"b\"},\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"busybox\","
      + "\"Args\":[\"sh\"],\"Env\":[\"A=1\"],\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/a\",\"Target\":\"/b\"}],"
      + "\"HealthCheck\":{\"Test\":[\"NONE\"]}},\"Resources\":{\"Limits\":{\"NanoCPUs\":1}},\"RestartPolicy\":{\"Condition\":\"any\"},"
      + "\"Placement\":{\"Constraints\":[\"node.role==manager\"],\"Preferences\":[{\"Spread\":{\"SpreadDescriptor\":\"x\"}}]}},"
      + "\"Mode\":{\"Replicated\":{\"Replicas\":2}},\"UpdateConfig\":{\"Parallelism\":1},\"EndpointSpec\":{\"Mode\":\"vip\","
      + "\"Ports\":[{\"Protocol\":\"tcp\",\"TargetPort\":80,\"PublishedPort\":8080,\"PublishMode\":\"ingress\"}]}},"
      + "\"Endpoint\":{\"Ports\":[{\"Protocol\":\"tcp\",\"TargetPort\":80,\"PublishedPort\":8080}],\"VirtualIPs\":[{\"NetworkID\":\"n\",\"Addr\":\"10.0.0.2/24\"}]},"
      + "\"UpdateStatus\":{\"State\":\"completed\"},\"ServiceStatus\":{\"RunningTasks\":1,\"DesiredTasks\":2,\"CompletedTasks\":0}}";
  private static final String TASK = "{\"ID\":\"t1\",\"Version\":{\"Index\":4},\"CreatedAt\":\"2026-01-01T00:00:00Z\",\"ServiceID\":\"s1\","
      + "\"Slot\":1,\"NodeID\":\"n1\",\"Spec\":{\"ContainerSpec\":{\"Image\":\"busybox\"}},\"Status\":{\"Timestamp\":\"2026-01-01T00:00:01Z\","
      + "\"State\":\"running\",\"Message\":\"started\",\"Err\":\"e\",\"ContainerStatus\":{\"ContainerID\":\"c\",\"PID\":1,\"ExitCode\":0},"
      + "\"PortStatus\":{\"Ports\":[{\"Protocol\":\"tcp\",\"TargetPort\":80,\"PublishedPort\":8080,\"PublishMode\":\"host\"}]}},"
      + "\"DesiredState\":\"running\"}";
  private static final String NODE = "{\"ID\":\"n1\",\"Version\":{\"Index\":2},\"Spec\":{\"Role\":\"manager\",\"Availability\":\"active\"},"
      + "\"Description\":{\"Hostname\":\"h\",\"Platform\":{\"Architecture\":\"x86_64\",\"OS\":\"linux\"},"
      + "\"Resources\":{\"NanoCPUs\":1,\"MemoryBytes\":1},\"Engine\":{\"EngineVersion\":\"1\"}},"
      + "\"Status\":{\"State\":\"ready\",\"Addr\":\"127.0.0.1\"},\"ManagerStatus\":{\"Leader\":true,\"Reachability\":\"reachable\"}}";

  public static void main(String[] args) throws Exception {
    PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
    Cli cli = new Cli(sink, sink, Map.of("SHOAL_HOST", "unix:///nonexistent/shoal-cds.sock"), Clock.systemUTC(),
        d -> { }, false, h -> new io.shoal.cli.client.ApiClient(new io.shoal.cli.client.HttpTransport(h)));
    ServiceCreate create = parse(cli, "service", "create", "--name", "w", "--replicas", "2", "-p", "8080:80",
        "-e", "A=1", "--limit-memory", "1g", "--limit-cpu", "0.5", "--restart-delay", "5s", "--mount",
        "type=volume,source=v,target=/v", "--constraint", "node.role==manager", "--health-cmd", "true", "busybox", "sh");
    String body = Json.string(create.buildSpec());
    Json.lenient().readTree(body);
    for (String[] line : new String[][] {{"service", "update", "--env-add", "A=2", "--publish-add", "80", "web"},
        {"service", "ls", "-q"}, {"service", "ps", "web"}, {"node", "ls"}, {"node", "update", "--availability", "drain", "self"},
        {"swarm", "init", "--advertise-addr", "127.0.0.1"}, {"service", "scale", "web=2"}, {"service", "inspect", "web"},
        {"service", "logs", "web"}, {"node", "ps"}, {"swarm", "leave"}}) {
      parse(cli, line);
    }
    Service s = Json.lenient().readValue(SERVICE, Service.class);
    Task t = Json.lenient().readValue(TASK, Task.class);
    Node n = Json.lenient().readValue(NODE, Node.class);
    List<Service> ss = List.of(s);
    List<Task> ts = List.of(t);
    sink.print(ServiceLs.render(ServiceLs.rows(ss, ts)));
    sink.print(TaskTable.render(TaskTable.rows(ts, Map.of("s1", "web"), Map.of("n1", "h"), Instant.now(), false, false)));
    sink.print(NodeCommand.Ls.rows(List.of(n), "n1"));
    sink.print(Pretty.service(s));
    sink.print(Pretty.node(n));
    sink.print(JsonPrinter.inspectArray(List.of(Json.lenient().readTree(SERVICE))));
    sink.print(Progress.evaluate(s, ts, true).lines());
    sink.print(new Filters().add("name", "web").toJson());
    // the error path of a real command: daemon unreachable
    ShoalMain.run(new String[] {"service", "ls"}, cli);
    ShoalMain.run(new String[] {"service", "create", "--limit-memory", "x", "busybox"}, cli);
  }

  @SuppressWarnings("unchecked")
  private static <T> T parse(Cli cli, String... args) {
    picocli.CommandLine.ParseResult pr = ShoalMain.commandLine(cli, args).parseArgs(args);
    while (pr.hasSubcommand()) {
      pr = pr.subcommand();
    }
    return (T) pr.commandSpec().userObject();
  }
}
