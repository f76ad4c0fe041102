package vn.truc.server.documents;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import vn.truc.core.document.DocumentManifest.Kind;
import vn.truc.core.edxml.EdxmlPackage.BusinessType;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.ClientId;

/**
 * Who a package goes to. A document goes to the agencies it names, each at the subsystem the
 * agency publishes for documents; a revoke, update or replace also reaches everyone the original
 * went to. A status goes back to the sender of the document it is about (or, for a status the
 * sender sets, such as 13, to that document's recipients).
 */
public final class Routing {
    private Routing() {}

    public static List<ClientId> recipients(
            Submission submission, ClientId sender, GlobalConf conf, DocumentStore store) {
        Set<ClientId> to = new LinkedHashSet<>();
        if (submission.kind() == Kind.STATUS) {
            // an edXML status names the document's issuer (ResponseFor/OrganId): two agencies may use one DocumentId
            String issuer = submission.recipients().isEmpty()
                    ? null
                    : submission.recipients().get(0);
            var received = store.receivedDocuments(sender, submission.documentId()).stream()
                    .filter(e -> issuer == null || e.sender().memberCode().equals(issuer))
                    .findFirst();
            if (received.isPresent()) {
                to.add(received.get().senderClient());
            } else {
                to.addAll(store.recipientsOf(sender, submission.documentId()));
            }
            if (to.isEmpty()) {
                throw new TrucException(
                        Origin.CLIENT,
                        ErrorCode.NOT_FOUND,
                        "status about " + submission.documentId() + ": " + sender
                                + " neither received nor sent a document with that DocumentId");
            }
        } else {
            for (String named : submission.recipients()) {
                to.add(resolve(named, sender, conf));
            }
            if (submission.businessType() != BusinessType.NEW) {
                to.addAll(store.recipientsOf(sender, submission.documentId()));
                for (String replaced : submission.relatedDocumentIds()) {
                    to.addAll(store.recipientsOf(sender, replaced));
                }
            }
            if (to.isEmpty()) {
                throw new TrucException(
                        Origin.CLIENT,
                        ErrorCode.INVALID_REQUEST,
                        "document " + submission.documentId() + " has no recipient: it names none, and " + sender
                                + " sent no earlier document with that DocumentId");
            }
        }
        return checked(List.copyOf(to), conf);
    }

    /** {@code recipients}, each checked to take documents now. */
    public static List<ClientId> checked(List<ClientId> recipients, GlobalConf conf) {
        List<ClientId> checked = new ArrayList<>();
        for (ClientId recipient : recipients) {
            checked.add(requireAccepting(recipient, conf));
        }
        return checked;
    }

    /** An agency code ({@code 000.00.00.H41}) or a subsystem id, as the subsystem that takes its documents. */
    static ClientId resolve(String named, ClientId sender, GlobalConf conf) {
        if (named.indexOf('/') >= 0) {
            ClientId id;
            try {
                id = ClientId.parseSubsystem(named);
            } catch (TrucException e) {
                throw new TrucException(
                        Origin.CLIENT,
                        ErrorCode.INVALID_IDENTIFIER,
                        "recipient '" + named + "' is neither an agency code nor a subsystem id: " + e.getMessage());
            }
            return id;
        }
        List<GlobalConf.Member> matches = conf.members().stream()
                .filter(m ->
                        m.id().memberCode().equals(named) && m.id().instance().equals(sender.instance()))
                .toList();
        if (matches.isEmpty()) {
            throw new TrucException(
                    Origin.CLIENT,
                    ErrorCode.UNKNOWN_MEMBER,
                    "recipient agency " + named + " is not a member of the federation");
        }
        if (matches.size() > 1) {
            throw new TrucException(
                    Origin.CLIENT,
                    ErrorCode.INVALID_REQUEST,
                    "recipient agency " + named + " is a member in several classes; name its subsystem instead");
        }
        GlobalConf.Member member = matches.get(0);
        if (member.documentSubsystem() == null) {
            throw notAccepting(member.id(), "it names no subsystem for documents");
        }
        return member.id().subsystem(member.documentSubsystem());
    }

    private static ClientId requireAccepting(ClientId recipient, GlobalConf conf) {
        GlobalConf.Member member = conf.member(recipient)
                .orElseThrow(() -> new TrucException(
                        Origin.CLIENT,
                        ErrorCode.UNKNOWN_MEMBER,
                        "recipient " + recipient.memberId() + " is not a member of the federation"));
        if (!member.subsystems().contains(recipient.subsystemCode())) {
            throw new TrucException(
                    Origin.CLIENT,
                    ErrorCode.UNKNOWN_MEMBER,
                    "recipient " + recipient + " is not a subsystem in the global configuration");
        }
        if (!recipient.subsystemCode().equals(member.documentSubsystem())) {
            throw notAccepting(
                    recipient,
                    member.documentSubsystem() == null
                            ? "its agency names no subsystem for documents"
                            : "its agency takes documents at " + member.documentSubsystem());
        }
        if (member.encryptionCertificates().isEmpty()) {
            throw notAccepting(recipient, "its agency publishes no encryption certificate");
        }
        return recipient;
    }

    private static TrucException notAccepting(ClientId recipient, String why) {
        return new TrucException(
                Origin.CLIENT,
                ErrorCode.DOCUMENTS_NOT_ACCEPTED,
                "recipient " + recipient + " does not accept documents: " + why);
    }
}
