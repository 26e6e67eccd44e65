package io.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A secret given to a container as a file under /run/secrets. */
public record SecretReference(
    FileTarget file, @JsonProperty("SecretID") String secretID, String secretName) {

  /** Where and how a secret or config appears in the container. */
  public record FileTarget(
      String name, @JsonProperty("UID") String uid, @JsonProperty("GID") String gid, Integer mode) {}
}
