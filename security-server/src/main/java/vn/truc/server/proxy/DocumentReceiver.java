package vn.truc.server.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.document.DeliveryReceipt;
import vn.truc.core.document.DocumentEncryption;
import vn.truc.core.document.DocumentManifest;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.message.BodyDigest;
import vn.truc.server.documents.DocumentFiles;
import vn.truc.server.documents.DocumentRef;
import vn.truc.server.documents.DocumentStatus;
import vn.truc.server.documents.DocumentStore;
import vn.truc.server.documents.Evidence;
import vn.truc.server.documents.InboxEntry;
import vn.truc.server.documents.PackageReader;
import vn.truc.server.documents.StatusCode;
import vn.truc.server.documents.Submission;
import vn.truc.server.store.LogRecord;

/**
 * The recipient side of a document delivery, {@code POST} {@value #PATH} on the server proxy: the
 * sender member's signature over the manifest, the envelope's digest, then decryption with this
 * member's encryption key, the document's digest and a check that the package says what the
 * manifest says. Only then is it stored, logged and committed to the inbox, and answered with a
 * receipt signed by this member. A delivery repeated because the receipt was lost gets the same
 * receipt again, and nothing is stored twice.
 */
final class DocumentReceiver {
    static final String PATH = "/truc/v1/documents";
    static final String RECEIPT = "Truc-Receipt";
    static final String RECEIPT_SIGNATURE = "Truc-Receipt-Signature";

    private static final Logger LOG = LoggerFactory.getLogger(DocumentReceiver.class);

    private final SecurityServerId self;
    private final Trust trust;
    private final KeyAndChain encryptionKey;
    private final DocumentStore store;
    private final DocumentFiles files;
    private final PackageReader reader;
    private final DocumentLog log;
    private final Clock clock;
    private final Notifier notifier;

    /** Told of each package committed to the inbox (the webhook); must not throw. */
    @FunctionalInterface
    interface Notifier {
        void received(InboxEntry entry);
    }

    DocumentReceiver(
            SecurityServerId self,
            Trust trust,
            KeyAndChain encryptionKey,
            DocumentStore store,
            DocumentFiles files,
            PackageReader reader,
            DocumentLog log,
            Clock clock,
            Notifier notifier) {
        this.self = self;
        this.trust = trust;
        this.encryptionKey = encryptionKey;
        this.store = store;
        this.files = files;
        this.reader = reader;
        this.log = log;
        this.clock = clock;
        this.notifier = notifier;
    }

    ProxyResponse receive(ProxyRequest request, SecurityServerId peer, GlobalConf conf) {
        byte[] manifestBytes = ServerProxyHandler.decode(request, ExchangeHeaders.MANIFEST);
        byte[] signature = ServerProxyHandler.decode(request, ExchangeHeaders.SIGNATURE);
        DocumentManifest manifest = DocumentManifest.fromBytes(manifestBytes);
        check(manifest, peer, conf, request);
        var verified = trust.verify(signature, manifestBytes, manifest.sender(), conf, Origin.SERVER_PROXY);
        LogRecord.Kind kind =
                manifest.kind() == DocumentManifest.Kind.STATUS ? LogRecord.Kind.STATUS : LogRecord.Kind.DOCUMENT;
        // logged once the package is decrypted and checked, and before it is kept or answered
        java.util.function.Consumer<Path> logArrival = plain -> log.append(
                true,
                kind,
                manifest.messageId(),
                manifest.sender(),
                manifest.ciphertextDigest(),
                manifestBytes,
                signature,
                verified.signer(),
                peer,
                plain == null
                        ? null
                        : new DocumentLog.Content(manifest.recipient(), manifest.plaintextDigest(), plain));
        InboxEntry entry;
        var known = store.receivedMessage(manifest.recipient(), manifest.messageId());
        if (known.isPresent()) {
            entry = known.get();
            logArrival.accept(Files.exists(entry.storedPath()) ? entry.storedPath() : null);
        } else {
            entry = store(manifest, manifestBytes, signature, request, conf, logArrival);
        }
        Evidence evidence = store.evidence(entry.id()).orElseThrow();
        if (evidence.receipt() == null) {
            // an entry from before receipts were kept with the inbox: none can be given again
            throw new TrucException(
                    Origin.SERVER_PROXY,
                    ErrorCode.INVALID_STATE,
                    "document " + manifest.documentId() + " was received before, but its receipt was not kept");
        }
        log.append(
                false,
                LogRecord.Kind.RECEIPT,
                manifest.messageId(),
                manifest.recipient(),
                BodyDigest.of(evidence.receipt()),
                evidence.receipt(),
                evidence.receiptSignature(),
                trust.certificate(),
                peer);
        return ProxyResponse.json(200, "{}")
                .header(RECEIPT, Base64.getEncoder().encodeToString(evidence.receipt()))
                .header(RECEIPT_SIGNATURE, Base64.getEncoder().encodeToString(evidence.receiptSignature()));
    }

