package io.longshore.examples.seed;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.longshore.api.Clock;
import io.longshore.examples.acts.ActsMain;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acts service as a Docker image built on this machine without a registry:
 * {@value #TAG}, {@code FROM scratch} with a {@code jlink}ed copy of this JDK, the libraries it
 * links against and this JVM's class path (see {@link JavaImageContext}). The image carries a
 * hash of what it was built from, so {@link #ensure()} builds it once and reuses it until the
 * class path or the JDK changes, logging a line before a build and one with its duration after.
 * Linux with a JDK only. Stateless; each call opens and closes its own Docker client.
 */
final class LocalActsImage {
    /** The image's name; {@code --image longshore/acts:local} builds it when absent or stale. */
    static final String TAG = "longshore/acts:local";
    static final String HASH_LABEL = "io.longshore.image.hash";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(LocalActsImage.class);

    private LocalActsImage() {
    }

    /** Builds {@value #TAG} unless an up-to-date one is present; returns the tag. */
    static String ensure() {
        return ensure(Clock.system());
    }

    static String ensure(Clock clock) {
        List<Path> classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank()).map(Path::of).toList();
        List<String> command = command();
        try (DockerClient client = client()) {
            String hash = hash(JavaImageContext.expand(classPath), command);
            Optional<InspectImageResponse> built = inspect(client);
            if (!hash.equals(built.map(LocalActsImage::hashOf).orElse(""))) {
                LOG.info("building the Docker image {} of the acts service ({}; it is reused until the jar"
                        + " changes, the first build takes about a minute)", TAG, built.isPresent() ? "stale" : "absent");
                long started = clock.nanoTime();
                build(client, classPath, command, hash);
                LOG.info("built {} in {} s", TAG, String.format(Locale.ROOT, "%.1f",
                        (clock.nanoTime() - started) / 1e9));
                built.ifPresent(stale -> removeQuietly(client, stale.getId()));
            } else {
                LOG.info("using the Docker image {} of the acts service, built earlier", TAG);
            }
            return TAG;
        } catch (IOException e) {
            throw JavaImageContext.unchecked("cannot build " + TAG, e);
        }
    }

    /** The container's command after {@code java}; {@code {classpath}} stands for the image's class path. */
    static List<String> command() {
        List<String> command = new ArrayList<>(ActsCommand.JVM_FLAGS);
        command.addAll(List.of("-XX:-UsePerfData", "-cp", "{classpath}", ActsMain.class.getName()));
        return List.copyOf(command);
    }

    private static void build(DockerClient client, List<Path> classPath, List<String> command, String hash)
            throws IOException {
        Path context = Files.createTempDirectory("longshore-acts-image");
        try {
            JavaImageContext.write(context, classPath, command);
            String id = client.buildImageCmd(context.resolve("Dockerfile").toFile())
                    .withBaseDirectory(context.toFile())
                    .withTags(Set.of(TAG))
                    .withLabels(Map.of(HASH_LABEL, hash))
                    .withNetworkMode("none")
                    .withPull(false)
                    .withRemove(true)
                    .exec(new BuildImageResultCallback())
                    .awaitImageId(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (id == null || id.isBlank()) {
                throw new IOException("the build produced no image");
            }
        } finally {
            deleteTree(context);
        }
    }

    private static Optional<InspectImageResponse> inspect(DockerClient client) {
        try {
            return Optional.of(client.inspectImageCmd(TAG).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private static String hashOf(InspectImageResponse image) {
        Map<String, String> labels = image.getConfig() == null ? null : image.getConfig().getLabels();
        return labels == null ? "" : labels.getOrDefault(HASH_LABEL, "");
    }

    /** Removes the image a rebuild replaced, so rebuilds do not pile up untagged images. */
    private static void removeQuietly(DockerClient client, String imageId) {
        try {
            client.removeImageCmd(imageId).exec();
        } catch (RuntimeException e) {
            // still used by a container, or already gone: harmless
        }
    }

    /** SHA-256 of the JDK, modules, command and every class-path file's name, size and time. */
    static String hash(List<Path> classPath, List<String> command) throws IOException {
        MessageDigest digest = sha256();
        update(digest, System.getProperty("java.home") + System.getProperty("java.vm.version"));
        update(digest, String.join(",", JavaImageContext.MODULES) + String.join(" ", command));
        for (Path entry : classPath) {
            if (!Files.exists(entry)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(entry)) {
                for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                    if (Files.isRegularFile(file)) {
                        update(digest, file + ":" + Files.size(file) + ":" + Files.getLastModifiedTime(file));
                    }
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    }

    private static DockerClient client() {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withApiVersion("1.41").build();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .responseTimeout(BUILD_TIMEOUT)
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a temporary directory left behind is harmless
        }
    }
}
