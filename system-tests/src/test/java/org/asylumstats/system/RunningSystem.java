package org.asylumstats.system;

import org.asylumstats.testing.Keycloak;
import org.asylumstats.testing.Postgres;
import org.asylumstats.testing.RawUnhcrFile;
import org.asylumstats.testing.RepositoryFiles;
import org.asylumstats.testing.Tokens;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * The system as production runs it: PostgreSQL 17, Keycloak with the realm, and the three
 * services as separate JVM processes started from their built quarkus-app folders.
 */
final class RunningSystem implements AutoCloseable {

    /** The sample files of a release folder by the dataset path they are uploaded to: all five UNHCR datasets. */
    static final Map<String, String> FILES = Map.of(
            "population", "population.csv.gz", "asylum-applications", "asylum_applications.csv.gz",
            "asylum-decisions", "asylum_decisions.csv.gz", "demographics", "demographics.csv.gz", "solutions", "solutions.csv.gz");

    private final int postgresPort = Keycloak.freePort();
    private final Path postgresData;
    Postgres postgres;
    final Keycloak keycloak = Keycloak.shared();
    final int ingestPort = Keycloak.freePort();
    final int statsPort = Keycloak.freePort();
    final int gatewayPort = Keycloak.freePort();
    /** Health and metrics of each service: the management interface, apart from the public port. */
    private final Map<String, Integer> managementPorts = Map.of("ingest-service", Keycloak.freePort(),
            "stats-service", Keycloak.freePort(), "gateway", Keycloak.freePort());
    private final Map<String, Process> processes = new HashMap<>();
    private final Path logs;
    /** Environment every service gets on top of its own (e.g. the trace exporter's settings). */
    private final Map<String, String> extraEnv;

    RunningSystem() throws IOException {
        this(Map.of());
    }

    RunningSystem(Map<String, String> extraEnv) throws IOException {
        this.extraEnv = Map.copyOf(extraEnv);
        logs = Files.createDirectories(RepositoryFiles.resolve("system-tests/target/service-logs"));
        postgresData = Files.createTempDirectory("system-tests-postgres");
        postgres = Postgres.start(postgresPort, postgresData);
        start("ingest-service");
        awaitReady("ingest-service");
        start("stats-service");
        start("gateway");
        awaitReady("stats-service");
        awaitReady("gateway");
    }

    /** Stops PostgreSQL (fast shutdown: open transactions are rolled back), data kept. */
    void stopPostgres() {
        postgres.close();
    }

    /** Starts it again on the same port and data. */
    void startPostgres() {
        postgres = Postgres.start(postgresPort, postgresData);
    }

    String gateway() {
        return "http://localhost:" + gatewayPort;
    }

    String tokenEndpoint() {
        return keycloak.issuer() + "/protocol/openid-connect/token";
    }

    /** Mid-Year Trends 2023 as UNHCR published it: 2023 preliminary, and covered only to 30 June. */
    long midYear2023() {
        return submittedRelease("my2023", "Mid-Year Trends 2023", "2023-10-25", List.of(2023), Map.of(2023, "2023-06-30"));
    }

    /**
     * An analyst's release with the five files of a sample folder, uploaded and submitted through the gateway.
     *
     * @param periodEnds the end of each year the release covers only in part (its referencePeriods)
     */
    long submittedRelease(String folder, String title, String publishedOn, List<Integer> preliminary, Map<Integer, String> periodEnds) {
        String analyst = Tokens.of(tokenEndpoint(), "analyst");
        List<Map<String, Object>> referencePeriods = periodEnds.entrySet().stream()
                .map(e -> Map.<String, Object>of("year", e.getKey(), "end", e.getValue())).toList();
        long id = given().baseUri(gateway()).auth().oauth2(analyst).contentType("application/json")
                .body(Map.of("title", title, "source", "UNHCR Refugee Data Finder", "publishedOn", publishedOn, "preliminaryYears", preliminary,
                        "referencePeriods", referencePeriods))
                .post("/api/releases").then().statusCode(201).extract().jsonPath().getLong("id");
        FILES.forEach((dataset, file) -> given().baseUri(gateway()).auth().oauth2(analyst).contentType("application/gzip")
                .body(RawUnhcrFile.bytes(folder + "/" + file))
                .put("/api/releases/" + id + "/datasets/" + dataset).then().statusCode(200).body("valid", equalTo(true)));
        given().baseUri(gateway()).auth().oauth2(analyst).post("/api/releases/" + id + "/submit").then().statusCode(200);
        return id;
    }

