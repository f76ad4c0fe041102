package vn.truc.server;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import vn.truc.core.crypto.CertificateRequests;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyPairs;
import vn.truc.core.crypto.KeyStores;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.globalconf.Anchor;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.io.AtomicFiles;
import vn.truc.core.registration.RegistrationRequest;
import vn.truc.server.registration.RegistrationState;
import vn.truc.server.registration.RegistryClient;

/**
 * {@code truc server init}: creates a security server's directory, its auth, sign and
 * document-encryption keys (PIN-protected), gets their certificates from the registry's CA, and
 * submits the registration request that an administrator will approve; once approved, the
 * encryption certificate is published for the owner member in the global configuration. It also makes the client proxy's self-signed HTTPS
 * key ({@link InternalTls}).
 */
public final class ServerSetup {
    private ServerSetup() {}

    /** What init needs: who the server is, where peers reach it, whom it trusts, how to enrol. */
    public record InitRequest(
            Path dir,
            Path anchorFile,
            SecurityServerId serverId,
            String address,
            String enrolmentToken,
            Duration pollInterval,
            int clientProxyPort) {}

    public static RegistrationState init(InitRequest request, char[] pin) {
        Path propertiesFile = request.dir().resolve(ServerConfig.FILE);
        if (Files.exists(propertiesFile)) {
            throw new TrucException(
                    Origin.CLI, ErrorCode.ALREADY_EXISTS, request.dir() + " already holds a security server");
        }
        if (!ServerConfig.isAddress(request.address())) {
            throw new TrucException(
                    Origin.CLI,
                    ErrorCode.INVALID_REQUEST,
                    "address: '" + request.address() + "' (expected: host:port, e.g. ss1.g22.gov.vn:5500)");
        }
        Anchor anchor = readAnchor(request.anchorFile());
        if (!anchor.instance().equals(request.serverId().instance())) {
            throw new TrucException(
                    Origin.CLI,
                    ErrorCode.INVALID_IDENTIFIER,
                    "server " + request.serverId() + " is not of the anchor's instance " + anchor.instance());
        }
        // server.properties is written last: until it exists, init can simply be run again.
        ServerDir config = new ServerDir(request.dir());
        RegistryClient registry = new RegistryClient(anchor.registryUrl(), HttpClient.newHttpClient());
        KeyAndChain auth = enrol(registry, "auth", request.serverId().toString(), request.enrolmentToken());
        KeyAndChain sign = enrol(registry, "sign", request.serverId().owner().toString(), request.enrolmentToken());
        KeyAndChain encrypt =
                enrol(registry, "encrypt", request.serverId().owner().toString(), request.enrolmentToken());
        KeyStores.save(config.authKeyFile(), auth, pin);
        KeyStores.save(config.signKeyFile(), sign, pin);
        KeyStores.save(config.encryptKeyFile(), encrypt, pin);
        write(
                config.authCertificateFile(),
                Certificates.toPem(auth.certificate()).getBytes(StandardCharsets.US_ASCII));
        write(
                config.signCertificateFile(),
                Certificates.toPem(sign.certificate()).getBytes(StandardCharsets.US_ASCII));
        write(
                config.encryptCertificateFile(),
                Certificates.toPem(encrypt.certificate()).getBytes(StandardCharsets.US_ASCII));
        write(config.anchorFile(), anchor.toXml());
        InternalTls.create(config, request.serverId(), ServerConfig.DEFAULT_CLIENT_PROXY_HOST, pin);
        RegistrationRequest registration = new RegistrationRequest(
                request.serverId(),
                request.address(),
                auth.certificate(),
                sign.certificate(),
                encrypt.certificate(),
                Instant.now());
        RegistrationState state = registry.register(registration.toSignedJson(auth.privateKey(), sign.privateKey()));
        try {
            state.save(config.registrationFile());
        } catch (IOException e) {
            throw new TrucException(
                    Origin.CLI, ErrorCode.INTERNAL_ERROR, "cannot write " + config.registrationFile() + ": " + e);
        }
        writeConfig(request);
        return state;
    }

    private static void writeConfig(InitRequest request) {
        String properties = "# Truc security server; see conf/server.properties for every key.\n"
                + "server.id = " + request.serverId() + "\n"
                + "server.address = " + request.address() + "\n"
                + "globalconf.poll-interval = " + request.pollInterval().toMillis() + "ms\n"
                + "client-proxy.port = " + request.clientProxyPort() + "\n";
        write(request.dir().resolve(ServerConfig.FILE), properties.getBytes(StandardCharsets.UTF_8));
        ServerConfig.load(request.dir()); // what was written must read back
    }

    /** A new key and its certificate; the CA sets the subject, the CSR only proves the key. */
    private static KeyAndChain enrol(RegistryClient registry, String usage, String holder, String token) {
        KeyPair keyPair = KeyPairs.generate(KeyAlgorithm.RSA);
        String csr = CertificateRequests.toPem(CertificateRequests.create(keyPair, subject(holder)));
        List<X509Certificate> chain = registry.requestCertificate(usage, holder, csr, token);
        if (!java.util.Arrays.equals(
                chain.get(0).getPublicKey().getEncoded(), keyPair.getPublic().getEncoded())) {
            throw new TrucException(
                    Origin.REGISTRY, ErrorCode.INVALID_CERTIFICATE, "the CA returned a certificate for another key");
        }
        return new KeyAndChain(keyPair.getPrivate(), chain);
    }

    private static X500Name subject(String holder) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.SERIALNUMBER, holder)
                .build();
    }

    private static Anchor readAnchor(Path file) {
        try {
            return Anchor.fromXml(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new TrucException(Origin.CLI, ErrorCode.INVALID_CONFIG, "cannot read anchor " + file + ": " + e);
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw new TrucException(Origin.CLI, ErrorCode.INTERNAL_ERROR, "cannot write " + file + ": " + e);
        }
    }
}