    private void check(DocumentManifest manifest, SecurityServerId peer, GlobalConf conf, ProxyRequest request) {
        if (!peer.owner().equals(manifest.sender().memberId())) {
            throw new TrucException(
                    Origin.SERVER_PROXY,
                    ErrorCode.ACCESS_DENIED,
                    "security server " + peer + " does not serve sender " + manifest.sender());
        }
        if (!manifest.recipient().memberId().equals(self.owner())) {
            throw new TrucException(
                    Origin.SERVER_PROXY,
                    ErrorCode.UNKNOWN_MEMBER,
                    "recipient " + manifest.recipient() + " is not served by this server (member " + self.owner()
                            + ")");
        }
        String documents = conf.member(self.owner())
                .map(GlobalConf.Member::documentSubsystem)
                .orElse(null);
        if (!manifest.recipient().subsystemCode().equals(documents)) {
            throw new TrucException(
                    Origin.SERVER_PROXY,
                    ErrorCode.DOCUMENTS_NOT_ACCEPTED,
                    "recipient " + manifest.recipient() + " does not accept documents"
                            + (documents == null ? "" : " (documents go to subsystem " + documents + ")"));
        }
        if (manifest.kind() == DocumentManifest.Kind.STATUS && direction(manifest) == null) {
            throw new TrucException(
                    Origin.SERVER_PROXY,
                    ErrorCode.INVALID_REQUEST,
                    "status about " + manifest.documentId() + ": " + manifest.recipient() + " exchanged no document"
                            + " with that DocumentId with " + manifest.sender().memberId());
        }
        if (!manifest.ciphertextDigest().equals(request.body().digest())) {
            throw new TrucException(
                    Origin.SERVER_PROXY,
                    ErrorCode.INVALID_SIGNATURE,
                    "encrypted document does not match its signed digest (changed on the way)");
        }
    }

