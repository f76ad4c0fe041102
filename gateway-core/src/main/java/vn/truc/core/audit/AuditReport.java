package vn.truc.core.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@link AuditVerifier} found in an export: every problem, in the order of the checks
 * (signature, then records in id order, then batches), and what the export covers.
 *
 * @param problems what does not verify; empty when the export is sound
 * @param notes what an auditor should know but is not a failure, such as records not yet timestamped
 *     or an export that vouched for itself
 * @param selfVouched true when no trusted certificates were given and the export's own {@code
 *     trust.pem} was used to judge it
 * @param records records in the chain (the whole id range, content included or not)
 * @param included records whose content is in the export
 * @param firstLoggedAt when the first included record was logged, or null
 */
public record AuditReport(
        List<Problem> problems,
        List<String> notes,
        String serverId,
        String signer,
        boolean selfVouched,
        Instant from,
        Instant to,
        long firstId,
        long lastId,
        int records,
        int included,
        List<Long> batches,
        int untimestamped,
        Instant firstLoggedAt,
        Instant lastLoggedAt) {

    public AuditReport {
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
        batches = List.copyOf(batches);
    }

    /**
     * One thing that does not verify.
     *
     * @param subject what it is about: {@code record 42}, {@code batch 3}, {@code export signature};
     *     null when the message says it (a gap in the ids)
     * @param recordId the record it names, or null
     */
    public record Problem(String subject, Long recordId, String message) {
        @Override
        public String toString() {
            return subject == null ? message : subject + ": " + message;
        }
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    /** The problem of the lowest-numbered record, if any record fails. */
    public Optional<Problem> firstFailingRecord() {
        return problems.stream()
                .filter(p -> p.recordId() != null)
                .min(java.util.Comparator.comparing(Problem::recordId));
    }
}
