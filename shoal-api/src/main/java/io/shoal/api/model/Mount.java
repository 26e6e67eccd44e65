package io.shoal.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A mount in a container: {@code bind}, {@code volume}, {@code tmpfs} (others round-trip). */
// is-methods (isGlobal, isReadOnly...) are helpers, not JSON fields: Docker has no such keys.
@com.fasterxml.jackson.annotation.JsonAutoDetect(isGetterVisibility = com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.NONE)
public record Mount(
    String target,
    String source,
    String type,
    Boolean readOnly,
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

  public boolean isReadOnly() {
    return Boolean.TRUE.equals(readOnly);
  }
}
