package org.asylumstats.gateway.routing;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import org.asylumstats.gateway.protection.Problems;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One back-end behind the gateway: a Vert.x reverse proxy with a response timeout and a
 * resilience4j circuit breaker. While the back-end is down or silent, callers get a 503 (or 504)
 * problem+json at once instead of waiting; trial calls close the breaker again by themselves.
 */
final class Backend {

    private final String name;
    private final HttpProxy proxy;
    private final CircuitBreaker breaker;
    private final HttpClient client;
    private final URI origin;

    Backend(String name, URI origin, Duration responseTimeout, Vertx vertx, GatewayConfig config) {
        this.name = name;
        this.origin = origin;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setMaxPoolSize(128));
        this.breaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .minimumNumberOfCalls(config.circuitBreaker().minimumCalls())
                .slidingWindowSize(Math.max(config.circuitBreaker().minimumCalls(), 20))
                .failureRateThreshold(config.circuitBreaker().failureRatePercent())
                .waitDurationInOpenState(config.circuitBreaker().openFor())
                .permittedNumberOfCallsInHalfOpenState(2)
                .build());
        long timeoutMillis = responseTimeout.toMillis();
        this.proxy = HttpProxy.reverseProxy(client)
                .originRequestProvider((request, httpClient) -> httpClient.request(new RequestOptions()
                        .setHost(origin.getHost()).setPort(origin.getPort())
                        .setIdleTimeout(timeoutMillis)));
        proxy.addInterceptor(new ProxyInterceptor() {
            @Override
            public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
                return guarded(context);
            }
        });
    }

    HttpProxy proxy() {
        return proxy;
    }

    HttpClient client() {
        return client;
    }

    URI origin() {
        return origin;
    }

    String name() {
        return name;
    }

    CircuitBreaker.State state() {
        return breaker.getState();
    }

    private Future<ProxyResponse> guarded(ProxyContext context) {
        if (!breaker.tryAcquirePermission()) {
            return Future.succeededFuture(problem(context, 503, "backend-unavailable", name + " is unavailable",
                    name + " is failing; the gateway stopped calling it for a moment. Try again shortly."));
        }
        long start = System.nanoTime();
        io.vertx.core.http.HttpServerRequest inbound = context.request().proxiedRequest();
        return context.sendRequest().compose(response -> {
            long took = System.nanoTime() - start;
            if (response.getStatusCode() == 502 || response.getStatusCode() == 503 || response.getStatusCode() == 504) {
                breaker.onError(took, TimeUnit.NANOSECONDS, new IllegalStateException("status " + response.getStatusCode()));
            } else {
                breaker.onSuccess(took, TimeUnit.NANOSECONDS);
            }
            return Future.succeededFuture(response);
        }, failure -> {
            if (inbound.response().closed()) {
                // the caller went away (e.g. a client cancelling): not the back-end's failure
                breaker.releasePermission();
                return Future.failedFuture(failure);
            }
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, failure);
            boolean timeout = failure instanceof java.util.concurrent.TimeoutException
                    || String.valueOf(failure.getMessage()).toLowerCase().contains("timeout");
            return Future.succeededFuture(timeout
                    ? problem(context, 504, "backend-timeout", name + " did not answer in time", "no answer from " + name + " within the gateway's timeout")
                    : problem(context, 503, "backend-unavailable", name + " is unavailable", name + " cannot be reached: " + failure.getMessage()));
        });
    }

    private static ProxyResponse problem(ProxyContext context, int status, String type, String title, String detail) {
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
}
