package org.asylumstats.stats.graphql;

import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import io.quarkus.arc.Arc;
import io.quarkus.jsonp.JsonProviderHolder;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.smallrye.graphql.runtime.SmallRyeGraphQLAbstractHandler;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.graphql.execution.ExecutionResponse;
import io.smallrye.graphql.execution.ExecutionResponseWriter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.asylumstats.stats.config.StatsConfig;
import org.asylumstats.stats.http.HttpCaching;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.StringReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GraphQL over GET ({@code query} or {@code documentId}, {@code variables}, {@code operationName}) with
 * ETag, Cache-Control and 304; persisted documents by {@code documentId} on GET and in POST bodies; and
 * the anonymous allow-list ({@code persisted-documents.anonymous-only-persisted}) on both.
 * <p>
 * Why these requests are executed here, through SmallRye's {@code ExecutionService}, rather than by
 * SmallRye's own GET handler ({@code quarkus.smallrye-graphql.http.get.enabled}, left off) with a
 * handler in front of it: that handler URL-decodes the already decoded parameters a second time
 * ({@code +} becomes a space, a {@code %} fails the request with a 500), it deletes newlines from the
 * query, which makes everything after a {@code #} comment part of the comment (each dashboard document
 * starts with one), it knows no {@code documentId}, and a handler in front of it never sees the answer,
 * which decides between a reusable answer (ETag) and one that must not be kept ({@code no-store}).
 * <p>
 * Execution goes through a subclass of SmallRye's own abstract handler, which does for these requests
 * what it does for POST (the request context, the caller's security identity, the current request
 * that {@code CallerWatch} watches), and through the same engine: depth, complexity and parser limits,
 * {@link IntInputs}, {@link RequestBudget}, the filter limits and the statement timeout apply to GET
 * exactly as to POST. POSTs without a {@code documentId} still go to SmallRye's handler unchanged.
 * That abstract handler is Quarkus runtime code, not API: a Quarkus upgrade is checked against it
 * (the GET tests fail when it changes).
 */
@ApplicationScoped
public class GraphQlOverHttp {

    /** After Quarkus's authentication and authorization filters (orders -200, -100), before SmallRye's route. */
    static final int ROUTE_ORDER = -1;

    /**
     * Error codes of refusals that the same question always gets under the same releases: such an
     * answer may be cached like any other. Any other error (a statement timeout, an unavailable
     * database, an unexpected failure) makes the answer {@code no-store}.
     */
    static final Set<String> DETERMINISTIC_CODES = Set.of("bad-query", "year-out-of-range", "year-range-reversed", "filter-too-long",
            "cost-exceeded", "too-many-fields", "int-out-of-range", "truncated");
    /** graphql-java's own refusals (no code): a document that does not parse, fails validation, or crosses depth or complexity. */
    static final Set<String> DETERMINISTIC_CLASSIFICATIONS = Set.of("InvalidSyntax", "ValidationError", "ExecutionAborted");

    private static final String JSON = "application/json;charset=UTF-8";
    private static final String REQUEST = GraphQlOverHttp.class.getName() + ".request";

    @Inject
    StatsConfig config;
    @Inject
    PersistedDocuments documents;
    @Inject
    HttpCaching caching;
    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize maxBodySize;

    /** A request resolved to the document to run; {@code etag} null: not cacheable (POST). */
    record Resolved(String query, String operationName, JsonObject variables, String etag, String cacheControl) {
    }

    void install(@Observes Router router) {
        Execution execution = new Execution();
        router.get("/graphql").order(ROUTE_ORDER).handler(rc -> get(rc, execution));
        // the body is read here as SmallRye's route would (same limit); its own body handler then sees it read
        router.post("/graphql").order(ROUTE_ORDER).handler(BodyHandler.create(false).setBodyLimit(maxBodySize.asLongValue()))
                .handler(rc -> post(rc, execution));
    }

