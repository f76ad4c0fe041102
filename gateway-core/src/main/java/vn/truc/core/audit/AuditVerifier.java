package vn.truc.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import vn.truc.core.audit.AuditExportFormat.ChainLine;
import vn.truc.core.audit.AuditReport.Problem;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.Digests;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.error.TrucException;

/**
 * Checks a signed audit export offline, needing nothing from the server that made it: the CMS
 * signature over the content and who made it; each included record's content against its hash;
 * each link of the chain and that no id is missing; each record's Merkle path to its batch's root;
 * each batch's RFC 3161 token over that root; each logged content against the digest its record
 * commits to (sealed contents only when given the operator's content key). It goes on after a failure, so the report lists
 * every problem, each naming the record or batch it is about.
 */
public final class AuditVerifier {
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final HexFormat HEX = HexFormat.of();

    private final List<Problem> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final java.time.Duration maxDelay;
    private final PrivateKey contentKey;

    private AuditVerifier(java.time.Duration maxDelay, PrivateKey contentKey) {
        this.maxDelay = maxDelay;
        this.contentKey = contentKey;
    }

    /**
     * Verifies {@code export} (DER CMS SignedData). {@code trusted}: the CA and TSA certificates the
     * auditor obtained independently; empty to judge the export by the {@code trust.pem} it carries,
     * which the report then says plainly.
     */
    public static AuditReport verify(byte[] export, List<X509Certificate> trusted) {
        return new AuditVerifier(null, null).run(export, trusted);
    }

    /**
     * As {@link #verify(byte[], List)}, and also refuses a record whose batch was timestamped more
     * than {@code maxDelay} after the record was logged (or before it): the trace of a history
     * rewritten and then timestamped afresh. {@code maxDelay} must exceed the exporting server's
     * {@code audit.timestamp-grace}.
     */
    public static AuditReport verify(byte[] export, List<X509Certificate> trusted, java.time.Duration maxDelay) {
        return new AuditVerifier(maxDelay, null).run(export, trusted);
    }

    /**
     * As {@link #verify(byte[], List, java.time.Duration)} ({@code maxDelay} may be null), and also
     * opens the contents sealed for the operator with {@code contentKey} and checks each against its
     * record; without the key, sealed contents are counted but not checked.
     */
    public static AuditReport verify(
            byte[] export, List<X509Certificate> trusted, java.time.Duration maxDelay, PrivateKey contentKey) {
        return new AuditVerifier(maxDelay, contentKey).run(export, trusted);
    }

    /**
     * Checks that {@code exports}, in the order given (oldest first: archives, then a live export),
     * form one chain: each begins with the id after the previous one's last, and its first record
     * names the previous one's last hash as its predecessor. Each export is verified on its own by
     * {@link #verify}; this checks only the seams.
     *
     * @return one message per broken seam; empty when the exports continue one another
     */
    public static List<String> continuity(List<String> names, List<byte[]> exports) {
        List<String> problems = new ArrayList<>();
        ChainLine previous = null;
        for (int i = 0; i < exports.size(); i++) {
            List<ChainLine> chain;
            try {
                var content = new CMSSignedData(exports.get(i)).getSignedContent();
                byte[] zip = content == null ? null : (byte[]) content.getContent();
                chain = ExportContent.lines(ExportContent.read(zip).get(AuditExportFormat.CHAIN)).stream()
                        .map(ChainLine::parse)
                        .toList();
            } catch (CMSException | RuntimeException e) {
                problems.add(names.get(i) + ": its chain cannot be read (" + e.getMessage() + ")");
                previous = null;
                continue;
            }
            if (chain.isEmpty()) {
                problems.add(names.get(i) + ": holds no records");
                continue;
            }
            ChainLine first = chain.get(0);
            if (previous != null) {
                if (first.id() != previous.id() + 1) {
                    problems.add(names.get(i) + " begins at record " + first.id() + ", but " + names.get(i - 1)
                            + " ends at record " + previous.id() + " (records " + (previous.id() + 1) + ".."
                            + (first.id() - 1) + " are in no file given, or the files are out of order)");
                } else if (!first.prevHash().equals(previous.hash())) {
                    problems.add("record " + first.id() + " in " + names.get(i) + " does not name record "
                            + previous.id() + " of " + names.get(i - 1) + " as its predecessor (prevHash differs)");
                }
            }
            previous = chain.get(chain.size() - 1);
        }
        return problems;
    }

