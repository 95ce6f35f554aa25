package org.asylumstats.stats.figures;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.asylumstats.stats.cache.AnswerCache;
import org.asylumstats.stats.catalog.Catalog;
import org.asylumstats.stats.catalog.Release;
import org.asylumstats.stats.catalog.Snapshot;
import org.asylumstats.stats.config.StatsConfig;
import org.asylumstats.stats.database.Sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The questions front-ends ask, answered with aggregate SQL ({@link StatementBuilder}) over the
 * releases in force. Each answer is computed from one catalog snapshot and cached under that
 * snapshot's generation, until the next publication or retraction (see ChangeListener). Every
 * question is checked (years, filter lists, {@code first}) before it is looked up or asked: an
 * unbounded question neither reaches the database nor takes a place in the cache.
 */
@ApplicationScoped
public class FigureQueries {

    @Inject
    Sql sql;
    @Inject
    Catalog catalog;
    @Inject
    StatsConfig config;
    @Inject
    AnswerCache cache;

    public Results.Table figures(Measure measure, FigureFilter filter, List<Dimension> groupBy, Integer first, Long asOf) {
        FigureFilter checked = checked(filter);
        int limit = rows(first, config.defaultFirst());
        Snapshot snapshot = catalog.snapshot();
        return cache.answer(snapshot.generation(), Arrays.asList("figures", measure, checked, groupBy, limit, asOf),
                () -> computeFigures(snapshot, measure, checked, groupBy, limit, asOf));
    }

    private Results.Table computeFigures(Snapshot snapshot, Measure measure, FigureFilter filter, List<Dimension> groupBy,
                                         int limit, Long asOf) {
        StatementBuilder statements = new StatementBuilder(snapshot);
        List<Dimension> dims = groupBy == null ? List.of() : List.copyOf(new LinkedHashSet<>(groupBy));
        FigureFilter f = filter == null ? FigureFilter.NONE : filter;
        SqlStatement summary = statements.figuresSummary(measure, filter, dims, asOf);
        SqlStatement grouped = dims.isEmpty() ? null : statements.figuresRows(measure, filter, dims, limit, asOf);
        Summary sum = summary(summary);
        List<String> caveats = new ArrayList<>();
        if (sum.otherUnitRows() > 0) {
            Unit other = f.unitOrDefault() == Unit.PERSONS ? Unit.CASES : Unit.PERSONS;
            caveats.add(sum.otherUnitRows() + " figure(s) counted in " + other + " left out: cases and persons are never added");
        }
        if (f.years() != null) {
            List<Integer> missing = new ArrayList<>();
            for (int y = f.years().from(); y <= f.years().to(); y++) {
                if (!sum.reportedYears().contains((long) y)) {
                    missing.add(y);
                }
            }
            if (!missing.isEmpty()) {
                caveats.add("nothing reported for " + (missing.size() > 20 ? missing.size() + " of the years" : "years " + missing));
            }
        }
        Periods periods = new Periods(snapshot, measure, asOf);
        List<Integer> partialYears = periods.partialYears(sum.reportedYears());
        partialYears.forEach(year -> caveats.add(periods.counted(year)));
        // a row that is one year's figure says where that year ends: every row of a one-year selection, else each YEAR group
        LocalDate onlyYearEnd = sum.reportedYears().size() == 1 ? periods.end(sum.reportedYears().get(0).intValue()) : null;
        List<Results.Row> rows = new ArrayList<>();
        int totalRows;
        if (grouped == null) {
            totalRows = 1;
            if (limit > 0) {
                rows.add(sum.totalRow(onlyYearEnd));
            }
        } else {
            totalRows = groupedRows(grouped, dims, limit, sum.total(), rows, year -> year == null ? onlyYearEnd : periods.end(year));
        }
        return new Results.Table(measure, measure.hasUnit() ? f.unitOrDefault() : Unit.PERSONS, sum.total(), rows, totalRows,
                sum.preliminary(), sum.releases(), caveats, partialYears);
    }

    /** What the summary statement of a figures table answers. */
    private record Summary(BigInteger total, long otherUnitRows, boolean preliminary, List<Long> releases, List<Long> reportedYears) {

        /** The one row of a selection without groups: its total. */
        Results.Row totalRow(LocalDate periodEnd) {
            return new Results.Row(null, null, null, null, null, null, null, null, total, total == null ? null : 1.0,
                    preliminary ? FigureStatus.PRELIMINARY : FigureStatus.FINAL, periodEnd, null, null, null);
        }
    }

