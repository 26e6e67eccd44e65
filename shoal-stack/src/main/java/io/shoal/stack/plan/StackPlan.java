package io.shoal.stack.plan;

import io.shoal.stack.convert.StackService;
import java.util.List;

/**
 * The writes that bring the cluster to a stack, in the order they must happen: networks,
 * secrets, configs, then services in dependency order, then removals. {@code unchanged} names the
 * services whose spec is already what the file says (a redeploy leaves them alone).
 */
public record StackPlan(String stack, List<Step> steps, List<StackService> services, List<String> unchanged) {
  public StackPlan {
    steps = List.copyOf(steps);
    services = List.copyOf(services);
    unchanged = List.copyOf(unchanged);
  }

  public boolean isEmpty() {
    return steps.isEmpty();
  }
}
