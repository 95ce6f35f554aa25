package org.asylumstats.stats.figures;

import java.math.BigInteger;
import java.util.List;

/**
 * Answers of the figure queries, with countries and releases as ids: the GraphQL layer resolves
 * them in batches from the catalog.
 */
public final class Results {

    private Results() {
    }

    public record Row(Integer year, String origin, String asylum, String originRegion, String asylumRegion,
                      String procedure, String applicationType, String decisionLevel,
                      BigInteger value, Double share, FigureStatus status) {
    }

    public record Table(Measure measure, Unit unit, BigInteger total, List<Row> rows, int totalRows, boolean preliminary,
                        List<Long> releases, List<String> caveats) {
    }

    public record Point(int year, BigInteger value, BigInteger change, Double changePercent, FigureStatus status, Long release) {
    }

    public record Comparison(BigInteger periodTotal, BigInteger baselineTotal, Double periodYearlyMean,
                             Double baselineYearlyMean, Double ratio) {
    }

    public record Vintage(long release, BigInteger value, BigInteger change, Double changePercent, FigureStatus status) {
    }

    public record Revision(Integer year, String origin, String asylum, List<Vintage> vintages) {
    }

    public record Rate(Integer year, String origin, String asylum, BigInteger recognized, BigInteger complementary,
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