    private Summary summary(SqlStatement summary) {
        return sql.query(summary, rs -> {
            rs.next();
            return new Summary(big(rs.getBigDecimal(1)), rs.getLong(2), rs.getBoolean(3), longs(rs.getArray(4)), longs(rs.getArray(5)));
        });
    }

    /** Adds the first {@code limit} groups to {@code rows}; returns the number of groups. */
    private int groupedRows(SqlStatement grouped, List<Dimension> dims, int limit, BigInteger total, List<Results.Row> rows,
                            Function<Integer, LocalDate> periodEnd) {
        return sql.query(grouped, rs -> {
            int totalRows = 0;
            while (rs.next()) {
                totalRows = rs.getInt(dims.size() + 3);
                if (rows.size() == limit) {
                    continue; // the one row fetched to count the groups of a 'first: 0' question
                }
                rows.add(row(rs, dims, total, periodEnd));
            }
            return totalRows;
        });
    }

    /** A grouped row of the figures statements: the keys, then the sum and whether it is preliminary. */
    private static Results.Row row(ResultSet rs, List<Dimension> dims, BigInteger total, Function<Integer, LocalDate> periodEnd)
            throws SQLException {
        Map<Dimension, Object> key = new LinkedHashMap<>();
        for (int i = 0; i < dims.size(); i++) {
            key.put(dims.get(i), rs.getObject(i + 1));
        }
        BigInteger value = big(rs.getBigDecimal(dims.size() + 1));
        boolean prelim = rs.getBoolean(dims.size() + 2);
        Double share = value == null || total == null || total.signum() == 0 ? null
                : new BigDecimal(value).divide(new BigDecimal(total), 12, RoundingMode.HALF_EVEN).doubleValue();
        Integer year = key.get(Dimension.YEAR) == null ? null : ((Number) key.get(Dimension.YEAR)).intValue();
        return new Results.Row(year,
                (String) key.get(Dimension.ORIGIN), (String) key.get(Dimension.ASYLUM),
                (String) key.get(Dimension.ORIGIN_REGION), (String) key.get(Dimension.ASYLUM_REGION),
                (String) key.get(Dimension.PROCEDURE), (String) key.get(Dimension.APPLICATION_TYPE),
                (String) key.get(Dimension.DECISION_LEVEL), value, share,
                prelim ? FigureStatus.PRELIMINARY : FigureStatus.FINAL, periodEnd.apply(year),
                key.get(Dimension.SEX) == null ? null : Sex.valueOf((String) key.get(Dimension.SEX)),
                (String) key.get(Dimension.AGE_GROUP), (String) key.get(Dimension.POPULATION_TYPE));
    }

    /**
     * Every group of a figures selection, for an export (the same selection, checks and rows as
     * {@link #figures}): in year order, then largest first, each with the releases it comes from and
     * whether it covers a partial year. Not cached (an export may be large; HTTP revalidation serves
     * repeats). A selection of more than {@code maxRows} groups is refused, never cut: at most
     * {@code maxRows} + 1 groups are read.
     */
    public FigureExport export(Measure measure, FigureFilter filter, List<Dimension> groupBy, int maxRows, Long asOf) {
        FigureFilter checked = checked(filter);
        Snapshot snapshot = catalog.snapshot();
        StatementBuilder statements = new StatementBuilder(snapshot);
        List<Dimension> dims = groupBy == null ? List.of() : List.copyOf(new LinkedHashSet<>(groupBy));
        FigureFilter f = checked == null ? FigureFilter.NONE : checked;
        SqlStatement summary = statements.figuresSummary(measure, checked, dims, asOf);
        SqlStatement grouped = dims.isEmpty() ? null : statements.figuresExportRows(measure, checked, dims, maxRows + 1, asOf);
        Summary sum = summary(summary);
        Periods periods = new Periods(snapshot, measure, asOf);
        LocalDate onlyYearEnd = sum.reportedYears().size() == 1 ? periods.end(sum.reportedYears().get(0).intValue()) : null;
        Function<Integer, LocalDate> periodEnd = year -> year == null ? onlyYearEnd : periods.end(year);
        List<FigureExport.Row> rows = new ArrayList<>();
        if (grouped == null) {
            rows.add(new FigureExport.Row(sum.totalRow(onlyYearEnd), releases(snapshot, sum.releases()),
                    !periods.partialYears(sum.reportedYears()).isEmpty()));
        } else {
            sql.query(grouped, rs -> {
                while (rs.next()) {
                    long groups = rs.getLong(dims.size() + 3);
                    if (groups > maxRows) {
                        throw new SelectionTooLargeException(groups, maxRows);
                    }
                    Results.Row row = row(rs, dims, sum.total(), periodEnd);
                    rows.add(new FigureExport.Row(row, releases(snapshot, longs(rs.getArray(dims.size() + 4))),
                            !periods.partialYears(longs(rs.getArray(dims.size() + 5))).isEmpty()));
                }
                return rows.size();
            });
        }
        return new FigureExport(measure, measure.hasUnit() ? f.unitOrDefault() : Unit.PERSONS, rows, releases(snapshot, sum.releases()),
                periods.partialYears(sum.reportedYears()));
    }

