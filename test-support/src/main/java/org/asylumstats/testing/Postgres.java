package org.asylumstats.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL 17 server from Maven Central (zonky's embedded binaries), with the project's
 * roles and database. Used by the tests (one per test JVM) and by the local stack (data kept).
 */
public final class Postgres implements AutoCloseable {

    public static final String DATABASE = "asylum_stats";
    public static final String OWNER = "asylum_owner";
    public static final String READER = "stats_service";

    private static Postgres shared;

    private final EmbeddedPostgres server;

    private Postgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /** Starts a server on {@code port} (0 = any free port) keeping its data in {@code dataDir} (null = throw-away). */
    public static Postgres start(int port, Path dataDir) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("fsync", dataDir == null ? "off" : "on");
            if (port > 0) {
                builder.setPort(port);
            }
            boolean fresh = true;
            if (dataDir != null) {
                fresh = !Files.exists(dataDir.resolve("PG_VERSION"));
                Files.createDirectories(dataDir);
                builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
            }
            Postgres postgres = new Postgres(builder.start());
            if (fresh) {
                postgres.bootstrap();
            }
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start", e);
        }
    }

    /** The one throw-away server of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized Postgres shared() {
        if (shared == null) {
            shared = start(0, null);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "postgres-stop"));
        }
        return shared;
    }

    public int port() {
        return server.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    public Connection connectAsOwner() throws SQLException {
        return java.sql.DriverManager.getConnection(jdbcUrl(), OWNER, OWNER);
    }

    /** A superuser connection to the project's database (for tests that inject faults). */
    public Connection connectAsSuperuser() throws SQLException {
        return java.sql.DriverManager.getConnection(jdbcUrl(), "postgres", "postgres");
    }

    /** Applies the schema migrations that ingest-service owns, as it would at start. */
    public void migrate(Path migrations) {
        Flyway.configure()
                .dataSource(jdbcUrl(), OWNER, OWNER)
                .locations("filesystem:" + migrations.toAbsolutePath())
                .load()
                .migrate();
    }

    private void bootstrap() {
        try (InputStream in = Postgres.class.getResourceAsStream("bootstrap.sql");
             Connection connection = server.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("--"))
                    .collect(java.util.stream.Collectors.joining("\n"));
            for (String command : sql.split(";")) {
                if (!command.isBlank()) {
                    statement.execute(command.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the roles and database", e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The local stack's database: {@code Postgres <port> <data-dir>}; stops on SIGTERM/Ctrl-C. */
    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        Path dataDir = Path.of(args[1]);
        Postgres postgres = start(port, dataDir);
        Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "postgres-stop"));
        System.out.println("PostgreSQL 17 ready on port " + postgres.port() + ", data in " + dataDir);
        Thread.currentThread().join();
    }
}
