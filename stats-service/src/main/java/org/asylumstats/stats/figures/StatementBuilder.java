package org.asylumstats.stats.figures;

import org.asylumstats.ingest.core.Dataset;
import org.asylumstats.stats.catalog.InForce;
import org.asylumstats.stats.catalog.Release;
import org.asylumstats.stats.catalog.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The SQL of every question: one complete parameterised statement per question (a grouped figures
 * table adds the statement of its rows), built from the question and one catalog snapshot.
 * <p>
 * What is current, or in force as of a release, is decided in SQL ({@code stats.in_force}) and read
 * into the snapshot; here it is only bound, as {@code (f.release_id = ? AND f.year = ANY(?)) OR ...},
 * so that PostgreSQL (planning each execution for its values) prunes every other release's
 * partition at plan time. Values are always bound; only names derived from enums are spliced.
 */
public final class StatementBuilder {

    private final Snapshot snapshot;

    public StatementBuilder(Snapshot snapshot) {
        this.snapshot = snapshot;
    }

    /**
     * The figures table's summary: total in the unit asked for, figures in the other unit left out,
     * whether any reported figure is preliminary, the releases and years reported.
     */
    public SqlStatement figuresSummary(Measure measure, FigureFilter filter, List<Dimension> dims, Long asOf) {
        Selection s = select(measure, filter, dims, asOf);
        String reported = s.unitMatches + " AND " + s.value + " IS NOT NULL";
        return new SqlStatement.Builder()
                .add("SELECT sum(" + s.value + ") FILTER (WHERE " + s.unitMatches + "),"
                        + " count(*) FILTER (WHERE NOT (" + s.unitMatches + ") AND " + s.value + " IS NOT NULL), coalesce(bool_or(")
                .add(s.preliminary).add(") FILTER (WHERE " + reported + "), false),"
                        + " array_agg(DISTINCT f.release_id) FILTER (WHERE " + reported + "),"
                        + " array_agg(DISTINCT f.year) FILTER (WHERE " + reported + ")")
                .add(s.fromWhere)
                .build();
    }

    /**
     * The figures table's rows, largest first, each with the number of groups ({@code count(*) OVER ()}):
     * at least one row is fetched so that the count is known when {@code limit} is 0.
     */
    public SqlStatement figuresRows(Measure measure, FigureFilter filter, List<Dimension> dims, int limit, Long asOf) {
        Selection s = select(measure, filter, dims, asOf);
        String keys = String.join(", ", dims.stream().map(Dimension::sql).toList());
        return new SqlStatement.Builder()
                .add("SELECT " + keys + ", sum(" + s.value + "), bool_or(").add(s.preliminary).add("), count(*) OVER ()")
                .add(s.fromWhere).add(" AND " + s.unitMatches)
                .add(" GROUP BY " + keys + " ORDER BY sum(" + s.value + ") DESC NULLS LAST, " + keys + " LIMIT ?", Math.max(limit, 1))
                .build();
    }

    /**
     * Every group of a figures selection for an export, in year order (when grouped by year), then
     * largest first, each with the number of groups, the releases and the years it comes from; at most
     * {@code limit} groups (one more than an export may hold tells that it holds too many).
     */
    public SqlStatement figuresExportRows(Measure measure, FigureFilter filter, List<Dimension> dims, int limit, Long asOf) {
        Selection s = select(measure, filter, dims, asOf);
        String keys = String.join(", ", dims.stream().map(Dimension::sql).toList());
        String yearFirst = dims.contains(Dimension.YEAR) ? Dimension.YEAR.sql() + ", " : "";
        return new SqlStatement.Builder()
                .add("SELECT " + keys + ", sum(" + s.value + "), bool_or(").add(s.preliminary).add("), count(*) OVER (),"
                        + " array_agg(DISTINCT f.release_id), array_agg(DISTINCT f.year)")
                .add(s.fromWhere).add(" AND " + s.unitMatches)
                .add(" GROUP BY " + keys + " ORDER BY " + yearFirst + "sum(" + s.value + ") DESC NULLS LAST, " + keys + " LIMIT ?", limit)
                .build();
    }

