package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.api.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state directory: records round-trip, replace each other atomically, and bad ones are set aside. */
class ProcessRecordsTest {
    @TempDir
    Path dir;

    private final ProcessRecord record = new ProcessRecord("pid-4242", new ProcessIdentity(4242, 99),
            Endpoint.loopback(8000), Map.of("io.longshore.service", "acts", "tier", "a=b c"), "abc123",
            Path.of("/tmp/acts-8000-pid-4242.log"), Instant.parse("2025-01-02T03:04:05.678Z"), OrphanPolicy.ADOPT,
            Optional.of(new ProcessIdentity(77, 5)));

    @Test
    void aRecordReadsBackAsItWasWritten() throws Exception {
        ProcessRecords records = new ProcessRecords(dir);

        records.write(record);

        assertThat(records.readAll()).containsExactly(record);
        assertThat(dir.resolve("pid-4242.properties")).exists();
    }

    @Test
    void aRewriteReplacesTheRecordAndLeavesNoTemporaryFile() throws Exception {
        ProcessRecords records = new ProcessRecords(dir);
        records.write(record);

        records.write(record.ownedBy(Optional.empty()));

        assertThat(records.readAll()).singleElement().satisfies(read -> assertThat(read.owner()).isEmpty());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("pid-4242.properties");
        }
    }

    @Test
    void deleteRemovesTheRecordAndDeletingTwiceIsFine() throws Exception {
        ProcessRecords records = new ProcessRecords(dir);
        records.write(record);

        records.delete(record.id());
        records.delete(record.id());

        assertThat(records.readAll()).isEmpty();
    }

    @Test
    void anUnreadableRecordIsSetAsideAndTheOthersAreRead() throws Exception {
        ProcessRecords records = new ProcessRecords(dir);
        records.write(record);
        Files.writeString(dir.resolve("pid-1.properties"), "id=pid-1\nprocess=nonsense\n");

        List<ProcessRecord> read = records.readAll();

        assertThat(read).containsExactly(record);
        assertThat(dir.resolve("pid-1.properties.broken")).exists();
        assertThat(dir.resolve("pid-1.properties")).doesNotExist();
    }

    @Test
    void aMissingFieldIsNamedInTheError() {
        Properties properties = record.toProperties();
        properties.remove("specHash");

        assertThatThrownBy(() -> ProcessRecord.fromProperties(properties)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("specHash");
    }

    @Test
    void aRecordMatchesTheSelectorsWhoseLabelsItCarries() {
        assertThat(record.matches(Map.of())).isTrue();
        assertThat(record.matches(Map.of("tier", "a=b c"))).isTrue();
        assertThat(record.matches(Map.of("tier", "other"))).isFalse();
    }
}
