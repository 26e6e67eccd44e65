package io.shoal.gossip;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Every record a member knows, tombstones included, with the owner index that lets a member's
 * death hide its records at once. "Visible" = not deleted and owner not gone; only visible
 * changes reach listeners. Not thread-safe: the member's thread owns it.
 */
final class RecordTable {
  private final Map<String, GossipRecord> byId = new HashMap<>();
  private final Map<String, Long> storedAt = new HashMap<>();
  private final Map<String, Set<String>> byOwner = new HashMap<>();

  GossipRecord get(String id) {
    return byId.get(id);
  }

  Collection<GossipRecord> all() {
    return byId.values();
  }

  int size() {
    return byId.size();
  }

  /** Stores {@code r} if newer; returns the copy it replaced (or null), or {@code r} itself if it was not newer. */
  GossipRecord merge(GossipRecord r, long now) {
    GossipRecord old = byId.get(r.id());
    if (!r.newerThan(old)) return r;
    if (old != null && !old.owner().equals(r.owner())) {
      Set<String> ids = byOwner.get(old.owner());
      if (ids != null) ids.remove(r.id());
    }
    byId.put(r.id(), r);
    storedAt.put(r.id(), now);
    byOwner.computeIfAbsent(r.owner(), o -> new HashSet<>()).add(r.id());
    return old;
  }

  List<GossipRecord> ownedBy(String owner) {
    Set<String> ids = byOwner.get(owner);
    if (ids == null) return List.of();
    List<GossipRecord> out = new ArrayList<>(ids.size());
    for (String id : ids) out.add(byId.get(id));
    return out;
  }

  /** Drops tombstones stored before {@code tombstonesBefore} and every record of an owner in {@code goneOwners}. */
  void reap(long tombstonesBefore, Predicate<String> ownerForgotten) {
    List<String> drop = new ArrayList<>();
    for (GossipRecord r : byId.values()) {
      if ((r.deleted() && storedAt.get(r.id()) < tombstonesBefore) || ownerForgotten.test(r.owner())) drop.add(r.id());
    }
    for (String id : drop) {
      GossipRecord r = byId.remove(id);
      storedAt.remove(id);
      Set<String> ids = byOwner.get(r.owner());
      if (ids != null) {
        ids.remove(id);
        if (ids.isEmpty()) byOwner.remove(r.owner());
      }
    }
  }
}
