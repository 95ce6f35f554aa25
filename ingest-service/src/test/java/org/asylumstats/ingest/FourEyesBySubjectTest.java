package org.asylumstats.ingest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.asylumstats.ingest.problem.Problem;
import org.asylumstats.ingest.release.Actor;
import org.asylumstats.ingest.release.NewRelease;
import org.asylumstats.ingest.release.ReleaseService;
import org.asylumstats.ingest.release.ReleaseState;
import org.asylumstats.ingest.upload.UploadService;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.PostgresResource;
import org.asylumstats.testing.Tokens;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release rules compare token subjects, not user names: Keycloak cannot issue two users the
 * same name, and renaming needs the realm's consent, so the rule is driven through the services
 * with actors a token could carry; the resource's reading of {@code sub} is checked with real tokens.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class FourEyesBySubjectTest {

    private static final byte[] FILE = (MalformedInputTest.POPULATION + MalformedInputTest.POP_ROW).getBytes(StandardCharsets.UTF_8);

    @Inject
    ReleaseService releases;
    @Inject
    UploadService uploads;

    private long submittedBy(Actor analyst) {
        long id = releases.create(new NewRelease("Subjects", null, LocalDate.of(1990, 1, 1), List.of(), null), analyst).id();
        assertTrue(uploads.upload(id, "population", new ByteArrayInputStream(FILE), analyst).report().valid());
        releases.submit(id, analyst);
        return id;
    }

    @Test
    void theSameSubjectUnderANewNameIsStillRefused() {
        String subject = UUID.randomUUID().toString();
        long id = submittedBy(new Actor(subject, "mira"));
        Problem refused = assertThrows(Problem.class, () -> releases.publish(id, new Actor(subject, "mira-renamed")));
        assertEquals(403, refused.status());
        assertEquals("https://asylum-stats.org/problems/four-eyes", refused.body(null).get("type"));
        assertEquals(ReleaseState.SUBMITTED, releases.get(id).state());
    }

    @Test
    void theOwnerUnderANewNameIsStillTheOwner() {
        String creator = UUID.randomUUID().toString();
        long id = releases.create(new NewRelease("Subjects", null, LocalDate.of(1990, 1, 1), List.of(), null), new Actor(creator, "ana")).id();
        uploads.upload(id, "population", new ByteArrayInputStream(FILE), new Actor(creator, "ana"));
        releases.submit(id, new Actor(creator, "ana-renamed"));
        assertEquals(ReleaseState.SUBMITTED, releases.get(id).state(), "the owner renamed is still the owner");
    }

    @Test
    void differentSubjectsWithEqualNamesAreAllowed() {
        long id = submittedBy(new Actor(UUID.randomUUID().toString(), "sam"));
        assertEquals(ReleaseState.PUBLISHED, releases.publish(id, new Actor(UUID.randomUUID().toString(), "sam")).state());
    }

    @Test
    void theSubjectsAreStoredNextToTheNames() {
        String subject = UUID.randomUUID().toString();
        long id = submittedBy(new Actor(subject, "kept"));
        assertEquals(1, IngestApi.scalar("SELECT count(*) FROM ingest.release WHERE id = " + id + " AND created_by = 'kept' AND created_by_subject = '" + subject + "'"));
        assertEquals(1, IngestApi.scalar("SELECT count(*) FROM ingest.upload WHERE release_id = " + id + " AND uploaded_by = 'kept' AND uploaded_by_subject = '" + subject + "'"));
    }

    @Test
    void theApiRecordsTheTokenSubject() {
        long id = IngestApi.createRelease("analyst", "By token", LocalDate.of(1990, 1, 1), List.of());
        String subject = Tokens.claims(IngestApi.token("analyst")).path("sub").asText();
        assertTrue(!subject.isEmpty(), "Keycloak's access tokens carry sub");
        assertEquals(1, IngestApi.scalar("SELECT count(*) FROM ingest.release WHERE id = " + id + " AND created_by = 'analyst' AND created_by_subject = '" + subject + "'"));
        IngestApi.as("analyst").get("/api/releases/" + id).then().statusCode(200)
                .body("createdBy", org.hamcrest.Matchers.equalTo("analyst"));
    }
}
