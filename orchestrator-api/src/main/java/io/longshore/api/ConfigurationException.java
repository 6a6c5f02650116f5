package io.longshore.api;

/** A builder was given settings that do not fit together; the message names them. */
public class ConfigurationException extends OrchestratorException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }
}
