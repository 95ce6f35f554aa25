package org.asylumstats.stats.figures;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.asylumstats.stats.cache.AnswerCache;
import org.asylumstats.stats.catalog.Catalog;
import org.asylumstats.stats.config.StatsConfig;
import org.asylumstats.stats.database.Sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The questions front-ends ask, answered with aggregate SQL over current figures. Answers are
 * cached until the next publication or retraction (see ChangeListener). Every question is checked
 * (years, filter lists, {@code first}) before it is looked up or asked: an unbounded question
 * neither reaches the database nor takes a place in the cache.
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
        return cache.answer(Arrays.asList("figures", measure, checked, groupBy, limit, asOf), () -> computeFigures(measure, checked, groupBy, limit, asOf));
    }

    private Results.Table computeFigures(Measure measure, FigureFilter filter, List<Dimension> groupBy, int limit, Long asOf) {
        List<Dimension> dims = groupBy == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(groupBy));
        for (Dimension d : dims) {
            if (!d.appliesTo(measure.dataset())) {
                throw new QueryException("groupBy: " + d + " does not apply to " + measure + " (" + measure.dataset().pathName() + ")");
            }
        }
        Selection s = Selection.of(measure, filter, asOf, catalog, true, dims);
        FigureFilter f = filter == null ? FigureFilter.NONE : filter;
        String reported = s.unitMatches + " AND " + s.value + " IS NOT NULL";
        String summarySql = "SELECT sum(" + s.value + ") FILTER (WHERE " + s.unitMatches + "),"
                + " count(*) FILTER (WHERE NOT (" + s.unitMatches + ") AND " + s.value + " IS NOT NULL),"
                + " coalesce(bool_or(f.year = ANY(r.preliminary_years)) FILTER (WHERE " + reported + "), false),"
                + " array_agg(DISTINCT f.release_id) FILTER (WHERE " + reported + "),"
                + " array_agg(DISTINCT f.year) FILTER (WHERE " + reported + ")"
                + " FROM " + s.from + " WHERE " + s.where;
        return sql.query(summarySql, s.params, summary -> {
            summary.next();
            BigInteger total = big(summary.getBigDecimal(1));
            long otherUnitRows = summary.getLong(2);
            boolean preliminary = summary.getBoolean(3);
            List<Long> releases = longs(summary.getArray(4));
            List<Long> reportedYears = longs(summary.getArray(5));
            List<String> caveats = new ArrayList<>();
            if (otherUnitRows > 0) {
                Unit other = f.unitOrDefault() == Unit.PERSONS ? Unit.CASES : Unit.PERSONS;
                caveats.add(otherUnitRows + " figure(s) counted in " + other + " left out: cases and persons are never added");
            }
            if (f.years() != null) {
                List<Integer> missing = new ArrayList<>();
                for (int y = f.years().from(); y <= f.years().to(); y++) {
                    if (!reportedYears.contains((long) y)) {
                        missing.add(y);
                    }
                }
                if (!missing.isEmpty()) {
                    caveats.add("nothing reported for " + (missing.size() > 20 ? missing.size() + " of the years" : "years " + missing));
                }
            }
            List<Results.Row> rows = new ArrayList<>();
            int totalRows;
            if (dims.isEmpty()) {
                totalRows = 1;
                if (limit > 0) {
                    rows.add(new Results.Row(null, null, null, null, null, null, null, null, total,
                            total == null ? null : 1.0, preliminary ? FigureStatus.PRELIMINARY : FigureStatus.FINAL));
                }
            } else {
                totalRows = groupedRows(s, dims, limit, total, rows);
            }
            return new Results.Table(measure, measure.hasUnit() ? f.unitOrDefault() : Unit.PERSONS, total, rows, totalRows,
                    preliminary, releases, caveats);
        });
    }

    private int groupedRows(Selection s, List<Dimension> dims, int limit, BigInteger total, List<Results.Row> rows) {
        String keys = String.join(", ", dims.stream().map(Dimension::sql).toList());
        String query = "SELECT " + keys + ", sum(" + s.value + "), bool_or(f.year = ANY(r.preliminary_years)), count(*) OVER ()"
                + " FROM " + s.from + " WHERE " + s.where + " AND " + s.unitMatches
                + " GROUP BY " + keys + " ORDER BY sum(" + s.value + ") DESC NULLS LAST, " + keys + " LIMIT " + limit;
        int[] totalRows = {0};
        sql.query(query, s.params, rs -> {
            while (rs.next()) {
                Map<Dimension, Object> key = new LinkedHashMap<>();
                for (int i = 0; i < dims.size(); i++) {
                    key.put(dims.get(i), rs.getObject(i + 1));
                }
                BigInteger value = big(rs.getBigDecimal(dims.size() + 1));
                boolean prelim = rs.getBoolean(dims.size() + 2);
                totalRows[0] = rs.getInt(dims.size() + 3);
                Double share = value == null || total == null || total.signum() == 0 ? null
                        : new BigDecimal(value).divide(new BigDecimal(total), 12, RoundingMode.HALF_EVEN).doubleValue();
                Object year = key.get(Dimension.YEAR);
                rows.add(new Results.Row(year == null ? null : ((Number) year).intValue(),
                        (String) key.get(Dimension.ORIGIN), (String) key.get(Dimension.ASYLUM),
                        (String) key.get(Dimension.ORIGIN_REGION), (String) key.get(Dimension.ASYLUM_REGION),
                        (String) key.get(Dimension.PROCEDURE), (String) key.get(Dimension.APPLICATION_TYPE),
                        (String) key.get(Dimension.DECISION_LEVEL), value, share,
                        prelim ? FigureStatus.PRELIMINARY : FigureStatus.FINAL));
            }
            return null;
        });
        if (rows.isEmpty() && limit == 0) {
            String count = "SELECT count(*) FROM (SELECT 1 FROM " + s.from + " WHERE " + s.where + " AND " + s.unitMatches + " GROUP BY " + keys + ") g";
            totalRows[0] = sql.query(count, s.params, rs -> {
                rs.next();
                return rs.getInt(1);
            });
        }
        return totalRows[0];
    }

    /** One point a year, gaps included as null values, with the change against the year before. */
    public List<Results.Point> series(Measure measure, FigureFilter filter, Long asOf) {
        FigureFilter checked = checked(filter);
        return cache.answer(Arrays.asList("series", measure, checked, asOf), () -> computeSeries(measure, checked, asOf));
    }

    private List<Results.Point> computeSeries(Measure measure, FigureFilter filter, Long asOf) {
        Selection s = Selection.of(measure, filter, asOf, catalog, true);
        String query = "SELECT f.year, sum(" + s.value + "), bool_or(f.year = ANY(r.preliminary_years)), min(f.release_id)"
                + " FROM " + s.from + " WHERE " + s.where + " AND " + s.unitMatches + " GROUP BY f.year ORDER BY f.year";
        TreeMap<Integer, Object[]> byYear = sql.query(query, s.params, rs -> {
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
        List<Results.Point> points = new ArrayList<>();
        BigInteger previous = null;
        for (int year = from; year <= to; year++) {
            Object[] v = byYear.get(year);
            BigInteger value = v == null ? null : (BigInteger) v[0];
            BigInteger change = value == null || previous == null ? null : value.subtract(previous);
            points.add(new Results.Point(year, value, change, percent(change, previous),
                    v != null && (Boolean) v[1] ? FigureStatus.PRELIMINARY : FigureStatus.FINAL, v == null ? null : (Long) v[2]));
            previous = value;
        }
        return points;
    }

    public Results.Comparison compare(Measure measure, FigureFilter filter, YearRange period, YearRange baseline, Long asOf) {
        FigureFilter checked = checked(filter);
        period.checked("period");
        baseline.checked("baseline");
        return cache.answer(Arrays.asList("compare", measure, checked, period, baseline, asOf), () -> computeCompare(measure, checked, period, baseline, asOf));
    }

    private Results.Comparison computeCompare(Measure measure, FigureFilter filter, YearRange period, YearRange baseline, Long asOf) {
        FigureFilter f = filter == null ? FigureFilter.NONE : filter;
        BigInteger periodTotal = figures(measure, f.withYears(period), List.of(), 1, asOf).total();
        BigInteger baselineTotal = figures(measure, f.withYears(baseline), List.of(), 1, asOf).total();
        Double periodMean = periodTotal == null ? null : periodTotal.doubleValue() / period.length();
        Double baselineMean = baselineTotal == null ? null : baselineTotal.doubleValue() / baseline.length();
        Double ratio = periodMean == null || baselineMean == null || baselineMean == 0 ? null : periodMean / baselineMean;
        return new Results.Comparison(periodTotal, baselineTotal, periodMean, baselineMean, ratio);
    }

    public Results.Point peak(Measure measure, FigureFilter filter, Long asOf) {
        FigureFilter checked = checked(filter);
        return cache.answer(Arrays.asList("peak", measure, checked, asOf), () -> computePeak(measure, checked, asOf));
    }

    private Results.Point computePeak(Measure measure, FigureFilter filter, Long asOf) {
        Results.Point best = null;
        for (Results.Point p : series(measure, filter, asOf)) {
            if (p.value() != null && (best == null || p.value().compareTo(best.value()) > 0)) {
                best = p;
            }
        }
        return best;
    }

    /**
     * Every published vintage of each year's figure (per origin/asylum when grouped), in publication
     * order: the first {@code first} entries (years, or year × group), truncated when more were selected.
     */
    public Results.Page<Results.Revision> revisions(Measure measure, FigureFilter filter, List<Dimension> groupBy, Integer first) {
        FigureFilter checked = checked(filter);
        int limit = rows(first, config.defaultListFirst());
        return cache.answer(Arrays.asList("revisions", measure, checked, groupBy, limit), () -> computeRevisions(measure, checked, groupBy, limit));
    }

    private Results.Page<Results.Revision> computeRevisions(Measure measure, FigureFilter filter, List<Dimension> groupBy, int limit) {
        List<Dimension> dims = groupBy == null ? List.of() : groupBy.stream().distinct().toList();
        for (Dimension d : dims) {
            if (d != Dimension.YEAR && d != Dimension.ORIGIN && d != Dimension.ASYLUM) {
                throw new QueryException("groupBy: revisions are grouped by YEAR, ORIGIN or ASYLUM, not " + d);
            }
        }
        Selection s = Selection.of(measure, filter, null, catalog, false);
        String origin = dims.contains(Dimension.ORIGIN) ? "f.origin" : "NULL::text";
        String asylum = dims.contains(Dimension.ASYLUM) ? "f.asylum" : "NULL::text";
        // entries are numbered in the window so that an entry's vintages are never split by the limit;
        // one entry more than asked for says whether the answer is truncated
        String query = "SELECT year, origin, asylum, release_id, value, preliminary FROM ("
                + "SELECT f.year AS year, " + origin + " AS origin, " + asylum + " AS asylum, f.release_id, sum(" + s.value + ") AS value,"
                + " bool_or(f.year = ANY(r.preliminary_years)) AS preliminary, r.published_on, r.publication_seq,"
                + " dense_rank() OVER (ORDER BY f.year, " + origin + ", " + asylum + ") AS entry"
                + " FROM " + s.from + " WHERE " + s.where + " AND " + s.unitMatches
                + " GROUP BY f.year, 2, 3, f.release_id, r.published_on, r.publication_seq) v"
                + " WHERE entry <= ? ORDER BY entry, published_on, publication_seq";
        List<Object> params = new ArrayList<>(s.params);
        params.add(limit + 1);
        return sql.query(query, params, rs -> {
            Map<List<Object>, List<Results.Vintage>> grouped = new LinkedHashMap<>();
            while (rs.next()) {
                List<Object> key = Arrays.asList(rs.getInt(1), rs.getString(2), rs.getString(3));
                List<Results.Vintage> vintages = grouped.computeIfAbsent(key, k -> new ArrayList<>());
                BigInteger value = big(rs.getBigDecimal(5));
                BigInteger previous = vintages.isEmpty() ? null : vintages.get(vintages.size() - 1).value();
                BigInteger change = vintages.isEmpty() || value == null || previous == null ? null : value.subtract(previous);
                vintages.add(new Results.Vintage(rs.getLong(4), value, change, percent(change, previous),
                        rs.getBoolean(6) ? FigureStatus.PRELIMINARY : FigureStatus.FINAL));
            }
            List<Results.Revision> out = new ArrayList<>();
            grouped.forEach((k, v) -> out.add(new Results.Revision((Integer) k.get(0), (String) k.get(1), (String) k.get(2), v)));
            return Results.Page.of(out, limit);
        });
    }

    /** UNHCR's total recognition rate: (recognized + complementary) / (recognized + complementary + rejected). */
    public Results.Page<Results.Rate> recognitionRates(FigureFilter filter, List<Dimension> groupBy, Integer first, Long asOf) {
        FigureFilter checked = checked(filter);
        int limit = rows(first, config.defaultListFirst());
        return cache.answer(Arrays.asList("recognitionRates", checked, groupBy, limit, asOf), () -> computeRecognitionRates(checked, groupBy, limit, asOf));
    }

    private Results.Page<Results.Rate> computeRecognitionRates(FigureFilter filter, List<Dimension> groupBy, int limit, Long asOf) {
        List<Dimension> dims = groupBy == null ? List.of() : groupBy.stream().distinct().toList();
        for (Dimension d : dims) {
            if (d != Dimension.YEAR && d != Dimension.ORIGIN && d != Dimension.ASYLUM) {
                throw new QueryException("groupBy: recognition rates are grouped by YEAR, ORIGIN or ASYLUM, not " + d);
            }
        }
        Selection s = Selection.of(Measure.RECOGNIZED, filter, asOf, catalog, true);
        String year = dims.contains(Dimension.YEAR) ? "f.year" : "NULL::int";
        String origin = dims.contains(Dimension.ORIGIN) ? "f.origin" : "NULL::text";
        String asylum = dims.contains(Dimension.ASYLUM) ? "f.asylum" : "NULL::text";
        String query = "SELECT " + year + ", " + origin + ", " + asylum
                + ", sum(f.recognized), sum(f.complementary_protection), sum(f.rejected)"
                + " FROM " + s.from + " WHERE " + s.where + " AND " + s.unitMatches
                + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 LIMIT " + (limit + 1);
        return sql.query(query, s.params, rs -> {
            List<Results.Rate> out = new ArrayList<>();
            while (rs.next()) {
                BigInteger rec = big(rs.getBigDecimal(4));
                BigInteger comp = big(rs.getBigDecimal(5));
                BigInteger rej = big(rs.getBigDecimal(6));
                Double rate = null;
                if (rec != null || comp != null || rej != null) {
                    BigInteger positive = nz(rec).add(nz(comp));
                    BigInteger all = positive.add(nz(rej));
                    rate = all.signum() == 0 ? null : positive.doubleValue() / all.doubleValue();
                }
                Object y = rs.getObject(1);
                out.add(new Results.Rate(y == null ? null : ((Number) y).intValue(), rs.getString(2), rs.getString(3), rec, comp, rej, rate));
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
        java.util.Collections.sort(out);
        return out;
    }
}
