package io.longshore.examples.acts;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import org.h2.engine.SysProperties;
import org.h2.tools.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acts service's shared database as an H2 server over TCP on 127.0.0.1, its files in one
 * directory: {@value #DATABASE}{@code .mv.db} and {@value #SETTINGS_FILE} (user, a password
 * made at creation, the port; readable by the owner only). Starting it again on the same
 * directory opens the same data, on the same port when that is free (a new one is the first free
 * port from {@value #FIRST_PORT}, H2's default). It holds one connection
 * of its own while it runs, so a second server on the same directory fails at start instead of
 * leaving its replicas unhealthy.
 *
 * <p>H2 binds to the address in the system property {@value #BIND_ADDRESS_PROPERTY}, read once
 * when H2 is first used; {@link #start(Path)} sets it to 127.0.0.1 when unset and refuses to
 * start when H2 was already loaded with another. Thread-safe; {@link #close()} is idempotent.
 */
public final class H2DatabaseServer implements AutoCloseable {
    /** The database's name in the directory and in its URL. */
    public static final String DATABASE = "acts";
    static final String SETTINGS_FILE = "server.properties";
    static final String BIND_ADDRESS_PROPERTY = "h2.bindAddress";
    static final String LOOPBACK = "127.0.0.1";
    static final String USER = "acts";
    /** The first port a new database server tries: H2's default. */
    static final int FIRST_PORT = 9092;
    /** The last port a new database server tries. */
    static final int LAST_PORT = 9999;
    private static final Logger LOG = LoggerFactory.getLogger(H2DatabaseServer.class);

    private final Server server;
    private final Connection holder;
    private final Path directory;
    private final DatabaseSettings settings;

    private H2DatabaseServer(Server server, Connection holder, Path directory, DatabaseSettings settings) {
        this.server = server;
        this.holder = holder;
        this.directory = directory;
        this.settings = settings;
    }

    /**
     * Opens (creating it when missing) the database in {@code directory} and serves it on
     * 127.0.0.1.
     *
     * @throws IOException when the directory cannot be used, its settings file is missing for
     *                     an existing database, or the database is in use by another server
     */
    public static H2DatabaseServer start(Path directory) throws IOException {
        requireLoopbackBinding();
        Path dir = directory.toAbsolutePath().normalize();
        ServerFiles files = ServerFiles.prepare(dir);
        Server server = listen(dir, files.port());
        DatabaseSettings settings = new DatabaseSettings(
                "jdbc:h2:tcp://" + LOOPBACK + ":" + server.getPort() + "/" + DATABASE, USER, files.password());
        try {
            Connection holder = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
            writeEveryCommitAtOnce(holder);
            files.savePort(server.getPort());
            return new H2DatabaseServer(server, holder, dir, settings);
        } catch (SQLException | IOException e) {
            server.stop();
            throw new IOException("cannot open the database in " + dir + " (is another seed main using it?): "
                    + e.getMessage(), e);
        }
    }

    /** How replicas reach it: the TCP URL, the user and the password. */
    public DatabaseSettings settings() {
        return settings;
    }

    /** The directory with its files. */
    public Path directory() {
        return directory;
    }

    /** The port it serves on, on 127.0.0.1. */
    public int port() {
        return server.getPort();
    }

    @Override
    public synchronized void close() {
        if (!server.isRunning(false)) {
            return;
        }
        try {
            holder.close();
        } catch (SQLException e) {
            LOG.debug("closing the holder connection failed: {}", e.toString());
        }
        server.stop();
    }

    /**
     * Makes every commit reach the file before it is acknowledged, for as long as this server holds
     * the database open. H2 stores {@code WRITE_DELAY} with the database but opens it again with its
     * default (500 ms), so it is set at every start: otherwise the commits of the last half second
     * before the JVM dies (a SIGKILL of the seed main) are lost although the replicas answered 201.
     */
    private static void writeEveryCommitAtOnce(Connection holder) throws SQLException {
        try (Statement statement = holder.createStatement()) {
            statement.execute("SET WRITE_DELAY 0");
        }
    }

    private static void requireLoopbackBinding() {
        String configured = System.getProperty(BIND_ADDRESS_PROPERTY);
        if (configured == null) {
            System.setProperty(BIND_ADDRESS_PROPERTY, LOOPBACK);
        } else if (!configured.equals(LOOPBACK)) {
            throw new IllegalStateException("-D" + BIND_ADDRESS_PROPERTY + "=" + configured
                    + ": the acts database listens on " + LOOPBACK + " only");
        }
        if (!LOOPBACK.equals(SysProperties.BIND_ADDRESS)) {
            throw new IllegalStateException("H2 was loaded before its bind address could be set; start the JVM"
                    + " with -D" + BIND_ADDRESS_PROPERTY + "=" + LOOPBACK);
        }
    }

    /**
     * A TCP server on the recorded port, or on the first free one from {@value #FIRST_PORT} when
     * there is none or it is taken. Those ports lie below the range the kernel hands out as the
     * local ports of outgoing connections, so the port of a server that was killed cannot be taken
     * by somebody's connection before the next start, which would leave the adopted replicas
     * pointing at a port nobody serves.
     */
    private static Server listen(Path dir, int port) throws IOException {
        if (port > 0) {
            try {
                return tcpServer(dir, port);
            } catch (SQLException taken) {
                LOG.warn("port {} of the previous run is taken ({}); the database server takes another, and"
                        + " replicas still using the old one will fail their health checks and be replaced", port,
                        taken.getMessage());
            }
        }
        SQLException last = null;
        for (int candidate = FIRST_PORT; candidate <= LAST_PORT; candidate++) {
            try {
                return tcpServer(dir, candidate);
            } catch (SQLException taken) {
                last = taken;
            }
        }
        throw new IOException("cannot start the H2 server: no free port in " + FIRST_PORT + "-" + LAST_PORT, last);
    }

    private static Server tcpServer(Path dir, int port) throws SQLException {
        return Server.createTcpServer("-tcpPort", String.valueOf(port), "-baseDir", dir.toString(), "-tcpDaemon")
                .start();
    }

    /** The settings file of a database directory. */
    private record ServerFiles(Path dir, String password, int port) {

        /** Creates the directory, settings and database when missing; checks they belong together. */
        static ServerFiles prepare(Path dir) throws IOException {
            Files.createDirectories(dir);
            restrict(dir, "rwx------");
            Path file = dir.resolve(SETTINGS_FILE);
            boolean exists = Files.exists(dir.resolve(DATABASE + ".mv.db"));
            if (!Files.exists(file)) {
                if (exists) {
                    throw new IOException(dir + " holds a database but not its " + SETTINGS_FILE
                            + " (its password); remove the directory to start afresh");
                }
                new ServerFiles(dir, newPassword(), 0).save();
            }
            ServerFiles files = load(dir, file);
            if (!exists) {
                files.createDatabase();
            }
            return files;
        }

        private static ServerFiles load(Path dir, Path file) throws IOException {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(file)) {
                properties.load(in);
            }
            String password = properties.getProperty("password", "");
            if (password.isBlank()) {
                throw new IOException(file + " has no password");
            }
            try {
                return new ServerFiles(dir, password, Integer.parseInt(properties.getProperty("port", "0")));
            } catch (NumberFormatException e) {
                throw new IOException(file + " has a bad port: " + e.getMessage(), e);
            }
        }

        void savePort(int newPort) throws IOException {
            if (newPort != port) {
                new ServerFiles(dir, password, newPort).save();
            }
        }

        private void save() throws IOException {
            Properties properties = new Properties();
            properties.setProperty("user", USER);
            properties.setProperty("password", password);
            properties.setProperty("port", String.valueOf(port));
            Path temporary = dir.resolve(SETTINGS_FILE + ".new");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary);
            restrict(temporary, "rw-------");
            try (Writer out = Files.newBufferedWriter(temporary)) {
                properties.store(out, "the acts database: its user, password and last port; keep it with "
                        + DATABASE + ".mv.db");
            }
            Files.move(temporary, dir.resolve(SETTINGS_FILE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }

        /** Creates the database file with its owner (its user is the database's admin). */
        private void createDatabase() throws IOException {
            String url = "jdbc:h2:file:" + dir.resolve(DATABASE);
            try (Connection connection = DriverManager.getConnection(url, USER, password)) {
                connection.getMetaData(); // opening it creates it
            } catch (SQLException e) {
                throw new IOException("cannot create the database in " + dir + ": " + e.getMessage(), e);
            }
        }

        private static String newPassword() {
            byte[] secret = new byte[16];
            new SecureRandom().nextBytes(secret);
            return HexFormat.of().formatHex(secret);
        }

        private static void restrict(Path path, String permissions) throws IOException {
            try {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's own permissions apply
            }
        }
    }
}
