package io.longshore.core;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state directory of process runtimes: one {@code <id>.properties} file per recorded replica.
 * A record is written to a temporary file in the same directory and then moved over its name
 * atomically, so a reader (in any JVM) sees either the old or the new record, never half of one.
 * A record that cannot be read is renamed to {@code <name>.broken} and skipped. Thread-safe
 * (every operation is one file-system call or an atomic move).
 */
final class ProcessRecords {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);
    private static final String SUFFIX = ".properties";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path directory;

    ProcessRecords(Path directory) {
        this.directory = directory;
    }

    /**
     * Creates the directory (only its owner may enter one it creates) and checks that it is this
     * user's own: its records name processes the runtime adopts and stops, so a directory another
     * user made first in a shared {@code /tmp}, or one others may write to, would let them have
     * this user's processes stopped. Throws {@link UncheckedIOException} naming it when it cannot
     * be used. On a file system without POSIX attributes only writability is checked.
     */
    void prepare() {
        try {
            if (!Files.exists(directory) && supportsPosix()) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createDirectories(directory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the process state directory " + directory + ": " + e, e);
        }
        if (!Files.isWritable(directory)) {
            throw new UncheckedIOException(new IOException("the process state directory " + directory
                    + " is not writable"));
        }
        checkPrivate();
    }

    private boolean supportsPosix() {
        return directory.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private void checkPrivate() {
        PosixFileAttributeView view = Files.getFileAttributeView(directory, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        try {
            PosixFileAttributes attributes = view.readAttributes();
            UserPrincipal me = directory.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
            String problem = !attributes.owner().equals(me) ? "is owned by " + attributes.owner().getName()
                    + ", not by " + me.getName()
                    : attributes.permissions().contains(PosixFilePermission.GROUP_WRITE)
                            || attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE)
                    ? "may be written by other users (" + PosixFilePermissions.toString(attributes.permissions()) + ")"
                    : null;
            if (problem != null) {
                throw new UncheckedIOException(new IOException("the process state directory " + directory + " "
                        + problem + "; its records name processes this runtime adopts and stops, so it must be "
                        + "this user's own (chmod 700 it, or choose another with stateDirectory(...))"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check the owner of the process state directory " + directory
                    + ": " + e, e);
        }
    }

    Path directory() {
        return directory;
    }

    /** Writes (or replaces) the record of {@code record.id()} atomically. */
    void write(ProcessRecord record) throws IOException {
        Path temporary = Files.createTempFile(directory, "." + record.id() + "-", ".tmp");
        try {
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                record.toProperties().store(writer, "Longshore process replica (managed by ProcessRuntime)");
            }
            Files.move(temporary, fileOf(record.id()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Deletes the record of {@code id}, if there is one; a failure is logged. */
    void delete(String id) {
        try {
            Files.deleteIfExists(fileOf(id));
        } catch (IOException e) {
            LOG.warn("cannot delete the process record {}", fileOf(id), e);
        }
    }

    /** Every readable record; unreadable ones are set aside as {@code .broken}. */
    List<ProcessRecord> readAll() {
        List<ProcessRecord> records = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                read(file).ifPresent(records::add);
            }
        } catch (IOException e) {
            LOG.warn("cannot read the process state directory {}", directory, e);
        }
        return records;
    }

    private Optional<ProcessRecord> read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
            return Optional.of(ProcessRecord.fromProperties(properties));
        } catch (NoSuchFileException deletedMeanwhile) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            setAside(file, e);
            return Optional.empty();
        }
    }

    private static void setAside(Path file, Exception cause) {
        Path broken = file.resolveSibling(file.getFileName() + ".broken");
        LOG.warn("process record {} cannot be read ({}); moved to {}", file, cause.getMessage(), broken);
        try {
            Files.move(file, broken, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("cannot move {} aside", file, e);
        }
    }

    private Path fileOf(String id) {
        return directory.resolve(ProcessLogFiles.safe(id) + SUFFIX);
    }
}
