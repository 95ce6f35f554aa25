package org.asylumstats.gateway.caching;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.asylumstats.gateway.routing.GatewayConfig;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A shared cache of stats-service's GET answers, so that a question many callers ask at once (the
 * dashboard's first screen) reaches stats-service once per max-age. Only what the back-end marks
 * shareable is kept: a 200 with {@code Cache-Control: public} and a max-age, without private, no-store,
 * no-cache, Set-Cookie or Vary; nothing else is ever stored. Entries are keyed by the full path and
 * query, and apart for callers with and without a token (stats-service may refuse anonymous callers
 * questions it answers to a token holder: such an answer must never reach an anonymous caller), are
 * bounded in bytes (all together and each) and expire at their max-age. A caller's
 * {@code If-None-Match} naming the cached ETag is answered 304 here; a caller asking for a fresh answer
 * ({@code Cache-Control: no-cache} or {@code max-age=0}) goes to the back-end.
 * <p>
 * Not Vert.x http-proxy's own cache (4.5): it bounds entries by count, not bytes (one large export
 * could take the heap), keeps them in an unsynchronised map shared by all event loops, ignores
 * private/no-store and the caller's Authorization, answers If-Modified-Since but not If-None-Match,
 * and sends no Age.
 */
@ApplicationScoped
// Caffeine picks its generated cache and node classes by reflection: these are the ones a weighted cache
// with a per-entry expiry uses, for the native image.
@RegisterForReflection(classNames = {"com.github.benmanes.caffeine.cache.SSMWA", "com.github.benmanes.caffeine.cache.PSAMW"})
public class ResponseCache {

    /** Headers that describe one connection or one exchange, never a cached answer. */
    private static final Set<String> NOT_KEPT = Set.of("connection", "keep-alive", "transfer-encoding", "content-length",
            "te", "trailer", "upgrade", "proxy-connection", "proxy-authenticate", "date", "age", "x-request-id");

    /** One kept answer: its headers and body, with when it was stored and how long it stays fresh. */
    record Entry(MultiMap headers, Buffer body, String etag, long storedAtNanos, long maxAgeSeconds) {
        int weight() {
            int weight = body.length();
            for (Map.Entry<String, String> header : headers) {
                weight += header.getKey().length() + header.getValue().length() + 4;
            }
            return weight;
        }
    }

    private final boolean enabled;
    private final long maxEntryBytes;
    private final Cache<String, Entry> entries;

    @Inject
    public ResponseCache(GatewayConfig config) {
        GatewayConfig.SharedCache settings = config.responseCache();
        enabled = settings.enabled();
        maxEntryBytes = Math.min(settings.maxEntryBytes().asLongValue(), settings.maxBytes().asLongValue());
        entries = Caffeine.newBuilder()
                .maximumWeight(settings.maxBytes().asLongValue())
                .weigher((String key, Entry entry) -> entry.weight())
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry entry, long currentTime) {
                        return TimeUnit.SECONDS.toNanos(entry.maxAgeSeconds());
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
                        return TimeUnit.SECONDS.toNanos(entry.maxAgeSeconds());
                    }

