package io.shoal.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A mount in a container: {@code bind}, {@code volume}, {@code tmpfs} (others round-trip). */
public record Mount(
    String target,
    String source,
    String type,
    @com.fasterxml.jackson.annotation.JsonProperty("ReadOnly") Boolean readOnly,
    String consistency,
    JsonNode bindOptions,
    VolumeOptions volumeOptions,
    TmpfsOptions tmpfsOptions,
    JsonNode imageOptions) {

  public record VolumeOptions(Boolean noCopy, Map<String, String> labels, Driver driverConfig, String subpath) {
    public VolumeOptions {
      labels = Labels.mapOrNull(labels);
    }
  }

  public record TmpfsOptions(Long sizeBytes, Integer mode, java.util.List<java.util.List<String>> options) {}

  // Not a JSON property: Jackson would emit it as "ReadOnly" and clash with Docker's field.
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isReadOnly() {
    return Boolean.TRUE.equals(readOnly);
  }
}
