package org.asylumstats.gateway.routing;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.netty.channel.EventLoop;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.impl.ContextInternal;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyOptions;
import io.vertx.httpproxy.ProxyResponse;
import org.asylumstats.gateway.caching.ResponseCache;
import org.asylumstats.gateway.protection.Problems;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One back-end behind the gateway: a Vert.x reverse proxy with a response timeout and a
 * resilience4j circuit breaker. While the back-end is down or silent, callers get a 503 (or 504)
 * problem+json at once instead of waiting; trial calls close the breaker again by themselves.
 * <p>
 * Connections to the back-end are pooled, and a pooled connection is only ever reused when its
 * previous exchange was complete on both sides: when the back-end answers before the whole
 * request body was forwarded (an upload refused on its first line), the rest of the body is not
 * forwarded and that connection is closed after the answer. Streaming the rest into a back-end
 * that no longer reads it either stalls the next request on that connection behind unread bytes
 * (504) or, when the back-end closes the connection under the body, fails the forwarding and turns
 * the back-end's answer into a 503 (see {@code EarlyAnswerTest}). Idle pooled connections are
 * dropped before the back-end's own idle timeout, and a replayable request that fails because its
 * connection closed before any answer is sent once more on a fresh one.
 */
final class Backend {

    private static final Logger LOG = Logger.getLogger(Backend.class);
    private static final String EXCHANGE = "asylumstats.exchange";
    private static final Set<HttpMethod> SAFE_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    /** Connections to the back-end that one event loop may hold open. */
    private static final int MAX_CONNECTIONS_PER_EVENT_LOOP = 64;

    /**
     * How a route's request bodies travel: streamed, or (small routes) read whole first, so that they can be
     * replayed; their limits by request path (an upload may be large where a JSON document may not).
     */
    record Route(java.util.function.Function<String, ForwardedBody.Limits> limitsByPath, boolean buffered, boolean noStore) {
    }

    /** The answers of this back-end that the gateway keeps for other callers; null: none are kept. */
    private final ResponseCache cache;

    private final String name;
    private final Map<EventLoop, HttpProxy> proxies = new ConcurrentHashMap<>();
    private final HttpClientOptions clientOptions;
    private final CircuitBreaker breaker;
    private final URI origin;
    private final Route route;
    private final Vertx vertx;
    private final long timeoutMillis;

