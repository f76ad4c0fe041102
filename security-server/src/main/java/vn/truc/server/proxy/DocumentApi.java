package vn.truc.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.document.DeliveryReceipt;
import vn.truc.core.document.DocumentManifest;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.message.BodyDigest;
import vn.truc.core.message.MessageSignatures;
import vn.truc.core.message.VerifiedSignature;
import vn.truc.server.documents.Delivery;
import vn.truc.server.documents.DocumentFiles;
import vn.truc.server.documents.DocumentRef;
import vn.truc.server.documents.DocumentStatus;
import vn.truc.server.documents.DocumentStore;
import vn.truc.server.documents.InboxEntry;
import vn.truc.server.documents.OutboxEntry;
import vn.truc.server.documents.PackageReader;
import vn.truc.server.documents.Routing;
import vn.truc.server.documents.SignedReceipt;
import vn.truc.server.documents.Submission;
import vn.truc.server.store.LogRecord;
import vn.truc.server.store.MessageLog;

/**
 * The document API a DMS calls on its own security server, under {@value #PREFIX} on the client
 * proxy; {@code docs/documents-api.yaml} describes it. The caller names itself with {@code
 * X-Road-Client} (a subsystem of this server's member, authenticated as for service calls) and sees
 * only its own documents. A send is answered {@code 202} only once the package is on disk and its
 * outbox entry committed; delivery happens after, by {@link DocumentDelivery}.
 */
final class DocumentApi {
    static final String PREFIX = "/documents/v1/";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern OUTBOX_ENTRY = Pattern.compile("/documents/v1/outbox/(\\d{1,18})");
    private static final Pattern INBOX_ENTRY = Pattern.compile("/documents/v1/inbox/(\\d{1,18})(/[a-z]+)?");
    /** edXML timestamps, {@code yyyy/MM/dd HH:mm:ss} in Vietnam's local time, written and read. */
    static final DateTimeFormatter EDXML_TIME =
            DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss").withZone(ZoneId.of("Asia/Ho_Chi_Minh"));

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;
    /** A list page ends early past this much JSON ({@link ListPage}); the client follows {@code next}. */
    private static final int PAGE_BYTES = 4 * 1024 * 1024;
    /** The most bytes of a JSON request body (ack, status) the API reads. */
    private static final long SMALL_JSON = 64 * 1024;

    private final SecurityServerId self;
    private final Supplier<GlobalConf> conf;
    private final DocumentStore store;
    private final DocumentFiles files;
    private final PackageReader reader;
    private final ClientAuthentication authentication;
    private final Clock clock;
    private final Runnable wakeDelivery;
    private final Runnable auditGate;
    private final MessageLog log;

    DocumentApi(
            SecurityServerId self,
            Supplier<GlobalConf> conf,
            DocumentStore store,
            DocumentFiles files,
            PackageReader reader,
            ClientAuthentication authentication,
            Clock clock,
            Runnable wakeDelivery,
            Runnable auditGate,
            MessageLog log) {
        this.self = self;
        this.conf = conf;
        this.store = store;
        this.files = files;
        this.reader = reader;
        this.authentication = authentication;
        this.clock = clock;
        this.wakeDelivery = wakeDelivery;
        this.auditGate = auditGate;
        this.log = log;
    }

    ProxyResponse handle(ProxyRequest request) {
        try {
            return route(request);
        } catch (IOException e) {
            return Errors.json(new TrucException(
                    Origin.SERVER, ErrorCode.INTERNAL_ERROR, "document storage failed: " + e.getMessage(), e));
        } catch (RuntimeException e) {
            return Errors.json(Errors.wrap(e, Origin.CLIENT_PROXY));
        }
    }

