package vn.truc.server.proxy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.id.ServiceId;
import vn.truc.core.message.MessageManifest;
import vn.truc.server.trust.PeerVerifier;

/**
 * The provider side of an exchange: the peer is a registered server (checked at the TLS
 * handshake and again here to know who it is), the request is signed by the client's member and
 * the body matches the signed digest, the service exists and the client may call it; then the
 * request is logged, the service called, and its answer signed, logged and returned. Nothing
 * reaches the service before every check has passed.
 */
final class ServerProxyHandler implements ProxyHandler {
    private final SecurityServerId self;
    private final Supplier<GlobalConf> conf;
    private final PeerVerifier peers;
    private final Trust trust;
    private final Services services;
    private final Backend backend;
    private final ExchangeLog log;
    private final Clock clock;
    private final SoapCheck soap;
    private final DocumentReceiver documents;

    ServerProxyHandler(
            SecurityServerId self,
            Supplier<GlobalConf> conf,
            PeerVerifier peers,
            Trust trust,
            Services services,
            Backend backend,
            ExchangeLog log,
            Clock clock,
            SoapCheck soap,
            DocumentReceiver documents) {
        this.self = self;
        this.conf = conf;
        this.peers = peers;
        this.trust = trust;
        this.services = services;
        this.backend = backend;
        this.log = log;
        this.clock = clock;
        this.soap = soap;
        this.documents = documents;
    }

    @Override
    public ProxyResponse handle(ProxyRequest request) {
        try {
            return exchange(request);
        } catch (RuntimeException e) {
            return Errors.jsonForPeer(Errors.wrap(e, Origin.SERVER_PROXY).withOrigin(Origin.SERVER_PROXY));
        }
    }

    private ProxyResponse exchange(ProxyRequest request) {
        if ("POST".equals(request.method()) && DocumentReceiver.PATH.equals(request.path())) {
            GlobalConf current = conf.get();
            SecurityServerId peer = peerOf(request);
            if (documents == null) {
                throw new TrucException(
                        Origin.SERVER_PROXY,
                        ErrorCode.DOCUMENTS_NOT_ACCEPTED,
                        "security server " + self + " has no document-encryption key and takes no documents");
            }
            return documents.receive(request, peer, current);
        }
        if (!"POST".equals(request.method()) || !ExchangeHeaders.PATH.equals(request.path())) {
            throw new TrucException(
                    Origin.SERVER_PROXY,
                    ErrorCode.NOT_FOUND,
                    "no such resource: " + request.method() + " " + request.path());
        }
        GlobalConf current = conf.get();
        SecurityServerId peer = peerOf(request);
        byte[] manifestBytes = decode(request, ExchangeHeaders.MANIFEST);
        byte[] signature = decode(request, ExchangeHeaders.SIGNATURE);
        MessageManifest manifest = MessageManifest.fromBytes(manifestBytes);
        check(manifest, peer, request);
        var verified = trust.verify(signature, manifestBytes, manifest.client(), current, Origin.SERVER_PROXY);
        log.log(true, manifest, manifestBytes, signature, verified.signer(), peer, request.body());
        Answer answer = serve(manifest, request, current);
        try {
            return signed(manifest, answer, current, peer);
        } catch (RuntimeException e) {
            answer.body().close();
            throw e;
        }
    }

    private ProxyResponse signed(MessageManifest manifest, Answer answer, GlobalConf current, SecurityServerId peer) {
        MessageManifest response = new MessageManifest(
                MessageManifest.Kind.RESPONSE,
                manifest.messageId(),
                manifest.client(),
                manifest.service(),
                manifest.userId(),
                manifest.issue(),
                manifest.protocol(),
                manifest.method(),
                manifest.path(),
                answer.contentType(),
                answer.body().digest(),
                manifest.hash(),
                clock.instant());
        byte[] responseBytes = response.toBytes();
        byte[] responseSignature = trust.sign(responseBytes, current);
        log.log(false, response, responseBytes, responseSignature, trust.certificate(), peer, answer.body());
        return ProxyResponse.file(200, answer.contentType(), answer.body())
                .header(ExchangeHeaders.MANIFEST, Base64.getEncoder().encodeToString(responseBytes))
                .header(ExchangeHeaders.SIGNATURE, Base64.getEncoder().encodeToString(responseSignature))
                .header(ExchangeHeaders.STATUS, Integer.toString(answer.status()));
    }

    private SecurityServerId peerOf(ProxyRequest request) {
        if (request.peerChain().isEmpty()) {
            throw new TrucException(Origin.SERVER_PROXY, ErrorCode.ACCESS_DENIED, "peer presented no certificate");
        }
        try {
            return peers.verify(
                    request.peerChain().toArray(new java.security.cert.X509Certificate[0]), java.util.Optional.empty());
        } catch (TrucException e) {
            throw e.withOrigin(Origin.SERVER_PROXY);
        }
    }

