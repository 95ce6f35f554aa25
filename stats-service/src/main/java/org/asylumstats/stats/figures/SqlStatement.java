package org.asylumstats.stats.figures;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A complete parameterised statement: SQL text and the values of its {@code ?} in order (text,
 * integer and bigint arrays as {@code String[]}, {@code Integer[]}, {@code Long[]}).
 */
public record SqlStatement(String sql, List<Object> params) {

    /** Text and parameters appended together, so that the parameters stay in the order of their {@code ?}. */
    static final class Builder {
        private final StringBuilder sql = new StringBuilder();
        private final List<Object> params = new ArrayList<>();

        Builder add(String text, Object... values) {
            sql.append(text);
            params.addAll(Arrays.asList(values));
            return this;
        }

        Builder add(SqlStatement fragment) {
            sql.append(fragment.sql());
            params.addAll(fragment.params());
            return this;
        }

        SqlStatement build() {
            return new SqlStatement(sql.toString(), List.copyOf(params));
        }
    }
}
