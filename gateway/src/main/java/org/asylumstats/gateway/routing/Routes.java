package org.asylumstats.gateway.routing;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.ContextInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.asylumstats.gateway.caching.ResponseCache;
import org.asylumstats.gateway.protection.Problems;
import org.asylumstats.gateway.protection.RateLimits;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The routes: /graphql and /export (GET and HEAD only) to stats-service, /api to ingest-service. Authentication and the route
 * policies run first (Quarkus HTTP security); then the caller's rate limit, the route's body
 * limit, and the proxy, which streams bodies both ways (a large upload is never buffered). The
 * caller's Authorization passes through (a dashboard session's access token becomes the Authorization), its
 * traceparent is continued by the gateway's own spans (OpenTelemetry); X-Request-Id and X-Forwarded-* are added,
 * cookies stay at the gateway. stats-service's
 * shareable GET answers are kept by the {@link ResponseCache}; everything else (ETag, 304, Cache-Control, Link,
 * Content-Disposition) passes both ways untouched.
 */
@ApplicationScoped
public class Routes {

    private static final Set<HttpMethod> UNSAFE_METHODS = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH);

    @Inject
    GatewayConfig config;
    @Inject
    Vertx vertx;
    @Inject
    RateLimits rateLimits;
    @Inject
    ResponseCache responseCache;

    /** Dataset uploads: the only /api requests with large bodies. */
    private static final java.util.regex.Pattern UPLOAD = java.util.regex.Pattern.compile("/api/releases/[^/]+/datasets/.+");

    private Backend stats;
    private Backend ingest;

    void install(@Observes Router router) {
        long idle = config.slowClients().bodyIdleTimeout().toMillis();
        long minRate = config.slowClients().bodyMinBytesPerSecond().asLongValue();
        long graphqlMax = config.graphqlMaxBody().asLongValue();
        long apiMax = config.apiMaxBody().asLongValue();
        // GraphQL bodies are small: read whole (within a deadline) before forwarding, so that a request
        // whose pooled connection was closed under it can be sent again; uploads stream
        ForwardedBody.Limits graphql = new ForwardedBody.Limits(graphqlMax, idle, minRate, config.graphqlBodyTimeout().toMillis());
        stats = new Backend("stats-service", config.statsUrl(), config.statsResponseTimeout(),
                new Backend.Route(path -> graphql, true, false), responseCache, vertx, config);
        // only dataset uploads are large; every other /api body is a small JSON document that ingest reads whole
        ForwardedBody.Limits uploads = new ForwardedBody.Limits(apiMax, idle, minRate, 0);
        ForwardedBody.Limits documents = new ForwardedBody.Limits(config.apiJsonMaxBody().asLongValue(), idle, minRate, 0);
        ingest = new Backend("ingest-service", config.ingestUrl(), config.ingestResponseTimeout(),
                new Backend.Route(path -> UPLOAD.matcher(path).matches() ? uploads : documents, false, true), null, vertx, config);
        router.route("/graphql").handler(ctx -> forward(ctx, stats));
        router.route("/graphql/*").handler(ctx -> forward(ctx, stats));
        // exports are downloads: read-only, like GraphQL over GET
        router.route("/export").handler(ctx -> forwardRead(ctx, stats));
        router.route("/export/*").handler(ctx -> forwardRead(ctx, stats));
        router.route("/api/*").handler(ctx -> forward(ctx, ingest));
    }

    /** The back-ends, for their health group. */
    List<Backend> backends() {
        return List.of(stats, ingest);
    }

    /** A route that only reads: other methods are refused before they cost the back-end anything. */
    private void forwardRead(RoutingContext ctx, Backend backend) {
        HttpMethod method = ctx.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            ctx.response().putHeader("Allow", "GET, HEAD");
            refuse(ctx, 405, "method-not-allowed", "Method not allowed", "this route answers GET and HEAD only");
            return;
        }
        forward(ctx, backend);
    }

    private void forward(RoutingContext ctx, Backend backend) {
        HttpServerRequest request = ctx.request();
        long maxBody = backend.maxBody(request.path());
        String requestId = request.getHeader("X-Request-Id");
        if (requestId == null || requestId.isBlank() || requestId.length() > 128) {
            requestId = newRequestId();
            request.headers().set("X-Request-Id", requestId);
        }
        ctx.response().putHeader("X-Request-Id", requestId);
        if (isWebSocketUpgrade(request)) {
            // a tunnel would carry any number of operations past the rate limit, body limit, timeout and breaker
            refuseAndClose(ctx, 400, "websocket-not-supported", "WebSocket not supported",
                    "this route answers plain HTTP requests only");
            return;
        }

        SecurityIdentity identity = ctx.user() instanceof QuarkusHttpUser user ? user.getSecurityIdentity() : null;
        boolean withToken = identity != null && !identity.isAnonymous();
        String caller = withToken ? subject(identity) : clientAddress(request);
        long wait = rateLimits.secondsToWait(caller, withToken);
        if (wait > 0) {
            ctx.response().putHeader("Retry-After", Long.toString(wait));
            refuse(ctx, 429, "rate-limited", "Too many requests",
                    "the request budget of this caller is spent; retry after " + wait + " s");
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null && parse(length) > maxBody) {
            // refused before reading: the body that follows is not read, so the connection ends here
            refuseAndClose(ctx, 413, "body-too-large", "Request body too large",
                    "this route accepts bodies up to " + maxBody + " bytes");
            return;
        }
        if (withToken && request.getHeader("Authorization") == null) {
            // a dashboard session: the back-ends see the session's access token, never its cookies
            if (UNSAFE_METHODS.contains(request.method()) && request.getHeader("X-Requested-With") == null) {
                // a page of another site cannot add this header without a CORS preflight, which the allow-list refuses
                refuse(ctx, 403, "csrf-header-missing", "Header X-Requested-With required",
                        "requests authenticated by the session cookie must carry X-Requested-With");
                return;
            }
            AccessTokenCredential accessToken = identity.getCredential(AccessTokenCredential.class);
            if (accessToken != null) {
                request.headers().set("Authorization", "Bearer " + accessToken.getToken());
            }
        }
        request.headers().remove("Cookie");
        if (((ContextInternal) ctx.vertx().getOrCreateContext()).tracer() != null) {
            // traced (OpenTelemetry): the back-end continues the gateway's client span, a child of its server span,
            // which was itself continued from the caller's traceparent; the client writes traceparent (and
            // tracestate, baggage) afresh. Forwarded as they came they would travel twice (Vert.x adds them, never
            // replaces), and the back-end would read the caller's first and skip the gateway's spans.
            request.headers().remove("traceparent");
            request.headers().remove("tracestate");
            request.headers().remove("baggage");
        }
        request.headers().set("X-Forwarded-For", clientAddress(request));
        request.headers().set("X-Forwarded-Proto", request.scheme());
        if (request.authority() != null) {
            request.headers().set("X-Forwarded-Host", request.authority().toString());
        }
        // after the rate limit: an answer from the cache still counts against the caller's budget
        if (backend.answerFromCache(request)) {
            return;
        }
        backend.proxy().handle(request);
    }

    /**
     * A random (version 4) UUID from the event loop's own generator: an id only has to be unique, not
     * unguessable, and UUID.randomUUID() draws on the shared SecureRandom (a lock and a read of
     * /dev/urandom per request, seen in the profile).
     */
    private static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private static boolean isWebSocketUpgrade(HttpServerRequest request) {
        String upgrade = request.getHeader("Upgrade");
        return upgrade != null && upgrade.toLowerCase(java.util.Locale.ROOT).contains("websocket");
    }

    /** A refusal; when the caller is still sending a body nobody will read, its connection ends with the answer. */
    private static void refuse(RoutingContext ctx, int status, String type, String title, String detail) {
        if (ctx.request().isEnded()) {
            Problems.send(ctx.response(), status, type, title, detail);
        } else {
            refuseAndClose(ctx, status, type, title, detail);
        }
    }

    private static void refuseAndClose(RoutingContext ctx, int status, String type, String title, String detail) {
        ctx.response().putHeader("Connection", "close");
        ctx.addEndHandler(ended -> ctx.request().connection().close());
        Problems.send(ctx.response(), status, type, title, detail);
    }

    private static String subject(SecurityIdentity identity) {
        return identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null ? jwt.getSubject() : identity.getPrincipal().getName();
    }

    private static String clientAddress(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
