package io.shoal.bench;

/** The Docker engine of scripts/engine.sh, if it answers; the benchmarks that need one say so when it does not. */
final class Engine {
  static final String DEFAULT_HOST = "unix:///run/shoal-engine/docker.sock";
  static final String IMAGE = "shoal-test/busybox:1";

  private Engine() {}

  /** Null when the engine answers and has the test image, else why not (printed by the caller). */
  static String unavailable(String host) {
    if (!Proc.commandExists("docker")) return "no docker CLI on PATH";
    Proc.Result v = Proc.run(java.util.Map.of(), 10, "docker", "-H", host, "version", "--format", "{{.Server.Version}}");
    if (!v.ok()) return "no engine answers on " + host + " (start it with scripts/engine.sh start): " + firstLine(v.out());
    Proc.Result i = Proc.docker(host, "image", "inspect", "--format", "{{.Id}}", IMAGE);
    if (!i.ok()) return "the engine on " + host + " has no " + IMAGE + " (scripts/engine.sh image builds it)";
    return null;
  }

  static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