    /**
     * Decrypts and checks a package not received before, has {@code logArrival} log it, and stores
     * it; returns its inbox entry.
     */
    private InboxEntry store(
            DocumentManifest manifest,
            byte[] manifestBytes,
            byte[] signature,
            ProxyRequest request,
            GlobalConf conf,
            java.util.function.Consumer<Path> logArrival) {
        Path plain = null;
        try {
            plain = Files.createTempFile(files.work(), "in-", ".doc");
            String digest;
            long size;
            try (InputStream in = request.body().open();
                    OutputStream file = Files.newOutputStream(plain);
                    BodyDigest out = new BodyDigest(file)) {
                DocumentEncryption.decrypt(in, out, encryptionKey);
                out.flush();
                digest = out.value();
                size = out.length();
            }
            if (size != manifest.plaintextSize() || !digest.equals(manifest.plaintextDigest())) {
                throw new TrucException(
                        Origin.SERVER_PROXY,
                        ErrorCode.INVALID_SIGNATURE,
                        "decrypted document does not match the signed digest and size");
            }
            Submission submission;
            try {
                submission = reader.read(plain, size, manifest.contentType());
            } catch (TrucException e) {
                throw new TrucException(
                        Origin.SERVER_PROXY,
                        e.code(),
                        "the document the sender signed is not valid: " + e.getMessage());
            }
            requireSame(manifest, submission);
            logArrival.accept(plain);
            Path kept = files.keepInInbox(plain);
            plain = null;
            Instant receivedAt = clock.instant();
            DeliveryReceipt receipt = new DeliveryReceipt(
                    manifest.documentId(),
                    manifest.messageId(),
                    manifest.sender(),
                    manifest.recipient(),
                    manifest.ciphertextDigest(),
                    manifest.plaintextDigest(),
                    receivedAt,
                    DeliveryReceipt.Status.DELIVERED);
            byte[] receiptBytes = receipt.toBytes();
            byte[] receiptSignature = trust.signAlone(receiptBytes, conf);
            InboxEntry entry = store.receive(
                    manifest.sender(),
                    manifest.recipient(),
                    manifest.documentId(),
                    manifest.businessType(),
                    submission.info(manifest.contentType(), manifest.messageId()),
                    kept,
                    DocumentApi.hex(digest),
                    size,
                    new Evidence(manifestBytes, signature, receiptBytes, receiptSignature),
                    status(manifest, submission, receivedAt));
            if (entry.duplicate()) {
                Files.deleteIfExists(kept);
            } else {
                notifier.received(entry);
            }
            return entry;
        } catch (IOException e) {
            throw new TrucException(
                    Origin.SERVER_PROXY, ErrorCode.INTERNAL_ERROR, "cannot store received document: " + e, e);
        } finally {
            if (plain != null) {
                try {
                    Files.deleteIfExists(plain);
                } catch (IOException e) {
                    LOG.warn("cannot delete {}: {}", plain, e.toString());
                }
            }
        }
    }

    private static void requireSame(DocumentManifest manifest, Submission submission) {
        boolean same = manifest.documentId().equals(submission.documentId())
                && manifest.kind() == submission.kind()
                && manifest.businessType() == submission.businessType()
                && Objects.equals(manifest.statusCode(), submission.statusCode())
                && (submission.fromAgency() == null
                        || submission.fromAgency().equals(manifest.sender().memberCode()));
        if (!same) {
            throw new TrucException(
                    Origin.SERVER_PROXY,
                    ErrorCode.INVALID_REQUEST,
                    "the package does not say what its signed manifest says (document id, kind, business type,"
                            + " status code or sending agency differ)");
        }
    }

    /**
     * Which document a status is about, seen from here: one our client sent to the status's sender
     * (OUT, the usual case), or one it received from it (IN, e.g. 13, the sender asking it back);
     * null when neither, and a status about someone else's document is refused.
     */
    private DocumentRef direction(DocumentManifest manifest) {
        ClientId ours = manifest.recipient();
        ClientId theirs = manifest.sender().memberId();
        boolean sent = store.recipientsOf(ours, manifest.documentId()).stream()
                .anyMatch(r -> r.memberId().equals(theirs));
        if (sent) {
            return new DocumentRef(DocumentRef.Direction.OUT, ours, manifest.documentId());
        }
        boolean received = store.receivedDocuments(ours, manifest.documentId()).stream()
                .anyMatch(e -> e.sender().equals(theirs));
        return received ? new DocumentRef(DocumentRef.Direction.IN, manifest.sender(), manifest.documentId()) : null;
    }

    /** For a status: the history entry it makes at this end, about the document it names. */
    private DocumentStatus status(DocumentManifest manifest, Submission submission, Instant receivedAt) {
        if (manifest.kind() != DocumentManifest.Kind.STATUS) {
            return null;
        }
        return new DocumentStatus(
                0,
                direction(manifest),
                StatusCode.of(manifest.statusCode()),
                submission.statusDescription(),
                submission.staff(),
                statusTime(submission.statusTimestamp(), receivedAt),
                manifest.sender(),
                receivedAt);
    }

    /** edXML writes a status's time in Vietnam's local time, {@code yyyy/MM/dd HH:mm:ss}; ISO-8601 is taken too. */
    private static Instant statusTime(String written, Instant fallback) {
        if (written == null) {
            return fallback;
        }
        try {
            return Instant.from(DocumentApi.EDXML_TIME.parse(written.trim()));
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(written.trim());
            } catch (DateTimeParseException again) {
                return fallback;
            }
        }
    }
}
