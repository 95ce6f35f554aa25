package org.asylumstats.gateway.routing;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.concurrent.TimeUnit;

/** Readiness that reflects the back-ends: each one's own readiness and the state of its breaker. */
@Readiness
@ApplicationScoped
public class BackendsReadiness implements org.eclipse.microprofile.health.HealthCheck {

    @Inject
    Routes routes;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("backends").up();
        for (Backend backend : routes.backends()) {
            boolean up;
            try {
                up = backend.client().request(new RequestOptions().setMethod(HttpMethod.GET)
                                .setHost(backend.origin().getHost()).setPort(backend.origin().getPort())
                                .setURI("/q/health/ready").setTimeout(2000))
                        .compose(request -> request.send())
                        .map(response -> response.statusCode() == 200)
                        .toCompletionStage().toCompletableFuture().get(3, TimeUnit.SECONDS);
            } catch (Exception e) {
                up = false;
            }
            builder.withData(backend.name(), up ? "UP" : "DOWN").withData(backend.name() + "-breaker", backend.state().name());
            if (!up) {
                builder.down();
            }
        }
        return builder.build();
    }
}
