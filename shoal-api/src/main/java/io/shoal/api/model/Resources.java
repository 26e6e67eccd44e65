package io.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** CPU (in 1e-9 CPUs) and memory (bytes) a task is limited to and reserves on its node. */
public record Resources(Limits limits, Limits reservations) {
  public static final Resources NONE = new Resources(null, null);

  /** A set of resource amounts; absent means no limit / no reservation. */
  public record Limits(
      @JsonProperty("NanoCPUs") Long nanoCPUs,
      Long memoryBytes,
      Long pids,
      JsonNode genericResources) {
    public long cpus() {
      return nanoCPUs == null ? 0 : nanoCPUs;
    }

    public long memory() {
      return memoryBytes == null ? 0 : memoryBytes;
    }
  }

  public long reservedCpus() {
    return reservations == null ? 0 : reservations.cpus();
  }

  public long reservedMemory() {
    return reservations == null ? 0 : reservations.memory();
  }
}
