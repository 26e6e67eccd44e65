package io.shoal.api.dispatch;

import java.time.Instant;

/** One line of a task's output: which stream (1 stdout, 2 stderr), when, and the bytes. */
public record LogLine(String taskId, int stream, Instant timestamp, byte[] data) {}
