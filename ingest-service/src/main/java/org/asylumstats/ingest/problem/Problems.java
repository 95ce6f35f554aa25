package org.asylumstats.ingest.problem;

import jakarta.ws.rs.core.Response;

import java.util.Map;

/**
 * The RFC 9457 problems this API answers, each with a stable {@code type} that clients can
 * switch on.
 */
public final class Problems {

    private Problems() {
    }

    public static Problem of(Response.Status status, String type, String title, String detail) {
        return new Problem(status.getStatusCode(), type, title, detail, Map.of());
    }

    public static Problem notFound(long releaseId) {
        return of(Response.Status.NOT_FOUND, "release-not-found", "Release not found", "there is no release " + releaseId);
    }

    public static Problem wrongState(long releaseId, Object state, String action) {
        return of(Response.Status.CONFLICT, "invalid-state", "Not allowed in this state",
                "release " + releaseId + " is " + state + ": cannot " + action);
    }

    public static Problem notOwner(long releaseId) {
        return of(Response.Status.FORBIDDEN, "not-owner", "Not the release's analyst",
                "only the analyst who created release " + releaseId + " may change it");
    }

    public static Problem invalidRequest(String detail) {
        return of(Response.Status.BAD_REQUEST, "invalid-request", "Invalid request", detail);
    }
}
