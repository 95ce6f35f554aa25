package org.asylumstats.stats.tracing;

import io.opentelemetry.sdk.trace.samplers.Sampler;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.asylumstats.ingest.core.RequestTracesOnly;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The sampler Quarkus gives OpenTelemetry in place of the configured one: the configured ratio
 * ({@code quarkus.otel.traces.sampler.arg}), but no trace started by a statement outside a request.
 */
@Singleton
public class Sampling {

    @Produces
    @Singleton
    Sampler requestTracesOnly(@ConfigProperty(name = "quarkus.otel.traces.sampler.arg") double ratio) {
        return new RequestTracesOnly(ratio);
    }
}
