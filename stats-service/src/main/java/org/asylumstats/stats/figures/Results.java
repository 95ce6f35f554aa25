package org.asylumstats.stats.figures;

import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

import java.math.BigInteger;
import java.util.List;

/**
 * Answers of the figure queries, which are also the GraphQL output types. Countries and releases
 * are held as codes and ids, left out of the schema ({@code @Ignore}): the GraphQL layer resolves
 * them in batches from the catalog ({@code StatsApi}'s {@code @Source} fields).
 */
public final class Results {

    private Results() {
    }

    @Name("FigureRow")
    public record Row(Integer year, @Ignore String originCode, @Ignore String asylumCode, String originRegion, String asylumRegion,
                      String procedure, String applicationType, String decisionLevel,
                      BigInteger value, Double share, @NonNull FigureStatus status) {
    }

    @Name("FigureTable")
    public record Table(@NonNull Measure measure, @NonNull Unit unit, BigInteger total, @NonNull List<@NonNull Row> rows, int totalRows,
                        boolean preliminary, @Ignore List<Long> releaseIds, @NonNull List<@NonNull String> caveats) {
    }

    @Name("SeriesPoint")
    public record Point(int year, BigInteger value, BigInteger change, Double changePercent, @NonNull FigureStatus status,
                        @Ignore Long releaseId) {
    }

    @Name("Comparison")
    public record Comparison(BigInteger periodTotal, BigInteger baselineTotal, Double periodYearlyMean,
                             Double baselineYearlyMean, Double ratio) {
    }

    @Name("Vintage")
    public record Vintage(@Ignore long releaseId, BigInteger value, BigInteger change, Double changePercent, @NonNull FigureStatus status) {
    }

    @Name("Revision")
    public record Revision(Integer year, @Ignore String originCode, @Ignore String asylumCode, @NonNull List<@NonNull Vintage> vintages) {
    }

    @Name("RecognitionRate")
    public record Rate(Integer year, @Ignore String originCode, @Ignore String asylumCode, BigInteger recognized, BigInteger complementary,
                       BigInteger rejected, Double totalRecognitionRate) {
    }

    /** The first {@code first} entries of a list answer; {@code truncated} when the selection holds more. */
    public record Page<T>(List<T> items, boolean truncated, int first) {

        /** {@code fetched} holds up to one entry more than {@code first}: its presence means truncated. */
        static <T> Page<T> of(List<T> fetched, int first) {
            return fetched.size() > first ? new Page<>(List.copyOf(fetched.subList(0, first)), true, first) : new Page<>(fetched, false, first);
        }
    }
}
