package io.longshore.jetty.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.longshore.jetty.Tls;
import java.net.URL;
import java.net.URLClassLoader;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** Which engines each {@link Tls.Provider} gives, with Conscrypt on the class path and without it. */
class TlsProvidersTest {
    private final ClassLoader withConscrypt = TlsProvidersTest.class.getClassLoader();
    /** A loader that sees only the JDK: Conscrypt is not there. */
    private final ClassLoader withoutConscrypt = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader());

    @Test
    void autoTakesConscryptWhenItIsThereAndItsEnginesComputeTheHandshakeInTheirCalls() throws Exception {
        TlsProviders.Resolved resolved = TlsProviders.resolve(Tls.Provider.AUTO, withConscrypt);

        assertThat(resolved.name()).startsWith("Conscrypt ");
        assertThat(resolved.computesInEngineCalls()).isTrue();
        SSLContext context = SSLContext.getInstance("TLS", resolved.provider().orElseThrow());
        context.init(null, null, null);
        assertThat(context.createSSLEngine().getClass().getName()).startsWith("org.conscrypt.");
    }

    @Test
    void autoFallsBackToTheJdkWithoutConscrypt() {
        TlsProviders.Resolved resolved = TlsProviders.resolve(Tls.Provider.AUTO, withoutConscrypt);

        assertThat(resolved.provider()).isEmpty();
        assertThat(resolved.name()).startsWith("JDK ");
        assertThat(resolved.computesInEngineCalls()).isFalse();
    }

    @Test
    void jdkIsTheJdksEvenWithConscryptThere() {
        assertThat(TlsProviders.resolve(Tls.Provider.JDK, withConscrypt).provider()).isEmpty();
    }

    @Test
    void conscryptAskedForButMissingSaysWhichDependencyToAdd() {
        assertThatThrownBy(() -> TlsProviders.resolve(Tls.Provider.CONSCRYPT, withoutConscrypt))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("org.conscrypt:conscrypt-openjdk-uber");
    }

    @Test
    void conscryptAskedForAndThereIsConscrypt() {
        assertThat(TlsProviders.resolve(Tls.Provider.CONSCRYPT, withConscrypt).name()).startsWith("Conscrypt ");
    }
}
