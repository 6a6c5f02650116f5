package io.longshore.examples.acts;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.sql.SQLException;

/**
 * A JSON answer written while it is produced (e.g. act by act from a database cursor), so that it
 * is never held whole in memory. The server has sent the status and headers by the time
 * {@link #writeTo} runs: a failure there can no longer change the status, and ends the
 * connection instead (see {@link ActsServer}).
 */
@FunctionalInterface
interface JsonStream {
    /** Writes one complete JSON value to {@code out}; does not close it. */
    void writeTo(JsonGenerator out) throws IOException, SQLException;
}
