package org.asylumstats.gateway.routing;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * The back-ends as the gateway sees them (each one's circuit breaker), in the health group
 * {@code backends} ({@code /q/health/group/backends} on the management interface). Deliberately
 * not readiness: a gateway pod is ready whatever its back-ends do, so that a stats-service outage
 * does not take the gateway pods out of their Service, and /api and the dashboard down with them.
 * While a back-end fails, its routes answer 503 at once.
 */
@HealthGroup("backends")
@ApplicationScoped
public class BackendsHealth implements HealthCheck {

    @Inject
    Routes routes;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("backends").up();
        for (Backend backend : routes.backends()) {
            CircuitBreaker.State state = backend.state();
            builder.withData(backend.name() + "-breaker", state.name());
            if (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN) {
                builder.down();
            }
        }
        return builder.build();
    }
}