    /** Per year reported: the sum, whether preliminary, the release it comes from. */
    public SqlStatement series(Measure measure, FigureFilter filter, Long asOf) {
        Selection s = select(measure, filter, List.of(), asOf);
        return new SqlStatement.Builder()
                .add("SELECT f.year, sum(" + s.value + "), bool_or(").add(s.preliminary).add("), min(f.release_id)")
                .add(s.fromWhere).add(" AND " + s.unitMatches + " GROUP BY f.year ORDER BY f.year")
                .build();
    }

    /**
     * Both periods' totals in one statement (the filter's own years are replaced by the two periods),
     * and the years reported; the years in {@code leftOut} are not counted (a flow's partial years).
     */
    public SqlStatement compare(Measure measure, FigureFilter filter, YearRange period, YearRange baseline, Long asOf, Set<Integer> leftOut) {
        FigureFilter f = (filter == null ? FigureFilter.NONE : filter).withYears(null);
        Selection s = select(measure, f, List.of(), asOf, leftOut);
        return new SqlStatement.Builder()
                .add("SELECT sum(" + s.value + ") FILTER (WHERE f.year BETWEEN ? AND ?), sum(" + s.value + ") FILTER (WHERE f.year BETWEEN ? AND ?),"
                        + " array_agg(DISTINCT f.year) FILTER (WHERE " + s.value + " IS NOT NULL)",
                        period.from(), period.to(), baseline.from(), baseline.to())
                .add(s.fromWhere)
                .add(" AND " + s.unitMatches + " AND (f.year BETWEEN ? AND ? OR f.year BETWEEN ? AND ?)",
                        period.from(), period.to(), baseline.from(), baseline.to())
                .build();
    }

    /**
     * Every published release's figure per entry (year, or year × origin/asylum), in publication
     * order; entries are numbered so that an entry's vintages are never split by the limit, and one
     * entry more than asked for says whether the answer is truncated.
     */
    public SqlStatement revisions(Measure measure, FigureFilter filter, List<Dimension> dims, int limit) {
        for (Dimension d : dims) {
            if (d != Dimension.YEAR && d != Dimension.ORIGIN && d != Dimension.ASYLUM) {
                throw new QueryException("groupBy: revisions are grouped by YEAR, ORIGIN or ASYLUM, not " + d);
            }
        }
        List<Release> published = snapshot.published();
        Long[] ids = published.stream().map(Release::id).toArray(Long[]::new);
        Selection s = select(measure, filter, List.of(), published.isEmpty() ? new SqlStatement("FALSE", List.of())
                : new SqlStatement("f.release_id = ANY(?)", List.of((Object) ids)), published);
        String origin = dims.contains(Dimension.ORIGIN) ? "f.origin" : "NULL::text";
        String asylum = dims.contains(Dimension.ASYLUM) ? "f.asylum" : "NULL::text";
        return new SqlStatement.Builder()
                .add("SELECT year, origin, asylum, release_id, value, preliminary FROM ("
                        + "SELECT f.year AS year, " + origin + " AS origin, " + asylum + " AS asylum, f.release_id, sum(" + s.value + ") AS value, bool_or(")
                .add(s.preliminary)
                .add(") AS preliminary, dense_rank() OVER (ORDER BY f.year, " + origin + ", " + asylum + ") AS entry")
                .add(s.fromWhere).add(" AND " + s.unitMatches)
                .add(" GROUP BY f.year, 2, 3, f.release_id) v WHERE entry <= ? ORDER BY entry, array_position(?::bigint[], release_id)",
                        limit + 1, ids)
                .build();
    }

