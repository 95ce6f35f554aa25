package org.asylumstats.gateway.protection;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** The gateway's own RFC 9457 answers, with the same type URIs as the back-ends use; never cached. */
public final class Problems {

    public static final String TYPE_BASE = "https://asylum-stats.org/problems/";

    private Problems() {
    }

    public static JsonObject body(int status, String type, String title, String detail) {
        return new JsonObject().put("type", TYPE_BASE + type).put("title", title).put("status", status).put("detail", detail);
    }

    public static void send(HttpServerResponse response, int status, String type, String title, String detail) {
        if (response.ended() || response.headWritten()) {
            return;
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/problem+json")
                .putHeader("Cache-Control", "no-store")
                .end(body(status, type, title, detail).encode());
    }
}
