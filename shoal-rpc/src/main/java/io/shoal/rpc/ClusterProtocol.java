package io.shoal.rpc;

import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.shoal.api.dispatch.Assignments;
import io.shoal.api.dispatch.LogLine;
import io.shoal.api.dispatch.LogRequest;
import io.shoal.api.dispatch.TaskStatusUpdate;
import io.shoal.api.model.Node;
import io.shoal.api.model.Task;
import io.shoal.api.net.NodeNetworkView;
import java.util.List;
import java.util.Map;

/**
 * The {@code shoal.Cluster} service on the cluster port: its messages and hand-written method
 * descriptors (JSON marshalled, see {@link JsonMarshaller}) and who may call each method.
 *
 * <p>Wire compatibility rule: add fields, never rename or repurpose them; readers ignore unknown
 * fields. Immutable constants, thread-safe.
 */
public final class ClusterProtocol {
  private ClusterProtocol() {}

  public static final String SERVICE = "shoal.Cluster";

  /** Who may call a method, decided from the peer certificate (never from the request body). */
  public enum Access {
    /** No client certificate needed: how a node that has none yet joins. */
    ANYONE,
    /** Any valid swarm node certificate, manager or worker, of a node not removed. */
    NODE,
    /** A valid certificate with OU=swarm-manager, of a node not removed. */
    MANAGER
  }

  // ---- messages ----------------------------------------------------------------------------

  /** No fields. */
  public record Empty() {
    static final Empty INSTANCE = new Empty();
  }

  public record RootCAResponse(String certificatePem) {}

  public record RenewRequest(String csrPem) {}

  /**
   * A renewed certificate. For a manager certificate also what starting a raft server needs (a
   * promoted worker joins raft with it); the data key is base 64, as in {@link JoinResponse}.
   */
  public record CertificateResponse(String certificatePem, String raftGroupId, String raftDataKey) {
    public CertificateResponse(String certificatePem) {
      this(certificatePem, null, null);
    }

    @Override
    public String toString() {
      return "CertificateResponse[raftGroupId=" + raftGroupId + (raftDataKey == null ? "" : ", raftDataKey=<hidden>") + "]";
    }
  }

  public record RegisterRequest(Node.Description description, String addr) {}

  /** @param info the node's role and the managers; null when the server has no source for it */
  public record SessionResponse(String sessionId, long heartbeatPeriodMillis, SessionInfo info) {}

  public record HeartbeatRequest(String sessionId) {}

  /** @param info as in {@link SessionResponse} */
  public record HeartbeatResponse(long heartbeatPeriodMillis, SessionInfo info) {}

  public record StatusRequest(String sessionId, List<TaskStatusUpdate> updates) {
    public StatusRequest {
      updates = updates == null ? List.of() : List.copyOf(updates);
    }
  }

  public record AssignmentsRequest(String sessionId) {}

  public record AddManagerRequest(String nodeId, String raftAddr) {}

  public record RemoveManagerRequest(String nodeId) {}

  public record MeshTableResponse(List<MeshRoute> routes) {
    public MeshTableResponse {
      routes = routes == null ? List.of() : List.copyOf(routes);
    }
  }

  public record TaskLogsRequest(Task task, LogRequest request) {}

  /** "My network view is at {@code sinceVersion}; answer when yours differs" (0: I have none). */
  public record NetworkViewRequest(long sinceVersion) {}

  // ---- methods -----------------------------------------------------------------------------

