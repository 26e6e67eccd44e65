package io.shoal.stack.plan;

import io.shoal.stack.StackException;
import io.shoal.stack.convert.Dependency;
import io.shoal.stack.convert.StackService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Orders services so that every service comes after what it {@code depends_on}. Among services
 * that are free at the same time the order is alphabetical, so a plan is the same on every run.
 * A cycle is a {@link StackException.DependencyCycle} naming it ({@code a -> b -> a}).
 */
public final class DependencyOrder {
  private DependencyOrder() {}

  public static List<StackService> sort(List<StackService> services) {
    Map<String, StackService> byName = new TreeMap<>();
    services.forEach(s -> byName.put(s.composeName(), s));
    List<StackService> out = new ArrayList<>();
    Map<String, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = done
    for (String name : byName.keySet()) visit(name, byName, state, new ArrayList<>(), out);
    return out;
  }

  private static void visit(String name, Map<String, StackService> byName, Map<String, Integer> state,
      List<String> path, List<StackService> out) {
    Integer st = state.get(name);
    if (st != null && st == 2) return;
    if (st != null && st == 1) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
      cycle.add(name);
      throw new StackException.DependencyCycle(cycle);
    }
    StackService s = byName.get(name);
    if (s == null) {
      throw new StackException.InvalidCompose("service " + path.get(path.size() - 1)
          + ": depends_on: undefined service \"" + name + "\"");
    }
    state.put(name, 1);
    path.add(name);
    for (Dependency d : s.dependsOn()) visit(d.service(), byName, state, path, out);
    path.remove(path.size() - 1);
    state.put(name, 2);
    out.add(s);
  }
}
