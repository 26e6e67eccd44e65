package io.shoal.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** A config given to a container as a file at its target path. */
public record ConfigReference(
    SecretReference.FileTarget file,
    JsonNode runtime,
    @JsonProperty("ConfigID") String configID,
    String configName) {}
