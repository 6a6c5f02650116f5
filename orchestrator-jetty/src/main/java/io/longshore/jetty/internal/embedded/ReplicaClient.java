package io.longshore.jetty.internal.embedded;

import io.longshore.api.Clock;
import io.longshore.api.Endpoint;
import io.longshore.jetty.internal.policy.ProxySettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.ClientConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The embedded gateway's way to its replicas: Jetty's {@link HttpClient} with a pool of
 * keep-alive connections per replica, set up as the standalone proxy's (no redirects, cookies,
 * decoders or protocol handlers of its own: the client gets what the replica said), on the
 * connector that upgrade requests open their own connections with. It keeps what every request
 * would otherwise work out again: each replica's origin and {@code Host} field, and which pooled
 * connections carried a request before. Replica endpoints come and go (a rollout, a pod's new
 * IP), so nothing is kept of one for good: Jetty drops a replica's destination once it has had no
 * connection and no request for the response timeout, and while {@link #startSweeping sweeping},
 * every {@link #ENDPOINT_SWEEP_MILLIS}, the cached fields of endpoints no router knows any more
 * are forgotten and the idle pooled connections to them closed ({@link GoneDestinations}), as the
 * standalone engine's pool sweep does. Its {@link EmbeddedProxy} owns the client's lifecycle and
 * the sweeps'. Thread-safe.
 */
final class ReplicaClient {
    /** Room for the fields the gateway adds to a request head ({@code X-Forwarded-*}, {@code Via}, {@code Host}). */
    private static final int FORWARDING_HEAD_BYTES = 4096;
    /** How often the fields cached for endpoints no router knows any more are forgotten, and their idle connections closed. */
    static final long ENDPOINT_SWEEP_MILLIS = 1000;
    private final ProxySettings settings;
    private final ClientWrites clientWrites = new ClientWrites();
    private final ClientConnector connector;
    private final HttpClient client;
    private final Map<Endpoint, URI> origins = new ConcurrentHashMap<>();
    private final Map<Endpoint, HttpField> hostFields = new ConcurrentHashMap<>();
    private final Set<Object> usedConnections = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));
    private volatile ConnectDeadlines connectDeadlines;
    /** The endpoints the routers know now, null when one failed to say; set while sweeping. */
    private volatile Supplier<Set<Endpoint>> knownEndpoints;
    /** The next sweep ({@link #sweep}); null while not sweeping. */
    private volatile Scheduler.Task nextSweep;
    private volatile boolean sweeping;

    ReplicaClient(ProxySettings settings) {
        this.settings = settings;
        this.connector = newConnector(settings, clientWrites);
        this.client = newClient(settings, connector);
    }

    private static ClientConnector newConnector(ProxySettings settings, ClientWrites clientWrites) {
        ClientConnector connector = new ReplicaConnector(clientWrites);
        connector.setSelectors(1);
        connector.setConnectTimeout(settings.connectTimeout());
        return connector;
    }

    private static HttpClient newClient(ProxySettings settings, ClientConnector connector) {
        HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP(connector);
        // the attempts' listeners never block, so replica responses are handled on the selector thread
        transport.setInvocationType(InvocationType.NON_BLOCKING);
        HttpClient client = new HttpClient(transport);
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setUserAgentField(null);
        client.setMaxConnectionsPerDestination(settings.connectionsPerBackend());
        client.setMaxRequestsQueuedPerDestination(settings.maxConcurrentRequests());
        client.setMaxResponseHeadersSize(ProxySettings.MAX_RESPONSE_HEAD_BYTES);
        client.setConnectTimeout(settings.connectTimeout().toMillis());
        // the idle timeout is the response timeout (a replica silent that long fails the attempt,
        // unless it waits for the client: ReplicaConnector) and the lifetime of an unused pooled
        // connection, as in the standalone proxy
        client.setIdleTimeout(settings.responseTimeout().toMillis());
        // a replica's destination (its pool, its queue) goes once unused as long again, so the
        // destinations of endpoints that left do not pile up; a replica still routed to gets a new one
        client.setDestinationIdleTimeout(settings.responseTimeout().toMillis());
        return client;
    }

    /**
     * Before the client starts: it runs on the host {@code server}'s threads and buffers, and
     * takes its heads whole.
     */
    void useHost(Server server) {
        client.setExecutor(server.getThreadPool());
        client.setScheduler(server.getScheduler());
        client.setByteBufferPool(server.getByteBufferPool());
        client.setMaxRequestHeadersSize(largestHeadAccepted(server) + FORWARDING_HEAD_BYTES);
    }

    /** The largest request head any of the host server's HTTP/1.1 connectors accepts: the replica gets each whole. */
    private static int largestHeadAccepted(Server server) {
        int largest = new HttpConfiguration().getRequestHeaderSize();
        for (Connector connector : server.getConnectors()) {
            HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
            if (http != null) {
                largest = Math.max(largest, http.getHttpConfiguration().getRequestHeaderSize());
            }
        }
        return largest;
    }

    /**
     * Once the client started: the connect deadlines run on its scheduler, and it decodes, follows
     * and answers nothing of the replica's responses itself, only passing their interim ones on.
     */
    void started() {
        Scheduler scheduler = client.getScheduler();
        // the system clock, not the settings' one: the sweeps run on Jetty's scheduler, in real time
        Clock realTime = Clock.system();
        connectDeadlines = new ConnectDeadlines((sweep, nanos) -> scheduler.schedule(sweep, nanos, TimeUnit.NANOSECONDS),
                realTime::nanoTime, settings.connectTimeout().toNanos());
        client.getContentDecoderFactories().clear();
        client.getProtocolHandlers().clear(); // no redirects, authentication or upgrades: the client gets what the replica said
        client.getProtocolHandlers().put(new InterimResponses());
    }

    /**
     * Once the client started, until {@link #stopSweeping}: every {@link #ENDPOINT_SWEEP_MILLIS},
     * on the client's scheduler, the cached fields of the endpoints {@code known} does not list
     * are forgotten and their idle pooled connections closed ({@code known} answering null:
     * nothing is, that time).
     */
    void startSweeping(Supplier<Set<Endpoint>> known) {
        knownEndpoints = known;
        sweeping = true;
        planSweep();
    }

    /** No more sweeps (before the client stops). */
    void stopSweeping() {
        sweeping = false;
        Scheduler.Task sweep = nextSweep;
        if (sweep != null) {
            sweep.cancel();
        }
        nextSweep = null;
    }

    private void planSweep() {
        nextSweep = client.getScheduler().schedule(this::sweep, ENDPOINT_SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        if (!sweeping) {
            return;
        }
        try {
            Set<Endpoint> known = knownEndpoints.get();
            if (known != null) {
                forgetAllBut(known);
                GoneDestinations.closeIdle(client, known);
            }
        } finally {
            if (sweeping) {
                planSweep();
            }
        }
    }

    /** Forgets the origin and {@code Host} field of every endpoint not in {@code known}. */
    void forgetAllBut(Set<Endpoint> known) {
        origins.keySet().retainAll(known);
        hostFields.keySet().retainAll(known);
    }

    /** The endpoints whose origin or {@code Host} field is kept now. */
    Set<Endpoint> cachedEndpoints() {
        Set<Endpoint> cached = new HashSet<>(origins.keySet());
        cached.addAll(hostFields.keySet());
        return cached;
    }

    HttpClient client() {
        return client;
    }

    /** The connector of the gateway's client, for the connections upgrade requests open themselves. */
    ClientConnector connector() {
        return connector;
    }

    /**
     * Opens a connection of its own to the replica at {@code endpoint} on the client's connector,
     * outside the pools (an upgrade request's): {@code connections} makes it once the socket is
     * open, and {@code opened} hears whether it could be.
     */
    void connectOwn(Endpoint endpoint, ClientConnectionFactory connections, Promise<Connection> opened) {
        Map<String, Object> context = new HashMap<>();
        context.put(ClientConnectionFactory.CONTEXT_KEY, connections);
        context.put(ClientConnector.CONNECTION_PROMISE_CONTEXT_KEY, opened);
        context.put(Transport.CONTEXT_KEY, Transport.TCP_IP);
        connector.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), context);
    }

    /** Where attempts wait for their connection to a replica, up to the connect timeout. */
    ConnectDeadlines connectDeadlines() {
        return connectDeadlines;
    }

    /**
     * The Host header for a replica, encoded once. Without it Jetty's client derives Host from
     * the request's java.net.URI, which it builds and parses for every request.
     */
    HttpField hostField(Endpoint endpoint) {
        return hostFields.computeIfAbsent(endpoint, e -> new PreEncodedHttpField(HttpHeader.HOST, e.authority()));
    }

    URI origin(Endpoint endpoint) {
        return origins.computeIfAbsent(endpoint, e -> URI.create("http://" + e.authority()));
    }

    /** Whether {@code connection} (Jetty's client connection) carried a request before; marks it as used. */
    boolean reused(Object connection) {
        return connection != null && !usedConnections.add(connection);
    }

    /**
     * {@code clientEndPoint}, with the writes the replica selector makes to it held to the end of
     * that selector's round ({@link ClientWrites}).
     */
    EndPoint holdingWrites(EndPoint clientEndPoint) {
        return clientWrites.holdingWrites(clientEndPoint);
    }
}
