package org.asylumstats.stats.cache;

import com.github.benmanes.caffeine.cache.Weigher;
import org.asylumstats.stats.figures.FigureFilter;
import org.asylumstats.stats.figures.Results;

import java.util.Collection;
import java.util.List;

/**
 * Estimates the heap an answer and its question hold, so that the cache is bounded by bytes rather
 * than entries (a few ten-thousand-row tables must not fit where a million one-figure answers do).
 * Rough object sizes, no reflection (native images).
 */
final class AnswerWeigher implements Weigher<AnswerCache.Question, Object> {

    @Override
    public int weigh(AnswerCache.Question question, Object answer) {
        return (int) Math.min(Integer.MAX_VALUE, 64 + estimate(question.asked()) + estimate(answer));
    }

    static long estimate(Object value) {
        return switch (value) {
            case null -> 8;
            case String s -> 48 + 2L * s.length();
            case Collection<?> c -> 32 + 8L * c.size() + c.stream().mapToLong(AnswerWeigher::estimate).sum();
            case FigureFilter f -> 80 + estimate(List.of(nz(f.origin()), nz(f.asylum()), nz(f.originRegion()), nz(f.asylumRegion()),
                    nz(f.procedure()), nz(f.applicationType()), nz(f.decisionLevel()), nz(f.ageGroup()), nz(f.populationType())))
                    + (f.sex() == null ? 0 : 8L * f.sex().size());
            case Results.Table t -> 120 + estimate(t.rows()) + estimate(t.releaseIds()) + estimate(t.caveats()) + estimate(t.partialYears());
            case Results.Page<?> p -> 32 + estimate(p.items());
            case Results.Revision r -> 64 + estimate(r.vintages());
            case Results.Row r -> 200;
            case Results.Rate r -> 160;
            case Results.Point p -> 120;
            case Results.Vintage v -> 100;
            case Results.Comparison c -> 80 + estimate(c.partialYears()) + estimate(c.caveats());
            default -> 32; // numbers, enums, year ranges
        };
    }

    private static List<String> nz(List<String> values) {
        return values == null ? List.of() : values;
    }
}
