package org.asylumstats.stats.export;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.asylumstats.stats.catalog.Catalog;
import org.asylumstats.stats.catalog.Country;
import org.asylumstats.stats.catalog.Release;
import org.asylumstats.stats.figures.Dimension;
import org.asylumstats.stats.figures.FigureExport;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * An export as CSV (RFC 4180, Apache Commons CSV): one header row, then one row per group: the
 * group columns in groupBy order (a country's code, then its name), value (empty when not
 * reported, never 0), status, periodEnd (empty when the row spans years) and release.
 */
final class CsvFigures {

    private CsvFigures() {
    }

    static List<String> header(List<Dimension> groupBy) {
        List<String> header = new ArrayList<>();
        for (Dimension dimension : groupBy) {
            header.add(ExportDimensions.id(dimension));
            if (ExportDimensions.countries(dimension)) {
                header.add(ExportDimensions.id(dimension) + "Name");
            }
        }
        header.addAll(List.of("value", "status", "periodEnd", "release"));
        return header;
    }

    static void write(FigureExport export, List<Dimension> groupBy, Catalog catalog, Writer out) throws IOException {
        CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT);
        csv.printRecord(header(groupBy));
        List<String> record = new ArrayList<>();
        for (FigureExport.Row row : export.rows()) {
            record.clear();
            for (Dimension dimension : groupBy) {
                String value = ExportDimensions.value(row.figures(), dimension);
                record.add(value);
                if (ExportDimensions.countries(dimension)) {
                    Country country = catalog.country(value);
                    record.add(country == null ? null : country.name());
                }
            }
            record.add(row.figures().value() == null ? null : row.figures().value().toString());
            record.add(RowStatus.word(row));
            record.add(row.figures().periodEnd() == null ? null : row.figures().periodEnd().toString());
            record.add(String.join("; ", row.releases().stream().map(Release::title).toList()));
            csv.printRecord(record);
        }
        csv.flush();
    }
}
