package io.longshore.examples.config;

import io.longshore.examples.Foreground;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stand-alone mode: {@code java -jar longshore-seed.jar --config longshore.yaml [--check]}.
 * Reads and checks the file; with {@code --check} reports and exits (0 valid, 2 not); otherwise
 * runs what it describes until the JVM is stopped (Ctrl-C or SIGTERM), then closes it, which
 * stops every replica. A file with problems exits with 2 and one line per problem
 * ({@code file:line:column: key: message}); a start failure exits with 1.
 */
public final class ConfigMain {
    /** Exit status of a valid file under {@code --check}. */
    static final int VALID = 0;
    /** Exit status when the scenario could not start. */
    static final int START_FAILED = Foreground.START_FAILED;
    /** Exit status of a bad file or command line. */
    static final int INVALID = 2;
    static final String USAGE = """
            usage: java -jar longshore-seed.jar --config FILE [--check]
              --config FILE   run the gateway and services FILE describes (YAML; see docs/config.md)
              --check         only read and check FILE: exit 0 when valid, 2 with its problems otherwise
            """;
    private static final Logger LOG = LoggerFactory.getLogger(ConfigMain.class);

    private ConfigMain() {
    }

    /** Whether {@code args} ask for the config-file mode (they hold {@code --config}). */
    public static boolean wanted(String... args) {
        for (String arg : args) {
            if (arg.equals("--config") || arg.startsWith("--config=")) {
                return true;
            }
        }
        return false;
    }

    public static void main(String... args) throws InterruptedException {
        Prepared prepared = prepare(args, System.out, System.err);
        if (prepared.config() == null) {
            if (prepared.exitStatus() != VALID) {
                System.exit(prepared.exitStatus());
            }
            return;
        }
        run(prepared.config());
    }

    /**
     * Reads the command line and the file. A bad one: its problems go to {@code err}, exit status 2.
     * With {@code --check}: the summary goes to {@code out}, exit status 0. Otherwise: the config to run.
     */
    static Prepared prepare(String[] args, PrintStream out, PrintStream err) {
        try {
            Command command = Command.parse(args);
            LongshoreConfig config = read(command.file());
            if (command.check()) {
                out.println(summary(command.file(), config));
                return new Prepared(VALID, null);
            }
            return new Prepared(VALID, config);
        } catch (Invalid e) {
            err.print(e.getMessage());
            return new Prepared(INVALID, null);
        }
    }

    /** What {@link #prepare} found: a config to run, or none and the exit status. */
    record Prepared(int exitStatus, LongshoreConfig config) {
    }

    private static LongshoreConfig read(Path file) {
        try {
            return ConfigReader.withBuiltIns().read(file);
        } catch (IOException e) {
            throw new Invalid("error: cannot read " + file + ": " + e + "\n");
        } catch (ConfigException e) {
            throw new Invalid(e.problems().stream().map(p -> "error: " + p + "\n").collect(Collectors.joining()));
        }
    }

    static String summary(Path file, LongshoreConfig config) {
        return file + ": ok; gateway on " + config.gateway().host() + ":" + config.gateway().port()
                + (config.admin().enabled() ? ", admin API on " + config.admin().host() + ":" + config.admin().port() : "")
                + "; services: " + config.services().stream()
                        .map(s -> s.name() + " on " + s.prefix() + " (" + (s.isContainer() ? "image " + s.workload().image()
                                : "command") + ", replicas " + s.replicas().min() + ".." + s.replicas().max()
                                + " from port " + s.replicas().basePort() + ")")
                        .collect(Collectors.joining(", "));
    }

    private static void run(LongshoreConfig config) throws InterruptedException {
        Foreground.run(() -> ConfigApp.start(config), started -> LOG.info("ready; Ctrl-C stops"),
                "longshore-config-shutdown", LOG, "could not start: {}");
    }

    /** The command line of the config mode. */
    record Command(Path file, boolean check) {
        static Command parse(String... args) {
            Path file = null;
            boolean check = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--check")) {
                    check = true;
                } else if (arg.startsWith("--config=") || arg.equals("--config")) {
                    String value = arg.startsWith("--config=") ? arg.substring(9) : i + 1 < args.length ? args[++i] : "";
                    if (value.isBlank() || file != null) {
                        throw new Invalid("error: " + (file != null ? "--config is given twice" : "--config needs a file")
                                + "\n\n" + USAGE);
                    }
                    file = Path.of(value);
                } else {
                    throw new Invalid("error: " + arg + " does not go with --config: the file holds every setting\n\n"
                            + USAGE);
                }
            }
            if (file == null) {
                throw new Invalid("error: --check needs --config FILE\n\n" + USAGE);
            }
            return new Command(file, check);
        }
    }

    /** A bad command line or file; the message is what to print. */
    static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }
}
