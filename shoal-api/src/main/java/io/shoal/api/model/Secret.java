package io.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/** A secret: its {@code data} (base64) is stored in raft and never served back by the API. */
public record Secret(
    @JsonProperty("ID") String id, Version version, Instant createdAt, Instant updatedAt, Spec spec)
    implements StoreObject {

  public Secret stamped(long index, Instant at) {
    return new Secret(id, new Version(index), StoreObject.created(createdAt, at), at, spec);
  }

  public Kind kind() {
    return Kind.SECRET;
  }

  public String uniqueName() {
    return spec.name();
  }

  /** The shape served on the API: no data. */
  public Secret forApi() {
    return new Secret(id, version, createdAt, updatedAt,
        new Spec(spec.name(), spec.labels(), null, spec.driver(), spec.templating()));
  }

  /** Shared by secrets and configs: name, labels, base64 data, driver, templating. */
  public record Spec(String name, Map<String, String> labels, String data, JsonNode driver, JsonNode templating) {
    public Spec {
      labels = Labels.copy(labels);
    }
  }
}
