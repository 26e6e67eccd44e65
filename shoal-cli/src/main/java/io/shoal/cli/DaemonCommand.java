package io.shoal.cli;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code shoal daemon ...}: hands every argument, untouched, to {@code
 * io.shoal.daemon.DaemonMain.main}. Reached by reflection so the CLI builds without the daemon
 * module; the shipped jar bundles it. {@link ShoalMain} short-cuts {@code shoal daemon} before
 * picocli parses anything, so daemon flags never meet the CLI's parser; this class covers help
 * listings and {@code shoal -H x daemon}.
 */
@Command(name = "daemon", description = "Run the Shoal node daemon (all flags are the daemon's)",
    mixinStandardHelpOptions = false)
public final class DaemonCommand implements Callable<Integer> {
  static final String MAIN_CLASS = "io.shoal.daemon.DaemonMain";

  @Parameters(arity = "0..*", hidden = true)
  List<String> args = List.of();

  @Unmatched
  List<String> unmatched = List.of();

  @Override
  public Integer call() throws Exception {
    java.util.ArrayList<String> all = new java.util.ArrayList<>(unmatched);
    all.addAll(args);
    run(all.toArray(new String[0]));
    return 0;
  }

  /** Invokes the daemon's main; returns normally when it does. */
  static void run(String[] args) throws Exception {
    Class<?> main;
    try {
      main = Class.forName(MAIN_CLASS);
    } catch (ClassNotFoundException e) {
      throw new UsageException("the daemon is not part of this build (" + MAIN_CLASS
          + " missing); build shoal-cli with shoal-daemon installed");
    }
    try {
      main.getMethod("main", String[].class).invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception ex) {
        throw ex;
      }
      throw (Error) e.getCause();
    }
  }
}
