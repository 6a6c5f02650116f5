package io.longshore.kubernetes.internal;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.HttpURLConnection;

/**
 * Says in one sentence why a call to the API server failed: unreachable, unauthenticated,
 * forbidden (with the permissions the runtime needs), or what the server answered. Stateless.
 */
final class ApiErrors {
    /** The permissions the runtime needs, as the repository's Role grants them. */
    static final String NEEDED = "pods: create, get, list, watch, delete (see orchestrator-kubernetes/manifests/rbac.yaml)";

    private ApiErrors() {
    }

    /** Why {@code error} happened while trying to {@code action} (e.g. "create pod acts-8000-x"). */
    static String describe(RuntimeException error, PodApi api, String action) {
        String where = " in namespace " + api.namespace() + " at " + api.server();
        if (unreachable(error)) {
            return "cannot " + action + ": the API server " + api.server() + " is unreachable (" + rootMessage(error) + ")";
        }
        if (!(error instanceof KubernetesClientException k8s)) {
            return "cannot " + action + where + ": " + error;
        }
        return switch (k8s.getCode()) {
            case HttpURLConnection.HTTP_UNAUTHORIZED -> "cannot " + action + ": the API server " + api.server()
                    + " rejected the credentials (401); check the kubeconfig or the service account token";
            case HttpURLConnection.HTTP_FORBIDDEN -> "cannot " + action + where + ": forbidden (403); the runtime needs "
                    + NEEDED + " - " + serverMessage(k8s);
            case HttpURLConnection.HTTP_NOT_FOUND -> "cannot " + action + where + ": not found (404; does the namespace"
                    + " exist?) - " + serverMessage(k8s);
            default -> "cannot " + action + where + ": the API server answered " + k8s.getCode() + " - "
                    + serverMessage(k8s);
        };
    }

    /** The HTTP status the API server answered with, or 0 when it did not answer. */
    static int code(Throwable error) {
        return error instanceof KubernetesClientException k8s ? k8s.getCode() : 0;
    }

    /**
     * Whether the server refused the request (a 4xx other than 409, 408 and 429): it did nothing,
     * unlike a request it never answered, answered with a 5xx, or that conflicted with one already done.
     */
    static boolean refused(Throwable error) {
        int code = code(error);
        return code >= 400 && code < 500 && code != HttpURLConnection.HTTP_CONFLICT
                && code != HttpURLConnection.HTTP_CLIENT_TIMEOUT && code != 429;
    }

    /** Whether the failure is the API server not answering (no HTTP status, an I/O error underneath). */
    static boolean unreachable(Throwable error) {
        if (error instanceof KubernetesClientException k8s && k8s.getCode() > 0) {
            return false;
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return error instanceof KubernetesClientException;
    }

    private static String serverMessage(KubernetesClientException error) {
        if (error.getStatus() != null && error.getStatus().getMessage() != null) {
            return error.getStatus().getMessage();
        }
        return String.valueOf(error.getMessage());
    }

    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