    private static List<Release> releases(Snapshot snapshot, List<Long> ids) {
        return ids.stream().map(snapshot::release).filter(java.util.Objects::nonNull).toList();
    }

    /** One point a year, gaps included as null values, with the change against the year before. */
    public List<Results.Point> series(Measure measure, FigureFilter filter, Long asOf) {
        FigureFilter checked = checked(filter);
        return series(catalog.snapshot(), measure, checked, asOf);
    }

    private List<Results.Point> series(Snapshot snapshot, Measure measure, FigureFilter checked, Long asOf) {
        return cache.answer(snapshot.generation(), Arrays.asList("series", measure, checked, asOf),
                () -> computeSeries(snapshot, measure, checked, asOf));
    }

    private List<Results.Point> computeSeries(Snapshot snapshot, Measure measure, FigureFilter filter, Long asOf) {
        TreeMap<Integer, Object[]> byYear = sql.query(new StatementBuilder(snapshot).series(measure, filter, asOf), rs -> {
            TreeMap<Integer, Object[]> map = new TreeMap<>();
            while (rs.next()) {
                map.put(rs.getInt(1), new Object[]{big(rs.getBigDecimal(2)), rs.getBoolean(3), rs.getLong(4)});
            }
            return map;
        });
        FigureFilter f = filter == null ? FigureFilter.NONE : filter;
        if (byYear.isEmpty() && f.years() == null) {
            return List.of();
        }
        int from = f.years() != null ? f.years().from() : byYear.firstKey();
        int to = f.years() != null ? f.years().to() : byYear.lastKey();
        Periods periods = new Periods(snapshot, measure, asOf);
        List<Results.Point> points = new ArrayList<>();
        BigInteger previous = null;
        for (int year = from; year <= to; year++) {
            Object[] v = byYear.get(year);
            BigInteger value = v == null ? null : (BigInteger) v[0];
            BigInteger change = value == null || previous == null ? null : value.subtract(previous);
            // half a year's flow against a whole year's is no rate of change (a stock's mid-year count still is)
            boolean comparable = !periods.flow() || (!periods.partial(year) && !periods.partial(year - 1));
            points.add(new Results.Point(year, value, change, comparable ? percent(change, previous) : null,
                    v != null && (Boolean) v[1] ? FigureStatus.PRELIMINARY : FigureStatus.FINAL, v == null ? null : (Long) v[2],
                    periods.end(year), periods.partial(year)));
            previous = value;
        }
        return points;
    }

    /**
     * A period against a baseline, both totals from one statement. A flow's partial years are left
     * out of both (a half year is not added to whole years) and each mean is over the years counted;
     * a stock's partial year is its latest count, counted and flagged.
     */
    public Results.Comparison compare(Measure measure, FigureFilter filter, YearRange period, YearRange baseline, Long asOf) {
        FigureFilter checked = checked(filter);
        period.checked("period");
        baseline.checked("baseline");
        Snapshot snapshot = catalog.snapshot();
        return cache.answer(snapshot.generation(), Arrays.asList("compare", measure, checked, period, baseline, asOf),
                () -> computeCompare(snapshot, measure, checked, period, baseline, asOf));
    }

