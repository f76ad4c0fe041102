package vn.truc.server.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.document.DeliveryReceipt;
import vn.truc.core.document.DocumentEncryption;
import vn.truc.core.document.DocumentManifest;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.ErrorJson;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.message.BodyDigest;
import vn.truc.server.ServerConfig;
import vn.truc.server.documents.Delivery;
import vn.truc.server.documents.DocumentFiles;
import vn.truc.server.documents.DocumentStore;
import vn.truc.server.documents.OutboxEntry;
import vn.truc.server.documents.SignedReceipt;
import vn.truc.server.store.LogRecord;
import vn.truc.server.trust.ApprovedCas;

/**
 * Delivers the outbox: for each delivery that is due, encrypts the package for the recipient member,
 * signs the manifest with the sender member's key, sends it to the recipient's server over mutual TLS
 * and keeps the signed receipt. A failed attempt is retried after a wait that doubles each time (up to
 * {@code documents.retry.max-delay}) until {@code documents.give-up-after}; a refusal that a retry
 * cannot mend (the recipient says the package is invalid, or it takes no documents) fails at once.
 *
 * <p>One recipient never holds up another: while a recipient's server is unreachable, its other
 * deliveries are put off without an attempt, so the workers stay free for the rest. Each attempt
 * holds a lease on its delivery; the deliveries of a process that stopped mid-attempt are handed back
 * when the server starts again, and the recipient recognises a repeat by its message id.
 */