                    @Override
                    public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    /**
     * Answers a GET from the cache when a fresh answer to it is kept: 304 when the caller already holds
     * it (If-None-Match), else the answer with its age. False when the back-end must answer.
     */
    public boolean answer(HttpServerRequest request) {
        if (!enabled || request.method() != HttpMethod.GET || wantsFreshAnswer(request.getHeader(HttpHeaders.CACHE_CONTROL))) {
            return false;
        }
        Entry entry = entries.getIfPresent(key(request));
        if (entry == null) {
            return false;
        }
        long age = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - entry.storedAtNanos());
        HttpServerResponse response = request.response();
        String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
        if (entry.etag() != null && ifNoneMatch != null && matches(ifNoneMatch, entry.etag())) {
            response.setStatusCode(304).putHeader(HttpHeaders.ETAG, entry.etag())
                    .putHeader(HttpHeaders.CACHE_CONTROL, entry.headers().get(HttpHeaders.CACHE_CONTROL))
                    .putHeader("Age", Long.toString(age)).end();
            return true;
        }
        response.headers().addAll(entry.headers());
        response.putHeader("Age", Long.toString(age)).setStatusCode(200).end(entry.body());
        return true;
    }

    /**
     * Keeps the back-end's answer to {@code request} as it streams to the caller, when the back-end marks
     * it shareable and it is within the bounds; otherwise leaves it alone.
     */
    public void keep(HttpServerRequest request, ProxyResponse response) {
        if (!enabled || request.method() != HttpMethod.GET || response.getStatusCode() != 200
                || response.headers().contains(HttpHeaders.SET_COOKIE) || response.headers().contains(HttpHeaders.VARY)) {
            return;
        }
        long maxAge = shareableFor(response.headers().get(HttpHeaders.CACHE_CONTROL));
        Body body = response.getBody();
        if (maxAge <= 0 || body == null || body.length() > maxEntryBytes) {
            return;
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, String> header : response.headers()) {
            if (!NOT_KEPT.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                headers.add(header.getKey(), header.getValue());
            }
        }
        String key = key(request);
        String etag = response.headers().get(HttpHeaders.ETAG);
        long storedAt = System.nanoTime();
        response.setBody(Body.body(new Recording(body.stream(), maxEntryBytes,
                whole -> entries.put(key, new Entry(headers, whole, etag, storedAt, maxAge))), body.length()));
    }

    /** Callers with a token and anonymous ones apart: stats-service may answer them differently. */
    private static String key(HttpServerRequest request) {
        return (request.getHeader(HttpHeaders.AUTHORIZATION) == null ? "anonymous " : "token ") + request.uri();
    }

    /** The max-age in seconds of an answer any cache may keep; 0 when it may not be kept. */
    static long shareableFor(String cacheControl) {
        if (cacheControl == null) {
            return 0;
        }
        boolean shared = false;
        long maxAge = 0;
        for (String directive : cacheControl.toLowerCase(Locale.ROOT).split(",")) {
            String d = directive.strip();
            if (d.equals("private") || d.equals("no-store") || d.equals("no-cache") || d.startsWith("private=")
                    || d.startsWith("no-cache=")) {
                return 0;
            }
            if (d.equals("public")) {
                shared = true;
            } else if (d.startsWith("s-maxage=") || (d.startsWith("max-age=") && maxAge == 0)) {
                maxAge = seconds(d.substring(d.indexOf('=') + 1));
            }
        }
        return shared ? maxAge : 0;
    }

    private static boolean wantsFreshAnswer(String cacheControl) {
        if (cacheControl == null) {
            return false;
        }
        String directives = cacheControl.toLowerCase(Locale.ROOT).replace(" ", "");
        return directives.contains("no-cache") || directives.contains("no-store") || directives.matches("(.*,)?max-age=0(,.*)?");
    }

    /** If-None-Match's weak comparison (RFC 9110 13.1.2): any listed tag, or "*". */
    static boolean matches(String ifNoneMatch, String etag) {
        String opaque = etag.startsWith("W/") ? etag.substring(2) : etag;
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || (tag.startsWith("W/") ? tag.substring(2) : tag).equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    private static long seconds(String value) {
        try {
            return Math.max(0, Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The back-end's body on its way to the caller, copied aside while it stays within the entry bound;
     * handed to {@code whenWhole} once complete. Flow control and failures pass through untouched.
     */
    private static final class Recording implements ReadStream<Buffer> {
        private final ReadStream<Buffer> source;
        private final long maxBytes;
        private final Handler<Buffer> whenWhole;
        private Buffer copy = Buffer.buffer();

        Recording(ReadStream<Buffer> source, long maxBytes, Handler<Buffer> whenWhole) {
            this.source = source;
            this.maxBytes = maxBytes;
            this.whenWhole = whenWhole;
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> handler) {
            source.handler(handler == null ? null : chunk -> {
                if (copy != null) {
                    copy = copy.length() + chunk.length() > maxBytes ? null : copy.appendBuffer(chunk);
                }
                handler.handle(chunk);
            });
            return this;
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> handler) {
            source.endHandler(handler == null ? null : end -> {
                if (copy != null) {
                    whenWhole.handle(copy);
                }
                handler.handle(end);
            });
            return this;
        }

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            source.exceptionHandler(handler == null ? null : failure -> {
                copy = null;
                handler.handle(failure);
            });
            return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
            source.pause();
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            source.resume();
            return this;
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            source.fetch(amount);
            return this;
        }
    }
}
