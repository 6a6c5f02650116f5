package io.longshore.jetty.internal.tls;

import io.longshore.jetty.Tls;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.ssl.X509;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's TLS: the certificates of a {@link Tls} loaded into one in-memory key store
 * behind Jetty's {@link SslContextFactory.Server} (TLS 1.2 and 1.3, its default cipher suites),
 * the certificate chosen by SNI name (the first given when no name matches), ALPN answered with
 * {@code h2} when HTTP/2 is on and the client offers it, else {@code http/1.1}, the files checked every reload interval and loaded again when they changed
 * (new handshakes get the new certificate; open connections keep theirs; a file that does not
 * load, or a key store no context can be made of, leaves the current certificates in place), and
 * handshakes counted. Each load is a context factory of its own with the aliases of its own key
 * store, swapped in whole once it has started, so SNI never weighs one load's certificates by
 * another's aliases. The engines come from the {@link Tls.Provider provider} resolved at start
 * ({@link TlsProviders}). Thread-safe.
 */
public final class TlsTerminator {
    /** The application protocol every client may speak. */
    public static final String HTTP_1_1 = "http/1.1";
    /** HTTP/2's, chosen first when HTTP/2 is on. */
    public static final String H2 = "h2";
    private static final Logger LOG = LoggerFactory.getLogger(TlsTerminator.class);
    private static final String STORE_PASSWORD = "longshore-in-memory";

    private final Tls config;
    private final boolean http2;
    private final TlsProviders.Resolved provider;
    /** The factory of the certificates last loaded; replaced whole by a reload that succeeds. */
    private volatile SslContextFactory.Server factory;
    private final LongAdder handshakes = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder reloads = new LongAdder();
    private Map<Path, String> stamps = Map.of();
    private Scheduler scheduler;
    private volatile boolean stopped;
    /** The gateway's own handshake pool, when the config names no executor; made at start. */
    private ExecutorService ownPool;
    private volatile Executor handshakeTasks;

    /**
     * @param http2 whether ALPN offers {@code h2} (before {@code http/1.1})
     * @throws IllegalStateException when {@link Tls.Provider#CONSCRYPT} is asked for and cannot be had
     */
    public TlsTerminator(Tls config, boolean http2) {
        this(config, http2, TlsProviders.resolve(config.provider(), TlsTerminator.class.getClassLoader()));
    }

    /** With the provider already resolved (tests give one of their own). */
    TlsTerminator(Tls config, boolean http2, TlsProviders.Resolved provider) {
        this.config = config;
        this.http2 = http2;
        this.provider = provider;
    }

    public Tls config() {
        return config;
    }

    /** Loads the certificates (failing with the file at fault) and starts checking them for changes. */
    public synchronized void start(Scheduler timer) throws Exception {
        stamps = stamps();
        factory = newFactory();
        handshakeTasks = config.handshakeExecutor().orElseGet(() -> ownPool = newHandshakePool());
        this.scheduler = timer;
        LOG.info("TLS terminated by {} ({} asked for)", provider.name(), config.provider());
        scheduleCheck();
    }

    public synchronized void stop() {
        stopped = true;
        if (ownPool != null) {
            ownPool.shutdownNow();
            ownPool = null;
        }
        try {
            if (factory != null) {
                factory.stop();
            }
        } catch (Exception e) {
            LOG.debug("stopping the TLS context failed", e);
        }
    }

    /**
     * A server engine for a client at {@code peer}, answering ALPN with h2 when HTTP/2 is on and
     * the client offers it, else with http/1.1 when offered (a client that offers neither
     * gets no ALPN answer and speaks HTTP/1.1).
     */
    public SSLEngine newEngine(InetSocketAddress peer) {
        SslContextFactory.Server current = factory;
        SSLEngine engine = peer == null ? current.newSSLEngine() : current.newSSLEngine(peer);
        engine.setUseClientMode(false);
        engine.setHandshakeApplicationProtocolSelector((e, offered) ->
                http2 && offered.contains(H2) ? H2 : offered.contains(HTTP_1_1) ? HTTP_1_1 : null);
        return engine;
    }

    /** The implementation in use, as {@code "Conscrypt 2.9.0"} or {@code "JDK 17.0.17"}. */
    public String providerName() {
        return provider.name();
    }

    /**
     * Whether the engines compute a handshake inside their unwrap calls (Conscrypt) rather than
     * in delegated tasks (the JDK): then the unwrap that takes the client's hello runs on
     * {@link #handshakeTasks()}.
     */
    public boolean handshakeStepsOffLoop() {
        return provider.computesInEngineCalls();
    }

    /**
     * Where the delegated tasks of handshakes run: the configured executor or the gateway's own
     * pool. Set by {@link #start}.
     */
    public Executor handshakeTasks() {
        return handshakeTasks;
    }

    /** A connection's handshake completed. */
    public void handshakeSucceeded() {
        handshakes.increment();
    }

    /** A connection's handshake failed (and the connection is closed). */
    public void handshakeFailed(Throwable failure) {
        failures.increment();
        LOG.debug("TLS handshake failed: {}", failure.toString());
    }

