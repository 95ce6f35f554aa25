package org.asylumstats.stats.figures;

import org.asylumstats.ingest.core.Dataset;
import org.asylumstats.stats.catalog.Catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * The FROM and WHERE of a question: one measure's table, restricted to current figures (or those
 * current as of a release), the filter's countries, regions, years and codes. Values are bound as
 * parameters; only enum-derived names are ever spliced into the SQL.
 */
final class Selection {

    final Measure measure;
    final String from;
    final String where;
    final List<Object> params;
    final String value;
    /** Condition selecting the requested unit (TRUE for population). */
    final String unitMatches;

    private Selection(Measure measure, String from, String where, List<Object> params, String unitMatches) {
        this.measure = measure;
        this.from = from;
        this.where = where;
        this.params = params;
        this.value = "f." + measure.column();
        this.unitMatches = unitMatches;
    }

    static Selection of(Measure measure, FigureFilter filter, Long asOf, Catalog catalog, boolean current) {
        return of(measure, filter, asOf, catalog, current, List.of());
    }

    /** {@code dims}: the grouping, so that country tables are joined only when regions are asked for. */
    static Selection of(Measure measure, FigureFilter filter, Long asOf, Catalog catalog, boolean current, List<Dimension> dims) {
        FigureFilter f = filter == null ? FigureFilter.NONE : filter;
        Dataset dataset = measure.dataset();
        List<Object> params = new ArrayList<>();
        StringBuilder from = new StringBuilder(dataset.table()).append(" f");
        if (current && asOf == null) {
            from.append(" JOIN stats.coverage cv ON cv.dataset = '").append(dataset.pathName())
                    .append("' AND cv.year = f.year AND cv.release_id = f.release_id");
        } else if (current) {
            if (catalog.release(asOf) == null || !"PUBLISHED".equals(catalog.release(asOf).state)) {
                throw new QueryException("asOf: release " + asOf + " is not a published release");
            }
            from.append(" JOIN (SELECT DISTINCT ON (rc.year) rc.year, rc.release_id FROM stats.release_coverage rc")
                    .append(" WHERE rc.dataset = '").append(dataset.pathName()).append("'")
                    .append(" AND (rc.published_on, rc.publication_seq) <= (SELECT published_on, publication_seq FROM stats.release_flags WHERE id = ?)")
                    .append(" ORDER BY rc.year, rc.published_on DESC, rc.publication_seq DESC) cv ON cv.year = f.year AND cv.release_id = f.release_id");
            params.add(asOf);
        }
        if (f.originRegion() != null || dims.contains(Dimension.ORIGIN_REGION)) {
            from.append(" JOIN stats.country co ON co.code = f.origin");
        }
        if (f.asylumRegion() != null || dims.contains(Dimension.ASYLUM_REGION)) {
            from.append(" JOIN stats.country ca ON ca.code = f.asylum");
        }
        from.append(" JOIN stats.release_flags r ON r.id = f.release_id");

        List<String> where = new ArrayList<>();
        where.add("r.state = 'PUBLISHED'");
        if (f.origin() != null) {
            where.add("f.origin = ANY(?)");
            params.add(catalog.canonicalCodes("origin", f.origin()));
        }
        if (f.asylum() != null) {
            where.add("f.asylum = ANY(?)");
            params.add(catalog.canonicalCodes("asylum", f.asylum()));
        }
        if (f.originRegion() != null) {
            where.add("co.region = ANY(?)");
            params.add(catalog.regions("originRegion", f.originRegion()));
        }
        if (f.asylumRegion() != null) {
            where.add("ca.region = ANY(?)");
            params.add(catalog.regions("asylumRegion", f.asylumRegion()));
        }
        if (f.years() != null) { // checked by FigureFilter.checked
            where.add("f.year BETWEEN ? AND ?");
            params.add(f.years().from());
            params.add(f.years().to());
        }
        code(dataset, "procedure", f.procedure(), measure, where, params);
        code(dataset, "application_type", f.applicationType(), measure, where, params);
        code(dataset, "decision_level", f.decisionLevel(), measure, where, params);
        String unitMatches = "TRUE";
        if (measure.hasUnit()) {
            unitMatches = "f.unit = '" + f.unitOrDefault().name() + "'";
        } else if (f.unitOrDefault() == Unit.CASES) {
            throw new QueryException("unit: " + measure + " is counted in persons only; CASES does not apply");
        }
        return new Selection(measure, from.toString(), String.join(" AND ", where), params, unitMatches);
    }

    private static void code(Dataset dataset, String column, List<String> values, Measure measure, List<String> where, List<Object> params) {
        if (values == null) {
            return;
        }
        if (dataset.codes().stream().noneMatch(c -> c.column().equals(column))) {
            throw new QueryException(camel(column) + ": this filter applies to asylum-applications or asylum-decisions, not to "
                    + measure + " (" + dataset.pathName() + ")");
        }
        where.add("f." + column + " = ANY(?)");
        params.add(values.stream().map(v -> v.strip().toUpperCase(java.util.Locale.ROOT)).toArray(String[]::new));
    }

    static String camel(String column) {
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