    private AuditReport run(byte[] export, List<X509Certificate> trusted) {
        CMSSignedData cms;
        byte[] zip;
        Map<String, byte[]> entries;
        try {
            cms = new CMSSignedData(export);
            zip = cms.getSignedContent() == null
                    ? null
                    : (byte[]) cms.getSignedContent().getContent();
            if (zip == null) {
                problem("export", null, "the CMS SignedData carries no content");
                return report(null, false, null, List.of(), Map.of(), Map.of());
            }
            entries = ExportContent.read(zip);
        } catch (CMSException | RuntimeException e) {
            problem("export", null, "not a readable signed export (" + e.getMessage() + ")");
            return report(null, false, null, List.of(), Map.of(), Map.of());
        }
        boolean self = trusted == null || trusted.isEmpty();
        List<X509Certificate> trust = self ? exportTrust(entries) : List.copyOf(trusted);
        if (self) {
            notes.add("no --trust given: the export vouches for itself (its own " + AuditExportFormat.TRUST
                    + " judged its signature and timestamps); give the CA and TSA certificates you obtained"
                    + " independently with --trust");
        }
        List<String> signatureProblems = new ArrayList<>();
        X509Certificate signer = ExportSignature.check(cms, trust, signatureProblems);
        signatureProblems.forEach(p -> problem("export signature", null, p));

        JsonNode manifest = json(entries, AuditExportFormat.MANIFEST);
        List<ChainLine> chain = chain(entries);
        Map<Long, byte[]> records = records(entries, chain);
        checkContents(entries, records);
        checkChain(chain);
        Map<Long, BatchInfo> batches = batches(entries, chain, manifest, trust);
        checkPaths(chain, batches);
        checkDelays(chain, records, batches);
        checkManifest(manifest, chain);
        return report(manifest, self, signer, chain, records, batches);
    }

    /** What {@code batches/<id>.json} says and whether its token verified. */
    private record BatchInfo(long id, byte[] root, long first, long last, Instant timestampedAt) {}

    private List<ChainLine> chain(Map<String, byte[]> entries) {
        byte[] text = require(entries, AuditExportFormat.CHAIN);
        List<ChainLine> chain = new ArrayList<>();
        if (text == null) {
            return chain;
        }
        List<byte[]> lines = ExportContent.lines(text);
        for (int i = 0; i < lines.size(); i++) {
            try {
                chain.add(ChainLine.parse(lines.get(i)));
            } catch (TrucException e) {
                problem(AuditExportFormat.CHAIN + " line " + (i + 1), null, e.getMessage());
            }
        }
        return chain;
    }

    /** Each line of records.jsonl against the hash the chain holds for it; returns lines by id. */
    private Map<Long, byte[]> records(Map<String, byte[]> entries, List<ChainLine> chain) {
        Map<Long, ChainLine> byId = new LinkedHashMap<>();
        chain.forEach(c -> byId.putIfAbsent(c.id(), c));
        Map<Long, byte[]> lines = new TreeMap<>();
        byte[] text = require(entries, AuditExportFormat.RECORDS);
        long previous = Long.MIN_VALUE;
        for (byte[] line : text == null ? List.<byte[]>of() : ExportContent.lines(text)) {
            Long id = idOf(line);
            if (id == null) {
                problem(AuditExportFormat.RECORDS, null, "a line that is not a record: " + shorten(line));
                continue;
            }
            if (id <= previous) {
                problem(record(id), id, "out of order in records.jsonl, after record " + previous + " (reordered)");
            }
            previous = Math.max(previous, id);
            if (lines.put(id, line) != null) {
                problem(record(id), id, "appears twice in records.jsonl");
            }
            checkRecord(id, line, byId.get(id));
        }
        for (ChainLine c : chain) {
            if (c.included() && !lines.containsKey(c.id())) {
                problem(record(c.id()), c.id(), "content missing from records.jsonl (removed from the export)");
            }
        }
        return lines;
    }

    private void checkRecord(long id, byte[] line, ChainLine link) {
        if (link == null) {
            problem(record(id), id, "in records.jsonl but not in chain.jsonl");
            return;
        }
        if (!link.included()) {
            problem(record(id), id, "in records.jsonl although chain.jsonl says its content was left out");
        }
        AuditRecord parsed;
        try {
            parsed = AuditRecord.fromBytes(line);
        } catch (TrucException e) {
            problem(record(id), id, "content is not a record in canonical form (" + e.getMessage() + ")");
            return;
        }
        if (!Digests.sha256Hex(line).equals(link.hash())) {
            problem(record(id), id, "content does not match its hash (changed after it was logged)");
        } else if (!parsed.prevHash().equals(link.prevHash())) {
            problem(
                    record(id),
                    id,
                    "its content names prevHash " + parsed.prevHash() + " but chain.jsonl says " + link.prevHash());
        }
    }