    private ProxyResponse route(ProxyRequest request) throws IOException {
        String method = request.method();
        String path = request.path();
        ClientId client = client(request);
        if (path.equals("/documents/v1/outbox")) {
            return switch (method) {
                case "POST" -> send(client, request);
                case "GET" -> sentList(client, request);
                default -> notAllowed(method, path);
            };
        }
        if (path.equals("/documents/v1/inbox")) {
            return "GET".equals(method) ? inboxList(client, request) : notAllowed(method, path);
        }
        Matcher outbox = OUTBOX_ENTRY.matcher(path);
        if (outbox.matches()) {
            return "GET".equals(method)
                    ? ProxyResponse.json(
                            200, outboxJson(ownOutbox(client, outbox.group(1))).toString())
                    : notAllowed(method, path);
        }
        Matcher inbox = INBOX_ENTRY.matcher(path);
        if (inbox.matches()) {
            InboxEntry entry = ownInbox(client, inbox.group(1));
            String action = inbox.group(2) == null ? "" : inbox.group(2);
            return switch (method + " " + action) {
                case "GET " -> fetch(entry);
                case "GET /verification" ->
                    ProxyResponse.json(200, verification(entry).toString());
                case "POST /ack" -> acknowledge(entry, request);
                case "POST /status" -> status(client, entry, request);
                default -> notAllowed(method, path);
            };
        }
        throw new TrucException(
                Origin.CLIENT,
                ErrorCode.NOT_FOUND,
                "no such resource: " + method + " " + path + " (see docs/documents-api.yaml)");
    }

    /** The caller: a subsystem of this server's member, listed in the global configuration, authenticated. */
    private ClientId client(ProxyRequest request) {
        String header = request.header("X-Road-Client");
        if (header == null) {
            throw new TrucException(Origin.CLIENT, ErrorCode.INVALID_REQUEST, "X-Road-Client header is missing");
        }
        ClientId client = ClientId.parseSubsystem(header);
        if (!client.memberId().equals(self.owner())) {
            throw new TrucException(
                    Origin.CLIENT,
                    ErrorCode.ACCESS_DENIED,
                    "client " + client + " is not a subsystem of " + self.owner() + ", the member this server serves");
        }
        authentication.check(client, request);
        return client;
    }

    // ---- Sending ----

    /** A document the DMS posted: from its spool file, or from memory if it was small. */
    private ProxyResponse send(ClientId client, ProxyRequest request) throws IOException {
        SpooledBody body = request.body();
        if (body.inMemory()) {
            return send(client, body.bytes(), body.digest(), request.contentType(), null);
        }
        return send(client, body.file(), body.size(), body.digest(), request.contentType(), null);
    }

    /** {@link #send(ClientId, Path, long, String, String, ClientId)} of bytes, through a file of their own. */
    private ProxyResponse send(ClientId client, byte[] bytes, String digest, String contentType, ClientId replyTo)
            throws IOException {
        Path file = Files.createTempFile(files.work(), "package", ".body");
        try {
            Files.write(file, bytes);
            return send(client, file, bytes.length, digest, contentType, replyTo);
        } finally {
            Files.deleteIfExists(file); // already moved to the outbox when accepted
        }
    }

