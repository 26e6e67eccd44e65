package io.shoal.daemon.api;

/** Assembles the router with every route family. */
public final class Api {
  private Api() {}

  public static Router router(Backend backend, String dataRoot) {
    Router r = new Router();
    SystemRoutes.register(r, backend, dataRoot);
    SwarmRoutes.register(r, backend);
    ServiceRoutes.register(r, backend);
    ResourceRoutes.register(r, backend);
    EventRoutes.register(r, backend, java.time.Clock.systemUTC());
    return r;
  }
}
