package org.asylumstats.ingest.core;

import java.util.Set;
import java.util.regex.Pattern;

/** UNHCR's code lists for asylum procedures and demographics, as found in its releases. */
final class Codes {

    /** G government, U UNHCR, J joint. */
    static final Set<String> PROCEDURES = Set.of("G", "U", "J");

    /** N new, R repeat, A appeal, and the rarer kinds UNHCR reports. */
    static final Set<String> APPLICATION_TYPES = Set.of("N", "R", "A", "FA", "J", "NR", "RA", "SP", "V", "NA");

    /** Stages of the procedure: first instance, administrative review, judicial review, and others. */
    static final Set<String> DECISION_LEVELS = Set.of("FI", "AR", "JR", "NA", "RA", "EO", "IN", "TA", "SP", "FA", "CA", "BL", "TP", "TR");

    /**
     * Demographics' population types: REF refugees, ASY asylum-seekers, IDP, OOC others of concern,
     * STA stateless, OIP other people in need, HST host community, and the returns during the year,
     * RET returned refugees and RDP returned IDPs. A closed list: a code outside it is an error.
     */
    static final Set<String> POPULATION_TYPES = Set.of("REF", "ASY", "IDP", "OOC", "STA", "OIP", "HST", "RET", "RDP");

    /** Demographics' location types (camp, village, rural, urban); a closed list. */
    static final Set<String> LOCATION_TYPES = Set.of("C", "V", "R", "U");

    /** Demographics' accommodation types (unknown, individual, self-settled, collective centre, planned camp, reception centre); closed. */
    static final Set<String> ACCOMMODATION_TYPES = Set.of("U", "I", "S", "C", "P", "R");

    /**
     * UNHCR adds stage and type codes between releases, and real files carry odd ones (my2023 has a
     * decision level "0"): a well-formed code missing from the procedure lists
     * above is loaded with a warning instead of rejecting a real release.
     */
    static final Pattern WELL_FORMED = Pattern.compile("[A-Z0-9]{1,4}");

    private Codes() {
    }
}
