package io.longshore.examples.seed;

/** A command line the seed main cannot run: the message says what is wrong. */
final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
