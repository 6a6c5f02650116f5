package io.longshore.jetty.internal.codec;

/**
 * What a head parser returns: the head's length in bytes when it is complete, {@link #NEED_MORE}
 * when its end has not arrived yet, or the negated status code of the error to answer
 * ({@code -400}, {@code -431}, ...). Stateless.
 */
public final class Parse {
    /** The head is not complete yet; parse again with more bytes. */
    public static final int NEED_MORE = 0;

    private Parse() {
    }

    public static boolean isComplete(int result) {
        return result > 0;
    }

    public static boolean isError(int result) {
        return result < 0;
    }

    /** The status code an error result stands for. */
    public static int status(int result) {
        return -result;
    }

    static int error(int status) {
        return -status;
    }
}