  public static final MethodDescriptor<Empty, RootCAResponse> GET_ROOT_CA =
      unary("GetRootCA", Empty.class, RootCAResponse.class);
  public static final MethodDescriptor<JoinRequest, JoinResponse> JOIN =
      unary("Join", JoinRequest.class, JoinResponse.class);
  public static final MethodDescriptor<RenewRequest, CertificateResponse> RENEW_CERTIFICATE =
      unary("RenewCertificate", RenewRequest.class, CertificateResponse.class);
  public static final MethodDescriptor<RegisterRequest, SessionResponse> REGISTER =
      unary("Register", RegisterRequest.class, SessionResponse.class);
  public static final MethodDescriptor<HeartbeatRequest, HeartbeatResponse> HEARTBEAT =
      unary("Heartbeat", HeartbeatRequest.class, HeartbeatResponse.class);
  public static final MethodDescriptor<StatusRequest, Empty> UPDATE_TASK_STATUS =
      unary("UpdateTaskStatus", StatusRequest.class, Empty.class);
  public static final MethodDescriptor<AssignmentsRequest, Assignments> ASSIGNMENTS =
      serverStreaming("Assignments", AssignmentsRequest.class, Assignments.class);
  public static final MethodDescriptor<AddManagerRequest, Empty> ADD_MANAGER =
      unary("AddManager", AddManagerRequest.class, Empty.class);
  public static final MethodDescriptor<RemoveManagerRequest, Empty> REMOVE_MANAGER =
      unary("RemoveManager", RemoveManagerRequest.class, Empty.class);
  public static final MethodDescriptor<Empty, MeshTableResponse> MESH_TABLE =
      unary("MeshTable", Empty.class, MeshTableResponse.class);
  /** A long poll: answered at once when the caller's view is out of date, else on change or after ~10 s. */
  public static final MethodDescriptor<NetworkViewRequest, NodeNetworkView> NETWORK_VIEW =
      unary("NetworkView", NetworkViewRequest.class, NodeNetworkView.class);
  public static final MethodDescriptor<TaskLogsRequest, LogLine> TASK_LOGS =
      serverStreaming("TaskLogs", TaskLogsRequest.class, LogLine.class);

  /**
   * The access rule of every method, by full method name. A method missing here is refused
   * (fail closed), so adding a method without deciding who may call it cannot open it up.
   */
  public static final Map<String, Access> ACCESS = Map.ofEntries(
      Map.entry(GET_ROOT_CA.getFullMethodName(), Access.ANYONE),
      Map.entry(JOIN.getFullMethodName(), Access.ANYONE),
      Map.entry(RENEW_CERTIFICATE.getFullMethodName(), Access.NODE),
      Map.entry(REGISTER.getFullMethodName(), Access.NODE),
      Map.entry(HEARTBEAT.getFullMethodName(), Access.NODE),
      Map.entry(UPDATE_TASK_STATUS.getFullMethodName(), Access.NODE),
      Map.entry(ASSIGNMENTS.getFullMethodName(), Access.NODE),
      Map.entry(MESH_TABLE.getFullMethodName(), Access.NODE),
      // a node's own view only: the node id comes from the caller's certificate
      Map.entry(NETWORK_VIEW.getFullMethodName(), Access.NODE),
      Map.entry(ADD_MANAGER.getFullMethodName(), Access.MANAGER),
      Map.entry(REMOVE_MANAGER.getFullMethodName(), Access.MANAGER),
      // Logs can carry secrets printed by a task: only managers (serving a user's
      // `service logs`) may pull them from the node that runs the task.
      Map.entry(TASK_LOGS.getFullMethodName(), Access.MANAGER));

  private static <Q, R> MethodDescriptor<Q, R> unary(String name, Class<Q> req, Class<R> resp) {
    return method(MethodType.UNARY, name, req, resp);
  }

  private static <Q, R> MethodDescriptor<Q, R> serverStreaming(String name, Class<Q> req, Class<R> resp) {
    return method(MethodType.SERVER_STREAMING, name, req, resp);
  }

  private static <Q, R> MethodDescriptor<Q, R> method(
      MethodType type, String name, Class<Q> req, Class<R> resp) {
    return MethodDescriptor.<Q, R>newBuilder()
        .setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
        .setRequestMarshaller(JsonMarshaller.of(req))
        .setResponseMarshaller(JsonMarshaller.of(resp))
        .build();
  }
}
