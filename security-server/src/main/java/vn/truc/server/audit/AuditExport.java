package vn.truc.server.audit;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import vn.truc.core.audit.AuditExportFormat;
import vn.truc.core.audit.AuditExportFormat.ChainLine;
import vn.truc.core.audit.AuditRecord;
import vn.truc.core.audit.ExportContent;
import vn.truc.core.audit.LoggedContent;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyStores;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.db.Database;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.Anchor;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.id.ServiceId;
import vn.truc.core.io.AtomicFiles;
import vn.truc.server.ServerConfig;
import vn.truc.server.globalconf.GlobalConfClient;
import vn.truc.server.store.MessageLog;
import vn.truc.server.store.ServerDatabases;

/**
 * A signed export of the message log for an auditor: the records logged in a time window (all, or
 * those of one member or subsystem), the whole hash chain over their id range, the Merkle paths,
 * the timestamp tokens of their batches and the CA and TSA certificates of the global
 * configuration, zipped (see {@link AuditExportFormat}) and signed as one CMS SignedData with the
 * server's sign key. Records of other parties keep their place in the chain but not their content.
 * The logged contents of the included records go with them: sealed as kept, or opened when the
 * exporter gives the operator's content key.
 */
public final class AuditExport {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AuditExport() {}

    /**
     * Which records an auditor asked for: logged in {@code [from, to)}, and with {@code party} as
     * client or service provider (a member matches its subsystems too); null party for all.
     */
    public record Selection(Instant from, Instant to, ClientId party) {
        public Selection {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (!from.isBefore(to)) {
                throw new TrucException(
                        Origin.CLI, ErrorCode.INVALID_REQUEST, "--from " + from + " is not before --to " + to);
            }
        }

        boolean matches(AuditRecord record) {
            if (record.loggedAt().isBefore(from) || !record.loggedAt().isBefore(to)) {
                return false;
            }
            if (party == null) {
                return true;
            }
            ClientId client = ClientId.parse(record.client());
            ClientId provider = record.service() == null
                    ? null
                    : ServiceId.parse(record.service()).provider();
            return involves(client) || (provider != null && involves(provider));
        }

        private boolean involves(ClientId id) {
            return party.isSubsystem() ? party.equals(id) : party.equals(id.memberId());
        }
    }

    /**
     * Where the logged contents are and how they go into an export.
     *
     * @param dir the content log's directory ({@code audit.content-dir})
     * @param certificate the operator's certificate they are sealed for; null if none is configured
     * @param openWith the operator's private key, to export them in the clear; null to export them sealed
     */
    public record Contents(Path dir, X509Certificate certificate, PrivateKey openWith) {
        /** The contents of the server {@code config} describes, opened with {@code openWith} if given. */
        public static Contents of(ServerConfig config, PrivateKey openWith) {
            X509Certificate certificate = ContentLog.certificate(config.audit());
            if (openWith != null && certificate == null) {
                throw new TrucException(
                        Origin.CLI,
                        ErrorCode.INVALID_CONFIG,
                        "a content key was given, but audit.content-certificate is not set: no content was sealed for it");
            }
            return new Contents(config.audit().contentDir(), certificate, openWith);
        }
    }

    /**
     * What was exported.
     *
     * @param der the signed export, a DER CMS SignedData
     * @param untimestamped records of the range still waiting for a timestamp
     * @param contents logged contents exported
     * @param contentsMissing included records whose logged content was not found
     */
    @SuppressWarnings("ArrayRecordComponent") // handed straight to a file
    public record Result(
            byte[] der,
            long firstId,
            long lastId,
            int records,
            int included,
            List<Long> batches,
            int untimestamped,
            int contents,
            int contentsMissing) {}