    /**
     * Each logged content an included record names is in the export and is what the record commits
     * to; no content is in the export that no record names.
     */
    private void checkContents(Map<String, byte[]> entries, Map<Long, byte[]> records) {
        Set<String> named = new HashSet<>();
        Map<String, Optional<String>> verdicts = new HashMap<>(); // entry name -> why it fails, if it does
        int sealed = 0;
        for (Map.Entry<Long, byte[]> line : records.entrySet()) {
            long id = line.getKey();
            String hex;
            try {
                AuditRecord parsed = AuditRecord.fromBytes(line.getValue());
                hex = parsed.content() ? LoggedContent.digestHex(parsed) : null;
            } catch (TrucException | IllegalArgumentException e) {
                continue; // a record that does not parse is reported by records()
            }
            if (hex == null) {
                continue;
            }
            String clear = AuditExportFormat.contentEntry(hex);
            String sealedName = AuditExportFormat.sealedContentEntry(hex);
            named.add(clear);
            named.add(sealedName);
            String name = entries.containsKey(clear) ? clear : entries.containsKey(sealedName) ? sealedName : null;
            if (name == null) {
                problem(record(id), id, "its content was logged but is not in the export (" + clear + ")");
            } else if (name.equals(sealedName) && contentKey == null) {
                sealed++;
            } else {
                verdicts.computeIfAbsent(name, n -> Optional.ofNullable(checkContent(entries, n, hex)))
                        .ifPresent(why -> problem(record(id), id, why));
            }
        }
        for (String name : entries.keySet()) {
            if (name.startsWith(AuditExportFormat.CONTENTS_DIR) && !named.contains(name)) {
                problem(name, null, "no record of the export names this content (added)");
            }
        }
        long good = verdicts.values().stream().filter(Optional::isEmpty).count();
        if (good > 0) {
            notes.add(good + " logged content(s) checked against the digests their records commit to");
        }
        if (sealed > 0) {
            notes.add(sealed + " record(s) have content sealed for the operator's content key, not checked;"
                    + " give that key (--content-key) to open and check them");
        }
    }

    /** Null when the content entry {@code name} is the content with SHA-256 {@code hex}; else why not. */
    private String checkContent(Map<String, byte[]> entries, String name, String hex) {
        byte[] bytes = entries.get(name);
        String actual;
        if (name.endsWith(".cms")) {
            byte[] pem = entries.get(AuditExportFormat.CONTENT_CERTIFICATE);
            if (pem == null) {
                return name + " is sealed, but " + AuditExportFormat.CONTENT_CERTIFICATE + " is missing";
            }
            try {
                X509Certificate certificate = Certificates.fromPem(new String(pem, StandardCharsets.US_ASCII));
                actual = LoggedContent.open(
                        new ByteArrayInputStream(bytes),
                        OutputStream.nullOutputStream(),
                        new KeyAndChain(contentKey, List.of(certificate)));
            } catch (IOException | TrucException | IllegalArgumentException e) {
                return name + " cannot be opened with the content key given (" + e.getMessage() + ")";
            }
        } else {
            actual = Digests.sha256Hex(bytes);
        }
        return actual.equals(hex)
                ? null
                : "its logged content (" + name + ") does not match the digest the record commits to (changed)";
    }

    /** Contiguous ids, each record naming the hash of the one before it. */
    private void checkChain(List<ChainLine> chain) {
        ChainLine previous = null;
        for (ChainLine c : chain) {
            if (!HEX_SHA256.matcher(c.hash()).matches()) {
                problem(record(c.id()), c.id(), "hash '" + c.hash() + "' is not 64 lower-case hex digits");
            }
            if (previous != null) {
                if (c.id() <= previous.id()) {
                    problem(
                            record(c.id()),
                            c.id(),
                            "out of order in chain.jsonl, after record " + previous.id() + " (reordered)");
                } else if (c.id() > previous.id() + 1) {
                    long missing = previous.id() + 1;
                    problem(
                            null,
                            missing,
                            "ids jump from " + previous.id() + " to " + c.id() + " ("
                                    + (c.id() - missing == 1
                                            ? "record " + missing + " is missing"
                                            : "records " + missing + "-" + (c.id() - 1) + " are missing")
                                    + ")");
                }
                if (!c.prevHash().equals(previous.hash())) {
                    problem(
                            record(c.id()),
                            c.id(),
                            "prevHash does not match record " + previous.id()
                                    + "'s hash (a record was removed, inserted or reordered)");
                }
            }
            previous = c;
        }
    }

