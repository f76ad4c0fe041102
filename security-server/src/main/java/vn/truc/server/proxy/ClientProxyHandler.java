package vn.truc.server.proxy;

import java.io.IOException;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.ClientId;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.id.ServiceId;
import vn.truc.core.message.MessageManifest;
import vn.truc.core.soap.MultipartSoap;
import vn.truc.core.soap.SoapFaults;
import vn.truc.core.soap.SoapMessage;
import vn.truc.core.soap.XRoadHeaders;
import vn.truc.core.soap.XRoadSoap;

/**
 * The client side, where the agency's own systems call in, X-Road compatible: REST {@code
 * /r1/...} with {@code X-Road-Client}, SOAP with X-Road 4.0 headers, {@code listClients} and a
 * health page. A call is signed with the member's key, logged, sent to the provider's server,
 * and its signed answer checked and logged before the caller sees it.
 */
final class ClientProxyHandler implements ProxyHandler {
    private final SecurityServerId self;
    private final Supplier<GlobalConf> conf;
    private final Trust trust;
    private final Peers peers;
    private final ExchangeLog log;
    private final Clock clock;
    private final int maxSoapEnvelopeBytes;
    private final int maxParts;
    private final SoapCheck soap;
    private final Supplier<String> health;
    private final ClientAuthentication authentication;
    private final DocumentApi documents;

    ClientProxyHandler(
            SecurityServerId self,
            Supplier<GlobalConf> conf,
            Trust trust,
            Peers peers,
            ExchangeLog log,
            Clock clock,
            int maxSoapEnvelopeBytes,
            int maxParts,
            Supplier<String> health,
            ClientAuthentication authentication,
            DocumentApi documents) {
        this.self = self;
        this.conf = conf;
        this.trust = trust;
        this.peers = peers;
        this.log = log;
        this.clock = clock;
        this.maxSoapEnvelopeBytes = maxSoapEnvelopeBytes;
        this.maxParts = maxParts;
        this.soap = new SoapCheck(maxSoapEnvelopeBytes, maxParts);
        this.health = health;
        this.authentication = authentication;
        this.documents = documents;
    }

    @Override
    public ProxyResponse handle(ProxyRequest request) {
        String path = request.path();
        if (path.startsWith("/r1/")) {
            return rest(request);
        }
        if (path.startsWith(DocumentApi.PREFIX) || path.equals("/documents/v1")) {
            return documents.handle(request);
        }
        if ("GET".equals(request.method()) && "/health".equals(path)) {
            return ProxyResponse.json(200, health.get());
        }
        if ("GET".equals(request.method()) && "/listClients".equals(path)) {
            try {
                return ProxyResponse.json(200, MetaServices.clientsJson(conf.get()));
            } catch (TrucException e) {
                return Errors.json(e.withOrigin(Origin.CLIENT_PROXY));
            }
        }
        if ("POST".equals(request.method()) && isSoap(request.contentType())) {
            return soap(request);
        }
        return Errors.json(new TrucException(
                Origin.CLIENT,
                ErrorCode.NOT_FOUND,
                "no such resource: " + request.method() + " " + path
                        + " (REST calls go to /r1/INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE)"));
    }

    @Override
    public ProxyResponse refuse(TrucException error, io.netty.handler.codec.http.HttpRequest head) {
        boolean soap = head != null
                && isSoap(head.headers().get("Content-Type"))
                && !head.uri().startsWith("/r1/")
                && !head.uri().startsWith("/documents/");
        return soap ? Errors.soapFault(error) : Errors.json(error);
    }

