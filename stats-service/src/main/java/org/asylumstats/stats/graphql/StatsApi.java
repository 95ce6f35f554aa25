package org.asylumstats.stats.graphql;

import jakarta.inject.Inject;
import org.asylumstats.stats.catalog.Catalog;
import org.asylumstats.stats.figures.Dimension;
import org.asylumstats.stats.figures.FigureFilter;
import org.asylumstats.stats.figures.FigureQueries;
import org.asylumstats.stats.figures.Measure;
import org.asylumstats.stats.figures.QueryException;
import org.asylumstats.stats.figures.Results;
import org.asylumstats.stats.figures.YearRange;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** The GraphQL API, as served and committed in stats-service/schema.graphql: thin; the answers come from {@link FigureQueries}. */
@GraphQLApi
public class StatsApi {

    @Inject
    FigureQueries queries;
    @Inject
    Catalog catalog;

    @Query
    @Description("Aggregated figures, rows sorted by value, largest first; total and totalRows cover the whole selection")
    public @NonNull Results.Table figures(@NonNull Measure measure, FigureFilter filter, List<Dimension> groupBy,
                                              Integer first, @Id String asOf) {
        return queries.figures(measure, filter, groupBy, first, releaseId(asOf));
    }

    @Query
    @Description("One point a year, not reported years as null values")
    public @NonNull List<Results.@NonNull Point> series(@NonNull Measure measure, FigureFilter filter, @Id String asOf) {
        return queries.series(measure, filter, releaseId(asOf));
    }

    @Query
    @Description("A period against a baseline: ratio = period yearly mean / baseline yearly mean")
    public @NonNull Results.Comparison compare(@NonNull Measure measure, FigureFilter filter, @NonNull YearRange period,
                                             @NonNull YearRange baseline, @Id String asOf) {
        return queries.compare(measure, filter, period, baseline, releaseId(asOf));
    }

    @Query
    @Description("The year with the largest value")
    public Results.Point peak(@NonNull Measure measure, FigureFilter filter, @Id String asOf) {
        return queries.peak(measure, filter, releaseId(asOf));
    }

    @Query
    @Description("Each year's figure in every published release that carried it, in publication order;"
            + " the first entries (default 500), with a 'truncated' error when the selection holds more")
    public @NonNull List<Results.@NonNull Revision> revisions(@NonNull Measure measure, FigureFilter filter, List<Dimension> groupBy,
                                                           Integer first) throws TruncatedException {
        var page = queries.revisions(measure, filter, groupBy, first);
        return whole("revisions", page);
    }

    @Query
    @Description("UNHCR's total recognition rate, (recognized + complementary) / (recognized + complementary + rejected), and its refugee"
            + " recognition rate, recognized / (the same); the first entries (default 500), with a 'truncated' error when the selection holds more")
    public @NonNull List<Results.@NonNull Rate> recognitionRates(FigureFilter filter, List<Dimension> groupBy, Integer first,
                                                                          @Id String asOf) throws TruncatedException {
        var page = queries.recognitionRates(filter, groupBy, first, releaseId(asOf));
        return whole("recognitionRates", page);
    }

    @Query
    @Description("Every measure with its dataset, kind (stock or flow), units, the dimensions it may be grouped by, and its label")
    public @NonNull List<Results.@NonNull MeasureInfo> measures() {
        return Arrays.stream(Measure.values()).map(Results.MeasureInfo::of).toList();
    }

    @Query
    public @NonNull List<@NonNull ReleaseType> releases() {
        return catalog.releases().stream().map(ReleaseType::of).toList();
    }

    @Query
    public ReleaseType release(@NonNull @Id String id) {
        return ReleaseType.of(catalog.release(releaseId(id)));
    }

    @Query
    public @NonNull List<@NonNull CountryType> countries() {
        return catalog.countries().stream().map(CountryType::of).toList();
    }

    // Batched field resolvers: one call per list of parents, answered from the in-memory catalog.

    public List<CountryType> origin(@Source List<Results.Row> rows) {
        return countries(rows, Results.Row::originCode);
    }

    public List<CountryType> asylum(@Source List<Results.Row> rows) {
        return countries(rows, Results.Row::asylumCode);
    }

    @Name("origin")
    public List<CountryType> revisionOrigin(@Source List<Results.Revision> revisions) {
        return countries(revisions, Results.Revision::originCode);
    }

    @Name("asylum")
    public List<CountryType> revisionAsylum(@Source List<Results.Revision> revisions) {
        return countries(revisions, Results.Revision::asylumCode);
    }

    @Name("origin")
    public List<CountryType> rateOrigin(@Source List<Results.Rate> rates) {
        return countries(rates, Results.Rate::originCode);
    }

    @Name("asylum")
    public List<CountryType> rateAsylum(@Source List<Results.Rate> rates) {
        return countries(rates, Results.Rate::asylumCode);
    }

    public @NonNull List<@NonNull ReleaseType> releases(@Source Results.Table table) {
        return table.releaseIds().stream().map(catalog::release).map(ReleaseType::of).toList();
    }

    public List<ReleaseType> release(@Source List<Results.Point> points) {
        return points.stream().map(p -> p.releaseId() == null ? null : ReleaseType.of(catalog.release(p.releaseId()))).toList();
    }

    @Name("release")
    public List<@NonNull ReleaseType> vintageRelease(@Source List<Results.Vintage> vintages) {
        return vintages.stream().map(v -> ReleaseType.of(catalog.release(v.releaseId()))).toList();
    }

    private <T> List<CountryType> countries(List<T> parents, Function<T, String> code) {
        return parents.stream().map(p -> CountryType.of(catalog.country(code.apply(p)))).toList();
    }

    /** The entries of a page, or (when it was cut) the same entries as the partial data of a {@code truncated} error. */
    private static <T> List<T> whole(String field, Results.Page<T> page) throws TruncatedException {
        if (page.truncated()) {
            throw new TruncatedException(field, page.first(), page.items());
        }
        return page.items();
    }

    private static Long releaseId(String id) {
        if (id == null) {
            return null;
        }
        try {
            return Long.parseLong(id.strip());
        } catch (NumberFormatException e) {
            throw new QueryException("'" + QueryException.prefix(id) + "' is not a release id");
        }
    }
}
