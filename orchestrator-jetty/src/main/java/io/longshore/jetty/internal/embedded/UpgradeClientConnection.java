package io.longshore.jetty.internal.embedded;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;

/**
 * The client's end of an {@link EmbeddedTunnel}: the connection the host server's HTTP/1.1
 * connection hands its end point to once the 101 went out ({@code HttpStream.UPGRADE_CONNECTION_ATTRIBUTE}),
 * with the bytes the client sent ahead. Starts the tunnel when it opens. Its events come on the
 * host server's selector.
 */
final class UpgradeClientConnection extends AbstractConnection implements Connection.UpgradeTo {
    private final EmbeddedTunnel tunnel;
    private final UpgradeReplicaConnection replica;
    private final long idleTimeoutMillis;
    private ByteBuffer ahead;

    UpgradeClientConnection(EndPoint endPoint, Executor executor, EmbeddedTunnel tunnel,
                            UpgradeReplicaConnection replica, long idleTimeoutMillis) {
        super(endPoint, executor);
        this.tunnel = tunnel;
        this.replica = replica;
        this.idleTimeoutMillis = idleTimeoutMillis;
    }

    @Override
    public void onUpgradeTo(ByteBuffer buffered) {
        if (BufferUtil.hasContent(buffered)) {
            ahead = BufferUtil.copy(buffered);
        }
    }

    @Override
    public void onOpen() {
        super.onOpen();
        getEndPoint().setIdleTimeout(idleTimeoutMillis);
        tunnel.start(this, ahead, replica, replica.leftover());
    }

    @Override
    public void onFillable() {
        tunnel.readable(this);
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        tunnel.close();
        return true;
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        tunnel.close();
    }
}