    /** Daemon threads, one per processor, that end after a minute without a handshake. */
    private static ExecutorService newHandshakePool() {
        int threads = Runtime.getRuntime().availableProcessors();
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "longshore-tls-handshake-" + count.getAndIncrement());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    public long handshakes() {
        return handshakes.sum();
    }

    public long handshakeFailures() {
        return failures.sum();
    }

    public long reloads() {
        return reloads.sum();
    }

    /**
     * Loads the files again if any changed since the last load; keeps the current certificates when
     * they fail to load or no context can be made of them. The factory replaced is not stopped: an
     * engine may still be being made of it, and engines made keep their own context.
     */
    public synchronized void checkForChanges() {
        if (stopped) {
            return;
        }
        try {
            Map<Path, String> now = stamps();
            if (now.equals(stamps)) {
                return;
            }
            factory = newFactory();
            stamps = now;
            reloads.increment();
            LOG.info("TLS certificates loaded again from {}", config.sources());
        } catch (Exception e) {
            LOG.warn("TLS certificates changed but could not be loaded; keeping the current ones: {}", e.toString());
        }
    }

    private void scheduleCheck() {
        if (!stopped && scheduler != null) {
            scheduler.schedule(() -> {
                checkForChanges();
                scheduleCheck();
            }, config.reloadInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private Map<Path, String> stamps() throws IOException {
        Map<Path, String> stamp = new HashMap<>();
        for (Tls.Source source : config.sources()) {
            for (Path file : source.files()) {
                stamp.put(file, Files.getLastModifiedTime(file).toMillis() + "/" + Files.size(file));
            }
        }
        return stamp;
    }

    /**
     * A started context factory of the certificates as the files hold them now, choosing by SNI
     * among its own key store's aliases; throws when they cannot be loaded.
     */
    private SslContextFactory.Server newFactory() throws Exception {
        List<String> aliases = new ArrayList<>();
        SslContextFactory.Server made = new SslContextFactory.Server() {
            @Override
            protected SSLContext getSSLContextInstance() throws NoSuchAlgorithmException {
                Optional<Provider> chosen = provider.provider();
                return chosen.isPresent() ? SSLContext.getInstance(getProtocol(), chosen.get())
                        : super.getSSLContextInstance();
            }
        };
        made.setKeyStore(load(aliases));
        made.setKeyStorePassword(STORE_PASSWORD);
        made.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        List<String> order = List.copyOf(aliases);
        made.setSNISelector((keyType, issuers, session, sniHost, certificates) -> select(order, sniHost, certificates));
        made.setRenegotiationAllowed(false);
        made.start();
        return made;
    }

    /** One key store holding every certificate, their aliases added to {@code order} in the order given. */
    private KeyStore load(List<String> order) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int n = 0;
        for (Tls.Source source : config.sources()) {
            if (source.keyStore() == null) {
                String alias = "cert-" + n++;
                PrivateKey key = PemFiles.privateKey(source.privateKey());
                List<Certificate> chain = PemFiles.certificates(source.certificateChain());
                if (!KeyMatch.matches(key, chain.get(0))) {
                    throw new GeneralSecurityException(source.privateKey() + " does not hold the private key of the"
                            + " certificate in " + source.certificateChain() + " (one of the two still being replaced?)");
                }
                store.setKeyEntry(alias, key, STORE_PASSWORD.toCharArray(), chain.toArray(new Certificate[0]));
                order.add(alias);
            } else {
                for (String alias : keyStoreEntries(source, store, n++)) {
                    order.add(alias);
                }
            }
        }
        return store;
    }

    private static List<String> keyStoreEntries(Tls.Source source, KeyStore into, int n)
            throws IOException, GeneralSecurityException {
        KeyStore given = KeyStore.getInstance("PKCS12");
        char[] password = source.keyStorePassword().toCharArray();
        try (InputStream in = Files.newInputStream(source.keyStore())) {
            given.load(in, password);
        } catch (IOException e) {
            throw new IOException(source.keyStore() + " is not a PKCS12 key store or its password is wrong: "
                    + e.getMessage(), e);
        }
        List<String> added = new ArrayList<>();
        for (String alias : Collections.list(given.aliases())) {
            if (given.isKeyEntry(alias)) {
                Key key = given.getKey(alias, password);
                String name = "store-" + n + "-" + alias;
                into.setKeyEntry(name, key, STORE_PASSWORD.toCharArray(), given.getCertificateChain(alias));
                added.add(name);
            }
        }
        if (added.isEmpty()) {
            throw new IOException(source.keyStore() + " holds no private key entry");
        }
        return added;
    }

    /**
     * The certificate for {@code sniHost} among {@code certificates} (one key store's, {@code order}
     * its aliases as given): the first given whose names match, else the first given of the key type.
     */
    private static String select(List<String> order, String sniHost, Collection<X509> certificates) {
        if (sniHost != null) {
            for (String alias : order) {
                for (X509 certificate : certificates) {
                    if (certificate.getAlias().equals(alias) && certificate.matches(sniHost)) {
                        return alias;
                    }
                }
            }
        }
        for (String alias : order) {
            for (X509 certificate : certificates) {
                if (certificate.getAlias().equals(alias)) {
                    return alias;
                }
            }
        }
        return certificates.isEmpty() ? null : certificates.iterator().next().getAlias();
    }
}
