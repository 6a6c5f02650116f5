package io.longshore.jetty.internal.embedded;

import io.longshore.jetty.internal.codec.ResponseHead;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * The switch of an embedded upgrade request whose replica answered 101: the
 * {@link EmbeddedTunnel} between the two connections, silent at most {@code tunnelIdleTimeout}
 * (once half-closed, the host connector's idle timeout for a client's silence); the replica's
 * connection becomes its end; the host server's response becomes the 101, with the replica's
 * {@code Upgrade}; and the client's end ({@link UpgradeClientConnection}) is set to take the host
 * server's connection over once the 101 is out. Stateless.
 */
final class UpgradeSwitch {
    private UpgradeSwitch() {
    }

    /**
     * Sets up the switch of {@code request} (answered through {@code response}) to a tunnel owned
     * by {@code owner}, after {@code answer} came on {@code replica}, and returns that tunnel.
     */
    static EmbeddedTunnel wire(EmbeddedProxy proxy, EmbeddedTunnel.Owner owner, Request request, Response response,
                               ResponseHead answer, UpgradeReplicaConnection replica) {
        long idle = proxy.settings().tunnelIdleTimeout().toMillis();
        EndPoint clientEnd = request.getConnectionMetaData().getConnection().getEndPoint();
        // half-closed, the tunnel keeps the host connector's idle timeout for a client's silence
        long clientIdle = clientEnd.getIdleTimeout() > 0 ? clientEnd.getIdleTimeout() : idle;
        EmbeddedTunnel tunnel = new EmbeddedTunnel(owner, Math.min(idle, clientIdle));
        replica.becomeTunnel(tunnel, idle);
        response.setStatus(101);
        UpgradeHead.copyResponse(answer, response.getHeaders(), true);
        response.getHeaders().put(HttpHeader.CONNECTION, "Upgrade");
        Connection clientSide = new UpgradeClientConnection(clientEnd, proxy.getServer().getThreadPool(), tunnel,
                replica, idle);
        request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, clientSide);
        return tunnel;
    }
}