    Backend(String name, URI origin, Duration responseTimeout, Route route, ResponseCache cache, Vertx vertx, GatewayConfig config) {
        this.name = name;
        this.cache = cache;
        this.origin = origin;
        this.route = route;
        this.vertx = vertx;
        this.breaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .minimumNumberOfCalls(config.circuitBreaker().minimumCalls())
                .slidingWindowSize(Math.max(config.circuitBreaker().minimumCalls(), 20))
                .failureRateThreshold(config.circuitBreaker().failureRatePercent())
                .waitDurationInOpenState(config.circuitBreaker().openFor())
                .permittedNumberOfCallsInHalfOpenState(2)
                .build());
        this.timeoutMillis = responseTimeout.toMillis();
        this.clientOptions = new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setKeepAliveTimeout((int) Math.max(1, config.backendKeepAlive().toSeconds()))
                .setMaxPoolSize(MAX_CONNECTIONS_PER_EVENT_LOOP);
    }

    /**
     * The proxy of the calling event loop, created on its first request. One client (and connection pool)
     * per event loop, because Vert.x 4.5's pool hands out its most recently used free connection whatever
     * event loop it belongs to: with one shared pool, three requests in four (four event loops) were
     * written and answered on another loop than their caller's, each hop a task queued to that loop and a
     * selector wake-up. Profiled with JFR under 16 connections, these hops were a fifth of the gateway's
     * samples; with a pool per loop a request and its back-end exchange stay on one thread.
     */
    HttpProxy proxy() {
        EventLoop loop = ((ContextInternal) vertx.getOrCreateContext()).nettyEventLoop();
        return proxies.computeIfAbsent(loop, ignored -> newProxy());
    }

    private HttpProxy newProxy() {
        HttpClient client = vertx.createHttpClient(clientOptions);
        // no WebSocket tunnelling: a tunnel would escape the rate limit, body limit, timeout and breaker
        HttpProxy proxy = HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(false), client)
                .origin(context -> originRequest(context, client));
        proxy.addInterceptor(new ProxyInterceptor() {
            @Override
            public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
                return forward(context);
            }

            @Override
            public Future<Void> handleProxyResponse(ProxyContext context) {
                return answer(context);
            }
        });
        return proxy;
    }

    /** The largest body the request to {@code path} may carry. */
    long maxBody(String path) {
        return route.limitsByPath().apply(path).maxBytes();
    }

    String name() {
        return name;
    }

    /** Answers the request from this back-end's kept answers, if it has a fresh one; false otherwise. */
    boolean answerFromCache(HttpServerRequest request) {
        return cache != null && cache.answer(request);
    }

    CircuitBreaker.State state() {
        return breaker.getState();
    }

    /** One caller's request on its way through this back-end's proxy. */
    private static final class Exchange {
        final String requestId;
        ForwardedBody.Limits limits;
        ForwardedBody body;
        Buffer replay;
        HttpClientRequest backendRequest;
        boolean answeredByGateway;

        Exchange(String requestId) {
            this.requestId = requestId;
        }
    }

    private Future<HttpClientRequest> originRequest(ProxyContext context, HttpClient client) {
        Exchange exchange = context.get(EXCHANGE, Exchange.class);
        return client.request(new RequestOptions().setHost(origin.getHost()).setPort(origin.getPort()))
                .onSuccess(request -> {
                    exchange.backendRequest = request;
                    // the response timeout counts from the end of the body: an upload may take longer to send
                    exchange.body.whenComplete(() -> request.idleTimeout(timeoutMillis));
                    exchange.body.whenStalled(timeoutMillis, () -> request.reset(0,
                            new TimeoutException("the back-end stopped reading the request body")));
                });
    }

    private Future<ProxyResponse> forward(ProxyContext context) {
        HttpServerRequest inbound = context.request().proxiedRequest();
        Exchange exchange = new Exchange(inbound.getHeader("X-Request-Id"));
        context.set(EXCHANGE, exchange);
        exchange.limits = route.limitsByPath().apply(inbound.path());
        ForwardedBody body = new ForwardedBody(vertx, inbound, exchange.limits);
        exchange.body = body;
        if (route.buffered()) {
            return body.collect().compose(whole -> {
                exchange.replay = whole;
                return guarded(context, exchange);
            }, failure -> Future.succeededFuture(refused(context, exchange, failure)));
        }
        context.request().setBody(Body.body(body, declaredLength(inbound)));
        return guarded(context, exchange);
    }

    private Future<ProxyResponse> guarded(ProxyContext context, Exchange exchange) {
        if (!breaker.tryAcquirePermission()) {
            return Future.succeededFuture(problem(context, exchange, 503, "backend-unavailable", name + " is unavailable",
                    "the service behind this route is failing; the gateway stopped calling it for a moment. Try again shortly.", null));
        }
        return attempt(context, exchange, 1);
    }

    private Future<ProxyResponse> attempt(ProxyContext context, Exchange exchange, int attempt) {
        HttpServerRequest inbound = context.request().proxiedRequest();
        if (exchange.replay != null) {
            context.request().setBody(Body.body(exchange.replay));
        }
        long start = System.nanoTime();
        return context.sendRequest().compose(response -> {
            long took = System.nanoTime() - start;
            if (response.getStatusCode() == 502 || response.getStatusCode() == 503 || response.getStatusCode() == 504) {
                breaker.onError(took, TimeUnit.NANOSECONDS, new IllegalStateException("status " + response.getStatusCode()));
            } else {
                breaker.onSuccess(took, TimeUnit.NANOSECONDS);
            }
            return Future.succeededFuture(response);
        }, failure -> {
            if (exchange.body.refusal() != null) {
                // the caller's body broke a limit: not the back-end's failure
                breaker.releasePermission();
                return Future.succeededFuture(refused(context, exchange, failure));
            }
            if (inbound.response().closed()) {
                // the caller went away (e.g. a client cancelling): not the back-end's failure
                breaker.releasePermission();
                return Future.failedFuture(failure);
            }
            if (attempt == 1 && replayable(inbound, exchange) && connectionLost(failure)) {
                LOG.infof("request %s: %s closed the connection before answering (%s); sent again on a fresh connection",
                        exchange.requestId, name, failure);
                return attempt(context, exchange, 2);
            }
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, failure);
            boolean timeout = failure instanceof TimeoutException
                    || String.valueOf(failure.getMessage()).toLowerCase().contains("timeout");
            return Future.succeededFuture(timeout
                    ? problem(context, exchange, 504, "backend-timeout", name + " did not answer in time",
                            "no answer from the service behind this route within the gateway's timeout", failure)
                    : problem(context, exchange, 503, "backend-unavailable", name + " is unavailable",
                            "the service behind this route cannot be reached; try again shortly", failure));
        });
    }

    /** Relays the back-end's answer (or the gateway's own), closing connections whose request was not fully read. */
    private Future<Void> answer(ProxyContext context) {
        Exchange exchange = context.get(EXCHANGE, Exchange.class);
        if (exchange == null) {
            return context.sendResponse();
        }
        ProxyResponse response = context.response();
        HttpServerRequest inbound = context.request().proxiedRequest();
        if (route.noStore() || exchange.answeredByGateway) {
            // /api: release state and validation reports are per caller and change; problems are never stored either
            response.putHeader("Cache-Control", "no-store");
        }
        if (cache != null && !exchange.answeredByGateway) {
            cache.keep(inbound, response);
        }
        if (!exchange.answeredByGateway && response.getStatusCode() >= 500) {
            LOG.warnf("request %s: %s answered %d to %s %s", exchange.requestId, name, response.getStatusCode(),
                    inbound.method(), inbound.path());
        }
        ForwardedBody body = exchange.body;
        if (!exchange.answeredByGateway && exchange.backendRequest != null && response.getStatusCode() >= 400
                && body != null && body.received() > 0) {
            // a refused request may have been refused unread: its connection is closed after this answer
            exchange.backendRequest.connection().shutdown(timeoutMillis, TimeUnit.MILLISECONDS);
        }
        if (body == null || body.ended()) {
            return context.sendResponse();
        }
        // answered before the caller's body was complete: the caller is told to open a new connection
        inbound.response().putHeader("Connection", "close");
        if (exchange.answeredByGateway) {
            // a refused or unread body: this caller's connection carries bytes nobody will read
            return context.sendResponse().onComplete(sent -> inbound.connection().close());
        }
        // the back-end answered early: forward no more of the body, and never reuse that back-end
        // connection (its request did not end); the caller's remaining bytes are read and discarded
        body.cut();
        HttpClientRequest backendRequest = exchange.backendRequest;
        return context.sendResponse().onComplete(sent -> {
            if (backendRequest != null) {
                backendRequest.reset();
            }
        });
    }

    private ProxyResponse refused(ProxyContext context, Exchange exchange, Throwable failure) {
        ForwardedBody.Refusal refusal = exchange.body.refusal();
        if (refusal == ForwardedBody.Refusal.TOO_LARGE) {
            return problem(context, exchange, 413, "body-too-large", "Request body too large",
                    "this route accepts bodies up to " + exchange.limits.maxBytes() + " bytes", null);
        }
        if (refusal == ForwardedBody.Refusal.TOO_SLOW) {
            return problem(context, exchange, 408, "request-timeout", "Request body too slow",
                    "the request body did not arrive in time; send it without pauses", null);
        }
        // the caller's connection failed while its body was being read: most likely nobody is left to answer
        LOG.debugf("request %s: the caller's body could not be read: %s", exchange.requestId, failure);
        return problem(context, exchange, 400, "bad-request", "Request body unreadable", "the request body could not be read", null);
    }

    private ProxyResponse problem(ProxyContext context, Exchange exchange, int status, String type, String title,
                                  String detail, Throwable cause) {
        exchange.answeredByGateway = true;
        if (status >= 500) {
            HttpServerRequest inbound = context.request().proxiedRequest();
            LOG.errorf("request %s: %s %s answered %d %s by the gateway: %s", exchange.requestId, inbound.method(),
                    inbound.path(), status, type, cause == null ? "circuit breaker open for " + name : name + ": " + cause);
        }
        ProxyResponse response = context.request().response();
        response.setStatusCode(status).setStatusMessage(title);
        response.headers().clear();
        response.putHeader("Content-Type", "application/problem+json");
        if (status == 503) {
            response.putHeader("Retry-After", "5");
        }
        response.setBody(Body.body(Buffer.buffer(Problems.body(status, type, title, detail).encode())));
        return response;
    }

    /** Requests that can be sent again as they are: a read without a body, or a small route's body kept whole. */
    private static boolean replayable(HttpServerRequest inbound, Exchange exchange) {
        if (exchange.replay != null) {
            return true;
        }
        if (SAFE_METHODS.contains(inbound.method()) && exchange.body.ended() && exchange.body.received() == 0) {
            exchange.replay = Buffer.buffer();
            return true;
        }
        return false;
    }

    /** The connection was closed or reset under the request, as when a pooled connection is closed by the back-end. */
    private static boolean connectionLost(Throwable failure) {
        if (failure instanceof ConnectException || failure instanceof TimeoutException) {
            return false;
        }
        return failure instanceof HttpClosedException || failure instanceof IOException || failure instanceof StreamResetException
                || (failure instanceof VertxException && String.valueOf(failure.getMessage()).contains("Connection was closed"));
    }

    private static long declaredLength(HttpServerRequest inbound) {
        String length = inbound.getHeader("Content-Length");
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
