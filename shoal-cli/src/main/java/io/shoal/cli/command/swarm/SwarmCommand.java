package io.shoal.cli.command.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.cli.Cli;
import io.shoal.cli.UsageException;
import io.shoal.cli.command.service.ServiceInspect.InspectSupport;
import io.shoal.cli.format.JsonPrinter;
import io.shoal.cli.format.Template;
import io.shoal.cli.format.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code shoal swarm init|join|update|leave|inspect|join-token|client-cert}. */
@Command(name = "swarm", description = "Manage Swarm", mixinStandardHelpOptions = true)
public final class SwarmCommand implements Runnable {
  /** Subcommands by name and alias; registered by ShoalMain only when used. */
  public static final java.util.Map<String, Class<?>> SUBCOMMANDS = io.shoal.cli.Commands.of(
      "init", Init.class,
      "join", Join.class,
      "update", Update.class,
      "leave", Leave.class,
      "inspect", Inspect.class,
      "join-token", JoinToken.class,
      "client-cert", ClientCert.class);

  private final Cli cli;

  @Spec
  CommandSpec spec;

  public SwarmCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(cli.out());
  }

  /**
   * {@code swarm init}: posts a SwarmInitRequest. Like docker, the Spec carries only the settings
   * whose flags were given; the daemon fills in Swarm's defaults for the rest.
   */
  @Command(name = "init", description = "Initialize a swarm", mixinStandardHelpOptions = true, sortOptions = true)
  public static final class Init implements Callable<Integer> {
    private final Cli cli;

    @Option(names = "--advertise-addr", paramLabel = "string", description = "Advertised address (format: \"<ip|interface>[:port]\")") String advertiseAddr;
    @Option(names = "--listen-addr", paramLabel = "node-addr", description = "Listen address (format: \"<ip|interface>[:port]\") (default 0.0.0.0:2377)") String listenAddr = "0.0.0.0:2377";
    @Option(names = "--data-path-addr", paramLabel = "string", description = "Address or interface to use for data path traffic") String dataPathAddr;
    @Option(names = "--data-path-port", paramLabel = "uint32", description = "Port number to use for data path traffic (1024 - 49151)") String dataPathPort;
    @Option(names = "--default-addr-pool", paramLabel = "ipNetSlice", split = ",", description = "Default address pool in CIDR format") List<String> defaultAddrPool = new ArrayList<>();
    @Option(names = "--default-addr-pool-mask-length", paramLabel = "uint32", description = "Default address pool subnet mask length") String subnetSize;
    @Option(names = "--force-new-cluster", description = "Force create a new cluster from current state") boolean forceNewCluster;
    @Option(names = "--task-history-limit", paramLabel = "int", description = "Task history retention limit (default 5)") String taskHistoryLimit;
    @Option(names = "--dispatcher-heartbeat", paramLabel = "duration", description = "Dispatcher heartbeat period (ns|us|ms|s|m|h) (default 5s)") String dispatcherHeartbeat;
    @Option(names = "--cert-expiry", paramLabel = "duration", description = "Validity period for node certificates (ns|us|ms|s|m|h) (default 2160h0m0s)") String certExpiry;
    @Option(names = "--snapshot-interval", paramLabel = "uint", description = "Number of log entries between Raft snapshots (default 10000)") String snapshotInterval;
    @Option(names = "--max-snapshots", paramLabel = "uint", description = "Number of additional Raft snapshots to retain") String maxSnapshots;
    @Option(names = "--availability", paramLabel = "string", description = "Availability of the node (\"active\", \"pause\", \"drain\")") String availability;
    @Option(names = "--autolock", description = "Enable manager autolocking") boolean autolock;

    public Init(Cli cli) {
      this.cli = cli;
    }

    /** The request body; throws {@link UsageException} on bad values. */
    public ObjectNode request() {
      JsonNodeFactory f = JsonNodeFactory.instance;
      ObjectNode req = f.objectNode();
      req.put("ListenAddr", listenAddr);
      req.put("AdvertiseAddr", advertiseAddr == null ? "" : advertiseAddr);
      if (dataPathAddr != null) req.put("DataPathAddr", dataPathAddr);
      if (dataPathPort != null) {
        long p = uint("--data-path-port", dataPathPort);
        if (p != 0 && (p < 1024 || p > 49151)) {
          throw UsageException.badValue("--data-path-port", dataPathPort, "must be within 1024 - 49151");
        }
        req.put("DataPathPort", p);
      }
      if (!defaultAddrPool.isEmpty()) {
        defaultAddrPool.forEach(c -> {
          if (!c.matches("\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+")) {
            throw UsageException.badValue("--default-addr-pool", c, "invalid CIDR address");
          }
        });
        req.set("DefaultAddrPool", f.arrayNode().addAll(defaultAddrPool.stream().map(f::textNode).toList()));
      }
      if (subnetSize != null) req.put("SubnetSize", uint("--default-addr-pool-mask-length", subnetSize));
      req.put("ForceNewCluster", forceNewCluster);
      if (availability != null) {
        String a = availability.toLowerCase(Locale.ROOT);
        if (!a.equals("active") && !a.equals("pause") && !a.equals("drain")) {
          throw UsageException.badValue("--availability", availability, "must be one of active, pause, drain");
        }
        req.put("Availability", a);
      }
      ObjectNode spec = f.objectNode();
      if (taskHistoryLimit != null) {
        spec.putObject("Orchestration").put("TaskHistoryRetentionLimit", uint("--task-history-limit", taskHistoryLimit));
      }
      if (snapshotInterval != null || maxSnapshots != null) {
        ObjectNode raft = spec.putObject("Raft");
        if (snapshotInterval != null) raft.put("SnapshotInterval", uint("--snapshot-interval", snapshotInterval));
        if (maxSnapshots != null) raft.put("KeepOldSnapshots", uint("--max-snapshots", maxSnapshots));
      }
      if (dispatcherHeartbeat != null) {
        spec.putObject("Dispatcher").put("HeartbeatPeriod", duration("--dispatcher-heartbeat", dispatcherHeartbeat));
      }
      if (certExpiry != null) {
        spec.putObject("CAConfig").put("NodeCertExpiry", duration("--cert-expiry", certExpiry));
      }
      if (autolock) {
        spec.putObject("EncryptionConfig").put("AutoLockManagers", true);
      }
      req.set("Spec", spec);
      return req;
    }

    @Override
    public Integer call() {
      ObjectNode req = request();
      String nodeId = cli.api().swarmInit(req);
      cli.out().println("Swarm initialized: current node (" + nodeId + ") is now a manager.");
      cli.out().println();
      try {
        JsonNode swarm = cli.api().swarm();
        JsonNode info = cli.api().info();
        String addr = null;
        for (JsonNode m : info.path("Swarm").path("RemoteManagers")) {
          if (nodeId.equals(m.path("NodeID").asText())) {
            addr = m.path("Addr").asText();
          }
        }
        if (addr == null || addr.isEmpty()) {
          String node = info.path("Swarm").path("NodeAddr").asText("");
          addr = node.isEmpty() ? listenAddr : node + ":2377";
        }
        String token = swarm.path("JoinTokens").path("Worker").asText("");
        if (!token.isEmpty()) {
          cli.out().println("To add a worker to this swarm, run the following command:");
          cli.out().println();
          cli.out().println("    shoal swarm join --token " + token + " " + addr);
          cli.out().println();
        }
      } catch (RuntimeException e) {
        // the swarm exists; only the join hint is missing
      }
      cli.out().println("To add a manager to this swarm, run 'shoal swarm join-token manager' and follow the instructions.");
      cli.out().println();
      return 0;
    }
  }

  /**
   * {@code swarm join --token T HOST:PORT}: posts Docker's JoinRequest, then reads {@code /info}
   * to say, as docker does, whether this node became a manager or a worker.
   */
  @Command(name = "join", description = "Join a swarm as a node and/or manager", mixinStandardHelpOptions = true, sortOptions = true)
  public static final class Join implements Callable<Integer> {
    private final Cli cli;

    @Option(names = "--token", paramLabel = "string", required = true, description = "Token for entry into the swarm") String token;
    @Option(names = "--listen-addr", paramLabel = "node-addr", description = "Listen address (format: \"<ip|interface>[:port]\") (default 0.0.0.0:2377)") String listenAddr = "0.0.0.0:2377";
    @Option(names = "--advertise-addr", paramLabel = "string", description = "Advertised address (format: \"<ip|interface>[:port]\")") String advertiseAddr;
    @Option(names = "--data-path-addr", paramLabel = "string", description = "Address or interface to use for data path traffic") String dataPathAddr;
    @Option(names = "--availability", paramLabel = "string", description = "Availability of the node (\"active\", \"pause\", \"drain\") (default \"active\")") String availability = "active";
    @picocli.CommandLine.Parameters(paramLabel = "HOST:PORT") String remote;

    public Join(Cli cli) {
      this.cli = cli;
    }

    /** The JoinRequest body; throws {@link UsageException} on bad values. */
    public ObjectNode request() {
      String a = availability.toLowerCase(Locale.ROOT);
      if (!a.equals("active") && !a.equals("pause") && !a.equals("drain")) {
        throw UsageException.badValue("--availability", availability, "must be one of active, pause, drain");
      }
      if (token.isBlank()) {
        throw UsageException.badValue("--token", token, "a join token is required");
      }
      ObjectNode req = JsonNodeFactory.instance.objectNode();
      req.put("ListenAddr", listenAddr);
      req.put("AdvertiseAddr", advertiseAddr == null ? "" : advertiseAddr);
      req.put("DataPathAddr", dataPathAddr == null ? "" : dataPathAddr);
      req.putArray("RemoteAddrs").add(remote);
      req.put("JoinToken", token);
      req.put("Availability", a);
      return req;
    }

    @Override
    public Integer call() {
      cli.api().swarmJoin(request());
      boolean manager = cli.api().info().path("Swarm").path("ControlAvailable").asBoolean(false);
      cli.out().println(manager ? "This node joined a swarm as a manager." : "This node joined a swarm as a worker.");
      return 0;
    }
  }

  /**
   * {@code swarm update}: reads the swarm's spec and version, changes what the flags name, and
   * posts it back with that version (a concurrent change makes the daemon refuse, not lose one).
   */
  @Command(name = "update", description = "Update the swarm", mixinStandardHelpOptions = true, sortOptions = true)
  public static final class Update implements Callable<Integer> {
    private final Cli cli;

    @Option(names = "--task-history-limit", paramLabel = "int", description = "Task history retention limit (default 5)") String taskHistoryLimit;
    @Option(names = "--dispatcher-heartbeat", paramLabel = "duration", description = "Dispatcher heartbeat period (ns|us|ms|s|m|h) (default 5s)") String dispatcherHeartbeat;
    @Option(names = "--cert-expiry", paramLabel = "duration", description = "Validity period for node certificates (ns|us|ms|s|m|h) (default 2160h0m0s)") String certExpiry;
    @Option(names = "--snapshot-interval", paramLabel = "uint", description = "Number of log entries between Raft snapshots (default 10000)") String snapshotInterval;
    @Option(names = "--max-snapshots", paramLabel = "uint", description = "Number of additional Raft snapshots to retain") String maxSnapshots;
    @Option(names = "--autolock", arity = "0..1", paramLabel = "bool", description = "Change manager autolocking setting (true|false)") Boolean autolock;

    public Update(Cli cli) {
      this.cli = cli;
    }

    /** Applies the flags to a copy of {@code spec}; throws {@link UsageException} on bad values. */
    public ObjectNode apply(JsonNode spec) {
      ObjectNode s = spec != null && spec.isObject() ? ((ObjectNode) spec).deepCopy() : JsonNodeFactory.instance.objectNode();
      if (taskHistoryLimit != null) {
        s.with("Orchestration").put("TaskHistoryRetentionLimit", Long.parseLong(intValue("--task-history-limit", taskHistoryLimit)));
      }
      if (dispatcherHeartbeat != null) s.with("Dispatcher").put("HeartbeatPeriod", duration("--dispatcher-heartbeat", dispatcherHeartbeat));
      if (certExpiry != null) s.with("CAConfig").put("NodeCertExpiry", duration("--cert-expiry", certExpiry));
      if (snapshotInterval != null) s.with("Raft").put("SnapshotInterval", uint("--snapshot-interval", snapshotInterval));
      if (maxSnapshots != null) s.with("Raft").put("KeepOldSnapshots", uint("--max-snapshots", maxSnapshots));
      if (autolock != null) s.with("EncryptionConfig").put("AutoLockManagers", autolock);
      return s;
    }

    @Override
    public Integer call() {
      JsonNode swarm = cli.api().swarm();
      ObjectNode spec = apply(swarm.get("Spec"));
      cli.api().swarmUpdate(swarm.path("Version").path("Index").asLong(), spec, false, false);
      cli.out().println("Swarm updated.");
      return 0;
    }
  }

  /** A signed integer flag (docker's --task-history-limit is an int64; negative keeps all). */
  static String intValue(String flag, String v) {
    try {
      return Long.toString(Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      throw UsageException.badValue(flag, v, "must be an integer");
    }
  }

  /** {@code swarm leave [--force]}. */
  @Command(name = "leave", description = "Leave the swarm", mixinStandardHelpOptions = true)
  public static final class Leave implements Callable<Integer> {
    private final Cli cli;

    @Option(names = {"-f", "--force"}, description = "Force this node to leave the swarm, ignoring warnings") boolean force;

    public Leave(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      cli.api().swarmLeave(force);
      cli.out().println("Node left the swarm.");
      return 0;
    }
  }

  /** {@code swarm inspect}: {@code GET /swarm} as an inspect array. */
  @Command(name = "inspect", description = "Display detailed information on the swarm", mixinStandardHelpOptions = true)
  public static final class Inspect implements Callable<Integer> {
    private final Cli cli;

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = "Format output using a template with {{.Path}} placeholders") String format;

    public Inspect(Cli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() {
      Template t = format == null ? null : InspectSupport.template(format);
      JsonNode swarm = cli.api().swarm();
      if (t != null) {
        cli.out().println(t.expand(p -> InspectSupport.resolve(swarm, p)));
      } else {
        cli.out().print(JsonPrinter.inspectArray(List.of(swarm)));
      }
      return 0;
    }
  }

  static long uint(String flag, String v) {
    try {
      long n = Long.parseLong(v.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw UsageException.badValue(flag, v, "must be a non-negative integer");
    }
  }

  static long duration(String flag, String v) {
    try {
      return Units.parseDuration(v);
    } catch (IllegalArgumentException e) {
      throw UsageException.badValue(flag, v, e.getMessage());
    }
  }
}
