package io.longshore.examples.acts;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A JSON answer that decides its status and writes its body while it is sent (e.g. act by act
 * from a database cursor), so that it is never held whole in memory and its status and body can
 * come from one read of the database. Until it sends its {@link Head} it may still refuse: an
 * {@link ApiException} is answered with its status, an {@link SQLException} with a 500. Once the
 * head is out, a failure can no longer change the status and ends the connection instead (see
 * {@link StreamedAnswer}).
 */
@FunctionalInterface
interface JsonStream {
    /** Sends the head through {@code head}, then writes one complete JSON value to the body it gets. */
    void writeTo(Head head) throws IOException, SQLException;

    /** The status line and headers of the answer, sent once. */
    @FunctionalInterface
    interface Head {
        /**
         * Sends the head with {@code status}; returns the body to write the JSON value to (the
         * stream does not close it), or empty when the request was a {@code HEAD}, which gets
         * no body.
         */
        Optional<JsonGenerator> send(int status) throws IOException;
    }
}
