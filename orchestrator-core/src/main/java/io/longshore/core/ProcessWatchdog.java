package io.longshore.core;

import io.longshore.api.ContainerRuntimeException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The guard of a {@link OrphanPolicy#DIE_WITH_PARENT} replica: a POSIX shell, started by this JVM
 * with a pipe on its stdin, that starts the replica and then reads the pipe until it closes.
 *
 * <ul>
 *   <li>The replica runs as {@code setsid setpriv --pdeathsig KILL -- <command>}: the leader of its
 *       own process group (so the whole group can be signalled), with the kernel's promise to
 *       SIGKILL it when its parent, the shell, dies, even by SIGKILL.</li>
 *   <li>The shell prints the replica's pid on stdout, then blocks reading stdin. The pipe closes
 *       when this JVM dies, however it dies (the kernel closes its descriptors), or when the runtime
 *       closes it (after the replica exited or was stopped). Then the shell sends SIGTERM to the
 *       replica's group, waits up to {@link #TERM_GRACE} for the replica, SIGKILLs the group,
 *       reaps the replica and exits with its exit code.</li>
 *   <li>The shell leaves the replica's exit to the runtime: it installs no traps, so nothing but
 *       the closing pipe ends its read, on every POSIX shell.</li>
 * </ul>
 * Immutable; thread-safe.
 */
final class ProcessWatchdog {
    /** How long the watchdog lets a replica stop after SIGTERM once its JVM is gone. */
    static final Duration TERM_GRACE = Duration.ofMillis(400);
    /** Argument zero of every watchdog shell, so that {@code ps} shows what it is. */
    static final String NAME = "longshore-watchdog";
    private static final List<String> TOOLS = List.of("sh", "setsid", "setpriv", "sleep");
    private static final String SCRIPT = """
            setsid=$1 setpriv=$2 sleep=$3
            shift 3
            "$setsid" "$setpriv" --pdeathsig KILL -- "$@" </dev/null 1>&2 &
            r=$!
            echo "$r"
            exec 1>&2
            while read -r line; do :; done
            look() {
              stat=
              { read -r stat < "/proc/$r/stat"; } 2>/dev/null
              case "${stat##*) }" in
                '') st=gone ;;
                Z*|X*|x*) st=exited ;;
                *) st=running ;;
              esac
            }
            look
            if [ "$st" = running ]; then
              kill -TERM -"$r" 2>/dev/null || kill -TERM "$r" 2>/dev/null
              i=0
              while [ "$i" -lt 4 ]; do
                look
                [ "$st" = running ] || break
                "$sleep" 0.1
                i=$((i + 1))
              done
            fi
            kill -KILL -"$r" 2>/dev/null || { look; [ "$st" = running ] && kill -KILL "$r" 2>/dev/null; }
            wait "$r"
            """;

    private final List<String> prefix;

    private ProcessWatchdog(Path sh, Path setsid, Path setpriv, Path sleep) {
        this.prefix = List.of(sh.toString(), "-c", SCRIPT, NAME, setsid.toString(), setpriv.toString(), sleep.toString());
    }

    /**
     * Finds the tools along this JVM's {@code PATH} and checks that {@code setpriv} knows
     * {@code --pdeathsig}; throws {@link IllegalStateException} saying what is missing.
     */
    static ProcessWatchdog locate() {
        String path = System.getenv("PATH");
        List<Path> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String tool : TOOLS) {
            Executables.find(tool, path, null).ifPresentOrElse(found::add, () -> missing.add(tool));
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("orphans(DIE_WITH_PARENT) needs " + TOOLS + " on the PATH (setsid and"
                    + " setpriv come with util-linux); missing: " + missing + "; PATH=" + path);
        }
        ProcessWatchdog watchdog = new ProcessWatchdog(found.get(0), found.get(1), found.get(2), found.get(3));
        watchdog.checkPdeathsig(found.get(2), found.get(0));
        return watchdog;
    }

    private void checkPdeathsig(Path setpriv, Path sh) {
        try {
            Process probe = new ProcessBuilder(setpriv.toString(), "--pdeathsig", "KILL", "--", sh.toString(), "-c", ":")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!probe.waitFor(10, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                throw new IllegalStateException(setpriv + " --pdeathsig did not return within 10 s");
            }
            if (probe.exitValue() != 0) {
                throw new IllegalStateException(setpriv + " does not support --pdeathsig (util-linux 2.33 or later"
                        + " is needed for orphans(DIE_WITH_PARENT)); exit code " + probe.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + setpriv + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking " + setpriv, e);
        }
    }

    /** The command line that runs {@code command} under a watchdog. */
    List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(prefix);
        wrapped.addAll(command);
        return wrapped;
    }

    /** Reads the replica's pid, the first line the watchdog prints; then closes its stdout. */
    static long replicaPid(Process watchdog, String service) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(watchdog.getInputStream(),
                StandardCharsets.US_ASCII))) {
            String line = reader.readLine();
            if (line == null) {
                throw new ContainerRuntimeException("the watchdog of service '" + service + "' (pid " + watchdog.pid()
                        + ") ended before starting the replica; see the replica's log");
            }
            return Long.parseLong(line.trim());
        } catch (IOException | NumberFormatException e) {
            throw new ContainerRuntimeException("cannot read the replica pid from the watchdog of service '" + service
                    + "': " + e.getMessage(), e);
        }
    }
}
