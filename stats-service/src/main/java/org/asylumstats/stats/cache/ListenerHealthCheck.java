package org.asylumstats.stats.cache;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the replica hears of publications: otherwise its cache could go stale. */
@Readiness
@ApplicationScoped
public class ListenerHealthCheck implements HealthCheck {

    @Inject
    ChangeListener listener;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("publication-listener").status(listener.listening()).build();
    }
}
