package org.asylumstats.ingest.core;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Row checks that the loader's per-file column resolution and per-year key sets must keep. */
class RowCheckTest {

    private static final String HEADER = "year,coo_iso,coa_iso,procedure_type,app_type,dec_level,app_pc,applied\n";

    @Test
    void aKeyRepeatedAfterOtherYearsIsADuplicate() throws IOException {
        ValidationReport report = validate(HEADER
                + "2020,AFG,DEU,G,N,FI,P,10\n"
                + "2021,AFG,DEU,G,N,FI,P,11\n"
                + "2020,AFG,DEU,G,N,FI,P,12\n", Dataset.ASYLUM_APPLICATIONS);
        assertFalse(report.valid());
        assertEquals(1, report.errorCount());
        assertEquals("duplicate-key", report.errors().get(0).code());
        assertEquals(4, report.errors().get(0).line());
    }

    @Test
    void moreDistinctCodesThanAKeyHoldsAreRefusedNotTakenForDuplicates() throws IOException {
        StringBuilder file = new StringBuilder(HEADER);
        for (int i = 0; i <= 255; i++) {
            file.append("2020,AFG,DEU,G,N,X").append(i).append(",P,").append(i).append('\n');
        }
        ValidationReport report = validate(file.toString(), Dataset.ASYLUM_APPLICATIONS);
        assertFalse(report.valid());
        assertEquals(1, report.errorCount(), () -> report.errors().toString());
        assertEquals("too-many-codes", report.errors().get(0).code());
        assertEquals(257, report.errors().get(0).line());
        assertEquals("dec_level", report.errors().get(0).column());

        ValidationReport atTheLimit = validate(file.substring(0, file.lastIndexOf("2020,AFG,DEU,G,N,X255")), Dataset.ASYLUM_APPLICATIONS);
        assertTrue(atTheLimit.valid(), () -> atTheLimit.errors().toString());
        assertEquals(255, atTheLimit.rows());
    }

    @Test
    void theSameCountriesInOtherYearsOrUnitsAreNoDuplicate() throws IOException {
        ValidationReport report = validate(HEADER
                + "2020,AFG,DEU,G,N,FI,P,10\n"
                + "2021,AFG,DEU,G,N,FI,P,11\n"
                + "2020,AFG,DEU,G,N,FI,C,12\n", Dataset.ASYLUM_APPLICATIONS);
        assertTrue(report.valid(), () -> report.errors().toString());
        assertEquals(3, report.rows());
        assertEquals(List.of(2020, 2021), report.years());
    }

    @Test
    void columnsAreFoundByNameInAnyOrder() throws IOException {
        ValidationReport report = validate("applied,app_pc,dec_level,note,app_type,procedure_type,coa_iso,coo_iso,year\n"
                + "10,P,FI,x,N,G,DEU,AFG,2020\n"
                + "-,C,FI,y,N,G,DEU,AFG,2020\n", Dataset.ASYLUM_APPLICATIONS);
        assertTrue(report.valid(), () -> report.errors().toString());
        assertEquals(2, report.rows());
        assertEquals("unknown-column", report.warnings().get(0).code());
    }

    @Test
    void apiItemsMayListTheirKeysInAnotherOrderThanTheFirst() throws IOException {
        ValidationReport report = validate("{\"page\":1,\"maxPages\":1,\"items\":["
                + "{\"year\":2020,\"coo_iso\":\"AFG\",\"coa_iso\":\"DEU\",\"procedure_type\":\"G\",\"app_type\":\"N\",\"dec_level\":\"FI\",\"app_pc\":\"P\",\"applied\":10},"
                + "{\"applied\":null,\"app_pc\":\"C\",\"dec_level\":\"FI\",\"app_type\":\"N\",\"procedure_type\":\"G\",\"coa_iso\":\"DEU\",\"coo_iso\":\"AFG\",\"year\":2020}]}",
                Dataset.ASYLUM_APPLICATIONS);
        assertTrue(report.valid(), () -> report.errors().toString());
        assertEquals(2, report.rows());
    }

    @Test
    void anApiItemMissingAKeyIsReportedByField() throws IOException {
        ValidationReport report = validate("{\"page\":1,\"maxPages\":1,\"items\":["
                + "{\"year\":2020,\"coo_iso\":\"AFG\",\"coa_iso\":\"DEU\",\"procedure_type\":\"G\",\"app_type\":\"N\",\"dec_level\":\"FI\",\"app_pc\":\"P\",\"applied\":10},"
                + "{\"year\":2020,\"coo_iso\":\"AFG\",\"coa_iso\":\"DEU\",\"procedure_type\":\"G\",\"dec_level\":\"FI\",\"app_pc\":\"C\",\"applied\":1}]}",
                Dataset.ASYLUM_APPLICATIONS);
        assertFalse(report.valid());
        assertEquals("missing-value", report.errors().get(0).code());
        assertEquals("app_type", report.errors().get(0).column());
    }

    private static ValidationReport validate(String body, Dataset dataset) throws IOException {
        return new DatasetLoader(TestReference.COUNTRIES, 1L << 20)
                .validate(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), dataset);
    }
}
