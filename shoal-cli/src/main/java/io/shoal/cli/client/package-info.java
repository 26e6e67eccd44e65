/**
 * A client for Docker's Engine API (swarm subset) over a unix socket or TCP: a small HTTP/1.1
 * transport (Content-Length, chunked and streamed bodies) and typed calls with version
 * negotiation.
 *
 * <pre>{@code
 * ApiClient api = new ApiClient(new HttpTransport(DaemonHost.resolve(null, System.getenv())));
 * List<Service> services = api.services(Filters.of("name", "web"), true);
 * }</pre>
 */
package io.shoal.cli.client;
