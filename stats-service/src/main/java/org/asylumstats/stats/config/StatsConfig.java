package org.asylumstats.stats.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Settings of the stats service ({@code asylumstats.stats.*}). */
@ConfigMapping(prefix = "asylumstats.stats")
public interface StatsConfig {

    /** Rows a figures table returns when the question does not say ({@code first}). */
    @WithDefault("100")
    int defaultFirst();

    /** Most rows a list may return ({@code first}); more is a GraphQL error, not a slow answer. */
    @WithDefault("10000")
    int maxFirst();

    /**
     * Entries {@code revisions} and {@code recognitionRates} return when the question does not say
     * ({@code first}); a year's revisions per origin and asylum country run to a few thousand.
     */
    @WithDefault("500")
    int defaultListFirst();

    /**
     * Rows one request may ask for, summed over all its fields and aliases with nested lists multiplied
     * (see {@code QueryCost}); a request over it is refused before any SQL runs.
     */
    @WithDefault("20000")
    int requestRowBudget();

    /** Top-level fields (each alias counted) one request may ask for. */
    @WithDefault("20")
    int maxRootFields();

    /** Values one filter list ({@code origin}, {@code asylum}, {@code procedure}, ...) may hold. */
    @WithDefault("250")
    int maxFilterValues();

    /** Characters one filter value may have (region names are the longest, about 40). */
    @WithDefault("64")
    int maxFilterValueLength();

    /** Estimated bytes of answers (and their questions) the answer cache may hold. */
    @WithDefault("67108864")
    long answerCacheMaxBytes();

    /** How long an answer stays cached when no publication drops it earlier. */
    @WithDefault("1H")
    Duration answerCacheTtl();

    /**
     * PostgreSQL's {@code statement_timeout} for every query of the service (set in the JDBC
     * connection options, so it binds the role's sessions on the server side); named in the
     * {@code query-timeout} error.
     */
    @WithDefault("5s")
    String statementTimeout();

    /** {@code permit} lets anonymous callers read; {@code authenticated} requires a valid token. */
    @WithDefault("permit")
    String graphqlPolicy();

    /**
     * Where publications are NOTIFYed, when it is not where queries go: the primary, with queries on a
     * read-only replica (which cannot LISTEN). Unset: the datasource's URL.
     */
    Optional<String> changesJdbcUrl();

    /** HTTP caching of GET answers (GraphQL over GET, persisted documents, exports). */
    Http http();

    /** Documents callers may run by id ({@code documentId=sha256:<hex>}). */
    PersistedDocuments persistedDocuments();

    /** {@code GET /export/figures}. */
    Export export();

    interface Http {
        /** How long a browser or shared cache may reuse a GET answer without revalidating it. */
        @WithDefault("60S")
        Duration maxAge();
    }

    interface PersistedDocuments {
        /**
         * A folder of {@code .graphql} files to register besides the dashboard's own (read once at start;
         * files over 64 KiB or beyond 1,000 files are refused at start).
         */
        Optional<java.nio.file.Path> folder();

        /** true: anonymous callers may run persisted documents only (an allow-list for production). */
        @WithDefault("false")
        boolean anonymousOnlyPersisted();
    }

    interface Export {
        /** Rows one export may hold; a larger selection is refused (narrow it), never cut silently. */
        @WithDefault("100000")
        int maxRows();

        /**
         * Cells one JSON-stat export may hold: the product of its dimensions' sizes, nulls included, which
         * for several dimensions can be far larger than its rows; a larger cube is refused like too many rows.
         */
        @WithDefault("1000000")
        int maxCells();
    }
}
