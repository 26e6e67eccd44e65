package io.shoal.cli.format;

import java.time.Duration;

/**
 * go-units' HumanDuration, which docker uses for "Running 5 seconds ago" and "About a minute".
 * The thresholds are docker's, so our columns read the same as docker's.
 */
public final class HumanTime {
  private HumanTime() {}

  public static String duration(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < 1) {
      return "Less than a second";
    }
    if (seconds == 1) {
      return "1 second";
    }
    if (seconds < 60) {
      return seconds + " seconds";
    }
    long minutes = d.toMinutes();
    if (minutes == 1) {
      return "About a minute";
    }
    if (minutes < 60) {
      return minutes + " minutes";
    }
    long hours = Math.round(d.toNanos() / 3.6e12);
    if (hours == 1) {
      return "About an hour";
    }
    if (hours < 48) {
      return hours + " hours";
    }
    if (hours < 24 * 7 * 2) {
      return hours / 24 + " days";
    }
    if (hours < 24 * 30 * 2) {
      return hours / 24 / 7 + " weeks";
    }
    if (hours < 24 * 365 * 2) {
      return hours / 24 / 30 + " months";
    }
    return hours / 24 / 365 + " years";
  }
}
