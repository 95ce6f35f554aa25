package org.asylumstats.stats.figures;

import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.DefaultValue;

import java.util.List;

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
        @DefaultValue("PERSONS") Unit unit) {

    public static final FigureFilter NONE = new FigureFilter(null, null, null, null, null, null, null, null, Unit.PERSONS);

    public Unit unitOrDefault() {
        return unit == null ? Unit.PERSONS : unit;
    }

    public FigureFilter withYears(YearRange range) {
        return new FigureFilter(origin, asylum, originRegion, asylumRegion, range, procedure, applicationType, decisionLevel, unit);
    }
}
