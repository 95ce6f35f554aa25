package org.asylumstats.stats.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.asylumstats.stats.catalog.Catalog;
import org.asylumstats.stats.catalog.Country;
import org.asylumstats.stats.catalog.Release;
import org.asylumstats.stats.figures.Dimension;
import org.asylumstats.stats.figures.FigureExport;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * An export as one JSON-stat 2.0 dataset (https://json-stat.org/format/): a dimension per
 * groupBy dimension (a single {@code measure} dimension when there is none), its categories
 * those in the selection, {@code value} in row-major cube order with null for combinations the
 * selection does not hold and for figures not reported, {@code status} per value (p preliminary,
 * h partial year, ph both), and the citation and licence in {@code extension}. Written with
 * Jackson's streaming generator (no reflection).
 */
final class JsonStatFigures {

    /** The category of a row without a value in a dimension (a country without a region). */
    static final String NOT_STATED = "_";

    private final FigureExport export;
    private final List<String> ids;
    private final List<List<String>> categories;
    private final BigInteger[] values;
    private final String[] status;

    private JsonStatFigures(FigureExport export, List<String> ids, List<List<String>> categories, BigInteger[] values, String[] status) {
        this.export = export;
        this.ids = ids;
        this.categories = categories;
        this.values = values;
        this.status = status;
    }

    /** The cube of {@code export}; refused (export-too-large) when it would have more than {@code maxCells} cells. */
    static JsonStatFigures of(FigureExport export, List<Dimension> groupBy, int maxCells) {
        List<String> ids = new ArrayList<>();
        List<List<String>> categories = new ArrayList<>();
        if (groupBy.isEmpty()) {
            ids.add("measure");
            categories.add(List.of(export.measure().name()));
        }
        for (Dimension dimension : groupBy) {
            TreeSet<String> present = new TreeSet<>(dimension == Dimension.YEAR ? Comparator.comparingInt(JsonStatFigures::yearOrder)
                    : Comparator.naturalOrder());
            export.rows().forEach(row -> present.add(category(row, dimension)));
            ids.add(ExportDimensions.id(dimension));
            categories.add(List.copyOf(present));
        }
        long cells = 1;
        for (List<String> dimension : categories) {
            cells *= dimension.size(); // at most max-rows categories each: the product is checked before it can overflow
            if (cells > maxCells) {
                throw ExportProblem.tooLarge("the JSON-stat cube has more than " + maxCells + " cells ("
                        + String.join(" x ", categories.stream().map(c -> Integer.toString(c.size())).toList())
                        + " categories): narrow the selection or group by fewer dimensions, or export CSV");
            }
        }
        List<Map<String, Integer>> positions = new ArrayList<>();
        for (List<String> dimension : categories) {
            Map<String, Integer> position = new LinkedHashMap<>();
            dimension.forEach(c -> position.put(c, position.size()));
            positions.add(position);
        }
        BigInteger[] values = new BigInteger[(int) cells];
        String[] status = new String[(int) cells];
        for (FigureExport.Row row : export.rows()) {
            int cell = 0;
            for (int d = 0; d < groupBy.size(); d++) {
                cell = cell * categories.get(d).size() + positions.get(d).get(category(row, groupBy.get(d)));
            }
            values[cell] = row.figures().value();
            status[cell] = RowStatus.code(row);
        }
        return new JsonStatFigures(export, ids, categories, values, status);
    }

    private static String category(FigureExport.Row row, Dimension dimension) {
        String value = ExportDimensions.value(row.figures(), dimension);
        return value == null ? NOT_STATED : value;
    }

    private static int yearOrder(String year) {
        return year.equals(NOT_STATED) ? Integer.MAX_VALUE : Integer.parseInt(year);
    }

    void write(List<Dimension> groupBy, Catalog catalog, OutputStream out) throws IOException {
        try (JsonGenerator json = new JsonFactory().createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
            json.writeStartObject();
            json.writeStringField("version", "2.0");
            json.writeStringField("class", "dataset");
            json.writeStringField("label", export.measure().label() + " (" + export.unit().name().toLowerCase(java.util.Locale.ROOT) + ")");
            json.writeStringField("source", Citation.SOURCE);
            LocalDate updated = export.releases().stream().map(Release::publishedOn).max(Comparator.naturalOrder()).orElse(null);
            if (updated != null) {
                json.writeStringField("updated", updated.toString());
            }
            json.writeArrayFieldStart("id");
            for (String id : ids) {
                json.writeString(id);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("size");
            for (List<String> dimension : categories) {
                json.writeNumber(dimension.size());
            }
            json.writeEndArray();
            writeRoles(json, groupBy);
            json.writeObjectFieldStart("dimension");
            if (groupBy.isEmpty()) {
                writeDimension(json, "measure", "Measure", categories.get(0), code -> export.measure().label());
            }
            for (int d = 0; d < groupBy.size(); d++) {
                Dimension dimension = groupBy.get(d);
                writeDimension(json, ids.get(d), ExportDimensions.label(dimension), categories.get(d), code -> label(dimension, code, catalog));
            }
            json.writeEndObject();
            json.writeArrayFieldStart("value");
            for (BigInteger value : values) {
                if (value == null) {
                    json.writeNull();
                } else {
                    json.writeNumber(value);
                }
            }
            json.writeEndArray();
            json.writeObjectFieldStart("status");
            for (int cell = 0; cell < status.length; cell++) {
                if (status[cell] != null) {
                    json.writeStringField(Integer.toString(cell), status[cell]);
                }
            }
            json.writeEndObject();
            writeExtension(json);
            json.writeEndObject();
        }
    }

    /** JSON-stat roles: the year is time, countries and regions are geography, the single measure dimension is the metric. */
    private void writeRoles(JsonGenerator json, List<Dimension> groupBy) throws IOException {
        json.writeObjectFieldStart("role");
        List<String> time = new ArrayList<>();
        List<String> geo = new ArrayList<>();
        for (Dimension dimension : groupBy) {
            if (dimension == Dimension.YEAR) {
                time.add(ExportDimensions.id(dimension));
            } else if (ExportDimensions.geographic(dimension)) {
                geo.add(ExportDimensions.id(dimension));
            }
        }
        writeRole(json, "time", time);
        writeRole(json, "geo", geo);
        writeRole(json, "metric", groupBy.isEmpty() ? List.of("measure") : List.of());
        json.writeEndObject();
    }

    private static void writeRole(JsonGenerator json, String role, List<String> ids) throws IOException {
        if (ids.isEmpty()) {
            return;
        }
        json.writeArrayFieldStart(role);
        for (String id : ids) {
            json.writeString(id);
        }
        json.writeEndArray();
    }

    private static void writeDimension(JsonGenerator json, String id, String label, List<String> categories,
                                       java.util.function.Function<String, String> categoryLabel) throws IOException {
        json.writeObjectFieldStart(id);
        json.writeStringField("label", label);
        json.writeObjectFieldStart("category");
        json.writeObjectFieldStart("index");
        for (int i = 0; i < categories.size(); i++) {
            json.writeNumberField(categories.get(i), i);
        }
        json.writeEndObject();
        json.writeObjectFieldStart("label");
        for (String category : categories) {
            json.writeStringField(category, categoryLabel.apply(category));
        }
        json.writeEndObject();
        json.writeEndObject();
        json.writeEndObject();
    }

    /** A category's label: a country's name, else the code itself ("not stated" for a row without a value). */
    private static String label(Dimension dimension, String code, Catalog catalog) {
        if (code.equals(NOT_STATED)) {
            return "not stated";
        }
        if (ExportDimensions.countries(dimension)) {
            Country country = catalog.country(code);
            return country == null ? code : country.name();
        }
        return code;
    }

    private void writeExtension(JsonGenerator json) throws IOException {
        json.writeObjectFieldStart("extension");
        json.writeStringField("citation", Citation.of(export.releases()));
        json.writeObjectFieldStart("licence");
        json.writeStringField("label", Citation.LICENCE);
        json.writeStringField("href", Citation.LICENCE_URL);
        json.writeEndObject();
        json.writeStringField("measure", export.measure().name());
        json.writeStringField("unit", export.unit().name());
        json.writeArrayFieldStart("releases");
        for (Release release : export.releases()) {
            json.writeStartObject();
            json.writeStringField("id", Long.toString(release.id()));
            json.writeStringField("title", release.title());
            json.writeStringField("publishedOn", release.publishedOn().toString());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("partialYears");
        for (int year : export.partialYears()) {
            json.writeNumber(year);
        }
        json.writeEndArray();
        json.writeEndObject();
    }
}
