package io.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** A config: like a secret, but its data is served back by the API. */
public record Config(
    @JsonProperty("ID") String id, Version version, Instant createdAt, Instant updatedAt, Secret.Spec spec)
    implements StoreObject {

  public Config stamped(long index, Instant at) {
    return new Config(id, new Version(index), StoreObject.created(createdAt, at), at, spec);
  }

  public Kind kind() {
    return Kind.CONFIG;
  }

  public String uniqueName() {
    return spec.name();
  }
}
