package org.asylumstats.ingest.release;

/** The lifecycle of a release: DRAFT → SUBMITTED → PUBLISHED | REJECTED; PUBLISHED → RETRACTED. */
public enum ReleaseState {
    DRAFT, SUBMITTED, PUBLISHED, REJECTED, RETRACTED;

    /** Files may be uploaded, replaced or deleted: a draft, or a rejected release being reworked. */
    public boolean editable() {
        return this == DRAFT || this == REJECTED;
    }
}
