package io.shoal.manager.orchestrator;

import io.shoal.api.model.Service;
import io.shoal.api.model.StoreObject;
import io.shoal.api.model.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * What a pure planner decided: tasks to create, objects to write back (as read, then changed, so
 * a concurrent change makes the write fail rather than overwrite), and tasks to delete. The shell
 * commits it; a conflict just means the next round plans again from fresher state.
 */
public final class Plan {
  public final List<Task> creates = new ArrayList<>();
  public final List<StoreObject> updates = new ArrayList<>();
  public final List<Task> deletes = new ArrayList<>();

  public boolean isEmpty() {
    return creates.isEmpty() && updates.isEmpty() && deletes.isEmpty();
  }

  public Plan create(Task t) {
    creates.add(t);
    return this;
  }

  public Plan update(Task t) {
    updates.add(t);
    return this;
  }

  public Plan update(Service s) {
    updates.add(s);
    return this;
  }

  public Plan delete(Task t) {
    deletes.add(t);
    return this;
  }

  public Plan addAll(Plan other) {
    creates.addAll(other.creates);
    updates.addAll(other.updates);
    deletes.addAll(other.deletes);
    return this;
  }

  public int size() {
    return creates.size() + updates.size() + deletes.size();
  }

  @Override
  public String toString() {
    return "Plan{creates=" + creates.size() + ", updates=" + updates.size() + ", deletes=" + deletes.size() + "}";
  }
}
