package org.asylumstats.stats.graphql;

import org.asylumstats.stats.figures.FigureStatus;
import org.asylumstats.stats.figures.Measure;
import org.asylumstats.stats.figures.Results;
import org.asylumstats.stats.figures.Unit;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

import java.math.BigInteger;
import java.util.List;

/**
 * The GraphQL output types. Countries and releases are held as codes and ids (methods without a
 * getter prefix stay out of the schema) and resolved in batches by {@link StatsApi}'s @Source fields.
 */
public final class Types {

    private Types() {
    }

    @Name("FigureTable")
    public static final class FigureTable {
        private final Results.Table table;

        FigureTable(Results.Table table) {
            this.table = table;
        }

        public @NonNull Measure getMeasure() {
            return table.measure();
        }

        public @NonNull Unit getUnit() {
            return table.unit();
        }

        public BigInteger getTotal() {
            return table.total();
        }

        public @NonNull List<@NonNull FigureRow> getRows() {
            return table.rows().stream().map(FigureRow::new).toList();
        }

        public int getTotalRows() {
            return table.totalRows();
        }

        public boolean isPreliminary() {
            return table.preliminary();
        }

        public @NonNull List<@NonNull String> getCaveats() {
            return table.caveats();
        }

        List<Long> releaseIds() {
            return table.releases();
        }
    }

    @Name("FigureRow")
    public static final class FigureRow {
        private final Results.Row row;

        FigureRow(Results.Row row) {
            this.row = row;
        }

        public Integer getYear() {
            return row.year();
        }

        public String getOriginRegion() {
            return row.originRegion();
        }

        public String getAsylumRegion() {
            return row.asylumRegion();
        }

        public String getProcedure() {
            return row.procedure();
        }

        public String getApplicationType() {
            return row.applicationType();
        }

        public String getDecisionLevel() {
            return row.decisionLevel();
        }

        public BigInteger getValue() {
            return row.value();
        }

        public Double getShare() {
            return row.share();
        }

        public @NonNull FigureStatus getStatus() {
            return row.status();
        }

        String originCode() {
            return row.origin();
        }

        String asylumCode() {
            return row.asylum();
        }
    }

    @Name("SeriesPoint")
    public static final class SeriesPoint {
        private final Results.Point point;

        SeriesPoint(Results.Point point) {
            this.point = point;
        }

        public int getYear() {
            return point.year();
        }

        public BigInteger getValue() {
            return point.value();
        }

        public BigInteger getChange() {
            return point.change();
        }

        public Double getChangePercent() {
            return point.changePercent();
        }

        public @NonNull FigureStatus getStatus() {
            return point.status();
        }

        Long releaseId() {
            return point.release();
        }
    }

    @Name("Revision")
    public static final class Revision {
        private final Results.Revision revision;

        Revision(Results.Revision revision) {
            this.revision = revision;
        }

        public Integer getYear() {
            return revision.year();
        }

        public @NonNull List<@NonNull Vintage> getVintages() {
            return revision.vintages().stream().map(Vintage::new).toList();
        }

        String originCode() {
            return revision.origin();
        }

        String asylumCode() {
            return revision.asylum();
        }
    }

    @Name("Vintage")
    public static final class Vintage {
        private final Results.Vintage vintage;

        Vintage(Results.Vintage vintage) {
            this.vintage = vintage;
        }

        public BigInteger getValue() {
            return vintage.value();
        }

        public BigInteger getChange() {
            return vintage.change();
        }

        public Double getChangePercent() {
            return vintage.changePercent();
        }

        public @NonNull FigureStatus getStatus() {
            return vintage.status();
        }

        long releaseId() {
            return vintage.release();
        }
    }

    @Name("RecognitionRate")
    public static final class RecognitionRate {
        private final Results.Rate rate;

        RecognitionRate(Results.Rate rate) {
            this.rate = rate;
        }

        public Integer getYear() {
            return rate.year();
        }

        public BigInteger getRecognized() {
            return rate.recognized();
        }

        public BigInteger getComplementary() {
            return rate.complementary();
        }

        public BigInteger getRejected() {
            return rate.rejected();
        }

        public Double getTotalRecognitionRate() {
            return rate.totalRecognitionRate();
        }

        String originCode() {
            return rate.origin();
        }

        String asylumCode() {
            return rate.asylum();
        }
    }

    @Name("Comparison")
    public record Comparison(BigInteger periodTotal, BigInteger baselineTotal, Double periodYearlyMean,
                             Double baselineYearlyMean, Double ratio) {
        static Comparison of(Results.Comparison c) {
            return new Comparison(c.periodTotal(), c.baselineTotal(), c.periodYearlyMean(), c.baselineYearlyMean(), c.ratio());
        }
    }
}