    private void get(RoutingContext rc, Execution execution) {
        Map<String, String> params = new HashMap<>();
        try {
            for (String name : List.of("query", "documentId", "operationName", "variables")) {
                List<String> values = rc.queryParam(name);
                if (values.size() > 1) {
                    badRequest(rc, "the parameter " + name + " is given more than once");
                    return;
                }
                params.put(name, values.isEmpty() ? null : values.get(0));
            }
        } catch (IllegalArgumentException e) { // a malformed %-escape
            badRequest(rc, "the query string is not URL-encoded");
            return;
        }
        String query = params.get("query");
        String documentId = params.get("documentId");
        String operationName = params.get("operationName");
        if (!exactlyOne(rc, query, documentId) || !knownForm(rc, documentId) || !allowed(rc, query)) {
            return;
        }
        JsonObject variables;
        try {
            variables = variables(params.get("variables"));
        } catch (JsonException e) {
            badRequest(rc, "variables must be a JSON object");
            return;
        }
        String text = query != null ? query : documents.text(documentId).orElse(null);
        if (text == null) {
            documentNotFound(rc, documentId);
            return;
        }
        OperationDefinition.Operation operation = operation(text, operationName);
        if (operation == OperationDefinition.Operation.MUTATION || operation == OperationDefinition.Operation.SUBSCRIPTION) {
            rc.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "POST").putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                    .end(errors("a " + operation.name().toLowerCase() + " is not run over GET: send it with POST", "method-not-allowed"));
            return;
        }
        String etag = caching.etag("graphql\n" + (query != null ? "query " + query : documentId) + "\n" + operationName + "\n" + variables);
        String cacheControl = caching.cacheControl(query == null || !config.persistedDocuments().anonymousOnlyPersisted());
        if (HttpCaching.matches(rc.request().getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
            rc.response().setStatusCode(304).putHeader(HttpHeaders.ETAG, etag).putHeader(HttpHeaders.CACHE_CONTROL, cacheControl).end();
            return;
        }
        rc.put(REQUEST, new Resolved(text, operationName, variables, etag, cacheControl));
        execution.handle(rc);
    }

