package io.shoal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * CI smoke: every benchmark runs at a tiny size and prints its figures. Nothing is asserted on
 * time (DESIGN §5): only that the figure lines were printed. Benchmarks that need the Docker
 * engine are aborted with the reason when none answers.
 */
class BenchSmokeTest {
  private static String run(String... args) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream tee = new PrintStream(new TeeStream(buf, System.out), true, StandardCharsets.UTF_8);
    int code = Bench.run(args, tee);
    tee.flush();
    assertThat(code).isZero();
    return buf.toString(StandardCharsets.UTF_8);
  }

  /** Copies what a benchmark prints to the build log too, so CI shows the figures. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] x, int off, int len) throws java.io.IOException {
      a.write(x, off, len);
      b.write(x, off, len);
    }
  }

  private static void requireEngine() {
    String why = Engine.unavailable(Engine.DEFAULT_HOST);
    if (why != null) Assumptions.abort("benchmark needs the Docker engine: " + why);
  }

  @Test
  void unknownNamePrintsUsage() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    assertThat(Bench.run(new String[] {"nope"}, new PrintStream(buf, true, StandardCharsets.UTF_8))).isEqualTo(2);
    assertThat(buf.toString(StandardCharsets.UTF_8)).contains("usage: shoal bench <hollow|control-plane|raft");
  }

  @Test
  void hollow() throws Exception {
    assertThat(run("hollow", "--managers", "3", "--nodes", "10")).contains("KiB per hollow node").contains("all 10 agents registered");
  }

  @Test
  void controlPlane() throws Exception {
    assertThat(run("control-plane", "--nodes", "10", "--tasks", "50")).contains("placements/s").contains("create->running p50");
  }

  @Test
  void raft() throws Exception {
    assertThat(run("raft", "--seconds", "1", "--writers", "10", "--batch", "50"))
        .contains("store.update, 1 writer").contains("store.batch").contains("writes/s");
  }

  @Test
  void failover() throws Exception {
    // Docker's side (5 dockerds in namespaces, real SIGKILLs) took 55-70 s here at this size: too
    // slow for every CI build, so it is skipped and the output says so; run it with ./bin/shoal bench
    assertThat(run("failover", "--nodes", "3", "--tasks", "6", "--heartbeats", "1s", "--no-docker"))
        .contains("worker kill").contains("leader kill").contains("Docker's side SKIPPED (--no-docker)");
  }

  @Test
  void meshWithoutEngine() throws Exception {
    assertThat(run("mesh", "--no-engine", "--requests", "100", "--rounds", "1", "--clients", "2"))
        .contains("median direct").contains("mesh");
  }

  @Test
  void netKernelPathsAndNftUpdates() throws Exception {
    // the DNS part needs the engine (meshOnEngine's rule); this keeps the kernel parts from rotting
    String out = run("net", "--requests", "40", "--rounds", "1", "--clients", "2", "--services", "20",
        "--engine-host", "unix:///nonexistent-engine");
    if (out.contains("SKIPPED kernel paths")) return; // printed loudly by the benchmark: not root or no nft
    assertThat(out).contains("mesh/direct").contains("VIP/direct").contains("one task stopping").contains("SKIPPED DNS");
  }

  @Test
  void meshOnEngine() throws Exception {
    requireEngine();
    assertThat(run("mesh", "--requests", "100", "--rounds", "1", "--clients", "2")).contains("mesh/host-mode");
  }

  @Test
  void gossip() throws Exception {
    assertThat(run("gossip", "--members", "60", "--changes", "1", "--real-members", "6", "--load-seconds", "1",
        "--burners", "2")).contains("simulated 60 members: one change reaches 99% in").contains("confirmed dead")
        .contains("real 6 members over loopback UDP (lifeguard)").contains("(no-local-health)");
  }

  @Test
  void memory() throws Exception {
    assertThat(run("memory", "--nodes", "10", "--idle", "1s")).contains("idle manager").contains("per node");
  }

  @Test
  void engine() throws Exception {
    requireEngine();
    assertThat(run("engine", "--sizes", "1", "--systems", "shoal,limit", "--scale-from", "2", "--scale-to", "3", "--scale-down", "1"))
        .contains("create   1 replicas").contains("kill -> replaced");
  }
}
