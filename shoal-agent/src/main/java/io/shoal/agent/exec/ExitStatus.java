package io.shoal.agent.exec;

/** How a task's main process ended. */
public record ExitStatus(int code) {
  public boolean success() {
    return code == 0;
  }
}
