package io.shoal.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * Benchmarks print figures, so the components' INFO logs (a line per registered node, per
 * election) would drown them and cost time themselves: WARN and up only, Ratis' client retry
 * logger off (the failure reaches the caller anyway).
 */
final class Logs {
  private Logs() {}

  static void quiet() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) return;
    if (Boolean.getBoolean("shoal.bench.verbose")) return;
    ctx.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
    ctx.getLogger("org.apache.ratis").setLevel(Level.ERROR);
    ctx.getLogger("org.apache.ratis.client.impl.OrderedAsync").setLevel(Level.OFF);
    ctx.getLogger("io.grpc").setLevel(Level.ERROR);
  }
}
