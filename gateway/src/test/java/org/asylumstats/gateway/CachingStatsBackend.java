package org.asylumstats.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stats-service stand-in that answers as the real one does over GET: an ETag, a Cache-Control chosen by
 * the path, 304 to a matching If-None-Match, and an export's Link and Content-Disposition. It counts the
 * requests that reach it by path and query, so that tests see which answers came from the gateway's cache.
 * <ul>
 *   <li>{@code /export/public}, {@code /graphql}: {@code public, max-age=60}</li>
 *   <li>{@code /export/short}: {@code public, max-age=1}</li>
 *   <li>{@code /export/private}: {@code private, max-age=60}; {@code /export/no-store}: {@code no-store}</li>
 *   <li>{@code /export/error}: 500 marked {@code public, max-age=60}</li>
 *   <li>{@code /export/big}: a public answer of {@link #BIG_BYTES} bytes</li>
 * </ul>
 */
public class CachingStatsBackend implements QuarkusTestResourceLifecycleManager {

    static final String ETAG = "\"v1-abc\"";
    static final String LICENCE_LINK = "<https://creativecommons.org/licenses/by/4.0/>; rel=\"license\"";
    static final int BIG_BYTES = 10_000;
    private static final Map<String, AtomicInteger> REQUESTS = new ConcurrentHashMap<>();
    static final Map<String, String> LAST_HEADERS = new ConcurrentHashMap<>();
    private static HttpServer server;

    /** How many requests for this path and query reached the back-end. */
    static int requests(String pathAndQuery) {
        AtomicInteger count = REQUESTS.get(pathAndQuery);
        return count == null ? 0 : count.get();
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.createContext("/", CachingStatsBackend::answer);
            server.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String url = "http://localhost:" + server.getAddress().getPort();
        // ingest is not used here: any closed port will do
        return Map.of("asylumstats.gateway.stats-url", url, "asylumstats.gateway.ingest-url", "http://localhost:1");
    }

    private static void answer(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        String pathAndQuery = query == null ? path : path + "?" + query;
        REQUESTS.computeIfAbsent(pathAndQuery, k -> new AtomicInteger()).incrementAndGet();
        LAST_HEADERS.clear();
        exchange.getRequestHeaders().forEach((k, v) -> LAST_HEADERS.put(k.toLowerCase(), String.join(",", v)));
        var headers = exchange.getResponseHeaders();
        String cacheControl = switch (path) {
            case "/export/short" -> "public, max-age=1";
            case "/export/private" -> "private, max-age=60";
            case "/export/no-store" -> "no-store";
            default -> "public, max-age=60";
        };
        headers.set("Cache-Control", cacheControl);
        if (!cacheControl.equals("no-store")) {
            headers.set("ETag", ETAG);
        }
        if (path.startsWith("/export")) {
            headers.set("Link", LICENCE_LINK);
            headers.set("Content-Disposition", "attachment; filename=\"refugees.csv\"");
        }
        if (ETAG.equals(exchange.getRequestHeaders().getFirst("If-None-Match")) && !cacheControl.equals("no-store")) {
            exchange.sendResponseHeaders(304, -1);
            exchange.close();
            return;
        }
        String body = path.equals("/export/big") ? "x".repeat(BIG_BYTES)
                : "{\"method\":\"" + exchange.getRequestMethod() + "\",\"path\":\"" + path + "\",\"query\":\""
                + (query == null ? "" : query) + "\",\"n\":" + requests(pathAndQuery) + "}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        headers.set("Content-Type", "application/json");
        exchange.sendResponseHeaders(path.equals("/export/error") ? 500 : 200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void stop() {
        server.stop(0);
    }
}
