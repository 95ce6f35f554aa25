package org.asylumstats.stats.export;

/**
 * An export refused with an RFC 9457 problem: a stable {@code type} slug under
 * {@value #TYPE_BASE}, the HTTP status and a detail that names what was refused.
 */
final class ExportProblem extends RuntimeException {

    static final String TYPE_BASE = "https://asylum-stats.org/problems/";

    private final int status;
    private final String type;
    private final String title;

    ExportProblem(int status, String type, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    /** A parameter that is unknown, repeated, too long, malformed or names something that does not exist. */
    static ExportProblem invalidParameter(String detail) {
        return new ExportProblem(400, "invalid-parameter", "Invalid parameter", detail);
    }

    /** More rows or cells than one export may hold: the caller narrows the selection. */
    static ExportProblem tooLarge(String detail) {
        return new ExportProblem(400, "export-too-large", "Export too large", detail);
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    String title() {
        return title;
    }
}