    private Map<Long, BatchInfo> batches(
            Map<String, byte[]> entries, List<ChainLine> chain, JsonNode manifest, List<X509Certificate> trust) {
        TreeSet<Long> ids = new TreeSet<>();
        chain.stream().filter(c -> c.batch() != null).forEach(c -> ids.add(c.batch()));
        if (manifest != null) {
            manifest.path("batches").forEach(b -> ids.add(b.asLong()));
        }
        Map<Long, BatchInfo> batches = new TreeMap<>();
        for (long id : ids) {
            BatchInfo info = batch(entries, id);
            if (info == null) {
                continue;
            }
            batches.put(id, info);
            byte[] token = entries.get(AuditExportFormat.tokenEntry(id));
            if (token == null) {
                problem("batch " + id, null, "timestamp token " + AuditExportFormat.tokenEntry(id) + " is missing");
                continue;
            }
            try {
                Instant at = Timestamps.verify(token, info.root(), trust).genTime();
                batches.put(id, new BatchInfo(info.id(), info.root(), info.first(), info.last(), at));
            } catch (TrucException | IllegalArgumentException e) {
                problem("batch " + id, null, "timestamp token does not verify: " + e.getMessage());
            }
        }
        return batches;
    }

    private BatchInfo batch(Map<String, byte[]> entries, long id) {
        JsonNode node = json(entries, AuditExportFormat.batchEntry(id));
        if (node == null) {
            return null;
        }
        String root = node.path("root").asText("");
        if (!HEX_SHA256.matcher(root).matches()) {
            problem("batch " + id, null, "root '" + root + "' is not 64 lower-case hex digits");
            return null;
        }
        return new BatchInfo(
                id,
                HEX.parseHex(root),
                node.path("first").asLong(),
                node.path("last").asLong(),
                null);
    }

    /**
     * With a maximum delay: each record was timestamped after it was logged, and not longer after
     * than that (a few minutes of clock difference between server and TSA are allowed).
     */
    private void checkDelays(List<ChainLine> chain, Map<Long, byte[]> records, Map<Long, BatchInfo> batches) {
        if (maxDelay == null) {
            return;
        }
        java.time.Duration skew = java.time.Duration.ofMinutes(5);
        for (ChainLine c : chain) {
            BatchInfo batch = c.batch() == null ? null : batches.get(c.batch());
            byte[] line = records.get(c.id());
            if (batch == null || batch.timestampedAt() == null || line == null) {
                continue;
            }
            Instant logged = loggedAt(line);
            if (logged == null) {
                continue;
            }
            if (batch.timestampedAt().plus(skew).isBefore(logged)) {
                problem(
                        record(c.id()),
                        c.id(),
                        "logged at " + logged + ", after its batch " + batch.id() + " was timestamped at "
                                + batch.timestampedAt());
            } else if (batch.timestampedAt().isAfter(logged.plus(maxDelay))) {
                problem(
                        record(c.id()),
                        c.id(),
                        "logged at " + logged + " but timestamped only at "
                                + batch.timestampedAt() + ", more than " + maxDelay + " later (a rewritten history"
                                + " timestamped afresh looks like this)");
            }
        }
    }

    /** Each timestamped record's path leads to its batch's root; timestamps come in id order. */
    private void checkPaths(List<ChainLine> chain, Map<Long, BatchInfo> batches) {
        ChainLine waiting = null;
        for (ChainLine c : chain) {
            if (c.batch() == null) {
                waiting = waiting == null ? c : waiting;
                continue;
            }
            if (waiting != null) {
                problem(
                        record(waiting.id()),
                        waiting.id(),
                        "not timestamped, though later record " + c.id()
                                + " is (batches are made in id order: it was put there afterwards)");
                waiting = null;
            }
            BatchInfo batch = batches.get(c.batch());
            if (batch == null || !HEX_SHA256.matcher(c.hash()).matches()) {
                continue;
            }
            if (c.id() < batch.first() || c.id() > batch.last()) {
                problem(
                        record(c.id()),
                        c.id(),
                        "outside timestamp batch " + batch.id() + "'s range " + batch.first() + ".." + batch.last());
            }
            try {
                byte[] root = MerkleTree.rootFromPath(HEX.parseHex(c.hash()), MerkleTree.pathFromText(c.path()));
                if (!MessageDigest.isEqual(root, batch.root())) {
                    problem(record(c.id()), c.id(), "not in timestamp batch " + batch.id() + "'s Merkle root");
                }
            } catch (TrucException e) {
                problem(record(c.id()), c.id(), e.getMessage());
            }
        }
        // a batch covers a contiguous range: every one of its records must be here, at the edges too
        java.util.Set<Long> present = new java.util.HashSet<>();
        chain.forEach(c -> present.add(c.id()));
        for (BatchInfo batch : batches.values()) {
            for (long id = batch.first(); id <= batch.last(); id++) {
                if (!present.contains(id)) {
                    problem(
                            record(id),
                            id,
                            "missing from the export, though timestamp batch " + batch.id() + " covers records "
                                    + batch.first() + ".." + batch.last() + " (removed?)");
                    break;
                }
            }
        }
        long pending = chain.stream().filter(c -> c.batch() == null).count();
        if (pending > 0) {
            notes.add(pending + " records not yet timestamped when exported; only the export signature vouches"
                    + " for them");
        }
    }