    /**
     * Exports {@code selection} from the database of the server configured by {@code config} (which
     * may be running: H2 runs with {@code AUTO_SERVER}) to {@code out}, signed with its sign key;
     * the CA and TSA certificates come from its verified copy of the global configuration.
     */
    public static Result write(ServerConfig config, char[] pin, Selection selection, PrivateKey contentKey, Path out) {
        KeyAndChain signKey = KeyStores.load(config.files().signKeyFile(), pin);
        GlobalConf conf = globalConf(config);
        Contents contents = Contents.of(config, contentKey);
        Result result;
        try (Database db = ServerDatabases.open(
                config.databaseUrl(), ServerDatabases.DEFAULT_USER, ServerDatabases.DEFAULT_PASSWORD)) {
            result = export(new MessageLog(db), conf, signKey, config.serverId(), selection, contents, Instant.now());
        }
        try {
            AtomicFiles.write(out, result.der());
        } catch (IOException e) {
            throw new TrucException(Origin.CLI, ErrorCode.INTERNAL_ERROR, "cannot write " + out + ": " + e, e);
        }
        return result;
    }

    private static GlobalConf globalConf(ServerConfig config) {
        Path anchorFile = config.files().anchorFile();
        Anchor anchor;
        try {
            anchor = Anchor.fromXml(Files.readAllBytes(anchorFile));
        } catch (IOException e) {
            throw new TrucException(
                    Origin.SERVER, ErrorCode.INVALID_CONFIG, "cannot read anchor " + anchorFile + ": " + e, e);
        }
        // Only the local, verified copy is read; nothing is downloaded.
        GlobalConfClient client = new GlobalConfClient(
                anchor, config.files().globalConfDir(), Clock.systemUTC(), HttpClient.newHttpClient());
        return client.current()
                .orElseThrow(() -> new TrucException(
                        Origin.SERVER,
                        ErrorCode.CONF_UNAVAILABLE,
                        "no verified global configuration in " + config.files().globalConfDir()
                                + "; the export needs its CA and TSA certificates (start the server once)"));
    }

    /**
     * Exports {@code selection} from {@code log}, signed with {@code signKey} at {@code now}.
     *
     * @throws TrucException {@code not_found} if no record was logged in the window
     */
    public static Result export(
            MessageLog log,
            GlobalConf conf,
            KeyAndChain signKey,
            SecurityServerId serverId,
            Selection selection,
            Contents contents,
            Instant now) {
        List<MessageLog.Chained> inWindow = log.chain(selection.from(), selection.to());
        if (inWindow.isEmpty()) {
            throw new TrucException(
                    Origin.SERVER,
                    ErrorCode.NOT_FOUND,
                    "no message log records from " + selection.from() + " to " + selection.to());
        }
        // whole batches: the records of the first and last batch outside the window come as chain lines
        // without content, so a record deleted at either edge shows as a gap in its batch
        long firstId = widened(log, inWindow.get(0), true);
        long lastId = widened(log, inWindow.get(inWindow.size() - 1), false);
        return build(log, conf, signKey, serverId, selection, log.chain(firstId, lastId), contents, now);
    }

    private static long widened(MessageLog log, MessageLog.Chained edge, boolean first) {
        if (edge.batchId() == null) {
            return edge.record().id();
        }
        return log.batch(edge.batchId())
                .map(b -> first
                        ? Math.min(b.firstId(), edge.record().id())
                        : Math.max(b.lastId(), edge.record().id()))
                .orElse(edge.record().id());
    }

    /**
     * Exports every record with ids {@code firstId..lastId}, whole, signed with {@code signKey} at
     * {@code now}: an archive of that part of the chain (see {@link Archiver}).
     */
    public static Result exportRange(
            MessageLog log,
            GlobalConf conf,
            KeyAndChain signKey,
            SecurityServerId serverId,
            long firstId,
            long lastId,
            Contents contents,
            Instant now) {
        List<MessageLog.Chained> chain = log.chain(firstId, lastId);
        if (chain.isEmpty()) {
            throw new TrucException(
                    Origin.SERVER, ErrorCode.NOT_FOUND, "no message log records with ids " + firstId + ".." + lastId);
        }
        Instant from = chain.stream()
                .map(c -> c.record().loggedAt())
                .min(Instant::compareTo)
                .orElseThrow();
        Instant to = chain.stream()
                .map(c -> c.record().loggedAt())
                .max(Instant::compareTo)
                .orElseThrow();
        return build(log, conf, signKey, serverId, new Selection(from, to.plusNanos(1000), null), chain, contents, now);
    }

