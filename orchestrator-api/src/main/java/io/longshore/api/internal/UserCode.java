package io.longshore.api.internal;

/**
 * What Longshore does with a throwable that user code (a strategy, probe, policy, listener,
 * runtime or router) threw. Every exception, and every error the JVM can go on after — an
 * {@link AssertionError}, a {@link StackOverflowError} (its stack is unwound by the time it is
 * caught), a {@link LinkageError} — is the user code's failure: reported, and the caller goes on
 * as it does for any failure of that component. What the JVM itself cannot recover from (an
 * {@link OutOfMemoryError}, an {@link InternalError}) is rethrown. Stateless.
 */
public final class UserCode {
    private UserCode() {
    }

    /** Whether the caller may report {@code failure} and go on. */
    public static boolean recoverable(Throwable failure) {
        return !(failure instanceof VirtualMachineError) || failure instanceof StackOverflowError;
    }

    /** Rethrows {@code failure} if the JVM cannot go on after it; returns otherwise. */
    public static void rethrowIfFatal(Throwable failure) {
        if (!recoverable(failure)) {
            if (failure instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(failure); // unreachable: every VirtualMachineError is an Error
        }
    }

    /**
     * {@code component}'s {@code toString()}, or its class name when that throws or answers null:
     * a name for reports that cannot itself fail inside a catch block.
     */
    public static String name(Object component) {
        if (component == null) {
            return "null";
        }
        try {
            String name = component.toString();
            return name == null ? component.getClass().getName() : name;
        } catch (RuntimeException | Error e) {
            rethrowIfFatal(e);
            return component.getClass().getName();
        }
    }
}