final class DocumentDelivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DocumentDelivery.class);
    private static final int MAX_ERROR_BYTES = 64 * 1024;
    private static final Duration IDLE_POLL = Duration.ofMillis(500);
    private static final Set<ErrorCode> FINAL = Set.of(
            ErrorCode.INVALID_REQUEST,
            ErrorCode.INVALID_XML,
            ErrorCode.HOSTILE_XML,
            ErrorCode.INVALID_IDENTIFIER,
            ErrorCode.ACCESS_DENIED,
            ErrorCode.UNKNOWN_MEMBER,
            ErrorCode.DOCUMENTS_NOT_ACCEPTED,
            ErrorCode.BODY_TOO_LARGE);

    private final Supplier<GlobalConf> conf;
    private final Trust trust;
    private final HttpClient http;
    private final Duration peerTimeout;
    private final DocumentStore store;
    private final DocumentFiles files;
    private final ServerConfig.Documents settings;
    private final DocumentLog log;
    private final Clock clock;
    private final ExecutorService workers;
    private final Thread scheduler;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** Peers that could not be reached, and until when their deliveries wait. */
    private final Map<SecurityServerId, Instant> unreachable = new ConcurrentHashMap<>();

    private final Object wake = new Object();
    private boolean woken;
    private volatile boolean running = true;

    DocumentDelivery(
            Supplier<GlobalConf> conf,
            Trust trust,
            HttpClient http,
            Duration peerTimeout,
            DocumentStore store,
            DocumentFiles files,
            ServerConfig.Documents settings,
            DocumentLog log,
            Clock clock) {
        this.conf = conf;
        this.trust = trust;
        this.http = http;
        this.peerTimeout = peerTimeout;
        this.store = store;
        this.files = files;
        this.settings = settings;
        this.log = log;
        this.clock = clock;
        this.workers = Executors.newFixedThreadPool(settings.workers(), r -> {
            Thread t = new Thread(r, "document-delivery");
            t.setDaemon(true);
            return t;
        });
        this.scheduler = new Thread(this::run, "document-scheduler");
        scheduler.setDaemon(true);
    }

    /** Hands back deliveries a stopped process left half done, then starts delivering. */
    void start() {
        int released = store.releaseDelivering();
        if (released > 0) {
            LOG.info("{} deliveries interrupted by the last stop are due again", released);
        }
        scheduler.start();
    }

    /** Looks for due deliveries now rather than at the next poll: a document was just accepted. */
    void wake() {
        synchronized (wake) {
            woken = true;
            wake.notifyAll();
        }
    }

    private void run() {
        while (running) {
            try {
                schedule();
            } catch (RuntimeException e) {
                LOG.warn("document delivery: {}", e instanceof TrucException t ? t.describe() : e.toString());
            }
            synchronized (wake) {
                if (!woken && running) {
                    try {
                        wake.wait(IDLE_POLL.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                woken = false;
            }
        }
    }

    private void schedule() {
        int free = settings.workers() - inFlight.size();
        if (free <= 0) {
            return;
        }
        Instant now = clock.instant();
        GlobalConf current = conf.get();
        for (Delivery due : store.due(now, free * 4 + inFlight.size())) {
            String key = due.outboxId() + " " + due.recipient();
            if (inFlight.contains(key)) {
                continue;
            }
            Instant waitUntil = peerOf(current, due.recipient())
                    .map(unreachable::get)
                    .filter(now::isBefore)
                    .orElse(null);
            if (waitUntil != null) {
                store.postpone(due.outboxId(), due.recipient(), waitUntil);
                continue;
            }
            if (inFlight.size() >= settings.workers()) {
                return;
            }
            if (store.markDelivering(due.outboxId(), due.recipient(), now, now.plus(lease()))) {
                inFlight.add(key);
                workers.execute(() -> {
                    try {
                        attempt(due);
                    } finally {
                        inFlight.remove(key);
                        wake();
                    }
                });
            }
        }
    }

    /** Long enough for one attempt: encrypting, sending and the peer's answer. */
    private Duration lease() {
        return peerTimeout.multipliedBy(2).plusMinutes(1);
    }

    private void attempt(Delivery delivery) {
        OutboxEntry entry = store.outboxEntry(delivery.outboxId()).orElseThrow();
        ClientId recipient = delivery.recipient();
        try {
            SignedReceipt receipt = deliver(entry, recipient);
            store.markDelivered(entry.id(), recipient, receipt, clock.instant());
            LOG.info("document {} ({}) delivered to {}", entry.documentId(), entry.id(), recipient);
        } catch (TrucException e) {
            failed(entry, delivery, e);
        } catch (RuntimeException e) {
            failed(entry, delivery, new TrucException(Origin.CLIENT_PROXY, ErrorCode.INTERNAL_ERROR, e.toString(), e));
        }
    }

    private void failed(OutboxEntry entry, Delivery delivery, TrucException e) {
        Instant now = clock.instant();
        String why = e.code().code() + ": " + e.getMessage();
        if (FINAL.contains(e.code())) {
            store.markFailed(entry.id(), delivery.recipient(), why);
            LOG.warn("document {} ({}) to {} failed: {}", entry.documentId(), entry.id(), delivery.recipient(), why);
        } else if (now.isAfter(entry.createdAt().plus(settings.giveUpAfter())) && !isLocal(e.code())) {
            store.markFailed(entry.id(), delivery.recipient(), "given up after " + settings.giveUpAfter() + ": " + why);
            LOG.warn("document {} ({}) to {} given up: {}", entry.documentId(), entry.id(), delivery.recipient(), why);
        } else {
            Instant next = now.plus(backoff(delivery.attempts()));
            store.markRetry(entry.id(), delivery.recipient(), why, next);
            if (e.code() == ErrorCode.NETWORK_ERROR || e.code() == ErrorCode.TIMEOUT) {
                peerOf(conf.get(), delivery.recipient()).ifPresent(peer -> unreachable.put(peer, next));
            }
            LOG.info(
                    "document {} ({}) to {}: attempt {} failed, next at {}: {}",
                    entry.documentId(),
                    entry.id(),
                    delivery.recipient(),
                    delivery.attempts() + 1,
                    next,
                    why);
        }
    }

    /** A failure of this server itself (its log, its database): the recipient is not at fault, nothing is given up. */
    private static boolean isLocal(ErrorCode code) {
        return code == ErrorCode.TIMESTAMP_FAILED || code == ErrorCode.DATABASE_ERROR;
    }

    /** The wait after {@code attempts} failed attempts: doubling from the initial delay, with jitter. */
    Duration backoff(int attempts) {
        long initial = settings.retryInitial().toMillis();
        long max = settings.retryMax().toMillis();
        long delay = attempts >= 30 ? max : Math.min(max, initial << attempts);
        long jitter = ThreadLocalRandom.current().nextLong(delay / 5 + 1);
        return Duration.ofMillis(Math.min(max, delay - delay / 10 + jitter));
    }

    private SignedReceipt deliver(OutboxEntry entry, ClientId recipient) {
        GlobalConf current = conf.get();
        GlobalConf.Member member = current.member(recipient)
                .filter(GlobalConf.Member::acceptsDocuments)
                .filter(m -> recipient.subsystemCode().equals(m.documentSubsystem()))
                .orElseThrow(() -> new TrucException(
                        Origin.CLIENT_PROXY,
                        ErrorCode.DOCUMENTS_NOT_ACCEPTED,
                        "recipient " + recipient + " does not accept documents (global configuration)"));
        GlobalConf.SecurityServer peer = peerOf(current, recipient)
                .flatMap(current::securityServer)
                .orElseThrow(() -> new TrucException(
                        Origin.CLIENT_PROXY,
                        ErrorCode.UNKNOWN_SERVER,
                        "no security server of " + recipient.memberId() + " is registered"));
        List<X509Certificate> to = encryptionCertificates(member, current);
        Path sealed = null;
        try {
            sealed = Files.createTempFile(files.work(), "out-", ".cms");
            String ciphertextDigest;
            try (InputStream in = Files.newInputStream(entry.storedPath());
                    OutputStream file = Files.newOutputStream(sealed);
                    BodyDigest out = new BodyDigest(file)) {
                DocumentEncryption.encrypt(in, out, to);
                out.flush();
                ciphertextDigest = out.value();
            }
            DocumentManifest manifest = new DocumentManifest(
                    entry.info().messageId(),
                    entry.info().kind(),
                    entry.sender(),
                    recipient,
                    entry.documentId(),
                    entry.businessType(),
                    entry.info().statusCode(),
                    entry.info().contentType(),
                    entry.contentSize(),
                    Base64.getEncoder().encodeToString(HexFormat.of().parseHex(entry.contentSha256())),
                    ciphertextDigest,
                    clock.instant());
            byte[] manifestBytes = manifest.toBytes();
            byte[] signature = trust.sign(manifestBytes, current);
            log.append(
                    false,
                    manifest.kind() == DocumentManifest.Kind.STATUS ? LogRecord.Kind.STATUS : LogRecord.Kind.DOCUMENT,
                    manifest.messageId(),
                    entry.sender(),
                    ciphertextDigest,
                    manifestBytes,
                    signature,
                    trust.certificate(),
                    peer.id(),
                    new DocumentLog.Content(entry.sender(), manifest.plaintextDigest(), entry.storedPath()));
            SignedReceipt receipt = send(peer, manifestBytes, signature, sealed);
            checkReceipt(manifest, receipt, current, peer.id());
            return receipt;
        } catch (IOException e) {
            throw new TrucException(
                    Origin.CLIENT_PROXY, ErrorCode.INTERNAL_ERROR, "cannot prepare document for delivery: " + e, e);
        } finally {
            if (sealed != null) {
                try {
                    Files.deleteIfExists(sealed);
                } catch (IOException e) {
                    LOG.warn("cannot delete {}: {}", sealed, e.toString());
                }
            }
        }
    }

    /** The member's published encryption certificates that are valid now and come from an approved CA. */
    private List<X509Certificate> encryptionCertificates(GlobalConf.Member member, GlobalConf current) {
        Instant now = clock.instant();
        List<X509Certificate> usable = new ArrayList<>();
        for (X509Certificate cert : member.encryptionCertificates()) {
            try {
                if (Certificates.isValidAt(cert, now)
                        && Certificates.subjectSerialNumber(cert)
                                .filter(member.id().toString()::equals)
                                .isPresent()) {
                    ApprovedCas.issuerOf(current, cert, now);
                    usable.add(cert);
                }
            } catch (TrucException e) {
                LOG.warn("encryption certificate of {} not used: {}", member.id(), e.getMessage());
            }
        }
        if (usable.isEmpty()) {
            throw new TrucException(
                    Origin.CLIENT_PROXY,
                    ErrorCode.INVALID_CERTIFICATE,
                    "member " + member.id() + " publishes no valid encryption certificate from an approved CA");
        }
        return usable;
    }

    private SignedReceipt send(GlobalConf.SecurityServer peer, byte[] manifest, byte[] signature, Path body) {
        URI url = URI.create("https://" + peer.address() + DocumentReceiver.PATH);
        try {
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(peerTimeout)
                    .header(ExchangeHeaders.MANIFEST, Base64.getEncoder().encodeToString(manifest))
                    .header(ExchangeHeaders.SIGNATURE, Base64.getEncoder().encodeToString(signature))
                    .header("Content-Type", "application/cms")
                    .POST(HttpRequest.BodyPublishers.ofFile(body))
                    .build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                byte[] answer = in.readNBytes(MAX_ERROR_BYTES);
                if (response.headers().firstValue(ErrorJson.HEADER).isPresent()) {
                    throw Peers.peerError(peer, response.statusCode(), answer);
                }
                return new SignedReceipt(
                        Peers.decode(response, DocumentReceiver.RECEIPT, peer),
                        Peers.decode(response, DocumentReceiver.RECEIPT_SIGNATURE, peer));
            }
        } catch (HttpTimeoutException e) {
            throw new TrucException(
                    Origin.CLIENT_PROXY,
                    ErrorCode.TIMEOUT,
                    "security server " + peer.id() + " did not answer within " + peerTimeout);
        } catch (SSLException e) {
            throw new TrucException(
                    Origin.CLIENT_PROXY,
                    ErrorCode.NETWORK_ERROR,
                    "TLS with security server " + peer.id() + " failed: " + e.getMessage());
        } catch (ConnectException e) {
            throw new TrucException(
                    Origin.CLIENT_PROXY,
                    ErrorCode.NETWORK_ERROR,
                    "security server " + peer.id() + " at " + peer.address() + " is unreachable");
        } catch (IOException e) {
            throw new TrucException(
                    Origin.CLIENT_PROXY,
                    ErrorCode.NETWORK_ERROR,
                    "delivery to security server " + peer.id() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrucException(Origin.CLIENT_PROXY, ErrorCode.NETWORK_ERROR, "interrupted delivering");
        }
    }

    /**
     * The receipt must be signed by the recipient member and name this document, sender and
     * recipient, and the very content sent. (Its ciphertext digest may be that of an earlier attempt:
     * a repeated delivery is answered with the first receipt.)
     */
    private void checkReceipt(DocumentManifest sent, SignedReceipt signed, GlobalConf current, SecurityServerId peer) {
        DeliveryReceipt receipt;
        try {
            receipt = DeliveryReceipt.fromBytes(signed.receipt());
        } catch (TrucException e) {
            throw new TrucException(Origin.CLIENT_PROXY, ErrorCode.INVALID_RESPONSE, e.getMessage());
        }
        var verified =
                trust.verify(signed.signature(), signed.receipt(), sent.recipient(), current, Origin.CLIENT_PROXY);
        if (!receipt.documentId().equals(sent.documentId())
                || !receipt.sender().equals(sent.sender())
                || !receipt.recipient().equals(sent.recipient())) {
            throw new TrucException(
                    Origin.CLIENT_PROXY, ErrorCode.INVALID_RESPONSE, "the receipt is for another document");
        }
        if (!sent.plaintextDigest().equals(receipt.plaintextDigest())) {
            throw new TrucException(
                    Origin.CLIENT_PROXY,
                    ErrorCode.INVALID_REQUEST,
                    "the recipient already holds another package with this DocumentId and business type");
        }
        if (!(receipt.status() instanceof DeliveryReceipt.Status.Delivered)) {
            throw new TrucException(
                    Origin.CLIENT_PROXY,
                    ErrorCode.INVALID_REQUEST,
                    "the recipient refused the document: "
                            + ((DeliveryReceipt.Status.Refused) receipt.status()).reason());
        }
        log.append(
                true,
                LogRecord.Kind.RECEIPT,
                sent.messageId(),
                sent.recipient(),
                BodyDigest.of(signed.receipt()),
                signed.receipt(),
                signed.signature(),
                verified.signer(),
                peer);
    }

    /** The server documents for {@code recipient} go to: its member's first registered server. */
    private static java.util.Optional<SecurityServerId> peerOf(GlobalConf conf, ClientId recipient) {
        return conf.securityServers().stream()
                .filter(s -> s.id().owner().equals(recipient.memberId()))
                .map(GlobalConf.SecurityServer::id)
                .findFirst();
    }

    @Override
    public void close() {
        running = false;
        wake();
        scheduler.interrupt();
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
