package org.asylumstats.stats;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The GraphQL answers against the built artifact (the native executable with -Pnative). */
@QuarkusIntegrationTest
class GraphQlAnswersIT extends GraphQlAnswersTest {
}
