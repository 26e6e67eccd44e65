package io.shoal.daemon.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;

/**
 * Docker's events message ({@code events.Message}) as {@code GET /events} streams it, one JSON
 * object per line: {@code {"Type":"service","Action":"create","Actor":{"ID":..,"Attributes":
 * {"name":..}},"scope":"swarm","time":..,"timeNano":..}}.
 */
public record Event(
    @JsonProperty("Type") String type,
    @JsonProperty("Action") String action,
    @JsonProperty("Actor") Actor actor,
    @JsonProperty("scope") String scope,
    @JsonProperty("time") long time,
    @JsonProperty("timeNano") long timeNano) {

  public static final String SWARM = "swarm";

  /** What the event is about: its id and attributes (always {@code name}; changes for updates). */
  public record Actor(@JsonProperty("ID") String id, @JsonProperty("Attributes") Map<String, String> attributes) {
    public Actor {
      attributes = Map.copyOf(attributes);
    }
  }

  public static Event swarm(String type, String action, String id, Map<String, String> attributes, Instant at) {
    long nanos = at.getEpochSecond() * 1_000_000_000L + at.getNano();
    return new Event(type, action, new Actor(id, attributes), SWARM, at.getEpochSecond(), nanos);
  }

  /** The event's instant, from {@code timeNano}. */
  public Instant instant() {
    return Instant.ofEpochSecond(0, timeNano);
  }
}
