package org.asylumstats.ingest.health;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/** Ready once the migrated schema answers (the datasource check only proves a connection). */
@Readiness
@ApplicationScoped
public class DatabaseSchemaCheck implements HealthCheck {

    @Inject
    AgroalDataSource dataSource;

    @Override
    public HealthCheckResponse call() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM stats.country")) {
            rs.next();
            return HealthCheckResponse.named("schema").status(rs.getLong(1) > 0).withData("countries", rs.getLong(1)).build();
        } catch (Exception e) {
            return HealthCheckResponse.named("schema").down().withData("error", e.getMessage()).build();
        }
    }
}
