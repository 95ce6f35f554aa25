package org.asylumstats.ingest.release;

/**
 * Who calls: the token's subject ({@code sub}), which the rules compare, and the user name, which
 * is shown. A name can change or be reused; a subject cannot.
 */
public record Actor(String subject, String name) {

    /** Whether this actor is the one recorded as {@code subject}/{@code name} (the name only for rows from before subjects were kept). */
    public boolean is(String recordedSubject, String recordedName) {
        return recordedSubject != null ? recordedSubject.equals(subject) : recordedName.equals(name);
    }
}
