package io.shoal.stack.plan;

import io.shoal.api.model.Config;
import io.shoal.api.model.Network;
import io.shoal.api.model.Secret;
import io.shoal.api.model.Service;
import io.shoal.stack.convert.StackService;

/** One write of a plan. {@link #describe()} is the line {@code docker stack deploy} would print. */
public sealed interface Step {
  String describe();

  record CreateNetwork(Network.NetworkSpec spec) implements Step {
    public String describe() {
      return "Creating network " + spec.name();
    }
  }

  record CreateSecret(Secret.Spec spec) implements Step {
    public String describe() {
      return "Creating secret " + spec.name();
    }
  }

  /** Only labels may change on an existing secret; the planner refuses data changes. */
  record UpdateSecret(Secret current, Secret.Spec spec) implements Step {
    public String describe() {
      return "Updating secret " + spec.name();
    }
  }

  record CreateConfig(Secret.Spec spec) implements Step {
    public String describe() {
      return "Creating config " + spec.name();
    }
  }

  record UpdateConfig(Config current, Secret.Spec spec) implements Step {
    public String describe() {
      return "Updating config " + spec.name();
    }
  }

  record CreateService(StackService service) implements Step {
    public String describe() {
      return "Creating service " + service.spec().name();
    }
  }

  /** {@code current} carries the id and version the update must name. */
  record UpdateService(Service current, StackService service) implements Step {
    public String describe() {
      return "Updating service " + service.spec().name() + " (id: " + current.id() + ")";
    }
  }

  record RemoveService(Service current) implements Step {
    public String describe() {
      return "Removing service " + current.spec().name();
    }
  }

  record RemoveNetwork(Network current) implements Step {
    public String describe() {
      return "Removing network " + current.spec().name();
    }
  }

  record RemoveSecret(Secret current) implements Step {
    public String describe() {
      return "Removing secret " + current.spec().name();
    }
  }

  record RemoveConfig(Config current) implements Step {
    public String describe() {
      return "Removing config " + current.spec().name();
    }
  }
}
