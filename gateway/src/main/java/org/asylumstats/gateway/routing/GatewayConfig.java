package org.asylumstats.gateway.routing;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;

/** The gateway's settings ({@code asylumstats.gateway.*}). */
@ConfigMapping(prefix = "asylumstats.gateway")
public interface GatewayConfig {

    URI statsUrl();

    URI ingestUrl();

    /** How long to wait for a back-end's connection. */
    @WithDefault("2S")
    Duration connectTimeout();

    /** How long stats-service may stay silent (no response bytes) before the call fails with 504. */
    @WithDefault("10S")
    Duration statsResponseTimeout();

    /** The same for ingest-service, which validates and loads a whole upload before it answers. */
    @WithDefault("120S")
    Duration ingestResponseTimeout();

    /** Largest GraphQL request body. */
    @WithDefault("64K")
    MemorySize graphqlMaxBody();

    /** Largest /api request body (dataset uploads); the back-end applies its own limit too. */
    @WithDefault("600M")
    MemorySize apiMaxBody();

    /** Largest body of the other /api requests (release bodies, rejection reasons: small JSON documents). */
    @WithDefault("64K")
    MemorySize apiJsonMaxBody();

    /** The whole of a GraphQL request body must arrive within this (the body is small). */
    @WithDefault("10S")
    Duration graphqlBodyTimeout();

    /**
     * How long an idle pooled connection to a back-end may be reused. It must stay below the
     * back-ends' own idle timeout (Quarkus: 30 min, ingest-service: 130 s), so that the gateway
     * always drops an idle connection before the back-end closes it under a request.
     */
    @WithDefault("30S")
    Duration backendKeepAlive();

    SlowClients slowClients();

    RateLimit rateLimit();

    Breaker circuitBreaker();

    SharedCache responseCache();

    /** Bounds on how slowly a caller may send a request (slowloris and friends). */
    interface SlowClients {
        /**
         * The request head (request line and headers) must be complete within this, counted from
         * the connection's start or from the previous answer on it; idle keep-alive connections
         * are closed after it too.
         */
        @WithDefault("10S")
        Duration headTimeout();

        /** Longest silence within a request body. */
        @WithDefault("10S")
        Duration bodyIdleTimeout();

        /** Slowest average a request body may arrive at, after a first body-idle-timeout of grace. */
        @WithDefault("1K")
        MemorySize bodyMinBytesPerSecond();
    }

    interface RateLimit {
        /** Requests a minute per client address, for callers without a token. */
        @WithDefault("1200")
        int anonymousPerMinute();

        /** Requests a minute per token subject. */
        @WithDefault("12000")
        int authenticatedPerMinute();
    }

    interface Breaker {
        /** Calls in the window before the breaker may open. */
        @WithDefault("10")
        int minimumCalls();

        /** Failure percentage that opens it. */
        @WithDefault("50")
        float failureRatePercent();

        /** How long it stays open before letting trial calls through. */
        @WithDefault("5S")
        Duration openFor();
    }

    /**
     * The gateway's cache of stats-service's shareable GET answers (Cache-Control public with a max-age):
     * identical questions from many callers reach stats-service once per max-age.
     */
    interface SharedCache {
        @WithDefault("true")
        boolean enabled();

        /** All cached answers together (bodies and headers); the least used go first. */
        @WithDefault("32M")
        MemorySize maxBytes();

        /** A larger answer (a big export) is passed through without being kept. */
        @WithDefault("2M")
        MemorySize maxEntryBytes();
    }
}