    /**
     * Accepts the package in {@code body}, of {@code size} bytes with base64 SHA-256 {@code digest},
     * for {@code replyTo} when given (a status about one inbox entry), else for the recipients the
     * package names.
     */
    private ProxyResponse send(
            ClientId client, Path body, long size, String digest, String contentType, ClientId replyTo)
            throws IOException {
        GlobalConf current = currentConf();
        // nothing new is accepted while its delivery could not be logged
        auditGate.run();
        Submission submission = reader.read(body, size, contentType);
        if (submission.fromAgency() != null && !submission.fromAgency().equals(client.memberCode())) {
            throw new TrucException(
                    Origin.CLIENT,
                    ErrorCode.ACCESS_DENIED,
                    "edXML: MessageHeader/From/OrganId is " + submission.fromAgency() + ", but the sender " + client
                            + " is agency " + client.memberCode());
        }
        List<ClientId> recipients = replyTo == null
                ? Routing.recipients(submission, client, current, store)
                : Routing.checked(List.of(replyTo), current);
        Path kept = files.keepInOutbox(body);
        OutboxEntry entry;
        try {
            entry = store.accept(
                    client,
                    submission.documentId(),
                    submission.businessType(),
                    submission.info(contentType, UUID.randomUUID().toString()),
                    recipients,
                    kept,
                    hex(digest),
                    size);
        } catch (RuntimeException e) {
            Files.deleteIfExists(kept);
            throw e;
        }
        if (entry.duplicate()) {
            Files.deleteIfExists(kept);
        } else {
            wakeDelivery.run();
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("id", entry.id());
        answer.put("documentId", entry.documentId());
        answer.put("kind", lower(entry.info().kind()));
        answer.put("duplicate", entry.duplicate());
        ArrayNode to = answer.putArray("recipients");
        store.deliveries(entry.id()).forEach(d -> to.add(d.recipient().toString()));
        answer.put("location", "/documents/v1/outbox/" + entry.id());
        return ProxyResponse.json(202, answer.toString()).header("Location", "/documents/v1/outbox/" + entry.id());
    }

    /** A status about a received document, given as JSON and sent back as a JSON status package. */
    private ProxyResponse status(ClientId client, InboxEntry entry, ProxyRequest request) throws IOException {
        JsonNode given = readJson(request);
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("documentId", entry.documentId());
        metadata.put("kind", "status");
        metadata.set("statusCode", given.get("statusCode"));
        for (String field : List.of("description", "staff")) {
            if (given.hasNonNull(field)) {
                metadata.set(field, given.get(field));
            }
        }
        metadata.put(
                "timestamp",
                given.hasNonNull("timestamp") ? given.get("timestamp").asText() : EDXML_TIME.format(clock.instant()));
        byte[] bytes = JSON.writeValueAsBytes(metadata);
        // back to the sender of this very entry, whoever else used its DocumentId
        return send(client, bytes, BodyDigest.of(bytes), "application/json", entry.senderClient());
    }

    private ProxyResponse sentList(ClientId client, ProxyRequest request) {
        long after = queryLong(request, "after", 0);
        List<OutboxEntry> entries = store.sent(client, after, limit(request));
        return ProxyResponse.json(200, ListPage.write(entries, after, PAGE_BYTES, OutboxEntry::id, this::outboxJson));
    }

    private ObjectNode outboxJson(OutboxEntry e) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", e.id());
        node.put("documentId", e.documentId());
        node.put("kind", lower(e.info().kind()));
        node.put("businessType", lower(e.businessType()));
        if (e.info().statusCode() != null) {
            node.put("statusCode", e.info().statusCode());
        }
        node.put("contentType", e.info().contentType());
        node.put("size", e.contentSize());
        node.put("sha256", e.contentSha256());
        node.put("createdAt", e.createdAt().toString());
        ArrayNode deliveries = node.putArray("deliveries");
        for (Delivery d : store.deliveries(e.id())) {
            ObjectNode delivery = deliveries.addObject();
            delivery.put("recipient", d.recipient().toString());
            delivery.put("state", lower(d.state()));
            delivery.put("attempts", d.attempts());
            if (d.state() == Delivery.State.QUEUED || d.state() == Delivery.State.DELIVERING) {
                delivery.put("nextAttemptAt", d.nextAttemptAt().toString());
            }
            if (d.lastError() != null) {
                delivery.put("lastError", d.lastError());
            }
            if (d.deliveredAt() != null) {
                delivery.put("deliveredAt", d.deliveredAt().toString());
            }
            store.signedReceipt(e.id(), d.recipient()).ifPresent(r -> delivery.set("receipt", receiptJson(r)));
        }
        ArrayNode statuses = node.putArray("statuses");
        if (e.info().kind() == DocumentManifest.Kind.DOCUMENT) {
            for (DocumentStatus s :
                    store.statuses(new DocumentRef(DocumentRef.Direction.OUT, e.sender(), e.documentId()))) {
                statuses.add(statusJson(s));
            }
        }
        return node;
    }

    private static ObjectNode receiptJson(SignedReceipt r) {
        ObjectNode node = JSON.createObjectNode();
        try {
            node.set("content", JSON.readTree(r.receipt()));
        } catch (IOException e) {
            node.put("content", "(unreadable)");
        }
        node.put("receipt", Base64.getEncoder().encodeToString(r.receipt()));
        node.put("signature", Base64.getEncoder().encodeToString(r.signature()));
        return node;
    }

    private static ObjectNode statusJson(DocumentStatus s) {
        ObjectNode node = JSON.createObjectNode();
        node.put("statusCode", s.code().code());
        node.put("status", lower(s.code()));
        if (s.description() != null) {
            node.put("description", s.description());
        }
        if (s.staff() != null) {
            node.put("staff", s.staff());
        }
        node.put("at", s.at().toString());
        node.put("from", s.from().toString());
        node.put("recordedAt", s.recordedAt().toString());
        return node;
    }

    // ---- Receiving ----

    private ProxyResponse inboxList(ClientId client, ProxyRequest request) {
        long after = queryLong(request, "after", 0);
        List<InboxEntry> entries = store.newSince(client, after, limit(request));
        return ProxyResponse.json(
                200, ListPage.write(entries, after, PAGE_BYTES, InboxEntry::id, DocumentApi::inboxJson));
    }