    private static Result build(
            MessageLog log,
            GlobalConf conf,
            KeyAndChain signKey,
            SecurityServerId serverId,
            Selection selection,
            List<MessageLog.Chained> chain,
            Contents contents,
            Instant now) {
        long firstId = chain.get(0).record().id();
        long lastId = chain.get(chain.size() - 1).record().id();

        List<byte[]> records = new ArrayList<>();
        List<byte[]> links = new ArrayList<>();
        Set<Long> batchIds = new LinkedHashSet<>();
        Map<String, byte[]> contentEntries = new LinkedHashMap<>();
        int untimestamped = 0;
        int contentsMissing = 0;
        for (MessageLog.Chained c : chain) {
            boolean included = selection.matches(c.record());
            if (included) {
                records.add(c.record().toBytes());
                if (c.record().content() && !addContent(c.record(), contents, contentEntries)) {
                    contentsMissing++;
                }
            }
            if (c.batchId() == null) {
                untimestamped++;
            } else {
                batchIds.add(c.batchId());
            }
            links.add(new ChainLine(
                            c.record().id(), c.record().prevHash(), c.hash(), c.batchId(), c.merklePath(), included)
                    .toBytes());
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Result counts = new Result(
                null,
                firstId,
                lastId,
                chain.size(),
                records.size(),
                List.copyOf(batchIds),
                untimestamped,
                contentEntries.size(),
                contentsMissing);
        entries.put(
                AuditExportFormat.MANIFEST, manifest(serverId, selection, now, counts, contents.openWith() != null));
        entries.put(AuditExportFormat.RECORDS, ExportContent.joinLines(records));
        entries.put(AuditExportFormat.CHAIN, ExportContent.joinLines(links));
        for (long id : batchIds) {
            MessageLog.Batch batch = log.batch(id)
                    .orElseThrow(() -> new TrucException(
                            Origin.SERVER,
                            ErrorCode.DATABASE_ERROR,
                            "timestamp batch " + id + " is named by log records but not stored"));
            entries.put(AuditExportFormat.tokenEntry(id), batch.token());
            entries.put(AuditExportFormat.batchEntry(id), batchJson(batch));
        }
        entries.put(AuditExportFormat.TRUST, trustPem(conf));
        if (contentEntries.keySet().stream().anyMatch(name -> name.endsWith(".cms"))) {
            entries.put(
                    AuditExportFormat.CONTENT_CERTIFICATE,
                    Certificates.toPem(contents.certificate()).getBytes(StandardCharsets.US_ASCII));
        }
        entries.putAll(contentEntries);
        byte[] der = sign(ExportContent.write(entries), signKey);
        return new Result(
                der,
                firstId,
                lastId,
                chain.size(),
                records.size(),
                List.copyOf(batchIds),
                untimestamped,
                contentEntries.size(),
                contentsMissing);
    }

    /**
     * Adds {@code record}'s logged content to {@code entries}, opened if {@code contents} can;
     * false when it is not kept (the verifier then names the record).
     */
    private static boolean addContent(AuditRecord record, Contents contents, Map<String, byte[]> entries) {
        String hex = LoggedContent.digestHex(record);
        if (hex == null || contents.dir() == null) {
            return false;
        }
        String name = contents.openWith() == null
                ? AuditExportFormat.sealedContentEntry(hex)
                : AuditExportFormat.contentEntry(hex);
        if (entries.containsKey(name)) {
            return true;
        }
        Path file = contents.dir().resolve(hex + ".cms");
        if (!Files.exists(file)) {
            return false;
        }
        try {
            if (contents.openWith() == null) {
                entries.put(name, Files.readAllBytes(file));
            } else {
                ByteArrayOutputStream plain = new ByteArrayOutputStream();
                try (InputStream in = Files.newInputStream(file)) {
                    LoggedContent.open(
                            in, plain, new KeyAndChain(contents.openWith(), List.of(contents.certificate())));
                }
                entries.put(name, plain.toByteArray());
            }
        } catch (IOException e) {
            throw new TrucException(
                    Origin.SERVER, ErrorCode.INTERNAL_ERROR, "cannot read logged content " + file + ": " + e, e);
        } catch (TrucException e) {
            throw new TrucException(
                    Origin.CLI,
                    ErrorCode.INVALID_REQUEST,
                    "cannot open logged content " + file + " with the content key given: " + e.getMessage(),
                    e);
        }
        return true;
    }

    private static byte[] manifest(
            SecurityServerId serverId, Selection selection, Instant now, Result counts, boolean opened) {
        ObjectNode node = JSON.createObjectNode()
                .put("version", AuditExportFormat.VERSION)
                .put("serverId", serverId.toString())
                .put("member", serverId.owner().toString())
                .put("exportedAt", now.toString())
                .put("from", selection.from().toString())
                .put("to", selection.to().toString());
        ObjectNode filter = node.putObject("filter");
        if (selection.party() == null) {
            filter.put("records", "all");
        } else {
            filter.put(
                    selection.party().isSubsystem() ? "subsystem" : "member",
                    selection.party().toString());
        }
        node.put("firstId", counts.firstId()).put("lastId", counts.lastId());
        node.putObject("counts")
                .put("records", counts.records())
                .put("included", counts.included())
                .put("batches", counts.batches().size())
                .put("untimestamped", counts.untimestamped())
                .put("contents", counts.contents())
                .put("contentsMissing", counts.contentsMissing());
        node.put("contents", counts.contents() == 0 ? "none" : opened ? "opened" : "sealed");
        counts.batches().forEach(node.putArray("batches")::add);
        return json(node);
    }

    private static byte[] batchJson(MessageLog.Batch batch) {
        return json(JSON.createObjectNode()
                .put("id", batch.id())
                .put("root", batch.rootHash())
                .put("first", batch.firstId())
                .put("last", batch.lastId())
                .put("count", batch.count())
                .put("tsa", batch.tsa())
                .put("timestampedAt", batch.at().toString()));
    }

    /** The approved CAs and TSAs of the global configuration: what an auditor checks against. */
    static byte[] trustPem(GlobalConf conf) {
        Set<X509Certificate> certs = new LinkedHashSet<>();
        conf.certificationAuthorities().forEach(ca -> certs.add(ca.certificate()));
        conf.timestampingAuthorities().forEach(tsa -> certs.add(tsa.certificate()));
        StringBuilder pem = new StringBuilder();
        certs.forEach(c -> pem.append(Certificates.toPem(c)));
        return pem.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] sign(byte[] content, KeyAndChain key) {
        String algorithm = "RSA".equals(key.privateKey().getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(
                    new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                            .build(new JcaContentSignerBuilder(algorithm).build(key.privateKey()), key.certificate()));
            generator.addCertificates(new JcaCertStore(key.chain()));
            return generator
                    .generate(new CMSProcessableByteArray(content), true)
                    .getEncoded("DER");
        } catch (OperatorCreationException | CMSException | CertificateEncodingException | IOException e) {
            throw new TrucException(
                    Origin.SERVER, ErrorCode.INTERNAL_ERROR, "cannot sign the audit export: " + e.getMessage(), e);
        }
    }

    private static byte[] json(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
