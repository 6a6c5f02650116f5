package io.longshore.jetty.internal;

import io.longshore.core.Lease;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/** Reads what went wrong from a client-side failure. Stateless. */
final class Failures {
    private Failures() {
    }

    /** The lease failure a forwarding failure amounts to. */
    static Lease.Failure classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnresolvedAddressException || isConnectTimeout(t)) {
                return Lease.Failure.CONNECT;
            }
            if (t instanceof ClientGoneException || t instanceof RequestBodyTooLargeException
                    || t instanceof RejectedExecutionException) {
                return Lease.Failure.CANCELLED;
            }
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                return Lease.Failure.TIMEOUT;
            }
        }
        return Lease.Failure.RESET;
    }

    static boolean isBodyTooLarge(Throwable failure) {
        return has(failure, RequestBodyTooLargeException.class);
    }

    static boolean isRejected(Throwable failure) {
        return has(failure, RejectedExecutionException.class);
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnectTimeout(Throwable t) {
        String message = t.getMessage();
        return t instanceof SocketTimeoutException && message != null
                && message.toLowerCase(Locale.ROOT).contains("connect");
    }

    /** The client went away while its response was being written. */
    static final class ClientGoneException extends Exception {
        ClientGoneException(Throwable cause) {
            super("client went away", cause, false, false);
        }
    }

    /** The request body went past the configured limit. */
    static final class RequestBodyTooLargeException extends Exception {
        RequestBodyTooLargeException(long limit) {
            super("request body exceeds " + limit + " bytes", null, false, false);
        }
    }
}
