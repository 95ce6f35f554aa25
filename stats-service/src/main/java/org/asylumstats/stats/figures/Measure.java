package org.asylumstats.stats.figures;

import org.asylumstats.ingest.core.Dataset;

import java.util.Arrays;
import java.util.List;

/** What is counted: each measure is one count column of one dataset. */
public enum Measure {
    REFUGEES(Dataset.POPULATION, "refugees", MeasureKind.STOCK, "Refugees"),
    ASYLUM_SEEKERS(Dataset.POPULATION, "asylum_seekers", MeasureKind.STOCK, "Asylum-seekers"),
    RETURNED_REFUGEES(Dataset.POPULATION, "returned_refugees", MeasureKind.FLOW, "Returned refugees"),
    IDPS(Dataset.POPULATION, "idps", MeasureKind.STOCK, "Internally displaced persons"),
    RETURNED_IDPS(Dataset.POPULATION, "returned_idps", MeasureKind.FLOW, "Returned IDPs"),
    STATELESS(Dataset.POPULATION, "stateless", MeasureKind.STOCK, "Stateless persons"),
    OTHERS_OF_CONCERN(Dataset.POPULATION, "others_of_concern", MeasureKind.STOCK, "Others of concern"),
    OTHER_IN_NEED(Dataset.POPULATION, "other_in_need", MeasureKind.STOCK, "Other people in need of international protection"),
    HOST_COMMUNITY(Dataset.POPULATION, "host_community", MeasureKind.STOCK, "Host community"),
    APPLICATIONS(Dataset.ASYLUM_APPLICATIONS, "applied", MeasureKind.FLOW, "Asylum applications"),
    RECOGNIZED(Dataset.ASYLUM_DECISIONS, "recognized", MeasureKind.FLOW, "Recognized (decisions)"),
    COMPLEMENTARY_PROTECTION(Dataset.ASYLUM_DECISIONS, "complementary_protection", MeasureKind.FLOW, "Complementary protection (decisions)"),
    REJECTED(Dataset.ASYLUM_DECISIONS, "rejected", MeasureKind.FLOW, "Rejected (decisions)"),
    OTHERWISE_CLOSED(Dataset.ASYLUM_DECISIONS, "otherwise_closed", MeasureKind.FLOW, "Otherwise closed (decisions)"),
    TOTAL_DECISIONS(Dataset.ASYLUM_DECISIONS, "total_decisions", MeasureKind.FLOW, "Total decisions"),
    // a stock, except for population types RET and RDP: returns during the year
    DEMOGRAPHICS(Dataset.DEMOGRAPHICS, "total", MeasureKind.STOCK, "Persons by sex and age (demographics)"),
    RESETTLEMENT(Dataset.SOLUTIONS, "resettlement", MeasureKind.FLOW, "Resettlement arrivals"),
    NATURALISATION(Dataset.SOLUTIONS, "naturalisation", MeasureKind.FLOW, "Naturalisations");

    private final Dataset dataset;
    private final String column;
    private final MeasureKind kind;
    private final String label;

    Measure(Dataset dataset, String column, MeasureKind kind, String label) {
        this.dataset = dataset;
        this.column = column;
        this.kind = kind;
        this.label = label;
        if (dataset.counts().stream().noneMatch(c -> c.column().equals(column))) {
            throw new IllegalStateException(column + " is not a count of " + dataset);
        }
    }

    public Dataset dataset() {
        return dataset;
    }

    public String column() {
        return column;
    }

    /** A stock is counted on the last day of its period, a flow over the period. */
    public MeasureKind kind() {
        return kind;
    }

    /** The name a front-end shows for the measure. */
    public String label() {
        return label;
    }

    /** The units its figures may be counted in: persons, and cases where the dataset has a unit column. */
    public List<Unit> units() {
        return hasUnit() ? List.of(Unit.PERSONS, Unit.CASES) : List.of(Unit.PERSONS);
    }

    /** What a figures table of this measure may be grouped by. */
    public List<Dimension> dimensions() {
        return Arrays.stream(Dimension.values()).filter(d -> d.appliesTo(dataset)).toList();
    }

    /** Whether the dataset distinguishes persons from cases (population counts persons only). */
    public boolean hasUnit() {
        return dataset.unit().isPresent();
    }
}