    private ProxyResponse rest(ProxyRequest request) {
        try {
            RestTarget target = RestTarget.parse(request.uri());
            String clientHeader = request.header("X-Road-Client");
            if (clientHeader == null) {
                throw new TrucException(Origin.CLIENT, ErrorCode.INVALID_REQUEST, "X-Road-Client header is missing");
            }
            ClientId client = ClientId.parseSubsystem(clientHeader);
            String id = orRandom(request.header("X-Road-Id"));
            MessageManifest manifest = manifest(
                    client,
                    target.service(),
                    id,
                    request.header("X-Road-UserId"),
                    request.header("X-Road-Issue"),
                    "rest",
                    request.method(),
                    target.pathAndQuery(),
                    request);
            Exchanged answer = exchange(manifest, request);
            return ProxyResponse.file(answer.status(), answer.contentType(), answer.body())
                    .header("X-Road-Client", client.toString())
                    .header("X-Road-Service", target.service().toString())
                    .header("X-Road-Id", id)
                    .header("X-Road-Request-Hash", manifest.hash());
        } catch (RuntimeException e) {
            return Errors.json(Errors.wrap(e, Origin.CLIENT_PROXY));
        }
    }

    private ProxyResponse soap(ProxyRequest request) {
        try {
            byte[] envelope = soap.envelope(request.contentType(), request.body(), Origin.CLIENT);
            SoapMessage message = XRoadSoap.parse(envelope);
            var headers = message.headers();
            MessageManifest manifest = manifest(
                    headers.client(),
                    headers.service(),
                    headers.id(),
                    headers.userId(),
                    headers.issue(),
                    "soap",
                    "POST",
                    null,
                    request);
            Exchanged answer = exchange(manifest, request);
            try (SpooledBody body = answer.body()) {
                return soapAnswer(answer, body, headers, XRoadSoap.requestHash(envelope));
            }
        } catch (IOException e) {
            return Errors.soapFault(
                    new TrucException(Origin.CLIENT_PROXY, ErrorCode.INTERNAL_ERROR, "cannot read spooled body: " + e));
        } catch (RuntimeException e) {
            return Errors.soapFault(Errors.wrap(e, Origin.CLIENT_PROXY));
        }
    }

    /**
     * The service's answer as the client gets it: a fault passes through; otherwise the answer must
     * echo the request's X-Road headers and gets the request's hash added, in the SOAP part when
     * the answer carries attachments.
     */
    private ProxyResponse soapAnswer(Exchanged answer, SpooledBody body, XRoadHeaders request, String requestHash)
            throws IOException {
        String type = answer.contentType() == null ? "text/xml; charset=utf-8" : answer.contentType();
        if (type.startsWith("multipart/related")) {
            MultipartSoap.Parts parts;
            try (var in = body.open()) {
                parts = MultipartSoap.parse(type, in, maxParts, maxSoapEnvelopeBytes);
            }
            byte[] soapPart = checkedWithHash(parts.soapPart(), request, requestHash);
            String boundary = "truc-" + UUID.randomUUID();
            return ProxyResponse.bytes(
                    answer.status(),
                    MultipartSoap.contentType(boundary),
                    MultipartSoap.build(boundary, soapPart, parts.attachments()));
        }
        byte[] envelope = soap.envelope(type, body, Origin.SERVER_PROXY);
        return ProxyResponse.bytes(
                answer.status(), "text/xml; charset=utf-8", checkedWithHash(envelope, request, requestHash));
    }

    private static byte[] checkedWithHash(byte[] envelope, XRoadHeaders request, String requestHash) {
        if (SoapFaults.isFault(envelope)) {
            return envelope;
        }
        try {
            XRoadSoap.checkResponseEchoes(request, XRoadSoap.parse(envelope).headers());
        } catch (TrucException e) {
            throw new TrucException(
                    Origin.CLIENT_PROXY,
                    ErrorCode.INVALID_RESPONSE,
                    "the service's answer is not a valid X-Road response: " + e.getMessage());
        }
        return XRoadSoap.withRequestHash(envelope, requestHash);
    }

