package org.asylumstats.stats.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.asylumstats.stats.config.StatsConfig;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Answers cached until the next publication or retraction, bounded by their estimated size.
 * <p>
 * Every question is keyed with the generation of the catalog snapshot its answer is computed from
 * (the catalog holds the one generation counter; a publication starts a new generation there). A
 * computation that began before a publication therefore completes under the old generation's key,
 * where no later question looks: a stale answer can never be stored for the new one, and an answer
 * is never computed from another generation's releases in force than its key says. Identical
 * questions asked together are computed once: the first caller installs its future and computes
 * on its own thread (not inside the map's lock, so that an answer may ask for another, as
 * {@code peak} asks for the {@code series}); the others wait for it.
 */
// Caffeine instantiates the cache and node classes it generated for this configuration (strong keys and
// values, maximum weight, expiry after write) by name: a native image must know them
@RegisterForReflection(classNames = {"com.github.benmanes.caffeine.cache.SSMWW", "com.github.benmanes.caffeine.cache.PSWMW"})
@ApplicationScoped
public class AnswerCache {

    /** A question as asked in one generation of publications. */
    record Question(long generation, List<Object> asked) {
    }

    /**
     * A computation that failed, handed to the callers who waited for it. Futures complete normally
     * with it: Caffeine logs every exceptionally completed future as a warning, and a bad question is
     * the caller's error, not the service's.
     */
    record Failure(RuntimeException error) {
    }

    /** null: switched off (maximum 0 bytes), every question computed; benchmarks measure that path. */
    private final AsyncCache<Question, Object> answers;

    @Inject
    public AnswerCache(StatsConfig config) {
        this(config.answerCacheMaxBytes(), config.answerCacheTtl());
    }

    AnswerCache(long maxBytes, java.time.Duration ttl) {
        answers = maxBytes == 0 ? null : Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher(new AnswerWeigher())
                .expireAfterWrite(ttl)
                .buildAsync();
    }

    /**
     * The cached answer to {@code asked} in publication generation {@code generation} (that of the
     * snapshot {@code compute} reads), computed on a miss; failures are not cached.
     */
    @SuppressWarnings("unchecked")
    public <T> T answer(long generation, List<Object> asked, Supplier<T> compute) {
        if (answers == null) {
            return compute.get();
        }
        Question question = new Question(generation, asked);
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> theirs = answers.asMap().putIfAbsent(question, mine);
        if (theirs != null) {
            Object answer = theirs.join();
            if (answer instanceof Failure failure) {
                throw failure.error();
            }
            return (T) answer;
        }
        try {
            T value = compute.get();
            mine.complete(value);
            return value;
        } catch (RuntimeException e) {
            answers.asMap().remove(question, mine);
            mine.complete(new Failure(e));
            throw e;
        } catch (Error e) {
            answers.asMap().remove(question, mine);
            mine.complete(new Failure(new IllegalStateException(e)));
            throw e;
        }
    }

    /**
     * Frees the answers held (called once a new generation has begun: they can no longer be asked
     * for). An answer of an older generation that completes later is stored where nobody looks, until
     * evicted.
     */
    public void dropAll() {
        if (answers == null) {
            return;
        }
        answers.synchronous().invalidateAll();
    }

    /** Estimated bytes held (for tests of the bound); runs pending evictions first. */
    long estimatedBytes() {
        answers.synchronous().cleanUp();
        return answers.synchronous().policy().eviction().orElseThrow().weightedSize().orElse(0);
    }
}
