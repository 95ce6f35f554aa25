package org.asylumstats.gateway.protection;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.asylumstats.gateway.routing.GatewayConfig;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Per-caller request budgets (resilience4j rate limiters, one a caller): a token's subject, or the
 * client address for anonymous callers. Idle callers' limiters are evicted so memory stays bounded.
 */
@ApplicationScoped
// Caffeine picks its generated cache and node classes by reflection: these are the ones this
// configuration (maximum size, expiry after access) uses, for the native image.
@RegisterForReflection(classNames = {"com.github.benmanes.caffeine.cache.SSMSA", "com.github.benmanes.caffeine.cache.PSAMS"})
public class RateLimits {

    private final Cache<String, AtomicRateLimiter> limiters = Caffeine.newBuilder()
            .maximumSize(200_000).expireAfterAccess(Duration.ofMinutes(2)).build();
    private final RateLimiterConfig anonymous;
    private final RateLimiterConfig authenticated;

    @Inject
    public RateLimits(GatewayConfig config) {
        anonymous = perMinute(config.rateLimit().anonymousPerMinute());
        authenticated = perMinute(config.rateLimit().authenticatedPerMinute());
    }

    /** 0 when the call may go on, else the seconds to wait before the next allowed call. */
    public long secondsToWait(String caller, boolean withToken) {
        String key = (withToken ? "sub:" : "ip:") + caller;
        AtomicRateLimiter limiter = limiters.get(key, k -> new AtomicRateLimiter(k, withToken ? authenticated : anonymous));
        if (limiter.acquirePermission()) {
            return 0;
        }
        long nanos = limiter.getDetailedMetrics().getNanosToWait();
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos + TimeUnit.SECONDS.toNanos(1) - 1));
    }

    /**
     * A per-minute budget refilled every second (1/60 of it) rather than once a minute, so that a
     * caller who hit the limit is let in again soon instead of after a full minute.
     */
    private static RateLimiterConfig perMinute(int limit) {
        boolean perSecond = limit >= 60;
        return RateLimiterConfig.custom()
                .limitForPeriod(perSecond ? limit / 60 : 1)
                .limitRefreshPeriod(perSecond ? Duration.ofSeconds(1) : Duration.ofMillis(60_000L / Math.max(1, limit)))
                .timeoutDuration(Duration.ZERO)
                .build();
    }
}
