package org.asylumstats.gateway.routing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.HttpProxy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.net.URI;
import java.util.UUID;

/**
 * The reverse proxy (Vert.x HTTP Proxy): /graphql to stats-service, /api to ingest-service.
 * Bodies stream both ways (a large upload is never buffered); the caller's Authorization and
 * traceparent pass through; X-Request-Id and X-Forwarded-* are added. Authentication and the
 * route policies run before, in Quarkus' HTTP security.
 */
@ApplicationScoped
public class Routes {

    @Inject
    GatewayConfig config;
    @Inject
    Vertx vertx;

    void install(@Observes Router router) {
        HttpProxy stats = proxyTo(config.statsUrl());
        HttpProxy ingest = proxyTo(config.ingestUrl());
        router.route("/graphql").handler(ctx -> forward(ctx, stats));
        router.route("/graphql/*").handler(ctx -> forward(ctx, stats));
        router.route("/api/*").handler(ctx -> forward(ctx, ingest));
    }

    private HttpProxy proxyTo(URI origin) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setIdleTimeout((int) config.idleTimeout().toSeconds())
                .setMaxPoolSize(64));
        return HttpProxy.reverseProxy(client).origin(origin.getPort(), origin.getHost());
    }

    private static void forward(RoutingContext ctx, HttpProxy proxy) {
        HttpServerRequest request = ctx.request();
        String requestId = request.getHeader("X-Request-Id");
        if (requestId == null || requestId.isBlank() || requestId.length() > 128) {
            requestId = UUID.randomUUID().toString();
            request.headers().set("X-Request-Id", requestId);
        }
        request.headers().set("X-Forwarded-For", request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress());
        request.headers().set("X-Forwarded-Proto", request.scheme());
        if (request.authority() != null) {
            request.headers().set("X-Forwarded-Host", request.authority().toString());
        }
        ctx.response().putHeader("X-Request-Id", requestId);
        proxy.handle(request);
    }
}