    private void checkManifest(JsonNode manifest, List<ChainLine> chain) {
        if (manifest == null || chain.isEmpty()) {
            return;
        }
        long first = chain.get(0).id();
        long last = chain.get(chain.size() - 1).id();
        if (manifest.path("firstId").asLong() != first
                || manifest.path("lastId").asLong() != last) {
            problem(
                    AuditExportFormat.MANIFEST,
                    null,
                    "says records " + manifest.path("firstId") + ".." + manifest.path("lastId")
                            + " but chain.jsonl holds " + first + ".." + last);
        }
        long count = manifest.path("counts").path("records").asLong(-1);
        if (count != chain.size()) {
            problem(AuditExportFormat.MANIFEST, null, "says " + count + " records but chain.jsonl has " + chain.size());
        }
    }

    private AuditReport report(
            JsonNode manifest,
            boolean self,
            X509Certificate signer,
            List<ChainLine> chain,
            Map<Long, byte[]> records,
            Map<Long, BatchInfo> batches) {
        Instant firstLogged = null;
        Instant lastLogged = null;
        for (byte[] line : records.values()) {
            Instant at = loggedAt(line);
            if (at != null) {
                firstLogged = firstLogged == null || at.isBefore(firstLogged) ? at : firstLogged;
                lastLogged = lastLogged == null || at.isAfter(lastLogged) ? at : lastLogged;
            }
        }
        return new AuditReport(
                problems,
                notes,
                manifest == null ? null : manifest.path("serverId").asText(null),
                signer == null ? null : ExportSignature.describe(signer),
                self,
                manifest == null ? null : instant(manifest.path("from").asText(null)),
                manifest == null ? null : instant(manifest.path("to").asText(null)),
                chain.isEmpty() ? 0 : chain.get(0).id(),
                chain.isEmpty() ? 0 : chain.get(chain.size() - 1).id(),
                chain.size(),
                records.size(),
                List.copyOf(batches.keySet()),
                (int) chain.stream().filter(c -> c.batch() == null).count(),
                firstLogged,
                lastLogged);
    }

    private List<X509Certificate> exportTrust(Map<String, byte[]> entries) {
        byte[] pem = require(entries, AuditExportFormat.TRUST);
        if (pem == null) {
            return List.of();
        }
        try {
            return Certificates.allFromPem(new String(pem, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            problem(AuditExportFormat.TRUST, null, e.getMessage());
            return List.of();
        }
    }

    private JsonNode json(Map<String, byte[]> entries, String name) {
        byte[] bytes = require(entries, name);
        if (bytes == null) {
            return null;
        }
        try {
            JsonNode node = AuditExportFormat.JSON.readTree(bytes);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // reported below
        }
        problem(name, null, "not a JSON object");
        return null;
    }

    private byte[] require(Map<String, byte[]> entries, String name) {
        byte[] bytes = entries.get(name);
        if (bytes == null) {
            problem(name, null, "missing from the export");
        }
        return bytes;
    }

    private static Long idOf(byte[] line) {
        try {
            JsonNode node = AuditExportFormat.JSON.readTree(line);
            return node != null && node.path("id").isIntegralNumber()
                    ? node.get("id").asLong()
                    : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Instant loggedAt(byte[] line) {
        try {
            return instant(
                    AuditExportFormat.JSON.readTree(line).path("loggedAt").asText(null));
        } catch (IOException e) {
            return null;
        }
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static String record(long id) {
        return "record " + id;
    }

    private static String shorten(byte[] line) {
        String text = new String(line, StandardCharsets.UTF_8);
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    private void problem(String subject, Long recordId, String message) {
        problems.add(new Problem(subject, recordId, message));
    }
}
