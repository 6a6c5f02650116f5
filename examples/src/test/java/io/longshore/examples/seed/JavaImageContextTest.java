package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaImageContextTest {

    @Test
    void lddOutputYieldsEveryAbsoluteLibraryPathIncludingTheLoader() {
        String ldd = """
                /opt/java/bin/java:
                \tlinux-vdso.so.1 (0x00007ffd)
                \tlibz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x00007f01)
                \tlibjli.so => /opt/java/lib/libjli.so (0x00007f02)
                \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f03)
                \t/lib64/ld-linux-x86-64.so.2 (0x00007f04)
                /opt/java/lib/libnet.so:
                \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f03)
                """;

        assertThat(JavaImageContext.libraries(ldd)).containsExactly("/lib/x86_64-linux-gnu/libz.so.1",
                "/opt/java/lib/libjli.so", "/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2");
    }

    @Test
    void theDockerfileStartsFromScratchAndRunsTheCommandOnTheImagesClassPath() {
        String dockerfile = JavaImageContext.dockerfile(List.of("/app/0-a.jar", "/app/1-classes"),
                List.of("-Xmx96m", "-cp", "{classpath}", "io.longshore.examples.acts.ActsMain"));

        assertThat(dockerfile).startsWith("FROM scratch\n").contains("COPY rootfs/ /")
                .contains("ENTRYPOINT [\"/opt/java/bin/java\", \"-Xmx96m\", \"-cp\", "
                        + "\"/app/0-a.jar:/app/1-classes\", \"io.longshore.examples.acts.ActsMain\"]");
    }

    @Test
    void aManifestClassPathIsExpandedRelativeToItsJar(@TempDir Path dir) throws IOException {
        Path booter = dir.resolve("booter.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, "lib/a.jar classes/ " + dir.toUri() + "b.jar");
        try (OutputStream out = Files.newOutputStream(booter);
             JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }

        assertThat(JavaImageContext.expand(List.of(booter, dir.resolve("plain-dir")))).containsExactly(
                booter, dir.resolve("lib/a.jar"), dir.resolve("classes"), dir.resolve("b.jar"),
                dir.resolve("plain-dir"));
    }
}
