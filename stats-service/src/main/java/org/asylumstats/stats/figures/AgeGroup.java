package org.asylumstats.stats.figures;

import java.util.List;

/**
 * Demographics' age bands and how a row's counts split into sex x age cells: each sex's bands, its
 * persons of unknown age (its total less its bands, which is f_other/m_other in a file whose bands
 * add up), and the persons counted without any breakdown (total less both sexes' totals). The
 * cells of a row add up to its total, so sums over SEX and over AGE_GROUP both equal it.
 */
final class AgeGroup {

    static final List<String> LABELS = List.of("0-4", "5-11", "12-17", "18-59", "60+", "UNKNOWN");

    private static final List<String> BANDS = List.of("0_4", "5_11", "12_17", "18_59", "60");

    private AgeGroup() {
    }

    /** {@code CROSS JOIN LATERAL (VALUES ...) c(sex, age_group, value)}: 13 cells per demographics row. */
    static String cells() {
        StringBuilder sql = new StringBuilder(" CROSS JOIN LATERAL (VALUES ");
        for (String sex : List.of("FEMALE", "MALE")) {
            String prefix = sex.equals("FEMALE") ? "f" : "m";
            StringBuilder known = new StringBuilder();
            for (int i = 0; i < BANDS.size(); i++) {
                String column = "f." + prefix + "_" + BANDS.get(i);
                sql.append("('").append(sex).append("', '").append(LABELS.get(i)).append("', ").append(column).append("), ");
                known.append(" - coalesce(").append(column).append(", 0)");
            }
            sql.append("('").append(sex).append("', 'UNKNOWN', f.").append(prefix).append("_total").append(known).append("), ");
        }
        sql.append("('UNKNOWN', 'UNKNOWN', f.total - coalesce(f.f_total, 0) - coalesce(f.m_total, 0))) c(sex, age_group, value)");
        return sql.toString();
    }
}
