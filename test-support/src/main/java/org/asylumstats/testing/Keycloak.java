package org.asylumstats.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real Keycloak server from Maven Central ({@code org.keycloak:keycloak-quarkus-dist} zip), in
 * {@code start-dev} mode with an in-memory database and the project's realm imported with the
 * local demo users. Each instance gets its own unpacked copy so that instances never share state.
 */
public final class Keycloak implements AutoCloseable {

    public static final String VERSION = "26.7.3";
    public static final String REALM = "asylum-stats";
    /** Dev-only secret of the gateway's confidential client; production takes it from a Secret. */
    public static final String LOCAL_GATEWAY_SECRET = "local-dev-gateway-secret";

    private static Keycloak shared;

    private final Process process;
    private final int port;

    private Keycloak(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * The one Keycloak of this test JVM, started on first use and stopped when the JVM exits; started again
     * when a test has stopped it (an outage test), so the test classes after that one still have one.
     */
    public static synchronized Keycloak shared() {
        if (shared == null || !shared.process.isAlive()) {
            Path workDir;
            try {
                workDir = Files.createTempDirectory("keycloak-test");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            shared = start(freePort(), workDir, "http://localhost:8080");
            Keycloak started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                TemporaryFolders.delete(workDir);
            }, "keycloak-stop"));
        }
        return shared;
    }

    public static Keycloak start(int port, Path workDir, String publicUrl) {
        try {
            Path home = unpack(workDir);
            Path importDir = home.resolve("data/import");
            Files.createDirectories(importDir);
            Path realmDir = RepositoryFiles.resolve("deploy/keycloak");
            Files.writeString(importDir.resolve("asylum-stats-realm.json"), localRealm(realmDir.resolve("asylum-stats-realm-import.yaml")));
            Files.copy(realmDir.resolve("local-users/asylum-stats-users-0.json"), importDir.resolve("asylum-stats-users-0.json"), StandardCopyOption.REPLACE_EXISTING);

            List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-port=" + port, "--import-realm", "--db=dev-mem", "--cache=local",
                    "--hostname-strict=false"));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("keycloak.log").toFile());
            Map<String, String> env = builder.environment();
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx768m");
            env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "keycloak-admin");
            env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "keycloak-admin");
            env.put("ASYLUM_STATS_GATEWAY_CLIENT_SECRET", LOCAL_GATEWAY_SECRET);
            env.put("ASYLUM_STATS_PUBLIC_URL", publicUrl);
            env.put("ASYLUM_STATS_SSL_REQUIRED", "none");
            Keycloak keycloak = new Keycloak(builder.start(), port);
            keycloak.awaitReady(Duration.ofMinutes(3), workDir.resolve("keycloak.log"));
            return keycloak;
        } catch (IOException e) {
            throw new UncheckedIOException("Keycloak did not start", e);
        }
    }

    /**
     * The realm of the Kubernetes realm import (its production variant) with what only local use may have:
     * the CLI client's password grant, for scripts and tests that log in as the demo users, and no password
     * policy (the demo users' passwords are their names).
     */
    static String localRealm(Path realmImport) throws IOException {
        JsonNode realm = new ObjectMapper(new YAMLFactory()).readTree(realmImport.toFile()).path("spec").path("realm");
        if (!realm.isObject()) {
            throw new IllegalStateException(realmImport + " has no spec.realm");
        }
        ((ObjectNode) realm).remove("passwordPolicy");
        for (JsonNode client : realm.path("clients")) {
            if (client.path("clientId").asText().equals("asylum-stats-cli")) {
                ((ObjectNode) client).put("directAccessGrantsEnabled", true);
            }
        }
        return new ObjectMapper().writeValueAsString(realm);
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public String issuer() {
        return baseUrl() + "/realms/" + REALM;
    }

    public String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    private void awaitReady(Duration timeout, Path log) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + ", see " + log);
            }
            try {
                if (client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(500);
        }
        close();
        throw new IllegalStateException("Keycloak not ready within " + timeout + ", see " + log);
    }

    private static Path unpack(Path workDir) throws IOException {
        Path home = workDir.resolve("keycloak-" + VERSION);
        if (Files.exists(home.resolve("bin/kc.sh"))) {
            return home;
        }
        Path zip = distributionZip();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path target = workDir.resolve(entry.getName()).normalize();
                if (!target.startsWith(workDir)) {
                    throw new IOException("zip entry outside the target folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    if (entry.getName().endsWith(".sh")) {
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
            }
        }
        return home;
    }

    /** The zip in the local Maven repository; the build resolves it as a dependency of test-support. */
    static Path distributionZip() {
        String repo = System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        Path zip = Path.of(repo, "org/keycloak/keycloak-quarkus-dist", VERSION, "keycloak-quarkus-dist-" + VERSION + ".zip");
        if (!Files.exists(zip)) {
            throw new IllegalStateException("Keycloak distribution missing at " + zip + ": run the build (./mvnw install -DskipTests) first");
        }
        return zip;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops Keycloak (SIGTERM, then SIGKILL after 20 s). */
    @Override
    public void close() {
        process.toHandle().descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The local stack's Keycloak: {@code Keycloak <port> <work-dir> <public-url>}; stops on SIGTERM/Ctrl-C. */
    public static void main(String[] args) throws InterruptedException {
        Keycloak keycloak = start(Integer.parseInt(args[0]), Path.of(args[1]), args[2]);
        Runtime.getRuntime().addShutdownHook(new Thread(keycloak::close, "keycloak-stop"));
        System.out.println("Keycloak " + VERSION + " ready at " + keycloak.issuer());
        keycloak.process.waitFor();
    }

}
