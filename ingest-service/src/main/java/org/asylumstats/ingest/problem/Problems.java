package org.asylumstats.ingest.problem;

import io.quarkiverse.resteasy.problem.HttpProblem;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/**
 * The RFC 9457 problems this API answers, each with a stable {@code type} that clients can
 * switch on. Rendered as application/problem+json by quarkus-resteasy-problem.
 */
public final class Problems {

    private static final String BASE = "https://asylum-stats.org/problems/";

    private Problems() {
    }

    public static HttpProblem of(Response.Status status, String type, String title, String detail) {
        return HttpProblem.builder()
                .withType(URI.create(BASE + type))
                .withTitle(title)
                .withStatus(status)
                .withDetail(detail)
                .build();
    }

    public static HttpProblem notFound(long releaseId) {
        return of(Response.Status.NOT_FOUND, "release-not-found", "Release not found", "there is no release " + releaseId);
    }

    public static HttpProblem wrongState(long releaseId, Object state, String action) {
        return of(Response.Status.CONFLICT, "invalid-state", "Not allowed in this state",
                "release " + releaseId + " is " + state + ": cannot " + action);
    }

    public static HttpProblem notOwner(long releaseId) {
        return of(Response.Status.FORBIDDEN, "not-owner", "Not the release's analyst",
                "only the analyst who created release " + releaseId + " may change it");
    }

    public static HttpProblem invalidRequest(String detail) {
        return of(Response.Status.BAD_REQUEST, "invalid-request", "Invalid request", detail);
    }
}
