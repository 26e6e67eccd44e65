package io.shoal.testkit.sim;

import io.shoal.api.model.Service;
import io.shoal.api.model.Task;
import io.shoal.api.model.TaskState;
import io.shoal.api.model.TaskStatus;
import io.shoal.manager.PlanCommitter;
import io.shoal.manager.allocator.Allocator;
import io.shoal.manager.allocator.EndpointAllocator;
import io.shoal.manager.allocator.IngressNetwork;
import io.shoal.manager.orchestrator.Orchestrator;
import io.shoal.manager.orchestrator.Plan;
import io.shoal.manager.scheduler.SchedulerCore;
import io.shoal.store.MemoryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The leader-only components as simulator events, started when this manager's raft term is ready
 * and stopped when it loses leadership or crashes (as ManagerRuntime does on Ratis' leader-ready).
 *
 * <p>Each component is a {@link Round}, shaped like {@code io.shoal.manager.Component}: triggered
 * after a short debounce by every commit, and by its own tick (orchestrator 1 s, allocator and
 * scheduler 5 s); one round at a time, and while a round's write is in flight the next waits for
 * it, as a component thread blocked in {@code store.update} would. The rounds call the pure cores:
 * {@link Orchestrator#planFor}, {@link SchedulerCore#schedule} and {@link PlanCommitter#commit}.
 * The allocator and scheduler shells' {@code reconcile} is protected on final classes, so their few
 * lines of candidate selection are mirrored here.
 */
final class LeaderServices {
  static final long DEBOUNCE_MS = 10;

  private final SimManager m;
  private final Sim sim;
  private final MemoryStore store;
  private final Orchestrator orchestrator;
  private final SimDispatcher dispatcher;
  private final List<Round> rounds = new ArrayList<>();
  private boolean stopped;

  LeaderServices(SimManager m) {
    this.m = m;
    this.sim = m.sim();
    this.store = m.store();
    // constructed, never started: planFor is pure over the store's view
    this.orchestrator = new Orchestrator(store, sim.clock(), sim.random());
    this.dispatcher = new SimDispatcher(m, this);
    rounds.add(new Round("allocator", 5000, this::allocate));
    rounds.add(new Round("orchestrator", 1000, this::orchestrate));
    rounds.add(new Round("scheduler", 5000, this::schedule));
  }

  void start() {
    rounds.forEach(Round::tick);
    dispatcher.start();
  }

  void stop() {
    stopped = true;
    rounds.forEach(Round::cancel);
    dispatcher.stop();
  }

  boolean stopped() {
    return stopped;
  }

  SimDispatcher dispatcher() {
    return dispatcher;
  }

  /** The store changed (an entry was applied): every component has a look. */
  void changed() {
    for (Round r : rounds) r.trigger(DEBOUNCE_MS);
    dispatcher.changed();
  }

  /**
   * As Allocator.reconcile (full round): NEW tasks of a known service without networks become
   * PENDING through a plan; those with networks get their addresses from Allocator.allocateTasks
   * inside the write that records them, as on the leader.
   */
  private CompletableFuture<?> allocate() {
    if (store.view(tx -> EndpointAllocator.ingress(tx) == null)) {
      // what swarm init writes in production: the sim's first leader does it once
      m.write("ingress", s -> {
        s.update(tx -> {
          if (EndpointAllocator.ingress(tx) == null) tx.create(IngressNetwork.create("simingress", tx.cluster(), tx.networks()));
        });
        return null;
      });
    }
    List<String> withNetworks = new ArrayList<>();
    Plan plan = store.view(tx -> {
      Plan p = new Plan();
      for (Task t : tx.tasks()) {
        if (t.state() != TaskState.NEW) continue;
        Service s = tx.service(t.serviceID());
        if (s == null) continue;
        if (Allocator.needsAddresses(tx, t, s)) {
          withNetworks.add(t.id());
          continue;
        }
        p.update(t.withEndpoint(s.endpoint())
            .withStatus(TaskStatus.of(TaskState.PENDING, "pending task scheduling", sim.clock().instant())));
      }
      return p;
    });
    CompletableFuture<?> planned = commit("allocator", plan);
    if (withNetworks.isEmpty()) return planned;
    CompletableFuture<Object> done = new CompletableFuture<>();
    sim.after(sim.between(0, 40), m.id() + " allocator addresses", () -> {
      if (stopped) {
        done.complete(null);
        return;
      }
      var w = m.write("allocator", s -> {
        s.update(tx -> Allocator.allocateTasks(tx, withNetworks, sim.clock().instant()));
        return null;
      });
      sim.note(m.id() + " allocator gives addresses to " + withNetworks.size() + " tasks");
      w.ack().whenComplete((x, e) -> done.complete(null));
    });
    return planned == null ? done : CompletableFuture.allOf(planned, done);
  }

  private CompletableFuture<?> orchestrate() {
    return commit("orchestrator", orchestrator.planFor(null, sim.clock().instant()));
  }

  /** As Scheduler.reconcile: one {@link SchedulerCore#scheduleAll} round. */
  private CompletableFuture<?> schedule() {
    Plan plan = store.view(tx -> SchedulerCore.scheduleAll(tx.tasks(), tx.nodes(), sim.clock().instant()));
    return commit("scheduler", plan);
  }

  /**
   * Commits after a seeded pause: in production a component reads its view, plans, then commits,
   * and other writers (the dispatcher's status batches, users) get in between — which is what
   * PlanCommitter's skip-what-changed rule is for. Committing in the same event would hide that.
   */
  private CompletableFuture<?> commit(String who, Plan plan) {
    if (plan.isEmpty()) return null;
    CompletableFuture<Object> done = new CompletableFuture<>();
    sim.after(sim.between(0, 40), m.id() + " " + who + " commit", () -> {
      if (stopped) {
        done.complete(null);
        return;
      }
      var w = m.write(who, s -> PlanCommitter.commit(s, plan));
      // PlanCommitter skips writes whose object changed since the plan read it: say how many went in
      sim.note(m.id() + " " + who + " commits " + plan + (w.value() == null ? "" : ", " + w.value() + " written"));
      w.ack().whenComplete((x, e) -> done.complete(null));
    });
    return done;
  }

  /** One component: at most one round running or waiting for its write. */
  private final class Round {
    private final String name;
    private final long tickMillis;
    private final Supplier<CompletableFuture<?>> body;
    private boolean scheduled;
    private boolean inFlight;
    private boolean again;
    private Sim.Event run;
    private Sim.Event tick;

    Round(String name, long tickMillis, Supplier<CompletableFuture<?>> body) {
      this.name = name;
      this.tickMillis = tickMillis;
      this.body = body;
    }

    void trigger(long delay) {
      if (stopped) return;
      if (inFlight) {
        again = true;
        return;
      }
      if (scheduled) return;
      scheduled = true;
      run = sim.after(delay, m.id() + " " + name, this::run);
    }

    private void run() {
      scheduled = false;
      if (stopped) return;
      CompletableFuture<?> f = body.get();
      if (f == null || f.isDone()) return;
      inFlight = true;
      f.whenComplete((x, e) -> {
        inFlight = false;
        if (again) {
          again = false;
          trigger(DEBOUNCE_MS);
        }
      });
    }

    void tick() {
      if (stopped) return;
      trigger(0);
      tick = sim.after(tickMillis, m.id() + " " + name + " tick", this::tick);
    }

    void cancel() {
      if (run != null) run.cancel();
      if (tick != null) tick.cancel();
    }
  }
}