    void start(String service) throws IOException {
        Path jar = RepositoryFiles.resolve(service + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing: build the services first (./mvnw verify builds them before this module)");
        }
        Map<String, String> env = new HashMap<>();
        env.put("ASYLUM_STATS_OIDC_URL", keycloak.issuer());
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPorts.get(service)));
        switch (service) {
            case "ingest-service" -> {
                env.put("QUARKUS_HTTP_PORT", Integer.toString(ingestPort));
                env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
                env.put("QUARKUS_DATASOURCE_USERNAME", Postgres.OWNER);
                env.put("QUARKUS_DATASOURCE_PASSWORD", Postgres.OWNER);
                // a trickled upload is cut within the test's patience (production: 120 s)
                env.put("ASYLUMSTATS_INGEST_MAX_UPLOAD_DURATION", "15S");
            }
            case "stats-service" -> {
                env.put("QUARKUS_HTTP_PORT", Integer.toString(statsPort));
                env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
                env.put("QUARKUS_DATASOURCE_USERNAME", Postgres.READER);
                env.put("QUARKUS_DATASOURCE_PASSWORD", Postgres.READER);
            }
            default -> {
                env.put("QUARKUS_HTTP_PORT", Integer.toString(gatewayPort));
                env.put("ASYLUMSTATS_GATEWAY_STATS_URL", "http://localhost:" + statsPort);
                env.put("ASYLUMSTATS_GATEWAY_INGEST_URL", "http://localhost:" + ingestPort);
                env.put("ASYLUMSTATS_GATEWAY_STATS_RESPONSE_TIMEOUT", "5S");
                // the load run sends thousands of anonymous requests from one address
                env.put("ASYLUMSTATS_GATEWAY_RATE_LIMIT_ANONYMOUS_PER_MINUTE", "1000000");
                env.put("ASYLUM_STATS_GATEWAY_CLIENT_SECRET", Keycloak.LOCAL_GATEWAY_SECRET);
            }
        }
        env.putAll(extraEnv);
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-jar", jar.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(service + ".log").toFile()));
        builder.environment().putAll(env);
        processes.put(service, builder.start());
    }

    void stop(String service) throws InterruptedException {
        Process process = processes.remove(service);
        if (process != null) {
            process.destroy();
            process.waitFor();
        }
    }

    /** Freezes a service (SIGSTOP): it keeps its port but answers nothing, like a hung back-end. */
    void pause(String service) throws IOException, InterruptedException {
        signal(service, "STOP");
    }

    void resume(String service) throws IOException, InterruptedException {
        signal(service, "CONT");
    }

    private void signal(String service, String signal) throws IOException, InterruptedException {
        Process process = processes.get(service);
        if (new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + service + " failed");
        }
    }

    void kill(String service) throws InterruptedException {
        Process process = processes.remove(service);
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** What the service has written to its console (JSON lines, as in production) since the log file was created. */
    String log(String service) throws IOException {
        return Files.readString(logs.resolve(service + ".log"));
    }

    List<Integer> managementPorts() {
        return List.copyOf(managementPorts.values());
    }

    void awaitReady(String service) {
        int port = managementPorts.get(service);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Process process = processes.get(service);
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException(service + " exited; see " + logs.resolve(service + ".log"));
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new IllegalStateException(service + " not ready within 120 s; see " + logs.resolve(service + ".log"));
    }

    @Override
    public void close() {
        for (String service : List.of("gateway", "stats-service", "ingest-service")) {
            try {
                stop(service);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        postgres.close();
        org.asylumstats.testing.TemporaryFolders.delete(postgresData);
    }
}
