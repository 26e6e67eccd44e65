package io.shoal.api.dispatch;

import java.time.Instant;

/**
 * Which log lines to read: {@code follow} keeps streaming; {@code tail} negative means all;
 * {@code since} null means from the start; {@code timestamps} asks the source to keep them.
 */
public record LogRequest(boolean follow, long tail, Instant since, boolean stdout, boolean stderr) {
  public static final LogRequest ALL = new LogRequest(false, -1, null, true, true);
}
