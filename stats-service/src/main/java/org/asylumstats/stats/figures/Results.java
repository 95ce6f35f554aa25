package org.asylumstats.stats.figures;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

import java.math.BigInteger;
import java.time.LocalDate;
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
                      BigInteger value, Double share, @NonNull FigureStatus status,
                      @Description("Where the row's figures end (a stock's count date, a flow's last day); set when the row is one year's figure")
                      LocalDate periodEnd, Sex sex, String ageGroup, String populationType) {
    }

    @Name("FigureTable")
    public record Table(@NonNull Measure measure, @NonNull Unit unit, BigInteger total, @NonNull List<@NonNull Row> rows, int totalRows,
                        boolean preliminary, @Ignore List<Long> releaseIds, @NonNull List<@NonNull String> caveats,
                        @Description("Years in the selection that their release covers only in part (e.g. to 30 June)")
                        @NonNull List<@NonNull Integer> partialYears) {
    }

    @Name("SeriesPoint")
    public record Point(int year, BigInteger value, BigInteger change,
                        @Description("change as a percentage of the year before; null for a flow when either year is partial")
                        Double changePercent, @NonNull FigureStatus status,
                        @Ignore Long releaseId, @NonNull LocalDate periodEnd,
                        @Description("The year's release covers it only up to periodEnd") boolean partial) {
    }

    @Name("Comparison")
    public record Comparison(BigInteger periodTotal, BigInteger baselineTotal, Double periodYearlyMean,
                             Double baselineYearlyMean, Double ratio,
                             @Description("Partial years in the period or the baseline: a flow's are left out of both totals, a stock's counted and flagged")
                             @NonNull List<@NonNull Integer> partialYears, @NonNull List<@NonNull String> caveats) {
    }

    @Name("Vintage")
    public record Vintage(@Ignore long releaseId, BigInteger value, BigInteger change,
                          @Description("change as a percentage of the vintage before; null when that vintage refers to another period end")
                          Double changePercent, @NonNull FigureStatus status, @NonNull LocalDate periodEnd,
                          @Description("false: the vintage before it refers to another period end, so the change is not a revision")
                          boolean comparable) {
    }

    @Name("Revision")
    public record Revision(Integer year, @Ignore String originCode, @Ignore String asylumCode, @NonNull List<@NonNull Vintage> vintages) {
    }

    @Name("RecognitionRate")
    public record Rate(Integer year, @Ignore String originCode, @Ignore String asylumCode, BigInteger recognized, BigInteger complementary,
                       BigInteger rejected, Double totalRecognitionRate,
                       @Description("recognized / (recognized + complementary + rejected)") Double refugeeRecognitionRate) {
    }

    /** What a front-end needs to offer a measure correctly (the query measures in stats-service/schema.graphql). */
    @Name("MeasureInfo")
    public record MeasureInfo(@NonNull Measure measure, @NonNull String dataset, @NonNull MeasureKind kind, @NonNull List<@NonNull Unit> units,
                              @NonNull List<@NonNull Dimension> dimensions, @NonNull String label) {

        public static MeasureInfo of(Measure m) {
            return new MeasureInfo(m, m.dataset().pathName(), m.kind(), m.units(), m.dimensions(), m.label());
        }
    }

    /** The first {@code first} entries of a list answer; {@code truncated} when the selection holds more. */
    public record Page<T>(List<T> items, boolean truncated, int first) {

        /** {@code fetched} holds up to one entry more than {@code first}: its presence means truncated. */
        static <T> Page<T> of(List<T> fetched, int first) {
            return fetched.size() > first ? new Page<>(List.copyOf(fetched.subList(0, first)), true, first) : new Page<>(fetched, false, first);
        }
    }
}
