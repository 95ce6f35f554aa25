package org.asylumstats.stats.figures;

import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;

import java.util.List;
import java.util.Map;

/** Which figures to count. Countries by ISO3 or UNHCR code; persons unless cases are asked for. */
@Input("FigureFilter") // the contract's name, not SmallRye's default "FigureFilterInput"
public record FigureFilter(
        List<String> origin,
        List<String> asylum,
        List<String> originRegion,
        List<String> asylumRegion,
        YearRange years,
        List<String> procedure,
        List<String> applicationType,
        List<String> decisionLevel,
        @DefaultValue("PERSONS") Unit unit,
        List<Sex> sex,
        @Description("Age groups: 0-4, 5-11, 12-17, 18-59, 60+, UNKNOWN") List<String> ageGroup,
        @Description("Demographics' pop_type codes: REF ASY IDP OOC STA OIP HST RET RDP") List<String> populationType) {

    public static final FigureFilter NONE = new FigureFilter(null, null, null, null, null, null, null, null, Unit.PERSONS, null, null, null);

    public Unit unitOrDefault() {
        return unit == null ? Unit.PERSONS : unit;
    }

    /**
     * This filter, if its years lie within the statistics' range and each list is short enough to be a
     * question about countries, regions or codes (a 3,000-code list was once answered and cached).
     */
    public FigureFilter checked(int maxValues, int maxValueLength) {
        Map<String, List<String>> lists = new java.util.LinkedHashMap<>();
        lists.put("origin", origin);
        lists.put("asylum", asylum);
        lists.put("originRegion", originRegion);
        lists.put("asylumRegion", asylumRegion);
        lists.put("procedure", procedure);
        lists.put("applicationType", applicationType);
        lists.put("decisionLevel", decisionLevel);
        lists.put("ageGroup", ageGroup);
        lists.put("populationType", populationType);
        lists.forEach((argument, values) -> {
            if (values == null) {
                return;
            }
            if (values.size() > maxValues) {
                throw new FilterTooLongException(argument + ": " + values.size() + " values, at most " + maxValues);
            }
            for (String value : values) {
                if (value.length() > maxValueLength) {
                    throw new FilterTooLongException(argument + ": '" + QueryException.prefix(value) + "' is longer than "
                            + maxValueLength + " characters");
                }
            }
        });
        if (years != null) {
            years.checked("years");
        }
        if (ageGroup != null) {
            for (String group : ageGroup) {
                if (!AgeGroup.LABELS.contains(group.strip().toUpperCase(java.util.Locale.ROOT))) {
                    throw new QueryException("ageGroup: '" + QueryException.prefix(group) + "' is not one of " + AgeGroup.LABELS);
                }
            }
        }
        return this;
    }

    public FigureFilter withYears(YearRange range) {
        return new FigureFilter(origin, asylum, originRegion, asylumRegion, range, procedure, applicationType, decisionLevel, unit,
                sex, ageGroup, populationType);
    }
}
