package org.asylumstats.system;

import io.restassured.path.json.JsonPath;
import org.asylumstats.testing.KeycloakAdmin;
import org.asylumstats.testing.RawUnhcrFile;
import org.asylumstats.testing.RepositoryFiles;
import org.asylumstats.testing.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.awaitility.Awaitility;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.io.InputStreamReader;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in real headless Chromium against the whole system: the explore view shows the numbers
 * computed from the raw files with the mid-year point marked preliminary and partial (a stock "at 30 Jun
 * 2023", a flow "Jan–Jun 2023"), its downloads are the exports of the selection (a year not reported an empty
 * cell), a repeat view is answered by the browser cache, and an analyst's release goes
 * through upload, validation report, submission and a reviewer's publication entirely in the browser,
 * after which the page shows the final figure, and the revisions view a change of reference period
 * (not a revision) after the mid-year figure that was first published. The population pyramid shows
 * the raw demographics file's sexes and age groups, with the unknown ages and the persons counted
 * without a breakdown written out; the solutions view marks the mid-year half of resettlement, then
 * shows the raw solutions file's resettlement countries.
 */
@Order(1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    private static final String VIEW = "/#explore?measure=ASYLUM_SEEKERS&origin=CHN&unit=PERSONS&from=2014&to=2023"
            + "&baseFrom=2017&baseTo=2019&topYear=2023";
    private static final RawUnhcrFile MY = RawUnhcrFile.read("my2023/population.csv.gz", 2014, 2023);
    private static final RawUnhcrFile GT = RawUnhcrFile.read("gt2023/population.csv.gz", 2023, 2023);
    private static final RawUnhcrFile MY_APPLICATIONS = RawUnhcrFile.read("my2023/asylum_applications.csv.gz", 2014, 2023);
    private static final RawUnhcrFile MY_SOLUTIONS = RawUnhcrFile.read("my2023/solutions.csv.gz", 2014, 2023);
    private static final RawUnhcrFile GT_SOLUTIONS = RawUnhcrFile.read("gt2023/solutions.csv.gz", 2023, 2023);
    private static final RawUnhcrFile GT_DEMOGRAPHICS = RawUnhcrFile.read("gt2023/demographics.csv.gz", 2023, 2023);
    private static final String SOLUTIONS_VIEW = "/#solutions?from=2014&to=2023&topYear=2023";

    private static RunningSystem system;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        system = new RunningSystem();
        new KeycloakAdmin(system.keycloak.baseUrl()).allowRedirect("asylum-stats", "asylum-stats-gateway", system.gateway());
        long midYear = system.midYear2023();
        given().baseUri(system.gateway()).auth().oauth2(Tokens.of(system.tokenEndpoint(), "reviewer"))
                .post("/api/releases/" + midYear + "/publish").then().statusCode(200);
        browser = new Browser(1280, 1400);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void theExploreViewShowsTheRawFilesNumbersWithThePreliminaryPointMarked() throws IOException {
        open(VIEW);
        Map<Integer, List<String>> series = seriesTable();
        for (int year = 2014; year <= 2023; year++) {
            Long expected = MY.sum("asylum_seekers", Map.of("coo_iso", "CHN", "year", Integer.toString(year)));
            assertEquals(expected == null ? "not reported" : String.format("%,d", expected), series.get(year).get(1), "asylum-seekers from China in " + year);
            assertEquals(year == 2023 ? "preliminary" : "final", series.get(year).get(3), "status of " + year);
            assertEquals(year == 2023 ? "at 30 Jun 2023 (part of the year)" : "at 31 Dec " + year, series.get(year).get(0), "period of " + year);
        }
        String chart = browser.driver.findElement(By.id("series-chart")).getAttribute("aria-label");
        String midYear = String.format("%,d", MY.sum("asylum_seekers", Map.of("coo_iso", "CHN", "year", "2023")));
        assertTrue(chart.contains("2023 (at 30 Jun 2023, part of the year) " + midYear + " preliminary"), chart);
        assertPartialPointDrawn("at 30 Jun 2023");
        assertTrue(text("period-meta").contains("Preliminary") && text("period-meta").contains("Mid-Year Trends 2023"), text("period-meta"));
        assertTrue(text("period-meta").contains("2023 is counted at 30 June 2023, not 31 December"), text("period-meta"));
        assertTrue(text("top-title").contains("countries of asylum in 2023 (at 30 Jun 2023, part of the year)"), text("top-title"));
        browser.screenshot("explore-preliminary");
    }

    @Test
    @Order(2)
    void aHalfYearOfApplicationsIsLabelledJanuaryToJuneAndLeftOutOfTheComparison() throws IOException {
        open("/#explore?measure=APPLICATIONS&origin=CHN&unit=PERSONS&from=2014&to=2023&baseFrom=2017&baseTo=2019&topYear=2023");
        Long firstHalf = MY_APPLICATIONS.sum("applied", Map.of("coo_iso", "CHN", "year", "2023", "app_pc", "P"));
        List<String> row2023 = seriesTable().get(2023);
        assertEquals("Jan–Jun 2023 (part of the year)", row2023.get(0));
        assertEquals(String.format("%,d", firstHalf), row2023.get(1));
        assertEquals("— (part of the year)", row2023.get(2), "half a year is not set against the year before");
        assertEquals("preliminary", row2023.get(3));
        assertEquals("Jan–Dec 2022", seriesTable().get(2022).get(0));
        String chart = browser.driver.findElement(By.id("series-chart")).getAttribute("aria-label");
        assertTrue(chart.contains("2023 (Jan–Jun 2023, part of the year) " + String.format("%,d", firstHalf) + " preliminary"), chart);
        assertPartialPointDrawn("Jan–Jun 2023");

        long wholeYears = 0;
        for (int year = 2014; year <= 2022; year++) {
            Long applied = MY_APPLICATIONS.sum("applied", Map.of("coo_iso", "CHN", "year", Integer.toString(year), "app_pc", "P"));
            wholeYears += applied == null ? 0 : applied;
        }
        assertEquals(String.format("%,d", wholeYears), text("period-total"), "the period total is of whole years");
        assertTrue(text("period-meta").contains("2014–2023 without 2023"), text("period-meta"));
        assertTrue(text("period-meta").contains("With Jan–Jun 2023 added: " + String.format("%,d", wholeYears + firstHalf)), text("period-meta"));
        assertTrue(text("compare-meta").contains("(2023 left out)")
                && text("compare-meta").contains("2023 left out: it covers 1 January to 30 June 2023 only"), text("compare-meta"));
        browser.screenshot("explore-applications-partial");
    }

    @Test
    @Order(3)
    void theDownloadsAreTheExportsOfTheSelection() throws IOException, InterruptedException {
        Map<String, Object> filter = Map.of("origin", List.of("CHN"), "years", Map.of("from", 2014, "to", 2023));
        Map<String, Object> variables = Map.of("measure", "ASYLUM_SEEKERS", "filter", filter,
                "yearFilter", Map.of("origin", List.of("CHN"), "years", Map.of("from", 2023, "to", 2023)),
                "groupBy", List.of("ASYLUM"), "first", 10,
                "period", Map.of("from", 2014, "to", 2023), "baseline", Map.of("from", 2017, "to", 2019));
        JsonPath answer = given().baseUri(system.gateway()).contentType("application/json")
                .body(Map.of("documentId", DashboardDocuments.id("explore"), "variables", variables)).post("/graphql")
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> series = answer.getList("data.series");

        open(VIEW);
        Map<String, String> expected = Map.of("measure", "ASYLUM_SEEKERS", "groupBy", "YEAR", "origin", "CHN", "from", "2014", "to", "2023");
        assertEquals(withFormat(expected, "csv"), exportLink("series-csv"));
        assertEquals(withFormat(expected, "json-stat"), exportLink("series-json"));
        browser.driver.findElement(By.id("series-csv")).click();
        ExportedCsv csv = ExportedCsv.parse(downloaded("asylum_seekers.csv"));
        assertEquals(List.of("year", "value", "status", "periodEnd", "release"), csv.header());
        assertEquals(series.stream().map(p -> String.valueOf(p.get("year"))).toList(), csv.column("year"));
        assertEquals(series.stream().map(p -> p.get("value") == null ? "" : String.valueOf(p.get("value"))).toList(), csv.column("value"),
                "the values the page shows; not reported stays empty, never 0");
        assertEquals(series.stream().map(p -> exportStatus(String.valueOf(p.get("status")), (Boolean) p.get("partial"))).toList(), csv.column("status"));
        assertEquals(series.stream().map(p -> String.valueOf(p.get("periodEnd"))).toList(), csv.column("periodEnd"));
        assertEquals("preliminary partial", csv.column("status").get(csv.rows().size() - 1), "2023 from the mid-year release");

        // the top countries' download: every country of asylum in 2023, largest first
        assertEquals(Map.of("measure", "ASYLUM_SEEKERS", "groupBy", "ASYLUM", "origin", "CHN", "from", "2023", "to", "2023", "format", "csv"),
                exportLink("top-csv"));
        browser.driver.findElement(By.id("top-csv")).click();
        ExportedCsv top = ExportedCsv.parse(downloaded("asylum_seekers.csv"));
        assertEquals(List.of("asylum", "asylumName", "value", "status", "periodEnd", "release"), top.header());
        assertEquals(answer.getInt("data.top.totalRows"), top.rows().size());
        assertEquals(answer.getList("data.top.rows.asylum.code"), top.column("asylum").subList(0, answer.getList("data.top.rows").size()));
    }

    @Test
    @Order(4)
    void aRepeatViewIsAnsweredByTheBrowserCache() {
        open(VIEW);
        browser.driver.executeScript("performance.clearResourceTimings()");
        showView("revisions");
        showView("explore");
        showView("revisions");
        List<Map<String, Object>> explore = graphqlRequests("explore");
        List<Map<String, Object>> revisions = graphqlRequests("revisions");
        assertEquals(1, explore.size(), explore.toString());
        assertTrue(answeredByTheBrowserCache(explore.get(0)), "the explore view seen again: " + explore);
        assertEquals(2, revisions.size(), revisions.toString());
        assertTrue(!answeredByTheBrowserCache(revisions.get(0)) && answeredByTheBrowserCache(revisions.get(1)),
                "revisions first asked over the network, then answered by the cache: " + revisions);
    }

    @Test
    @Order(5)
    void aYearNotReportedIsAnEmptyCellInTheDownload() throws IOException, InterruptedException {
        open("/#solutions?asylum=IND&from=2014&to=2023&topYear=2023");
        int year = MY_SOLUTIONS.header().indexOf("year");
        int asylum = MY_SOLUTIONS.header().indexOf("coa_iso");
        List<String> years = MY_SOLUTIONS.rows().stream().filter(r -> r[asylum].equals("IND")).map(r -> r[year]).distinct().sorted().toList();
        List<String> values = years.stream().map(y -> MY_SOLUTIONS.sum("naturalisation", Map.of("coa_iso", "IND", "year", y)))
                .map(v -> v == null ? "" : v.toString()).toList();
        assertEquals("", values.get(years.indexOf("2020")), "naturalisations in India in 2020: rows in the raw file, none with a figure");
        assertEquals("not reported", rows("naturalisation-series-table").get("2020").get(1));

        assertEquals(Map.of("measure", "NATURALISATION", "groupBy", "YEAR", "asylum", "IND", "from", "2014", "to", "2023", "format", "csv"),
                exportLink("naturalisation-series-csv"));
        browser.driver.findElement(By.id("naturalisation-series-csv")).click();
        ExportedCsv csv = ExportedCsv.parse(downloaded("naturalisation.csv"));
        assertEquals(years, csv.column("year"));
        assertEquals(values, csv.column("value"), "not reported is an empty cell, never 0");
    }

    @Test
    @Order(6)
    void theSolutionsViewMarksTheMidYearHalfOfResettlement() throws IOException {
        open(SOLUTIONS_VIEW);
        Map<String, List<String>> series = rows("resettlement-series-table");
        assertEquals("Jan–Jun 2023 (part of the year)", series.get("2023").get(0));
        assertEquals(String.format("%,d", MY_SOLUTIONS.sum("resettlement", Map.of("year", "2023"))), series.get("2023").get(1));
        assertEquals("preliminary", series.get("2023").get(3));
        assertEquals("Jan–Dec 2022", series.get("2022").get(0));
        assertTrue(text("resettlement-top-title").equals("Top resettlement countries in 2023 (Jan–Jun 2023, part of the year)"),
                text("resettlement-top-title"));
        assertTrue(browser.driver.findElements(By.cssSelector("#resettlement-series text")).stream()
                .anyMatch(t -> t.getText().equals("Jan–Jun 2023")), "the half year is labelled in the chart");
        browser.screenshot("solutions-mid-year");
    }

    @Test
    @Order(7)
    void anAnalystsReleaseIsValidatedSubmittedAndPublishedInTheBrowser() throws IOException {
        logIn("analyst");
        open("/#releases");
        String midYearPublished = releaseRow("Mid-Year Trends 2023").findElements(By.tagName("td")).get(2).getText();
        assertTrue(midYearPublished.contains("2023 to 30 Jun 2023 only"), "the release names the year it covers in part: " + midYearPublished);
        WebElement create = browser.driver.findElement(By.id("create-release"));
        create.findElement(By.name("title")).sendKeys("Global Trends 2023");
        create.findElement(By.name("source")).sendKeys("UNHCR Refugee Data Finder");
        // typing into a date input depends on the browser's locale; the value itself does not
        browser.driver.executeScript("arguments[0].value = '2024-06-13'", create.findElement(By.name("publishedOn")));
        create.findElement(By.cssSelector("button[type=submit]")).click();
        awaitIdle();
        String id = releaseRow("Global Trends 2023").findElement(By.cssSelector("td")).getText();

        upload(id, "population", writeInvalidPopulationFile());
        assertTrue(text("report-summary").contains("invalid, nothing loaded"), text("report-summary"));
        List<WebElement> issues = browser.driver.findElements(By.cssSelector("#report-table tbody tr"));
        assertTrue(!issues.isEmpty() && issues.get(0).getText().startsWith("error 2"), issues.isEmpty() ? "no rows" : issues.get(0).getText());
        assertTrue(text("error").contains("422") || text("error").toLowerCase().contains("invalid"), text("error"));
        browser.screenshot("upload-report");

        for (Map.Entry<String, String> file : RunningSystem.FILES.entrySet()) {
            upload(id, file.getKey(), RepositoryFiles.sampleData("gt2023/" + file.getValue()));
            assertTrue(text("report-summary").contains(": valid"), text("report-summary"));
        }
        clickInRow(id, "Submit");
        assertEquals("SUBMITTED", releaseRow(id).findElements(By.cssSelector("td")).get(3).getText());

        logOut();
        logIn("reviewer");
        open("/#releases");
        clickInRow(id, "Publish");
        assertEquals("PUBLISHED", releaseRow(id).findElements(By.cssSelector("td")).get(3).getText());
        browser.screenshot("releases-published");

        open(VIEW);
        List<String> final2023 = seriesTable().get(2023);
        assertEquals(String.format("%,d", GT.sum("asylum_seekers", Map.of("coo_iso", "CHN", "year", "2023"))), final2023.get(1));
        assertEquals("final", final2023.get(3));
        assertEquals("at 31 Dec 2023", final2023.get(0));
        assertTrue(browser.driver.findElements(By.cssSelector("#series-chart text")).stream()
                .noneMatch(t -> t.getText().contains("30 Jun")), "no partial point once the end-year figure is in force");
        browser.screenshot("explore");

        open(VIEW.replace("#explore", "#revisions"));
        List<String> vintages2023 = browser.driver.findElements(By.cssSelector("#revisions-table tbody tr")).stream()
                .map(WebElement::getText).filter(t -> t.startsWith("2023 ")).toList();
        assertEquals(2, vintages2023.size(), vintages2023.toString());
        assertTrue(vintages2023.get(0).contains("Mid-Year Trends 2023") && vintages2023.get(0).contains("preliminary")
                && vintages2023.get(0).contains("at 30 Jun 2023") && vintages2023.get(0).contains("first published"), vintages2023.get(0));
        assertTrue(vintages2023.get(1).contains("Global Trends 2023") && vintages2023.get(1).contains("final")
                && vintages2023.get(1).contains("period changed: 30 Jun 2023 → 31 Dec 2023"), vintages2023.get(1));
        assertTrue(!vintages2023.get(1).contains("%"), "a change of period is no percentage revision: " + vintages2023.get(1));
        List<String> vintages2014 = browser.driver.findElements(By.cssSelector("#revisions-table tbody tr")).stream()
                .map(WebElement::getText).filter(t -> t.startsWith("2014 ")).toList();
        assertTrue(!vintages2014.isEmpty() && vintages2014.get(0).contains("first published")
                && vintages2014.stream().skip(1).noneMatch(t -> t.contains("period changed")), vintages2014.toString());
        browser.screenshot("revisions");
    }

    @Test
    @Order(10)
    void onAPhoneSizedScreenNothingSpillsSideways() throws IOException {
        try (Browser phone = new Browser(390, 844)) {
            Map<String, String> views = new LinkedHashMap<>();
            views.put("explore", VIEW);
            views.put("demographics", "/#demographics?origin=SDN&asylum=TCD&populationType=REF&topYear=2023");
            views.put("solutions", SOLUTIONS_VIEW);
            for (Map.Entry<String, String> view : views.entrySet()) {
                phone.driver.get(system.gateway() + view.getValue());
                phone.driver.navigate().refresh(); // a hash change alone does not reload the page
                new WebDriverWait(phone.driver, Duration.ofSeconds(30)).until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready"))
                        && "false".equals(d.findElement(By.tagName("body")).getAttribute("data-loading")));
                Object overflow = phone.driver.executeScript("return document.documentElement.scrollWidth - window.innerWidth");
                assertTrue(((Number) overflow).intValue() <= 0, view.getKey() + ": horizontal overflow of " + overflow + " px");
                for (WebElement control : phone.driver.findElements(By.cssSelector("#selection select, #selection input"))) {
                    String label = (String) phone.driver.executeScript("return arguments[0].labels.length ? arguments[0].labels[0].textContent : ''", control);
                    assertTrue(!label.isBlank(), "every control has a label: " + control.getAttribute("id"));
                }
                phone.screenshot(view.getKey() + "-phone");
            }
        }
    }

    @Test
    @Order(8)
    void thePyramidShowsRefugeesFromSudanInChadBySexAndAgeAsTheRawFileCountsThem() throws IOException, InterruptedException {
        open("/#demographics?origin=SDN&asylum=TCD&populationType=REF&topYear=2023");
        Map<String, String> selection = Map.of("year", "2023", "coo_iso", "SDN", "coa_iso", "TCD", "pop_type", "REF");
        long total = raw(GT_DEMOGRAPHICS, "total", selection);
        long withoutBreakdown = total - raw(GT_DEMOGRAPHICS, "f_total", selection) - raw(GT_DEMOGRAPHICS, "m_total", selection);
        assertTrue(withoutBreakdown > 0, "the selection has persons counted without a breakdown");
        assertEquals("Refugees (REF) by sex and age, 2023", text("pyramid-title"));
        assertPyramid(selection);
        assertTrue(text("pyramid-no-breakdown").startsWith(String.format("%,d persons (", withoutBreakdown))
                && text("pyramid-no-breakdown").contains(String.format(") of %,d counted without a sex or age breakdown", total)),
                text("pyramid-no-breakdown"));
        assertEquals(String.format("%,d persons (", withoutBreakdown),
                rows("pyramid-table").get("no sex or age breakdown").get(0).replaceAll("\\(.*", "("));
        assertEquals(String.format("%,d", total), rows("pyramid-table").get("everyone").get(0));
        String chart = browser.driver.findElement(By.id("pyramid-chart")).getAttribute("aria-label");
        assertTrue(chart.contains(String.format("Female 18-59: %,d", raw(GT_DEMOGRAPHICS, "f_18_59", selection)))
                && chart.contains(String.format("without a sex or age breakdown: %,d", withoutBreakdown)), chart);
        assertTrue(browser.driver.findElements(By.cssSelector("#pyramid-chart path")).size() >= 10, "the bars are drawn");
        browser.screenshot("demographics-pyramid");

        assertEquals(Map.of("measure", "DEMOGRAPHICS", "groupBy", "SEX,AGE_GROUP", "origin", "SDN", "asylum", "TCD", "populationType", "REF",
                "from", "2023", "to", "2023", "format", "csv"), exportLink("pyramid-csv"));
        browser.driver.findElement(By.id("pyramid-csv")).click();
        ExportedCsv csv = ExportedCsv.parse(downloaded("demographics.csv"));
        assertEquals(List.of("sex", "ageGroup", "value", "status", "periodEnd", "release"), csv.header());
        assertEquals(13, csv.rows().size(), "six age groups of each sex and the persons without a breakdown");
        Map<String, Long> cells = new LinkedHashMap<>();
        csv.rows().forEach(r -> cells.put(r.get("sex") + " " + r.get("ageGroup"), Long.parseLong(r.get("value"))));
        assertEquals(raw(GT_DEMOGRAPHICS, "f_0_4", selection), cells.get("FEMALE 0-4"));
        assertEquals(raw(GT_DEMOGRAPHICS, "m_60", selection), cells.get("MALE 60+"));
        assertEquals(withoutBreakdown, cells.get("UNKNOWN UNKNOWN"));
        assertEquals(total, cells.values().stream().mapToLong(Long::longValue).sum());

        // refugees from Ukraine in Moldova: persons of unknown age in both sexes, shown as such
        open("/#demographics?origin=UKR&asylum=MDA&populationType=REF&topYear=2023");
        Map<String, String> ukraineInMoldova = Map.of("year", "2023", "coo_iso", "UKR", "coa_iso", "MDA", "pop_type", "REF");
        assertTrue(raw(GT_DEMOGRAPHICS, "f_other", ukraineInMoldova) > 0, "the selection has females of unknown age");
        assertPyramid(ukraineInMoldova);
        assertTrue(text("pyramid-unknown-age").startsWith(String.format("Age unknown: %,d of %,d females (",
                raw(GT_DEMOGRAPHICS, "f_other", ukraineInMoldova), raw(GT_DEMOGRAPHICS, "f_total", ukraineInMoldova))), text("pyramid-unknown-age"));
        browser.screenshot("demographics-pyramid-unknown-age");
    }

    @Test
    @Order(9)
    void theSolutionsViewShowsTheRawFilesResettlementCountries() throws IOException, InterruptedException {
        open(SOLUTIONS_VIEW);
        Map<String, Long> byCountry = GT_SOLUTIONS.sumBy("coa_iso", "resettlement", Map.of("year", "2023"));
        List<Map.Entry<String, Long>> top = byCountry.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(10).toList();
        assertEquals(top.stream().map(e -> String.format("%,d", e.getValue())).toList(),
                browser.driver.findElements(By.cssSelector("#resettlement-top-table tbody tr")).stream()
                        .map(r -> r.findElements(By.tagName("td")).get(1).getAttribute("textContent")).toList());
        assertEquals("Top resettlement countries in 2023", text("resettlement-top-title"));
        Map<String, List<String>> series = rows("resettlement-series-table");
        assertEquals("Jan–Dec 2023", series.get("2023").get(0));
        assertEquals(String.format("%,d", byCountry.values().stream().mapToLong(Long::longValue).sum()), series.get("2023").get(1));
        assertEquals("final", series.get("2023").get(3));
        browser.screenshot("solutions");
        browser.driver.executeScript("document.getElementById('returnedRefugees-panel').scrollIntoView()");
        browser.screenshot("solutions-returns");

        browser.driver.findElement(By.id("resettlement-top-csv")).click();
        ExportedCsv csv = ExportedCsv.parse(downloaded("resettlement.csv"));
        assertEquals(List.of("asylum", "asylumName", "value", "status", "periodEnd", "release"), csv.header());
        assertEquals(top.stream().map(e -> e.getKey() + "," + e.getValue()).toList(),
                csv.rows().stream().limit(10).map(r -> r.get("asylum") + "," + r.get("value")).toList(), "the ten shown, first");
        Map<String, Long> reported = new java.util.HashMap<>();
        csv.rows().stream().filter(r -> !r.get("value").isEmpty()).forEach(r -> reported.put(r.get("asylum"), Long.parseLong(r.get("value"))));
        assertEquals(byCountry, reported, "every resettlement country, not only the ten shown");
        assertEquals(Map.of("measure", "RETURNED_REFUGEES", "groupBy", "ORIGIN", "from", "2023", "to", "2023", "format", "csv"),
                exportLink("returnedRefugees-top-csv"), "returns by the country returned to");
    }

    /** The pyramid table's female and male cells of each age group, and of all ages, against the raw file. */
    private static void assertPyramid(Map<String, String> selection) {
        Map<String, List<String>> table = rows("pyramid-table");
        Map<String, String> bands = new LinkedHashMap<>();
        bands.putAll(Map.of("0-4", "0_4", "5-11", "5_11", "12-17", "12_17", "18-59", "18_59", "60+", "60"));
        bands.put("age unknown", "other");
        bands.put("all ages", "total");
        bands.forEach((label, band) -> {
            assertEquals(String.format("%,d", raw(GT_DEMOGRAPHICS, "f_" + band, selection)), table.get(label).get(0), "females " + label);
            assertEquals(String.format("%,d", raw(GT_DEMOGRAPHICS, "m_" + band, selection)), table.get(label).get(2), "males " + label);
        });
    }

    private static long raw(RawUnhcrFile file, String column, Map<String, String> filters) {
        Long sum = file.sum(column, filters);
        return sum == null ? 0 : sum;
    }

    // ---- driving the page ------------------------------------------------------------------------

    private static void open(String path) {
        browser.driver.get(system.gateway() + path);
        browser.driver.navigate().refresh(); // a hash change alone does not reload the page
        new WebDriverWait(browser.driver, Duration.ofSeconds(30))
                .until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
        awaitIdle();
        WebElement error = browser.driver.findElement(By.id("error"));
        assertTrue(!error.isDisplayed(), () -> "the page shows an error: " + error.getText());
    }

    private static void awaitIdle() {
        new WebDriverWait(browser.driver, Duration.ofSeconds(120)).until(d -> {
            WebElement body = d.findElement(By.tagName("body"));
            return !"true".equals(body.getAttribute("data-loading")) && !"true".equals(body.getAttribute("data-busy"));
        });
    }

    private static String text(String id) {
        return browser.driver.findElement(By.id(id)).getText();
    }

    /** The partial year drawn apart: its period written next to its hollow point in the chart. */
    private static void assertPartialPointDrawn(String periodLabel) {
        assertTrue(!browser.driver.findElements(By.cssSelector("#series-chart path")).isEmpty(), "the chart is drawn");
        assertTrue(browser.driver.findElements(By.cssSelector("#series-chart text")).stream()
                .anyMatch(t -> t.getText().equals(periodLabel)), "the partial point is labelled " + periodLabel);
        assertTrue(browser.driver.findElements(By.cssSelector("#series-chart path[stroke-dasharray]")).size() > 0,
                "the partial year's line is dashed");
    }

    /** A table's rows by their first cell, each with the cells after it (as the page holds them, shown or folded). */
    private static Map<String, List<String>> rows(String tableId) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (WebElement row : browser.driver.findElements(By.cssSelector("#" + tableId + " tbody tr"))) {
            List<String> cells = row.findElements(By.tagName("td")).stream().map(c -> c.getAttribute("textContent")).toList();
            rows.put(cells.get(0), cells.subList(1, cells.size()));
        }
        return rows;
    }

    /** The series table's cells after the year: period, value, change, status, release. */
    private static Map<Integer, List<String>> seriesTable() {
        Map<Integer, List<String>> rows = new LinkedHashMap<>();
        for (WebElement row : browser.driver.findElements(By.cssSelector("#series-table tbody tr"))) {
            List<String> cells = row.findElements(By.tagName("td")).stream().map(c -> c.getAttribute("textContent")).toList();
            rows.put(Integer.parseInt(cells.get(0)), cells.subList(1, cells.size()));
        }
        return rows;
    }

    private static void logIn(String user) {
        open("/");
        browser.driver.findElement(By.id("login")).click();
        new WebDriverWait(browser.driver, Duration.ofSeconds(30)).until(d -> !d.findElements(By.id("username")).isEmpty());
        browser.driver.findElement(By.id("username")).sendKeys(user);
        browser.driver.findElement(By.id("password")).sendKeys(user);
        browser.driver.findElement(By.id("kc-login")).click();
        new WebDriverWait(browser.driver, Duration.ofSeconds(30)).until(d -> d.findElement(By.id("who")).getText().startsWith(user + " "));
    }

    private static void logOut() {
        browser.driver.findElement(By.id("logout")).click();
        new WebDriverWait(browser.driver, Duration.ofSeconds(30)).until(d -> d.getCurrentUrl().startsWith(system.gateway())
                && !d.findElements(By.id("login")).isEmpty() && d.findElement(By.id("login")).isDisplayed());
    }

    private static WebElement releaseRow(String idOrTitle) {
        return browser.driver.findElements(By.cssSelector("#releases-table tbody tr")).stream()
                .filter(r -> {
                    List<WebElement> cells = r.findElements(By.tagName("td"));
                    return cells.get(0).getText().equals(idOrTitle) || cells.get(1).getText().equals(idOrTitle);
                })
                .findFirst().orElseThrow(() -> new AssertionError("no release " + idOrTitle + " in the table"));
    }

    private static void clickInRow(String id, String label) {
        releaseRow(id).findElements(By.tagName("button")).stream().filter(b -> b.getText().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + label + " button for release " + id)).click();
        awaitIdle();
    }

    private static void upload(String id, String dataset, Path file) {
        WebElement row = releaseRow(id);
        new Select(row.findElement(By.tagName("select"))).selectByValue(dataset);
        row.findElement(By.cssSelector("input[type=file]")).sendKeys(file.toAbsolutePath().toString());
        clickInRow(id, "Upload");
    }

    /** The real population file's header and first rows, with a count in the first data row made text. */
    private static Path writeInvalidPopulationFile() throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(new ByteArrayInputStream(
                RawUnhcrFile.bytes("gt2023/population.csv.gz"))), StandardCharsets.UTF_8))) {
            for (int i = 0; i < 4; i++) {
                lines.add(in.readLine());
            }
        }
        lines.set(1, lines.get(1).replaceFirst(",[0-9]+$", ",many"));
        Path file = Files.createTempFile("population-invalid", ".csv");
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    /** A downloaded file's text, once Chromium has finished writing it; the file is removed, so that the name can come again. */
    private static String downloaded(String name) throws IOException {
        Path file = browser.downloads.resolve(name);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(file));
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Files.delete(file);
        return text;
    }

    /** A download link's parameters, after checking that it leads to the export. */
    private static Map<String, String> exportLink(String id) {
        URI link = URI.create(browser.driver.findElement(By.id(id)).getAttribute("href"));
        assertEquals(system.gateway() + "/export/figures", link.getScheme() + "://" + link.getRawAuthority() + link.getRawPath());
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : link.getRawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            parameters.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private static Map<String, String> withFormat(Map<String, String> selection, String format) {
        Map<String, String> parameters = new LinkedHashMap<>(selection);
        parameters.put("format", format);
        return parameters;
    }

    /** The export's status of a series point: preliminary and part of the year are separate facts. */
    private static String exportStatus(String status, boolean partial) {
        String preliminary = status.equals("PRELIMINARY") ? "preliminary" : "";
        String text = (preliminary + (partial ? " partial" : "")).strip();
        return text.isEmpty() ? "final" : text;
    }

    /** Shows a view through its link in the page (no reload), as a reader switching views does. */
    private static void showView(String view) {
        browser.driver.findElement(By.cssSelector("nav a[data-view=" + view + "]")).click();
        awaitIdle();
    }

    /** The page's GET requests of one dashboard document since the timings were cleared: transfer size, body size, status. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> graphqlRequests(String document) {
        return (List<Map<String, Object>>) browser.driver.executeScript("""
                return performance.getEntriesByType('resource').filter((e) => e.name.includes(arguments[0]))
                  .map((e) => ({ transferSize: e.transferSize, encodedBodySize: e.encodedBodySize, status: e.responseStatus ?? 0 }));""",
                "/graphql?documentId=" + URLEncoder.encode(DashboardDocuments.id(document), StandardCharsets.UTF_8));
    }

    /** No request sent (nothing transferred), or a revalidation the gateway answered 304. */
    private static boolean answeredByTheBrowserCache(Map<String, Object> request) {
        return ((Number) request.get("transferSize")).longValue() == 0 || ((Number) request.get("status")).intValue() == 304;
    }
}
