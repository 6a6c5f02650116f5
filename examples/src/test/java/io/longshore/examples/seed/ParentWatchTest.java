package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParentWatchTest {
    private final CountDownLatch gone = new CountDownLatch(1);

    @Test
    void theCallbackRunsOnceTheParentsPipeClosesAndNotBefore() throws Exception {
        PipedOutputStream parent = new PipedOutputStream();
        PipedInputStream pipe = new PipedInputStream(parent);
        Thread watch = ParentWatch.start(pipe, gone::countDown);

        parent.write("ignored".getBytes());
        parent.flush();
        await("the watch has read what the parent wrote").atMost(Duration.ofSeconds(10))
                .until(() -> pipe.available() == 0);
        assertThat(gone.getCount()).as("the parent is still there").isOne();
        assertThat(watch.isDaemon()).isTrue();
        parent.close();

        assertThat(gone.await(10, TimeUnit.SECONDS)).isTrue();
        watch.join(Duration.ofSeconds(10).toMillis());
        assertThat(watch.isAlive()).isFalse();
    }

    @Test
    void aBrokenPipeCountsAsAGoneParent() throws Exception {
        PipedInputStream broken = new PipedInputStream() {
            @Override
            public synchronized int read(byte[] b, int off, int len) throws IOException {
                throw new IOException("Broken pipe");
            }
        };

        ParentWatch.start(broken, gone::countDown);

        assertThat(gone.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
