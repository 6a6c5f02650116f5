package io.longshore.docker;

import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.longshore.api.ContainerRuntimeException;
import io.longshore.api.ContainerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The test workload image: {@code FROM scratch} with a static busybox and two shell scripts,
 * about 2 MB, built locally (no registry). It serves on {@code $HOST:$PORT} (127.0.0.1 with host
 * networking):
 * <ul>
 *   <li>{@code GET /api/v1/_health}: 200 {@code ok}, or 500 {@code crashed} after
 *       {@code POST /api/v1/_crash};</li>
 *   <li>{@code POST /api/v1/_hang}: every later request is accepted and never answered;</li>
 *   <li>{@code GET /api/v1/_count}: requests served, not counting {@code _health} and {@code _count};</li>
 *   <li>anything else: 200 {@code replica <REPLICA> <METHOD> <PATH>}.</li>
 * </ul>
 * Every response carries {@code X-Replica} ({@code $REPLICA}, by default the port) and
 * {@code X-Version} ({@code $WORKLOAD_VERSION}, by default {@code v1}). Given a command, the image runs
 * it instead (busybox applets are on the {@code PATH}), e.g. {@code sh -c 'while :; do :; done'}.
 * {@link #ensureVersion} builds tags of it that answer with another version, to roll out a new tag.
 *
 * <p>The Dockerfile and scripts are resources of this module; the busybox binary is copied from
 * the host ({@value #DEFAULT_BUSYBOX}, Debian's {@code busybox-static}) at build time. The image
 * carries a hash of the resources as {@value #HASH_LABEL}, so {@link #ensure} rebuilds a stale one.
 * Stateless; safe to call from several threads (concurrent builds produce the same image).
 */
public final class BusyboxWorkloadImage {
    /** The image's tag. */
    public static final String TAG = "longshore/busybox-workload:test";
    /** Where the static busybox is taken from unless told otherwise. */
    public static final String DEFAULT_BUSYBOX = "/bin/busybox";
    /** Image label with the hash of the Dockerfile and scripts it was built from. */
    public static final String HASH_LABEL = "io.longshore.workload.hash";

    /** The repository of {@link #TAG} and of the version tags. */
    public static final String REPOSITORY = "longshore/busybox-workload";

    private static final String RESOURCES = "busybox-workload/";
    private static final List<String> FILES = List.of("Dockerfile", "workload.sh", "handler.sh");
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(2);

    private BusyboxWorkloadImage() {
    }

    /** Builds {@link #TAG} from {@value #DEFAULT_BUSYBOX} unless an up-to-date one is present; returns the tag. */
    public static String ensure(DockerRuntime runtime) {
        return ensure(runtime, Path.of(DEFAULT_BUSYBOX));
    }

    /** Builds {@link #TAG} from {@code busybox} (a static binary) unless an up-to-date one is present. */
    public static String ensure(DockerRuntime runtime, Path busybox) {
        if (!isUpToDate(runtime)) {
            build(runtime, busybox);
        }
        return TAG;
    }

    /** Builds {@link #TAG} now, replacing any image of that tag; returns the tag. */
    public static String build(DockerRuntime runtime, Path busybox) {
        if (!Files.isRegularFile(busybox)) {
            throw new ContainerRuntimeException("cannot build " + TAG + ": no static busybox at " + busybox
                    + " (install Debian's busybox-static, or pass its path)");
        }
        Path context = null;
        try {
            context = Files.createTempDirectory("longshore-busybox-workload");
            writeContext(context, busybox);
            buildFrom(runtime, context, TAG, resourceHash());
            return TAG;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the build context of " + TAG, e);
        } finally {
            deleteQuietly(context);
        }
    }

    /**
     * Builds {@code longshore/busybox-workload:<version>} unless an up-to-date one is present: the
     * workload image ({@link #ensure ensured} first) with {@code WORKLOAD_VERSION=<version>}, so
     * that its replicas answer {@code X-Version: <version>} — two such tags are two versions of one
     * service to roll out. {@code version} is a tag: letters, digits, {@code .}, {@code _}, {@code -}.
     * Returns the tag.
     */
    public static String ensureVersion(DockerRuntime runtime, String version) {
        if (version == null || !version.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw new IllegalArgumentException("version must be an image tag (letters, digits, '.', '_', '-'), was '"
                    + version + "'");
        }
        ensure(runtime);
        String tag = REPOSITORY + ":" + version;
        String hash = resourceHash() + "/" + version;
        if (hash.equals(labelOf(runtime, tag))) {
            return tag;
        }
        Path context = null;
        try {
            context = Files.createTempDirectory("longshore-busybox-workload-" + version);
            Files.writeString(context.resolve("Dockerfile"), "FROM " + TAG + "\nENV WORKLOAD_VERSION=" + version + "\n");
            buildFrom(runtime, context, tag, hash);
            return tag;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the build context of " + tag, e);
        } finally {
            deleteQuietly(context);
        }
    }

    private static void buildFrom(DockerRuntime runtime, Path context, String tag, String hash) {
        String imageId;
        try {
            imageId = runtime.client().buildImageCmd(context.resolve("Dockerfile").toFile())
                    .withBaseDirectory(context.toFile())
                    .withTags(Set.of(tag))
                    .withLabels(Map.of(HASH_LABEL, hash))
                    .withNetworkMode("none")
                    .withPull(false)
                    .withRemove(true)
                    .exec(new BuildImageResultCallback())
                    .awaitImageId(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            throw new ContainerRuntimeException("cannot build " + tag + ": " + e.getMessage(), e);
        }
        if (imageId == null || imageId.isBlank()) {
            throw new ContainerRuntimeException("building " + tag + " produced no image");
        }
    }

    /** A spec running this image with host networking, never pulled, with a short stop grace. */
    public static ContainerSpec.Builder spec(String service) {
        return ContainerSpec.builder(service).image(TAG).pullPolicy(ContainerSpec.PullPolicy.NEVER)
                .network(ContainerSpec.NetworkMode.HOST).stopGrace(Duration.ofSeconds(2));
    }

    private static boolean isUpToDate(DockerRuntime runtime) {
        return resourceHash().equals(labelOf(runtime, TAG));
    }

    /** The {@link #HASH_LABEL} of image {@code tag}, or null when it is absent or has none. */
    private static String labelOf(DockerRuntime runtime, String tag) {
        try {
            InspectImageResponse image = runtime.client().inspectImageCmd(tag).exec();
            Map<String, String> labels = image.getConfig() == null ? null : image.getConfig().getLabels();
            return labels == null ? null : labels.get(HASH_LABEL);
        } catch (NotFoundException e) {
            return null;
        }
    }

    private static void writeContext(Path context, Path busybox) throws IOException {
        for (String file : FILES) {
            Files.write(context.resolve(file), resource(file));
        }
        Path copy = context.resolve("busybox");
        Files.copy(busybox, copy);
        if (!copy.toFile().setExecutable(true, false)) {
            throw new IOException("cannot make " + copy + " executable");
        }
    }

    /** SHA-256 of the Dockerfile and scripts, hex, 16 characters. */
    static String resourceHash() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String file : FILES) {
                digest.update(file.getBytes(StandardCharsets.UTF_8));
                digest.update(resource(file));
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static byte[] resource(String file) {
        try (InputStream in = BusyboxWorkloadImage.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCES + file + " is missing from orchestrator-docker");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + RESOURCES + file, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp directory left behind is harmless
        }
    }
}