    private MessageManifest manifest(
            ClientId client,
            ServiceId service,
            String id,
            String userId,
            String issue,
            String protocol,
            String method,
            String path,
            ProxyRequest request) {
        if (!client.isSubsystem() || !client.memberId().equals(self.owner())) {
            throw new TrucException(
                    Origin.CLIENT,
                    ErrorCode.ACCESS_DENIED,
                    "client " + client + " is not a subsystem of " + self.owner() + ", the member this server serves");
        }
        // The subsystem's connection type: plain HTTP, HTTPS, or HTTPS with its registered certificate.
        authentication.check(client, request);
        return new MessageManifest(
                MessageManifest.Kind.REQUEST,
                id,
                client,
                service,
                userId,
                issue,
                protocol,
                method,
                path,
                request.contentType(),
                request.body().digest(),
                null,
                clock.instant());
    }

    /** The checked answer of the provider's server. */
    private record Exchanged(int status, String contentType, SpooledBody body) {}

    private Exchanged exchange(MessageManifest manifest, ProxyRequest request) {
        GlobalConf current;
        try {
            current = conf.get();
        } catch (TrucException e) {
            throw e.withOrigin(Origin.CLIENT_PROXY);
        }
        requirePublished(current, manifest.client(), "client");
        requirePublished(current, manifest.service().provider(), "provider");
        GlobalConf.SecurityServer peer = current.securityServers().stream()
                .filter(s -> s.id().owner().equals(manifest.service().provider().memberId()))
                .findFirst()
                .orElseThrow(() -> new TrucException(
                        Origin.CLIENT_PROXY,
                        ErrorCode.UNKNOWN_SERVER,
                        "no security server of " + manifest.service().provider().memberId() + " is registered"));
        byte[] manifestBytes = manifest.toBytes();
        byte[] signature = trust.sign(manifestBytes, current);
        log.log(false, manifest, manifestBytes, signature, trust.certificate(), peer.id(), request.body());
        Peers.Answer answer = peers.send(peer, manifestBytes, signature, manifest.contentType(), request.body());
        try {
            MessageManifest response = MessageManifest.fromBytes(answer.manifest());
            var verified = trust.verify(
                    answer.signature(), answer.manifest(), manifest.service().provider(), current, Origin.CLIENT_PROXY);
            checkResponse(manifest, response, answer.body());
            log.log(true, response, answer.manifest(), answer.signature(), verified.signer(), peer.id(), answer.body());
            return new Exchanged(answer.status(), response.contentType(), answer.body());
        } catch (RuntimeException e) {
            answer.body().close();
            throw e;
        }
    }

    /** A subsystem that the global configuration does not list can neither call nor be called. */
    private static void requirePublished(GlobalConf conf, ClientId subsystem, String role) {
        boolean listed = conf.member(subsystem)
                .filter(m -> m.subsystems().contains(subsystem.subsystemCode()))
                .isPresent();
        if (!listed) {
            throw new TrucException(
                    Origin.CLIENT,
                    ErrorCode.UNKNOWN_MEMBER,
                    role + " " + subsystem + " is not in the global configuration");
        }
    }

    private static void checkResponse(MessageManifest request, MessageManifest response, SpooledBody body) {
        String problem = null;
        if (response.kind() != MessageManifest.Kind.RESPONSE) {
            problem = "answer is not a response manifest";
        } else if (!request.hash().equals(response.requestHash())) {
            problem = "answer is for another request (request hash differs)";
        } else if (!request.messageId().equals(response.messageId())
                || !request.service().equals(response.service())) {
            problem = "answer does not echo the request's id and service";
        } else if (!response.bodyDigest().equals(body.digest())) {
            problem = "answer body does not match its signed digest (changed on the way)";
        }
        if (problem != null) {
            throw new TrucException(Origin.CLIENT_PROXY, ErrorCode.INVALID_SIGNATURE, problem);
        }
    }

    private static boolean isSoap(String contentType) {
        return contentType != null
                && (contentType.startsWith("text/xml")
                        || contentType.startsWith("application/soap+xml")
                        || contentType.startsWith("multipart/related"));
    }

    private static String orRandom(String id) {
        return id == null || id.isBlank() ? UUID.randomUUID().toString() : id;
    }
}
