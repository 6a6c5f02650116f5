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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
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

    private final Path directory;

    ProcessRecords(Path directory) {
        this.directory = directory;
    }

    /** Creates the directory; throws {@link UncheckedIOException} naming it when it cannot be used. */
    void prepare() {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the process state directory " + directory + ": " + e, e);
        }
        if (!Files.isWritable(directory)) {
            throw new UncheckedIOException(new IOException("the process state directory " + directory
                    + " is not writable"));
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