    private Results.Comparison computeCompare(Snapshot snapshot, Measure measure, FigureFilter filter, YearRange period, YearRange baseline,
                                              Long asOf) {
        Periods periods = new Periods(snapshot, measure, asOf);
        Set<Integer> asked = new TreeSet<>();
        for (YearRange range : List.of(period, baseline)) {
            for (int y = range.from(); y <= range.to(); y++) {
                asked.add(y);
            }
        }
        Set<Integer> leftOut = periods.flow() ? new TreeSet<>(periods.partialYears(asked)) : Set.of();
        return sql.query(new StatementBuilder(snapshot).compare(measure, filter, period, baseline, asOf, leftOut), rs -> {
            rs.next();
            BigInteger periodTotal = big(rs.getBigDecimal(1));
            BigInteger baselineTotal = big(rs.getBigDecimal(2));
            List<Long> reported = longs(rs.getArray(3));
            Double periodMean = mean(periodTotal, period, leftOut);
            Double baselineMean = mean(baselineTotal, baseline, leftOut);
            Double ratio = periodMean == null || baselineMean == null || baselineMean == 0 ? null : periodMean / baselineMean;
            List<Integer> partialYears = periods.flow() ? List.copyOf(leftOut) : periods.partialYears(reported);
            List<String> caveats = new ArrayList<>();
            partialYears.forEach(year -> caveats.add(periods.flow() ? periods.leftOut(year) : periods.counted(year)));
            List<Integer> missing = asked.stream().filter(y -> !leftOut.contains(y) && !reported.contains((long) y)).toList();
            if (!missing.isEmpty()) {
                caveats.add("nothing reported for " + (missing.size() > 20 ? missing.size() + " of the years" : "years " + missing)
                        + " (the yearly means count them as years)");
            }
            return new Results.Comparison(periodTotal, baselineTotal, periodMean, baselineMean, ratio, partialYears, caveats);
        });
    }

    /** A range's total over the years it counts (those not left out); null when nothing was counted. */
    private static Double mean(BigInteger total, YearRange range, Set<Integer> leftOut) {
        long years = range.length() - leftOut.stream().filter(y -> y >= range.from() && y <= range.to()).count();
        return total == null || years == 0 ? null : total.doubleValue() / years;
    }

    /** The year with the largest value: from the series of the same snapshot (itself cached). */
    public Results.Point peak(Measure measure, FigureFilter filter, Long asOf) {
        FigureFilter checked = checked(filter);
        Snapshot snapshot = catalog.snapshot();
        return cache.answer(snapshot.generation(), Arrays.asList("peak", measure, checked, asOf), () -> {
            Results.Point best = null;
            boolean flow = measure.kind() == MeasureKind.FLOW;
            for (Results.Point p : series(snapshot, measure, checked, asOf)) {
                if (flow && p.partial()) {
                    continue; // a half year's flow is no candidate for the largest year
                }
                if (p.value() != null && (best == null || p.value().compareTo(best.value()) > 0)) {
                    best = p;
                }
            }
            return best;
        });
    }

    /**
     * Every published vintage of each year's figure (per origin/asylum when grouped), in publication
     * order: the first {@code first} entries (years, or year × group), truncated when more were selected.
     */
    public Results.Page<Results.Revision> revisions(Measure measure, FigureFilter filter, List<Dimension> groupBy, Integer first) {
        FigureFilter checked = checked(filter);
        int limit = rows(first, config.defaultListFirst());
        Snapshot snapshot = catalog.snapshot();
        return cache.answer(snapshot.generation(), Arrays.asList("revisions", measure, checked, groupBy, limit),
                () -> computeRevisions(snapshot, measure, checked, groupBy, limit));
    }

