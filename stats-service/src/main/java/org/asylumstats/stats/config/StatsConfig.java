package org.asylumstats.stats.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** Settings of the stats service ({@code asylumstats.stats.*}). */
@ConfigMapping(prefix = "asylumstats.stats")
public interface StatsConfig {

    /** Rows a figures table returns when the question does not say ({@code first}). */
    @WithDefault("100")
    int defaultFirst();

    /** Most rows a figures table may return; more is a GraphQL error, not a slow answer. */
    @WithDefault("10000")
    int maxFirst();

    /** {@code permit} lets anonymous callers read; {@code authenticated} requires a valid token. */
    @WithDefault("permit")
    String graphqlPolicy();

    /**
     * Where publications are NOTIFYed, when it is not where queries go: the primary, with queries on a
     * read-only replica (which cannot LISTEN). Unset: the datasource's URL.
     */
    Optional<String> changesJdbcUrl();
}
