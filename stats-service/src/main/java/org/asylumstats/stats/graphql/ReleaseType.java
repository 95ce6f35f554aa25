package org.asylumstats.stats.graphql;

import org.asylumstats.stats.catalog.ReferencePeriod;
import org.asylumstats.stats.catalog.Release;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

import java.time.LocalDate;
import java.util.List;

/** A release as the API shows it: where every figure comes from. */
@Name("Release")
public record ReleaseType(@Id @NonNull String id, @NonNull String title, String source, @NonNull LocalDate publishedOn,
                          @NonNull List<@NonNull Integer> preliminaryYears, @NonNull List<@NonNull String> datasets,
                          @NonNull String state,
                          @Description("Only the years it does not cover to 31 December: there its stocks are counted at end, its flows run to end")
                          @NonNull List<@NonNull ReferencePeriod> referencePeriods) {

    static ReleaseType of(Release r) {
        return r == null ? null : new ReleaseType(Long.toString(r.id()), r.title(), r.source(), r.publishedOn(),
                r.preliminaryYears(), r.datasets(), r.state(), r.referencePeriods());
    }
}