    private void check(MessageManifest manifest, SecurityServerId peer, ProxyRequest request) {
        if (manifest.kind() != MessageManifest.Kind.REQUEST) {
            throw new TrucException(
                    Origin.SERVER_PROXY,
                    ErrorCode.INVALID_REQUEST,
                    "expected a request manifest, got " + manifest.kind());
        }
        if (!peer.owner().equals(manifest.client().memberId())) {
            throw new TrucException(
                    Origin.SERVER_PROXY,
                    ErrorCode.ACCESS_DENIED,
                    "security server " + peer + " does not serve client " + manifest.client());
        }
        if (!manifest.service().provider().memberId().equals(self.owner())) {
            throw new TrucException(
                    Origin.SERVER_PROXY,
                    ErrorCode.UNKNOWN_SERVICE,
                    "service " + manifest.service() + " is not provided by this server's member " + self.owner());
        }
        if (!manifest.bodyDigest().equals(request.body().digest())) {
            throw new TrucException(
                    Origin.SERVER_PROXY,
                    ErrorCode.INVALID_SIGNATURE,
                    "body does not match the signed digest (changed on the way)");
        }
    }

    /** The service's answer, or the answer of a metadata service this server gives itself. */
    private record Answer(int status, String contentType, SpooledBody body) {}

    private Answer serve(MessageManifest manifest, ProxyRequest request, GlobalConf current) {
        ServiceId service = manifest.service();
        String code = service.serviceCode();
        if ("listMethods".equals(code) || "allowedMethods".equals(code)) {
            var list = "listMethods".equals(code)
                    ? services.servicesOf(service.provider())
                    : services.allowedFor(manifest.client(), service.provider(), current);
            if ("soap".equals(manifest.protocol())) {
                soap.check(manifest, request.contentType(), request.body());
                byte[] envelope = soap.envelope(request.contentType(), request.body(), Origin.SERVER_PROXY);
                byte[] answer = MetaServices.methodsSoap(envelope, code, list);
                return new Answer(200, "text/xml; charset=utf-8", SpooledBody.of(answer));
            }
            byte[] json = MetaServices.methodsJson(list).getBytes(StandardCharsets.UTF_8);
            return new Answer(200, "application/json", SpooledBody.of(json));
        }
        Services.Local local = services.find(service)
                .orElseThrow(() -> new TrucException(
                        Origin.SERVER_PROXY, ErrorCode.UNKNOWN_SERVICE, "no service " + service + " on this server"));
        if ("soap".equals(manifest.protocol()) != local.soap()) {
            throw new TrucException(
                    Origin.SERVER_PROXY,
                    ErrorCode.INVALID_REQUEST,
                    "service " + service + " is a " + (local.soap() ? "SOAP" : "REST") + " service; the call is "
                            + manifest.protocol());
        }
        if (local.soap()) {
            soap.check(manifest, request.contentType(), request.body());
        }
        if (!local.enabled()) {
            throw new TrucException(
                    Origin.SERVER_PROXY, ErrorCode.SERVICE_DISABLED, "service " + service + " is disabled");
        }
        if (!services.isAllowed(manifest.client(), service, current)) {
            throw new TrucException(
                    Origin.SERVER_PROXY,
                    ErrorCode.ACCESS_DENIED,
                    "client " + manifest.client() + " may not call " + service);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", manifest.contentType());
        headers.put("X-Road-Client", manifest.client().toString());
        headers.put("X-Road-Service", service.toString());
        headers.put("X-Road-Id", manifest.messageId());
        headers.put("X-Road-UserId", manifest.userId());
        headers.put("X-Road-Issue", manifest.issue());
        java.net.URI url = local.soap() ? local.backend() : MetaServices.restUrl(local.backend(), manifest.path());
        if (local.soap()) {
            headers.put("SOAPAction", "\"\"");
        }
        String method = local.soap() ? "POST" : manifest.method();
        Backend.Answer answer = backend.call(method, url, headers, request.body());
        return new Answer(answer.status(), answer.contentType(), answer.body());
    }

    /** A base64 header of a peer's request, decoded; refused as {@code invalid_request} when absent or malformed. */
    static byte[] decode(ProxyRequest request, String header) {
        String value = request.header(header);
        if (value == null) {
            throw new TrucException(Origin.SERVER_PROXY, ErrorCode.INVALID_REQUEST, "exchange lacks header " + header);
        }
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new TrucException(
                    Origin.SERVER_PROXY, ErrorCode.INVALID_REQUEST, "header " + header + " is not base64");
        }
    }
}