    /** Recognized, complementary and rejected per group, first {@code limit} + 1 groups in key order. */
    public SqlStatement recognitionRates(FigureFilter filter, List<Dimension> dims, int limit, Long asOf) {
        for (Dimension d : dims) {
            if (d != Dimension.YEAR && d != Dimension.ORIGIN && d != Dimension.ASYLUM) {
                throw new QueryException("groupBy: recognition rates are grouped by YEAR, ORIGIN or ASYLUM, not " + d);
            }
        }
        Selection s = select(Measure.RECOGNIZED, filter, List.of(), asOf);
        String year = dims.contains(Dimension.YEAR) ? "f.year" : "NULL::int";
        String origin = dims.contains(Dimension.ORIGIN) ? "f.origin" : "NULL::text";
        String asylum = dims.contains(Dimension.ASYLUM) ? "f.asylum" : "NULL::text";
        return new SqlStatement.Builder()
                .add("SELECT " + year + ", " + origin + ", " + asylum + ", sum(f.recognized), sum(f.complementary_protection), sum(f.rejected)")
                .add(s.fromWhere).add(" AND " + s.unitMatches)
                .add(" GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 LIMIT ?", limit + 1)
                .build();
    }

    /** The FROM and WHERE of a question, the value column, the unit condition and the preliminary condition. */
    private record Selection(String value, String unitMatches, SqlStatement fromWhere, SqlStatement preliminary) {
    }

    /** A question about the releases in force now ({@code asOf} null) or as of a published release. */
    private Selection select(Measure measure, FigureFilter filter, List<Dimension> dims, Long asOf) {
        return select(measure, filter, dims, asOf, Set.of());
    }

    /** The same, leaving the years in {@code leftOut} out whichever release holds them. */
    private Selection select(Measure measure, FigureFilter filter, List<Dimension> dims, Long asOf, Set<Integer> leftOut) {
        for (Dimension d : dims) {
            if (!d.appliesTo(measure.dataset())) {
                throw new QueryException("groupBy: " + d + " does not apply to " + measure + " (" + measure.dataset().pathName() + ")");
            }
        }
        if (asOf != null && (snapshot.release(asOf) == null || !snapshot.release(asOf).published())) {
            throw new QueryException("asOf: release " + asOf + " is not a published release");
        }
        FigureFilter f = filter == null ? FigureFilter.NONE : filter;
        List<InForce.ReleaseYears> asked = new ArrayList<>();
        List<Release> releases = new ArrayList<>();
        for (InForce.ReleaseYears held : snapshot.inForce(asOf).of(measure.dataset().pathName())) {
            List<Integer> years = held.years().stream()
                    .filter(y -> f.years() == null || (y >= f.years().from() && y <= f.years().to()))
                    .filter(y -> !leftOut.contains(y))
                    .toList();
            if (!years.isEmpty()) {
                asked.add(new InForce.ReleaseYears(held.release(), years));
                Release release = snapshot.release(held.release());
                if (release != null) { // in force, so published: known to the snapshot that read the in-force map
                    releases.add(release);
                }
            }
        }
        SqlStatement condition = releaseYears(asked);
        return select(measure, f, dims, condition, releases);
    }