    private Results.Page<Results.Revision> computeRevisions(Snapshot snapshot, Measure measure, FigureFilter filter,
                                                           List<Dimension> groupBy, int limit) {
        List<Dimension> dims = groupBy == null ? List.of() : groupBy.stream().distinct().toList();
        return sql.query(new StatementBuilder(snapshot).revisions(measure, filter, dims, limit), rs -> {
            Map<List<Object>, List<Results.Vintage>> grouped = new LinkedHashMap<>();
            while (rs.next()) {
                int year = rs.getInt(1);
                List<Object> key = Arrays.asList(year, rs.getString(2), rs.getString(3));
                List<Results.Vintage> vintages = grouped.computeIfAbsent(key, k -> new ArrayList<>());
                long releaseId = rs.getLong(4);
                BigInteger value = big(rs.getBigDecimal(5));
                Results.Vintage before = vintages.isEmpty() ? null : vintages.get(vintages.size() - 1);
                BigInteger previous = before == null ? null : before.value();
                BigInteger change = value == null || previous == null ? null : value.subtract(previous);
                LocalDate periodEnd = snapshot.release(releaseId).periodEnd(year);
                // 30 June against 31 December is another quantity, not a revision: its change is no percentage of the first
                boolean comparable = before == null || before.periodEnd().equals(periodEnd);
                vintages.add(new Results.Vintage(releaseId, value, change, comparable ? percent(change, previous) : null,
                        rs.getBoolean(6) ? FigureStatus.PRELIMINARY : FigureStatus.FINAL, periodEnd, comparable));
            }
            List<Results.Revision> out = new ArrayList<>();
            grouped.forEach((k, v) -> out.add(new Results.Revision((Integer) k.get(0), (String) k.get(1), (String) k.get(2), v)));
            return Results.Page.of(out, limit);
        });
    }

    /**
     * UNHCR's total recognition rate, (recognized + complementary) / (recognized + complementary + rejected),
     * and its refugee recognition rate, recognized / (recognized + complementary + rejected).
     */
    public Results.Page<Results.Rate> recognitionRates(FigureFilter filter, List<Dimension> groupBy, Integer first, Long asOf) {
        FigureFilter checked = checked(filter);
        int limit = rows(first, config.defaultListFirst());
        Snapshot snapshot = catalog.snapshot();
        return cache.answer(snapshot.generation(), Arrays.asList("recognitionRates", checked, groupBy, limit, asOf),
                () -> computeRecognitionRates(new StatementBuilder(snapshot), checked, groupBy, limit, asOf));
    }

    private Results.Page<Results.Rate> computeRecognitionRates(StatementBuilder statements, FigureFilter filter, List<Dimension> groupBy,
                                                              int limit, Long asOf) {
        List<Dimension> dims = groupBy == null ? List.of() : groupBy.stream().distinct().toList();
        return sql.query(statements.recognitionRates(filter, dims, limit, asOf), rs -> {
            List<Results.Rate> out = new ArrayList<>();
            while (rs.next()) {
                BigInteger rec = big(rs.getBigDecimal(4));
                BigInteger comp = big(rs.getBigDecimal(5));
                BigInteger rej = big(rs.getBigDecimal(6));
                Object y = rs.getObject(1);
                out.add(new Results.Rate(y == null ? null : ((Number) y).intValue(), rs.getString(2), rs.getString(3), rec, comp, rej,
                        rate(nz(rec).add(nz(comp)), rec, comp, rej), rate(nz(rec), rec, comp, rej)));
            }
            return Results.Page.of(out, limit);
        });
    }

    private FigureFilter checked(FigureFilter filter) {
        return filter == null ? null : filter.checked(config.maxFilterValues(), config.maxFilterValueLength());
    }

    /** The rows a list returns: {@code first}, or the list's default, within 0..maxFirst. */
    private int rows(Integer first, int defaultFirst) {
        int limit = first == null ? defaultFirst : first;
        if (limit < 0 || limit > config.maxFirst()) {
            throw new QueryException("first must be between 0 and " + config.maxFirst() + ", was " + limit);
        }
        return limit;
    }

    /** {@code positive} over all substantive decisions (closed ones are left out); null when none was reported. */
    private static Double rate(BigInteger positive, BigInteger rec, BigInteger comp, BigInteger rej) {
        if (rec == null && comp == null && rej == null) {
            return null;
        }
        BigInteger all = nz(rec).add(nz(comp)).add(nz(rej));
        return all.signum() == 0 ? null : positive.doubleValue() / all.doubleValue();
    }

    private static BigInteger nz(BigInteger v) {
        return v == null ? BigInteger.ZERO : v;
    }

    private static Double percent(BigInteger change, BigInteger previous) {
        if (change == null || previous == null || previous.signum() == 0) {
            return null;
        }
        return change.doubleValue() * 100.0 / previous.doubleValue();
    }

    private static BigInteger big(BigDecimal d) {
        return d == null ? null : d.toBigInteger();
    }

    private static List<Long> longs(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        List<Long> out = new ArrayList<>();
        for (Object o : (Object[]) array.getArray()) {
            out.add(((Number) o).longValue());
        }
        Collections.sort(out);
        return out;
    }
}
