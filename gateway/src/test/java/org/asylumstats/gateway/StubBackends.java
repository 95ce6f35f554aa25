package org.asylumstats.gateway;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Two small HTTP servers standing in for stats-service and ingest-service: they echo what reached
 * them (path, query, headers, body size) so that tests can check what the gateway forwarded.
 */
public class StubBackends implements QuarkusTestResourceLifecycleManager {

    static final Map<String, String> LAST_HEADERS = new ConcurrentHashMap<>();
    /** Bytes of request bodies received so far, updated as they arrive. */
    static final java.util.concurrent.atomic.AtomicLong RECEIVED = new java.util.concurrent.atomic.AtomicLong();
    private static HttpServer stats;
    private static HttpServer ingest;
    private static int statsPort;

    @Override
    public Map<String, String> start() {
        stats = echo("stats", 0);
        statsPort = stats.getAddress().getPort();
        ingest = echo("ingest", 0);
        return Map.of(
                "asylumstats.gateway.stats-url", "http://localhost:" + statsPort,
                "asylumstats.gateway.ingest-url", "http://localhost:" + ingest.getAddress().getPort());
    }

    /** Takes the stats stand-in down, as a crashed stats-service. */
    static synchronized void stopStats() {
        stats.stop(0);
    }

    /** Brings it back on the same port. */
    static synchronized void startStats() {
        stats = echo("stats", statsPort);
    }

    private static HttpServer echo(String name, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("localhost", port), 0);
            server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
            server.createContext("/", exchange -> {
                long size = 0;
                try (InputStream in = exchange.getRequestBody()) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        size += n;
                        RECEIVED.addAndGet(n);
                    }
                }
                LAST_HEADERS.clear();
                exchange.getRequestHeaders().forEach((k, v) -> LAST_HEADERS.put(k.toLowerCase(), String.join(",", v)));
                String path = exchange.getRequestURI().getPath();
                if (path.endsWith("/slow")) {
                    try {
                        Thread.sleep(3_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                int status = path.endsWith("/teapot") ? 418 : 200;
                String body = "{\"backend\":\"" + name + "\",\"path\":\"" + path + "\",\"query\":\""
                        + (exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery())
                        + "\",\"bytes\":" + size + "}";
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        stats.stop(0);
        ingest.stop(0);
    }
}
