package io.shoal.daemon.events;

import io.shoal.manager.controlapi.Filters;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code docker events --filter}, matched as dockerd matches: every key must match; {@code type},
 * {@code scope} and {@code event} exactly; {@code container, daemon, network, node, plugin, service,
 * secret, config, volume} by the actor's id or name, either equal or a prefix (so a name filter
 * drops the events of every other object, whatever its type); {@code image} exactly by id or
 * name; {@code label=k} / {@code label=k=v} against the actor's attributes. Pure.
 */
public final class EventFilter implements Predicate<Event> {
  private static final List<String> BY_NAME =
      List.of("container", "daemon", "network", "node", "plugin", "service", "secret", "config", "volume");
  private final Filters filters;

  private EventFilter(Filters filters) {
    this.filters = filters;
  }

  public static EventFilter of(Filters filters) {
    return new EventFilter(filters == null ? Filters.NONE : filters);
  }

  @Override
  public boolean test(Event e) {
    if (!exact("type", e.type()) || !exact("scope", e.scope()) || !exact("event", e.action())) return false;
    String id = e.actor().id();
    String name = e.actor().attributes().getOrDefault("name", "");
    for (String key : BY_NAME) if (!fuzzy(key, id) && !fuzzy(key, name)) return false;
    if (filters.has("image") && !filters.get("image").contains(id) && !filters.get("image").contains(name)) return false;
    return labels(e.actor().attributes());
  }

  private boolean exact(String key, String value) {
    return !filters.has(key) || filters.get(key).contains(value);
  }

  private boolean fuzzy(String key, String value) {
    if (!filters.has(key)) return true;
    for (String v : filters.get(key)) if (value.equals(v) || value.startsWith(v)) return true;
    return false;
  }

  private boolean labels(Map<String, String> attributes) {
    if (!filters.has("label")) return true;
    for (String f : filters.get("label")) {
      int eq = f.indexOf('=');
      String k = eq < 0 ? f : f.substring(0, eq);
      if (!attributes.containsKey(k)) return false;
      if (eq >= 0 && !f.substring(eq + 1).equals(attributes.get(k))) return false;
    }
    return true;
  }
}
