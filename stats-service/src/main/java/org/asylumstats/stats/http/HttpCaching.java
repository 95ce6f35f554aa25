package org.asylumstats.stats.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.asylumstats.stats.catalog.Catalog;
import org.asylumstats.stats.config.StatsConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The HTTP caching rules every GET answer follows (GraphQL over GET, persisted documents, exports):
 * an entity tag derived from what is current and from the question, {@code If-None-Match}
 * matching, and the {@code Cache-Control} to send.
 * <p>
 * The tag is taken <em>before</em> the answer is computed: a publication heard meanwhile can only
 * pair an older tag with a newer body, which the next revalidation replaces; never a newer tag with
 * an older body, which a cache would keep serving as current.
 */
@ApplicationScoped
public class HttpCaching {

    @Inject
    Catalog catalog;
    @Inject
    StatsConfig config;

    /** A strong tag for the answer to {@code question} (a canonical description of it) under what is current now. */
    public String etag(String question) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(catalog.snapshot().version().getBytes(StandardCharsets.US_ASCII));
            sha.update((byte) '\n');
            sha.update(question.getBytes(StandardCharsets.UTF_8));
            return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(sha.digest(), 18)) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether {@code ifNoneMatch} (the header as sent, possibly a list, possibly weak tags or *) names
     * {@code etag}: the weak comparison RFC 9110 prescribes for If-None-Match. A header longer than
     * a few dozen tags is not looked at (no match: the full answer is sent).
     */
    public static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || ifNoneMatch.length() > 2048) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code Cache-Control} of a cacheable answer. Shared caches may keep it ({@code public}) only when
     * anyone may ask the same question: anonymous reads permitted and, with the allow-list on, a
     * persisted document. Otherwise only the caller's own cache may ({@code private}).
     */
    public String cacheControl(boolean askableByAnyone) {
        boolean shared = askableByAnyone && "permit".equals(config.graphqlPolicy());
        return (shared ? "public" : "private") + ", max-age=" + config.http().maxAge().toSeconds();
    }

    /** For answers that must not be kept (errors that may not recur: timeouts, an unavailable database). */
    public static final String NO_STORE = "no-store";
}
