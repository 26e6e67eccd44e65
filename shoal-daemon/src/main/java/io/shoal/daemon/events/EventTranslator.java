package io.shoal.daemon.events;

import io.shoal.api.model.Config;
import io.shoal.api.model.Network;
import io.shoal.api.model.Node;
import io.shoal.api.model.Secret;
import io.shoal.api.model.Service;
import io.shoal.api.model.ServiceSpec;
import io.shoal.api.model.StoreObject;
import io.shoal.store.StoreEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One store event to Docker's swarm event, as dockerd's cluster watch reports them: services,
 * nodes, networks, secrets and configs (tasks and the cluster object make no event). Times are the
 * object's creation (create) or update (update) time; a removal carries no time in the store, so
 * it is stamped {@code now}, as Docker does. Updates of services and nodes name what changed with
 * Docker's {@code x.old}/{@code x.new} attributes. Pure.
 */
public final class EventTranslator {
  private EventTranslator() {}

  /** The event Docker would report for {@code e}, or null when it reports none. */
  public static Event translate(StoreEvent e, Instant now) {
    StoreObject o = e.subject();
    if (o == null) return null;
    String type = switch (o.kind()) {
      case SERVICE -> "service";
      case NODE -> "node";
      case NETWORK -> "network";
      case SECRET -> "secret";
      case CONFIG -> "config";
      default -> null;
    };
    if (type == null) return null;
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("name", name(o));
    String action;
    Instant at;
    if (e instanceof StoreEvent.Created) {
      action = "create";
      at = o.createdAt();
    } else if (e instanceof StoreEvent.Updated u) {
      action = "update";
      at = o.updatedAt();
      if (o instanceof Service s && u.old() instanceof Service old) serviceChanges(old, s, attrs);
      if (o instanceof Node n && u.old() instanceof Node old) nodeChanges(old, n, attrs);
    } else {
      action = "remove";
      at = now;
    }
    return Event.swarm(type, action, o.id(), attrs, at == null ? now : at);
  }

  static String name(StoreObject o) {
    if (o instanceof Node n) {
      String name = n.spec() == null ? null : n.spec().name();
      return name == null || name.isEmpty() ? n.hostname() : name;
    }
    if (o instanceof Service s) return s.name();
    if (o instanceof Network n) return n.spec().name();
    if (o instanceof Secret s) return s.spec().name();
    if (o instanceof Config c) return c.spec().name();
    return "";
  }

  private static void serviceChanges(Service old, Service now, Map<String, String> attrs) {
    String oldImage = image(old.spec());
    String newImage = image(now.spec());
    if (!Objects.equals(oldImage, newImage)) change(attrs, "image", oldImage, newImage);
    Long oldReplicas = replicas(old.spec());
    Long newReplicas = replicas(now.spec());
    if (oldReplicas != null && newReplicas != null && !oldReplicas.equals(newReplicas)) {
      change(attrs, "replicas", oldReplicas.toString(), newReplicas.toString());
    }
    String oldState = old.updateStatus() == null ? null : old.updateStatus().state();
    String newState = now.updateStatus() == null ? null : now.updateStatus().state();
    if (newState != null && !newState.equals(oldState)) {
      if (oldState != null) attrs.put("updatestate.old", oldState);
      attrs.put("updatestate.new", newState);
    }
  }

  private static void nodeChanges(Node old, Node now, Map<String, String> attrs) {
    String oa = old.spec() == null ? null : old.spec().availabilityOrActive();
    String na = now.spec() == null ? null : now.spec().availabilityOrActive();
    if (!Objects.equals(oa, na)) change(attrs, "availability", oa, na);
    String or = old.spec() == null ? null : old.spec().role();
    String nr = now.spec() == null ? null : now.spec().role();
    if (!Objects.equals(or, nr)) change(attrs, "role", or, nr);
    String os = old.status() == null ? null : old.status().state();
    String ns = now.status() == null ? null : now.status().state();
    if (!Objects.equals(os, ns)) change(attrs, "state", os, ns);
    if (old.managerStatus() != null && now.managerStatus() != null) {
      boolean ol = Boolean.TRUE.equals(old.managerStatus().leader());
      boolean nl = Boolean.TRUE.equals(now.managerStatus().leader());
      if (ol != nl) change(attrs, "leader", Boolean.toString(ol), Boolean.toString(nl));
      String orc = old.managerStatus().reachability();
      String nrc = now.managerStatus().reachability();
      if (!Objects.equals(orc, nrc)) change(attrs, "reachability", orc, nrc);
    }
  }

  private static void change(Map<String, String> attrs, String key, String old, String now) {
    attrs.put(key + ".old", old == null ? "" : old);
    attrs.put(key + ".new", now == null ? "" : now);
  }

  private static String image(ServiceSpec s) {
    return s == null || s.taskTemplate() == null || s.taskTemplate().containerSpec() == null ? null
        : s.taskTemplate().containerSpec().image();
  }

  private static Long replicas(ServiceSpec s) {
    if (s == null || s.mode() == null || s.mode().replicated() == null) return null;
    return s.mode().replicated().replicas();
  }
}
