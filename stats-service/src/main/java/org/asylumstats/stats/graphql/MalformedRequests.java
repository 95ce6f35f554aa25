package org.asylumstats.stats.graphql;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A request body SmallRye cannot take apart ({@code variables} or {@code extensions} not an object,
 * {@code operationName} not a string, JSON nested past the parser's limit) fails its route with a
 * ClassCastException or a JSON parser exception, which Quarkus answers 500 with the exception's text.
 * Those are the caller's errors: 400, code {@code bad-request}, naming no class. Other failures
 * keep their ordinary handling.
 */
@ApplicationScoped
public class MalformedRequests {

    void install(@Observes Router router) {
        router.route("/graphql").failureHandler(this::answer);
    }

    private void answer(RoutingContext rc) {
        if (rc.response().headWritten() || !isUnreadableRequest(rc.failure())) {
            rc.next();
            return;
        }
        JsonObject error = new JsonObject()
                .put("message", "the request is not a GraphQL request: query must be a string, variables and extensions objects,"
                        + " operationName a string, and JSON nested at most 1,000 levels")
                .put("extensions", new JsonObject().put("code", "bad-request"));
        rc.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("errors", new JsonArray().add(error)).encode());
    }

    private static boolean isUnreadableRequest(Throwable failure) {
        if (failure == null) {
            return false;
        }
        if (failure instanceof ClassCastException || failure instanceof jakarta.json.JsonException) {
            return true;
        }
        StackTraceElement[] stack = failure.getStackTrace();
        return stack.length > 0 && stack[0].getClassName().startsWith("org.eclipse.parsson.");
    }
}
