package org.asylumstats.stats;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.Postgres;
import org.asylumstats.testing.PostgresResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

/**
 * Queries on one connection URL, publications heard on another (in Kubernetes: the read-only replica
 * and the primary). The listener then asks the primary for its WAL position and waits for the query
 * side to have replayed it before dropping the cache. Here both URLs reach the same server, so the
 * wait ends at once; what this proves is that the path runs and the cache is still dropped.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "role", value = "reader"))
@QuarkusTestResource(KeycloakResource.class)
@TestProfile(ChangesFromThePrimaryTest.SeparateChangesUrl.class)
class ChangesFromThePrimaryTest {

    public static class SeparateChangesUrl implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("asylumstats.stats.changes-jdbc-url", Postgres.shared().jdbcUrl() + "?ApplicationName=stats-change-listener");
        }
    }

    @BeforeEach
    void published() {
        PublishedReleases.ensure();
    }

    @Test
    void aRetractionHeardOnThePrimaryDropsTheCachedAnswers() {
        GraphQlAnswersTest.assertRetractionReachesTheAnswers();
    }
}
