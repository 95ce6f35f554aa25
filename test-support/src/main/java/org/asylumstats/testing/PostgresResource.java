package org.asylumstats.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points a Quarkus test at the JVM's embedded PostgreSQL. With the init arg {@code role=reader}
 * the schema is migrated first and the service connects as the read-only role, as stats-service does.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private String role = "owner";

    @Override
    public void init(Map<String, String> initArgs) {
        role = initArgs.getOrDefault("role", "owner");
    }

    @Override
    public Map<String, String> start() {
        Postgres postgres = Postgres.shared();
        if ("reader".equals(role)) {
            postgres.migrate(RepositoryFiles.migrations());
            return Map.of(
                    "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                    "quarkus.datasource.username", Postgres.READER,
                    "quarkus.datasource.password", Postgres.READER,
                    "asylumstats.test.owner-jdbc-url", postgres.jdbcUrl());
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.datasource.username", Postgres.OWNER,
                "quarkus.datasource.password", Postgres.OWNER);
    }

    @Override
    public void stop() {
        // the server lives as long as the test JVM: other test classes reuse it
    }
}
