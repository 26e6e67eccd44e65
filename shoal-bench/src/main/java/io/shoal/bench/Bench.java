package io.shoal.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one entry point: {@code Bench.main(["control-plane", "--nodes", "1000", ...])} runs the
 * named benchmark, which prints its figures to standard output. {@code ./bin/shoal bench <name>}
 * is meant to call {@link #run}.
 */
public final class Bench {
  /** A benchmark: its flags and the figures it prints are in its class's Javadoc. */
  @FunctionalInterface
  public interface Program {
    void run(String[] args, PrintStream out) throws Exception;
  }

  static final Map<String, Program> PROGRAMS = new LinkedHashMap<>();

  static {
    PROGRAMS.put("hollow", HollowBench::run);
    PROGRAMS.put("control-plane", ControlPlaneBench::run);
    PROGRAMS.put("raft", RaftBench::run);
    PROGRAMS.put("engine", EngineBench::run);
    PROGRAMS.put("failover", FailoverBench::run);
    PROGRAMS.put("mesh", MeshBench::run);
    PROGRAMS.put("memory", MemoryBench::run);
    PROGRAMS.put("net", NetBench::run);
    PROGRAMS.put("gossip", GossipBench::run);
  }

  private Bench() {}

  public static void main(String[] args) {
    int code;
    try {
      code = run(args, System.out);
    } catch (Throwable t) {
      // printed here: Ratis installs an uncaught-exception handler that would swallow it
      System.out.flush();
      System.err.println("benchmark failed: " + t);
      t.printStackTrace();
      code = 1;
    }
    System.out.flush();
    // the components leave non-daemon threads (Ratis, gRPC) that would keep a finished run alive
    System.exit(code);
  }

  /** Runs one benchmark; returns the process exit code (2 for usage errors). */
  public static int run(String[] args, PrintStream out) throws Exception {
    if (args.length == 0 || !PROGRAMS.containsKey(args[0])) {
      out.println("usage: shoal bench <" + String.join("|", PROGRAMS.keySet()) + "> [--flag value ...]");
      return 2;
    }
    Logs.quiet();
    PROGRAMS.get(args[0]).run(Arrays.copyOfRange(args, 1, args.length), out);
    return 0;
  }
}
