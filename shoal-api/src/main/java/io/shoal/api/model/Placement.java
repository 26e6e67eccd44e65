package io.shoal.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Where a task may run: constraints, spread preferences, a per-node cap, platforms. */
public record Placement(
    List<String> constraints, List<Preference> preferences, Long maxReplicas, JsonNode platforms) {
  public Placement {
    constraints = Labels.list(constraints);
    preferences = Labels.list(preferences);
  }

  public long maxReplicasOrZero() {
    return maxReplicas == null ? 0 : maxReplicas;
  }

  /** A placement preference; Swarm knows only {@code Spread}. */
  public record Preference(Spread spread) {}

  /** Spread tasks evenly over the values of a node label, e.g. {@code node.labels.zone}. */
  public record Spread(String spreadDescriptor) {}
}
