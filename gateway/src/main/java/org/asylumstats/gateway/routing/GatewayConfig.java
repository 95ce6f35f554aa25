package org.asylumstats.gateway.routing;

import io.smallrye.config.ConfigMapping;

import java.net.URI;
import java.time.Duration;

/** Where the back-ends are and how long the gateway waits for them ({@code asylumstats.gateway.*}). */
@ConfigMapping(prefix = "asylumstats.gateway")
public interface GatewayConfig {

    URI statsUrl();

    URI ingestUrl();

    Duration connectTimeout();

    Duration idleTimeout();
}