    /** Takes a POST only when it names a document or the allow-list refuses it; every other POST goes on to SmallRye. */
    private void post(RoutingContext rc, Execution execution) {
        String body = rc.body().asString();
        boolean allowListApplies = config.persistedDocuments().anonymousOnlyPersisted() && anonymous(rc);
        if (body == null || !(allowListApplies || body.contains("documentId"))) {
            rc.next();
            return;
        }
        String contentType = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType != null && contentType.startsWith("application/graphql") && !contentType.startsWith("application/graphql+json")) {
            if (allowed(rc, body)) { // the body is query text: refused when the allow-list applies, else SmallRye's
                rc.next();
            }
            return;
        }
        JsonObject request;
        try (JsonReader reader = JsonProviderHolder.jsonProvider().createReader(new StringReader(body))) {
            request = reader.readObject();
        } catch (JsonException e) {
            rc.next(); // not a JSON object: SmallRye answers it as it answers any such body
            return;
        }
        if (!request.containsKey("documentId")) {
            if (!request.containsKey("query") || allowed(rc, request.get("query").toString())) {
                rc.next();
            }
            return;
        }
        if (!(request.get("documentId") instanceof JsonString id) || request.containsKey("query")) {
            badRequest(rc, "send either query or documentId (a string), not both");
            return;
        }
        JsonValue variables = request.getOrDefault("variables", JsonValue.NULL);
        JsonValue operationName = request.getOrDefault("operationName", JsonValue.NULL);
        if (!(variables instanceof JsonObject || isNull(variables)) || !(operationName instanceof JsonString || isNull(operationName))) {
            badRequest(rc, "variables must be a JSON object and operationName a string");
            return;
        }
        if (!knownForm(rc, id.getString())) {
            return;
        }
        String text = documents.text(id.getString()).orElse(null);
        if (text == null) {
            documentNotFound(rc, id.getString());
            return;
        }
        rc.put(REQUEST, new Resolved(text, operationName instanceof JsonString name ? name.getString() : null,
                variables instanceof JsonObject object ? object : null, null, null));
        execution.handle(rc);
    }

    private static boolean isNull(JsonValue value) {
        return value.getValueType() == JsonValue.ValueType.NULL;
    }

    private static boolean exactlyOne(RoutingContext rc, String query, String documentId) {
        if ((query == null) == (documentId == null)) {
            badRequest(rc, query == null ? "send a query or a documentId" : "send either query or documentId, not both");
            return false;
        }
        return true;
    }

    private static boolean knownForm(RoutingContext rc, String documentId) {
        if (documentId != null && !PersistedDocuments.wellFormed(documentId)) {
            badRequest(rc, "documentId must be sha256: and 64 lowercase hex digits; got " + prefix(documentId));
            return false;
        }
        return true;
    }

    /** The allow-list: an anonymous caller sending query text (not null) is refused when it is on. */
    private boolean allowed(RoutingContext rc, String queryText) {
        if (queryText != null && config.persistedDocuments().anonymousOnlyPersisted() && anonymous(rc)) {
            rc.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                    .end(errors("anonymous callers may run the deployment's persisted documents only (documentId=sha256:...);"
                            + " sign in to send other queries", "PERSISTED_DOCUMENT_REQUIRED"));
            return false;
        }
        return true;
    }

    private static boolean anonymous(RoutingContext rc) {
        return !(rc.user() instanceof QuarkusHttpUser user) || user.getSecurityIdentity().isAnonymous();
    }

    private static JsonObject variables(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try (JsonReader reader = JsonProviderHolder.jsonProvider().createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    /**
     * The kind of operation the request would run; null when the document does not parse or names no
     * single operation (the engine then answers with its own error).
     */
    static OperationDefinition.Operation operation(String text, String operationName) {
        Document document;
        try {
            document = Parser.parse(ParserEnvironment.newParserEnvironment().document(text)
                    .parserOptions(ParserOptions.getDefaultOperationParserOptions()).build());
        } catch (RuntimeException e) { // InvalidSyntaxException, ParseCancelledException (parser limits)
            return null;
        }
        List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
        List<OperationDefinition> chosen = operationName == null ? operations
                : operations.stream().filter(op -> operationName.equals(op.getName())).toList();
        return chosen.size() == 1 ? chosen.get(0).getOperation() : null;
    }

    private static void documentNotFound(RoutingContext rc, String documentId) {
        rc.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, JSON).putHeader(HttpHeaders.CACHE_CONTROL, HttpCaching.NO_STORE)
                .end(errors("no persisted document has the id " + prefix(documentId), "PERSISTED_DOCUMENT_NOT_FOUND"));
    }

    private static void badRequest(RoutingContext rc, String message) {
        rc.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(errors(message, "bad-request"));
    }

    private static String errors(String message, String code) {
        io.vertx.core.json.JsonObject error = new io.vertx.core.json.JsonObject().put("message", message)
                .put("extensions", new io.vertx.core.json.JsonObject().put("code", code));
        return new io.vertx.core.json.JsonObject().put("errors", new JsonArray().add(error)).encode();
    }

    private static String prefix(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }

    /** Whether an answer may be kept and reused: no error, or only refusals the same question always gets. */
    static boolean reusable(ExecutionResponse response, String body) {
        if (response.getExecutionResult().getErrors().isEmpty()) {
            return true;
        }
        JsonArray errors = new io.vertx.core.json.JsonObject(body).getJsonArray("errors");
        for (int i = 0; i < errors.size(); i++) {
            io.vertx.core.json.JsonObject extensions = errors.getJsonObject(i).getJsonObject("extensions");
            String code = extensions == null ? null : extensions.getString("code");
            String classification = extensions == null ? null : extensions.getString("classification");
            boolean deterministic = code != null ? DETERMINISTIC_CODES.contains(code)
                    : classification != null && DETERMINISTIC_CLASSIFICATIONS.contains(classification);
            if (!deterministic) {
                return false;
            }
        }
        return true;
    }

    /** Runs a resolved request the way SmallRye's handler runs a POST (see the class comment). */
    private static final class Execution extends SmallRyeGraphQLAbstractHandler {

        Execution() {
            super(Arc.container().instance(CurrentIdentityAssociation.class).orElse(null),
                    Arc.container().instance(CurrentVertxRequest.class).get(), false);
        }

        @Override
        protected void doHandle(RoutingContext rc) {
            Resolved request = rc.get(REQUEST);
            JsonObjectBuilder input = JsonProviderHolder.jsonProvider().createObjectBuilder().add("query", request.query());
            if (request.operationName() != null) {
                input.add("operationName", request.operationName());
            }
            if (request.variables() != null) {
                input.add("variables", request.variables());
            }
            getExecutionService().executeAsync(input.build(), getMetaData(rc), new ExecutionResponseWriter() {
                @Override
                public void write(ExecutionResponse response) {
                    String body = response.getExecutionResultAsString();
                    var http = rc.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, JSON);
                    if (request.etag() != null) {
                        if (reusable(response, body)) {
                            http.putHeader(HttpHeaders.ETAG, request.etag()).putHeader(HttpHeaders.CACHE_CONTROL, request.cacheControl());
                        } else {
                            http.putHeader(HttpHeaders.CACHE_CONTROL, HttpCaching.NO_STORE);
                        }
                    }
                    http.end(body);
                }

                @Override
                public void fail(Throwable failure) {
                    rc.fail(failure);
                }
            });
        }
    }
}
