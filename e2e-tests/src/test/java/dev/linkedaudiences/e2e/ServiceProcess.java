package dev.linkedaudiences.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One packaged service ({@code target/quarkus-app}) started as its own JVM, as an operator would run it. */
final class ServiceProcess implements AutoCloseable {
    final String name;
    final int port;
    /** The management interface's port: health, metrics and OpenAPI are there, not on {@link #port}. */
    final int managementPort;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, int port, int managementPort, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
        this.log = log;
    }

    /** The JVM options of a service started without its own: a heap as the chart limits it. */
    static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx256m");

    static ServiceProcess start(Path repoRoot, String name, Map<String, String> config) {
        return start(repoRoot, name, config, DEFAULT_JVM_OPTIONS);
    }

    /** @param jvmOptions the JVM's options before the configuration (heap size, flags) */
    static ServiceProcess start(Path repoRoot, String name, Map<String, String> config, List<String> jvmOptions) {
        try {
            return start(repoRoot, name, config, jvmOptions, freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param port the API port, chosen beforehand ({@link #freePort()}) when another service must be told it before
     *             this one starts
     */
    static ServiceProcess start(Path repoRoot, String name, Map<String, String> config, List<String> jvmOptions, int port) {
        Path jar = repoRoot.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: the module must be packaged before the end-to-end test");
        }
        try {
            int managementPort = freePort();
            List<String> command = new ArrayList<>(List.of("java"));
            command.addAll(jvmOptions);
            command.add("-Dquarkus.http.port=" + port);
            command.add("-Dquarkus.management.port=" + managementPort);
            config.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.addAll(List.of("-jar", jar.toString()));
            // One log per process: two instances of a service must not write over each other's.
            Path log = Files.createDirectories(repoRoot.resolve("e2e-tests/target/service-logs")).resolve(name + "-" + port + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            // The keys that seal destination secrets (docs/adr/0008): the same throwaway key for every service of a test.
            builder.environment().putIfAbsent("SECRETS_KEYS", "e2e:ZTJlLXRlc3RzIHRocm93YXdheSBrZXkgMzIgYnl0ZXM=");
            Process process = builder.start();
            return new ServiceProcess(name, port, managementPort, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The configuration every service takes in these tests: its own database, the warehouse (for those that read
     * it; null for the others), the local broker with a topic prefix, and the test key for JWTs.
     */
    static Map<String, String> serviceConfig(String database, String warehouse, String topicPrefix, Map<String, String> extra) {
        Map<String, String> config = new java.util.LinkedHashMap<>(extra);
        config.put("quarkus.datasource.jdbc.url", dev.linkedaudiences.testsupport.LocalPostgres.jdbcUrl(database));
        config.put("quarkus.datasource.reactive.url", dev.linkedaudiences.testsupport.LocalPostgres.reactiveUrl(database));
        if (warehouse != null) {
            // compute-service's warehouse gateway (WarehouseSettings)
            config.put("warehouse.jdbc-url", dev.linkedaudiences.testsupport.LocalPostgres.jdbcUrl(warehouse));
            config.put("warehouse.user", dev.linkedaudiences.testsupport.LocalPostgres.USER);
            config.put("warehouse.password", dev.linkedaudiences.testsupport.LocalPostgres.PASSWORD);
        }
        config.put("kafka.bootstrap.servers", dev.linkedaudiences.testsupport.LocalKafka.BOOTSTRAP);
        config.put("la.topic-prefix", topicPrefix);
        config.put("mp.jwt.verify.publickey.location", dev.linkedaudiences.testsupport.TestKeys.publicKeyFile().toString());
        return config;
    }

    /** The operating system's id of the process (to read its memory from /proc). */
    long pid() {
        return process.pid();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Where /q/health, /q/metrics and /q/openapi answer. */
    String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited; see " + log);
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(managementUrl() + "/q/health/ready").toURL().openConnection();
                c.setConnectTimeout(500);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            try {
                Thread.sleep(250); // polling a child process's port; nothing to await on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; see " + log);
    }

    /** A port nothing listens on now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Ends the process at once (SIGKILL): no shutdown hooks, no goodbye to the broker or the database. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the process as an operator would (SIGTERM: a graceful shutdown), forcibly after 20 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
