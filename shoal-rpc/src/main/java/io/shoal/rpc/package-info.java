/**
 * The node-to-node transport on the cluster port (2377): gRPC over TLS 1.3/1.2 with certificates
 * from {@code io.shoal.ca}, one service {@code shoal.Cluster}.
 *
 * <p><b>No protobuf, no protoc.</b> The methods are hand-written {@link io.grpc.MethodDescriptor}s
 * ({@link io.shoal.rpc.ClusterProtocol}) whose marshallers write and read JSON with Shoal's one
 * mapper ({@link io.shoal.api.json.Json}): the request and response types are plain records, the
 * same the in-process contract ({@link io.shoal.api.dispatch.Dispatcher}, {@link
 * io.shoal.api.dispatch.TaskLogs}) already uses. No code generation step, no generated classes,
 * and a wire format anyone can read in a packet dump.
 *
 * <p><b>Who may call what</b> is decided per method from the TLS peer certificate: {@code
 * GetRootCA} and {@code Join} are open (the caller has no certificate yet); the dispatcher
 * ({@code Register, Heartbeat, UpdateTaskStatus, Assignments}), {@code RenewCertificate} and
 * {@code MeshTable} need a valid swarm certificate; {@code AddManager}, {@code RemoveManager} and
 * {@code TaskLogs} need OU=swarm-manager. The node id is always the certificate's CN. Removed
 * nodes are refused with PERMISSION_DENIED "node X was removed from the swarm".
 *
 * <p><b>Errors are typed across the wire</b> ({@link io.shoal.rpc.RpcErrors}): a {@code
 * ShoalException}, {@code CaException} or {@code Dispatcher.SessionExpired} thrown by a handler is
 * rethrown by the client as the same type with the same message.
 *
 * <pre>{@code
 * // every node: serve the cluster port (managers add the manager-side handlers)
 * NodeKeyManager km = MutualTls.keyManager(creds);
 * ClusterServer server = ClusterServer.builder("0.0.0.0", 2377, km, rootCA)
 *     .revoked(removed::contains).leaderAddress(this::leaderClusterAddr)
 *     .joinHandler(caHandler).dispatcher(dispatcher).managerOps(raftOps)
 *     .meshTable(meshSource).taskLogs(agent)
 *     .build().start();
 *
 * // a new node: join, then store what came back
 * JoinResult joined = JoinClient.join(token, List.of("10.0.0.1:2377"), "10.0.0.7:2377",
 *     "0.0.0.0:2377", "active", secureRandom, clock);
 * certificateStore.writeRootCA(joined.rootCA());
 * certificateStore.writeNode(joined.credentials());
 *
 * // a worker's agent talks to whichever manager leads
 * ClusterChannels channels = new ClusterChannels(km, joined.rootCA(), null);
 * Dispatcher dispatcher = new RemoteDispatcher(channels, joined.response().managers());
 * ManagerClient managers = new ManagerClient(channels, joined.response().managers());
 * TaskLogs logs = new RemoteTaskLogs(channels, task -> clusterAddrOf(task.nodeID()));
 * }</pre>
 *
 * <p><b>Scale.</b> No thread per connection or stream anywhere: Netty's event loops do I/O, a
 * bounded executor runs handlers, streams are pushed by the dispatcher's own fan-out thread into
 * gRPC's buffering observers, and calls that may block on raft run on a separate small pool.
 */
package io.shoal.rpc;
