package io.shoal.manager.controlapi;

import io.shoal.api.error.ShoalException;
import io.shoal.api.model.Node;
import io.shoal.api.model.StoreObject;
import io.shoal.store.ReadTx;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds an object the way Docker does: full id, then exact name, then a unique id prefix. An
 * ambiguous prefix is an error that says so rather than a guess.
 */
public final class Lookup {
  private Lookup() {}

  public static <T extends StoreObject> T find(ReadTx tx, StoreObject.Kind kind, String ref) {
    if (ref == null || ref.isEmpty()) throw notFound(kind, ref);
    T byId = tx.get(kind, ref);
    if (byId != null) return byId;
    T byName = tx.byName(kind, ref);
    if (byName != null) return byName;
    List<T> prefixed = new ArrayList<>();
    for (T o : tx.<T>all(kind)) {
      if (o.id().startsWith(ref)) prefixed.add(o);
      else if (o instanceof Node n && (ref.equals(n.spec().name()) || ref.equals(n.hostname()))) prefixed.add(o);
    }
    if (prefixed.size() == 1) return prefixed.get(0);
    if (prefixed.size() > 1) {
      throw new ShoalException.InvalidSpec(kind.name().toLowerCase() + " " + ref + " is ambiguous (" + prefixed.size() + " matches found)");
    }
    throw notFound(kind, ref);
  }

  public static ShoalException.NotFound notFound(StoreObject.Kind kind, String ref) {
    return new ShoalException.NotFound(kind.name().toLowerCase() + " " + ref + " not found");
  }
}
