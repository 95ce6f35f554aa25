package org.asylumstats.stats.catalog;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once the schema the read path needs is there (ingest-service's migrations have run) and the catalog loads. */
@Readiness
@ApplicationScoped
public class CatalogHealthCheck implements HealthCheck {

    @Inject
    CatalogReader reader;
    @Inject
    Catalog catalog;

    @Override
    public HealthCheckResponse call() {
        boolean ready;
        try {
            ready = reader.schemaPresent() && catalog.snapshot() != null;
        } catch (RuntimeException e) {
            ready = false;
        }
        return HealthCheckResponse.named("catalog").status(ready).build();
    }
}
