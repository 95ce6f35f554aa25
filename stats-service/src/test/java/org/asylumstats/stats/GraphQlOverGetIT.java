package org.asylumstats.stats;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** GraphQL over GET and persisted documents against the built artifact (the native executable with -Pnative). */
@QuarkusIntegrationTest
class GraphQlOverGetIT extends GraphQlOverGetTest {
}