    private static ObjectNode inboxJson(InboxEntry e) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", e.id());
        node.put("documentId", e.documentId());
        node.put("kind", lower(e.info().kind()));
        node.put("businessType", lower(e.businessType()));
        if (e.info().statusCode() != null) {
            node.put("statusCode", e.info().statusCode());
        }
        node.put("sender", e.senderClient().toString());
        node.put("contentType", e.info().contentType());
        node.put("size", e.contentSize());
        node.put("sha256", e.contentSha256());
        node.put("messageId", e.messageId());
        node.put("receivedAt", e.receivedAt().toString());
        node.put("pickup", lower(e.pickupState()));
        return node;
    }

    /** The package as its sender submitted it, byte for byte, with the media type it was sent as. */
    private ProxyResponse fetch(InboxEntry entry) throws IOException {
        Path link = files.work().resolve("fetch-" + UUID.randomUUID());
        try {
            Files.createLink(link, entry.storedPath());
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(entry.storedPath(), link);
        }
        SpooledBody body = SpooledBody.inFile(link, Files.size(link), "");
        return ProxyResponse.file(200, entry.info().contentType(), body)
                .header("Truc-Document-Id", headerSafe(entry.documentId()))
                .header("Truc-Sender", entry.senderClient().toString())
                .header("Truc-Inbox-Id", Long.toString(entry.id()));
    }

    /** Who signed the package and when, checked again now from the evidence kept with it. */
    private ObjectNode verification(InboxEntry entry) {
        var evidence = store.evidence(entry.id())
                .filter(e -> e.manifest() != null && e.signature() != null)
                .orElseThrow(() -> new TrucException(
                        Origin.SERVER,
                        ErrorCode.NOT_FOUND,
                        "inbox document " + entry.id() + " has no signed evidence"));
        DocumentManifest manifest = DocumentManifest.fromBytes(evidence.manifest());
        VerifiedSignature signature = MessageSignatures.verify(evidence.signature(), evidence.manifest());
        ObjectNode node = JSON.createObjectNode();
        node.put("id", entry.id());
        node.put("documentId", manifest.documentId());
        node.put("messageId", manifest.messageId());
        node.put("signatureValid", true);
        ObjectNode signer = node.putObject("signer");
        signer.put(
                "member", Certificates.subjectSerialNumber(signature.signer()).orElse(null));
        signer.put("sender", manifest.sender().toString());
        signer.put("subject", signature.signer().getSubjectX500Principal().getName());
        signer.put("issuer", signature.signer().getIssuerX500Principal().getName());
        signer.put("serialNumber", signature.signer().getSerialNumber().toString(16));
        signer.put("certificateSha256", Certificates.sha256Hex(signature.signer()));
        signer.put("notAfter", signature.signer().getNotAfter().toInstant().toString());
        node.put("signedAt", signature.signingTime().toString());
        node.put("ocspResponse", signature.ocspResponseDer() != null ? "carried, checked good at receipt" : "none");
        node.put("plaintextSha256", manifest.plaintextDigest());
        node.put("plaintextSize", manifest.plaintextSize());
        node.put("ciphertextSha256", manifest.ciphertextDigest());
        node.put("storedSha256Matches", hex(manifest.plaintextDigest()).equals(entry.contentSha256()));
        node.put("receivedAt", entry.receivedAt().toString());
        node.put("manifest", Base64.getEncoder().encodeToString(evidence.manifest()));
        node.put("signature", Base64.getEncoder().encodeToString(evidence.signature()));
        if (evidence.receipt() != null) {
            node.set("receipt", receiptJson(new SignedReceipt(evidence.receipt(), evidence.receiptSignature())));
            node.put(
                    "receiptStatus",
                    DeliveryReceipt.fromBytes(evidence.receipt()).status() instanceof DeliveryReceipt.Status.Delivered
                            ? "delivered"
                            : "refused");
        }
        node.set("timestamp", timestamp(manifest.messageId()));
        return node;
    }

    /** The message-log record of the document's arrival, and the RFC 3161 timestamp of its batch once made. */
    private ObjectNode timestamp(String messageId) {
        ObjectNode node = JSON.createObjectNode();
        var arrival = log.records(messageId).stream()
                .filter(r -> r.direction() == LogRecord.Direction.IN
                        && (r.kind() == LogRecord.Kind.DOCUMENT || r.kind() == LogRecord.Kind.STATUS))
                .findFirst();
        if (arrival.isEmpty()) {
            return node.put("status", "not_logged").put("detail", "no log record of the arrival (logged before V5?)");
        }
        long recordId = arrival.get().id();
        node.put("recordId", recordId);
        Long batchId = log.chain(recordId, recordId).stream()
                .findFirst()
                .map(MessageLog.Chained::batchId)
                .orElse(null);
        var batch = batchId == null ? java.util.Optional.<MessageLog.Batch>empty() : log.batch(batchId);
        if (batch.isEmpty()) {
            return node.put("status", "pending")
                    .put("detail", "the record waits for its batch's timestamp (audit.timestamp-interval)");
        }
        return node.put("status", "timestamped")
                .put("batch", batch.get().id())
                .put("at", batch.get().at().toString())
                .put("tsa", batch.get().tsa());
    }

    private ProxyResponse acknowledge(InboxEntry entry, ProxyRequest request) throws IOException {
        JsonNode given = readJson(request);
        String result = given.path("result").asText("");
        if (!result.equals("done") && !result.equals("failed")) {
            throw new TrucException(
                    Origin.CLIENT, ErrorCode.INVALID_REQUEST, "result: '" + result + "' (expected: done or failed)");
        }
        boolean changed = store.acknowledge(entry.id(), result.equals("done"));
        ObjectNode answer = JSON.createObjectNode();
        answer.put("id", entry.id());
        answer.put("pickup", result);
        answer.put("changed", changed);
        return ProxyResponse.json(200, answer.toString());
    }

    // ---- Helpers ----

    private OutboxEntry ownOutbox(ClientId client, String id) {
        return store.outboxEntry(Long.parseLong(id))
                .filter(e -> e.sender().equals(client))
                .orElseThrow(() -> new TrucException(
                        Origin.CLIENT, ErrorCode.NOT_FOUND, "outbox document " + id + " of " + client + ": not found"));
    }

    private InboxEntry ownInbox(ClientId client, String id) {
        return store.inboxEntry(Long.parseLong(id))
                .filter(e -> e.recipient().equals(client))
                .orElseThrow(() -> new TrucException(
                        Origin.CLIENT, ErrorCode.NOT_FOUND, "inbox document " + id + " of " + client + ": not found"));
    }

    private GlobalConf currentConf() {
        try {
            return conf.get();
        } catch (TrucException e) {
            throw e.withOrigin(Origin.CLIENT_PROXY);
        }
    }

    private static JsonNode readJson(ProxyRequest request) throws IOException {
        if (request.body().size() > SMALL_JSON) {
            throw new TrucException(Origin.CLIENT, ErrorCode.BODY_TOO_LARGE, "JSON body over 64 KiB");
        }
        try {
            JsonNode node = JSON.readTree(request.body().readAll());
            if (node == null || !node.isObject()) {
                throw new TrucException(Origin.CLIENT, ErrorCode.INVALID_REQUEST, "body: expected a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new TrucException(
                    Origin.CLIENT, ErrorCode.INVALID_REQUEST, "body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** A page size: {@code limit}, 1 to {@value #MAX_LIMIT}, {@value #DEFAULT_LIMIT} when not given. */
    private static int limit(ProxyRequest request) {
        long limit = queryLong(request, "limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new TrucException(
                    Origin.CLIENT,
                    ErrorCode.INVALID_REQUEST,
                    "limit: " + limit + " (expected: 1 to " + MAX_LIMIT + ")");
        }
        return (int) limit;
    }

    private static long queryLong(ProxyRequest request, String name, long fallback) {
        String query = request.uri().contains("?")
                ? request.uri().substring(request.uri().indexOf('?') + 1)
                : "";
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv.length == 2 && kv[0].equals(name)) {
                try {
                    long value = Long.parseLong(kv[1]);
                    if (value >= 0) {
                        return value;
                    }
                } catch (NumberFormatException e) {
                    // refused below
                }
                throw new TrucException(
                        Origin.CLIENT, ErrorCode.INVALID_REQUEST, name + ": '" + kv[1] + "' (expected: a number >= 0)");
            }
        }
        return fallback;
    }

    private static ProxyResponse notAllowed(String method, String path) {
        throw new TrucException(Origin.CLIENT, ErrorCode.NOT_FOUND, "no such resource: " + method + " " + path);
    }

    static String hex(String base64Digest) {
        return HexFormat.of().formatHex(Base64.getDecoder().decode(base64Digest));
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** A header value must be ASCII; a DocumentId may hold Vietnamese letters, so those are percent-encoded. */
    private static String headerSafe(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
