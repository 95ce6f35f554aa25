package org.asylumstats.stats.cache;

import org.asylumstats.stats.catalog.Catalog;
import org.asylumstats.stats.catalog.CatalogSource;
import org.asylumstats.stats.catalog.InForce;
import org.asylumstats.stats.catalog.Snapshot;
import org.asylumstats.stats.catalog.StubCatalogSource;
import org.asylumstats.stats.figures.QueryException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The answer cache's promises: no stale answer after a publication, one computation per question, a size bound. */
class AnswerCacheTest {

    private static final List<Object> QUESTION = List.of("figures", "SYR", 2023);

    private final AnswerCache cache = new AnswerCache(1_000_000, Duration.ofHours(1));
    private final Catalog catalog = new Catalog(new StubCatalogSource());

    /** Asks as FigureQueries does: under the generation of the catalog snapshot the answer is computed from. */
    private <T> T ask(List<Object> question, Supplier<T> compute) {
        return cache.answer(catalog.snapshot().generation(), question, compute);
    }

    /** What ChangeListener does when it hears of a publication. */
    private void publish() {
        catalog.releasesChanged();
        cache.dropAll();
    }

    @Test
    void aCacheOfZeroBytesIsSwitchedOffAndComputesEveryAnswer() {
        AnswerCache off = new AnswerCache(0, Duration.ofHours(1));
        long generation = catalog.snapshot().generation();
        assertEquals("first", off.answer(generation, QUESTION, () -> "first"));
        assertEquals("second", off.answer(generation, QUESTION, () -> "second"));
        off.dropAll();
    }

    @Test
    void anAnswerIsServedFromTheCacheUntilAPublicationDropsIt() {
        assertEquals("first", ask(QUESTION, () -> "first"));
        // positive control: cached, so the second computation is never asked for
        assertEquals("first", ask(QUESTION, () -> "second"));
        publish();
        assertEquals("after publication", ask(QUESTION, () -> "after publication"));
    }

    @Test
    void aComputationHeldAcrossAPublicationIsNeverServedAfterIt() throws Exception {
        CountDownLatch computing = new CountDownLatch(1);
        CountDownLatch published = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> before = pool.submit(() -> ask(QUESTION, () -> {
                computing.countDown();
                awaitLatch(published);
                return "computed from the figures before the publication";
            }));
            assertTrue(computing.await(30, TimeUnit.SECONDS));
            publish(); // the publication is heard while the computation still runs
            published.countDown();
            assertEquals("computed from the figures before the publication", before.get(30, TimeUnit.SECONDS));
            assertEquals("computed after", ask(QUESTION, () -> "computed after"));
            assertEquals("computed after", ask(QUESTION, () -> "never asked"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void identicalQuestionsAskedTogetherAreComputedOnce() throws Exception {
        int callers = 6;
        AtomicInteger computations = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CyclicBarrier start = new CyclicBarrier(callers);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Thread> threads = new ArrayList<>();
        try {
            List<Future<Object>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                answers.add(pool.submit(() -> {
                    synchronized (threads) {
                        threads.add(Thread.currentThread());
                    }
                    start.await();
                    return ask(QUESTION, () -> {
                        computations.incrementAndGet();
                        awaitLatch(release);
                        return new Object();
                    });
                }));
            }
            // overlap shown, not assumed: every caller is inside answer(), the computing one on the latch and the others on its future
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                synchronized (threads) {
                    return threads.size() == callers && threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING);
                }
            });
            release.countDown();
            Object first = answers.get(0).get(30, TimeUnit.SECONDS);
            for (Future<Object> answer : answers) {
                assertSame(first, answer.get(30, TimeUnit.SECONDS));
            }
            assertEquals(1, computations.get());
        } finally {
            pool.shutdownNow();
        }
    }

    /** One generation counter for the catalog snapshot and the answer cache: an answer is computed from the in-force map its key's generation names. */
    @Test
    void aChangeHeardDuringALoadLeavesThatSnapshotAndItsAnswersUnderTheOldGeneration() {
        AtomicReference<Catalog> catalog = new AtomicReference<>();
        // the first load reads the releases before a publication, and the publication is heard while it runs
        StubCatalogSource source = new StubCatalogSource(load -> {
            if (load == 1) {
                catalog.get().releasesChanged();
            }
            return new CatalogSource.Publications(StubCatalogSource.releases(StubCatalogSource.published(load, List.of())), population(load));
        });
        catalog.set(new Catalog(source));
        AnswerCache answers = new AnswerCache(1_000_000, Duration.ofHours(1));
        List<Object> question = List.of("series", "REFUGEES");

        Snapshot duringTheChange = catalog.get().snapshot();
        Object before = answers.answer(duringTheChange.generation(), question,
                () -> "from release " + duringTheChange.inForce(null).of("population").getFirst().release());
        assertEquals("from release 1", before);

        Snapshot after = catalog.get().snapshot();
        assertNotEquals(duringTheChange.generation(), after.generation(), "the snapshot loaded across the change is not served again");
        assertEquals(2, source.loads());
        Object answer = answers.answer(after.generation(), question,
                () -> "from release " + after.inForce(null).of("population").getFirst().release());
        assertEquals("from release 2", answer, "the answer computed from the old in-force map is not served in the new generation");
        // positive control: within one generation the answer is cached
        assertEquals("from release 2", answers.answer(catalog.get().snapshot().generation(), question, () -> "computed again"));
    }

    private static InForce population(long release) {
        return new InForce(Map.of("population", List.of(new InForce.ReleaseYears(release, List.of(2022, 2023)))));
    }

    @Test
    void anAnswerMayAskForAnotherWhileItIsComputed() throws Exception {
        // as peak asks for the series of the same snapshot: the outer computation holds no lock the inner one needs
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> peak = pool.submit(() -> ask(List.of("peak", "SYR"), () -> "peak of " + ask(List.of("series", "SYR"), () -> "the series")));
            assertEquals("peak of the series", peak.get(30, TimeUnit.SECONDS));
            assertEquals("the series", ask(List.of("series", "SYR"), () -> "computed again"), "the inner answer was cached too");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailureIsNotCached() {
        assertThrows(QueryException.class, () -> ask(QUESTION, () -> {
            throw new QueryException("bad question");
        }));
        assertEquals("answered", ask(QUESTION, () -> "answered"));
    }

    @Test
    void theCacheIsBoundedByTheAnswersSizeNotTheirNumber() {
        AnswerCache small = new AnswerCache(200_000, Duration.ofHours(1));
        List<String> bigAnswer = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            bigAnswer.add("a row of an answer, some forty characters");
        }
        for (int i = 0; i < 50; i++) {
            int n = i;
            small.answer(0, List.of("question", n), () -> bigAnswer);
        }
        long held = small.estimatedBytes();
        assertTrue(held > 0 && held <= 200_000, "held " + held);
        // the weigher sees the size: fifty answers of ~130 KB each cannot all be there
        assertTrue(AnswerWeigher.estimate(bigAnswer) > 100_000);
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
