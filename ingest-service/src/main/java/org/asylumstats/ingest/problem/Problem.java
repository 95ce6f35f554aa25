package org.asylumstats.ingest.problem;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem raised by the service: a stable {@code type} slug, title, status, detail and
 * extension members (e.g. the validation report). Rendered by {@link ProblemMappers}.
 */
public final class Problem extends RuntimeException {

    public static final String TYPE_BASE = "https://asylum-stats.org/problems/";

    private final int status;
    private final String type;
    private final String title;
    private final Map<String, Object> extensions;

    public Problem(int status, String type, String title, String detail, Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.extensions = extensions;
    }

    public int status() {
        return status;
    }

    /** The body as a JSON-ready map in the member order of RFC 9457. */
    public Map<String, Object> body(String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", getMessage());
        if (instance != null) {
            body.put("instance", instance);
        }
        body.putAll(extensions);
        return body;
    }
}