    /** {@code releases}: those {@code releaseCondition} selects, whose preliminary years are marked. */
    private Selection select(Measure measure, FigureFilter filter, List<Dimension> dims, SqlStatement releaseCondition, List<Release> releases) {
        FigureFilter f = filter == null ? FigureFilter.NONE : filter;
        Dataset dataset = measure.dataset();
        SqlStatement.Builder sql = new SqlStatement.Builder().add(" FROM " + dataset.table() + " f");
        if (f.originRegion() != null || dims.contains(Dimension.ORIGIN_REGION)) {
            sql.add(" JOIN stats.country co ON co.code = f.origin");
        }
        if (f.asylumRegion() != null || dims.contains(Dimension.ASYLUM_REGION)) {
            sql.add(" JOIN stats.country ca ON ca.code = f.asylum");
        }
        boolean cells = dims.stream().anyMatch(Dimension::cells) || f.sex() != null || f.ageGroup() != null;
        if (cells) {
            if (dataset != Dataset.DEMOGRAPHICS) {
                throw new QueryException((f.sex() != null ? "sex" : "ageGroup") + ": this filter applies to DEMOGRAPHICS, not to " + measure);
            }
            sql.add(AgeGroup.cells());
        }
        sql.add(" WHERE ").add(releaseCondition);
        if (f.origin() != null) {
            sql.add(" AND f.origin = ANY(?)", (Object) snapshot.countries().canonicalCodes("origin", f.origin()));
        }
        if (f.asylum() != null) {
            sql.add(" AND f.asylum = ANY(?)", (Object) snapshot.countries().canonicalCodes("asylum", f.asylum()));
        }
        if (f.originRegion() != null) {
            sql.add(" AND co.region = ANY(?)", (Object) snapshot.countries().regions("originRegion", f.originRegion()));
        }
        if (f.asylumRegion() != null) {
            sql.add(" AND ca.region = ANY(?)", (Object) snapshot.countries().regions("asylumRegion", f.asylumRegion()));
        }
        if (f.years() != null) { // checked by FigureFilter.checked
            sql.add(" AND f.year BETWEEN ? AND ?", f.years().from(), f.years().to());
        }
        code(sql, dataset, "procedure", f.procedure(), measure);
        code(sql, dataset, "application_type", f.applicationType(), measure);
        code(sql, dataset, "decision_level", f.decisionLevel(), measure);
        code(sql, dataset, "population_type", f.populationType(), measure);
        if (f.sex() != null) {
            sql.add(" AND c.sex = ANY(?)", (Object) f.sex().stream().map(Enum::name).toArray(String[]::new));
        }
        if (f.ageGroup() != null) {
            sql.add(" AND c.age_group = ANY(?)", (Object) f.ageGroup().stream().map(g -> g.strip().toUpperCase(Locale.ROOT)).toArray(String[]::new));
        }
        String unitMatches = "TRUE";
        if (measure.hasUnit()) {
            unitMatches = "f.unit = '" + f.unitOrDefault().name() + "'";
        } else if (f.unitOrDefault() == Unit.CASES) {
            throw new QueryException("unit: " + measure + " is counted in persons only; CASES does not apply");
        }
        return new Selection(cells ? "c.value" : "f." + measure.column(), unitMatches, sql.build(), preliminary(releases));
    }

    /** Whether a row's year is preliminary in its release: FALSE when no selected release has preliminary years. */
    private static SqlStatement preliminary(List<Release> releases) {
        return releaseYears(releases.stream().filter(r -> !r.preliminaryYears().isEmpty())
                .map(r -> new InForce.ReleaseYears(r.id(), r.preliminaryYears())).toList());
    }

    /**
     * Rows of these releases in these years: {@code ((f.release_id = ? AND f.year = ANY(?)) OR ...)},
     * FALSE when there are none. Bound per release, so that PostgreSQL prunes the other partitions.
     */
    private static SqlStatement releaseYears(List<InForce.ReleaseYears> pairs) {
        if (pairs.isEmpty()) {
            return new SqlStatement("FALSE", List.of());
        }
        SqlStatement.Builder sql = new SqlStatement.Builder().add("(");
        for (int i = 0; i < pairs.size(); i++) {
            sql.add(i == 0 ? "" : " OR ").add("(f.release_id = ? AND f.year = ANY(?))", pairs.get(i).release(),
                    pairs.get(i).years().toArray(Integer[]::new));
        }
        return sql.add(")").build();
    }

    private static void code(SqlStatement.Builder sql, Dataset dataset, String column, List<String> values, Measure measure) {
        if (values == null) {
            return;
        }
        if (dataset.codes().stream().noneMatch(c -> c.column().equals(column))) {
            throw new QueryException(camel(column) + ": this filter does not apply to " + measure + " (" + dataset.pathName() + ")");
        }
        sql.add(" AND f." + column + " = ANY(?)", (Object) values.stream().map(v -> v.strip().toUpperCase(Locale.ROOT)).toArray(String[]::new));
    }

    /** {@code origin_region} -> {@code originRegion}: how a column is named to callers. */
    public static String camel(String column) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char ch : column.toCharArray()) {
            if (ch == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return out.toString();
    }
}
