package vn.truc.server;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyPairs;
import vn.truc.core.crypto.KeyStores;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.id.SecurityServerId;
import vn.truc.core.io.AtomicFiles;

/**
 * The "internal TLS" key of the client proxy's HTTPS listener: self-signed, RSA, {@code
 * CN=<server id>}, in {@code keys/internal-tls.p12} (PIN-protected) with its certificate in {@code
 * keys/internal-tls.pem}, which information systems pin as the only certificate they trust.
 *
 * <p>The certificate names {@code localhost}, {@code 127.0.0.1}, {@code ::1} and the client proxy's
 * host ({@code client-proxy.host}, unless it is a wildcard address), so that clients checking host names (curl, {@code java.net.http}) accept it. To serve
 * another name, delete both files: the server makes new ones at its next start.
 */
public final class InternalTls {
    private static final Logger LOG = LoggerFactory.getLogger(InternalTls.class);
    private static final Duration VALIDITY = Duration.ofDays(10 * 365);
    private static final SecureRandom RANDOM = new SecureRandom();

    private InternalTls() {}

    /** Makes a new key and certificate and writes both files, replacing any there. */
    public static KeyAndChain create(ServerDir files, SecurityServerId serverId, String host, char[] pin) {
        KeyPair pair = KeyPairs.generate(KeyAlgorithm.RSA);
        X509Certificate certificate = selfSigned(pair, serverId, host);
        KeyAndChain key = new KeyAndChain(pair.getPrivate(), List.of(certificate));
        try {
            Files.createDirectories(files.keysDir());
            KeyStores.save(files.internalTlsKeyFile(), key, pin);
            AtomicFiles.write(
                    files.internalTlsCertificateFile(),
                    Certificates.toPem(certificate).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new TrucException(
                    Origin.SERVER,
                    ErrorCode.INTERNAL_ERROR,
                    "cannot write " + files.internalTlsCertificateFile() + ": " + e,
                    e);
        }
        return key;
    }

    /** The key of a server, made now when the server was created before the client proxy had HTTPS. */
    public static KeyAndChain loadOrCreate(ServerConfig config, char[] pin) {
        ServerDir files = config.files();
        if (Files.exists(files.internalTlsKeyFile()) && Files.exists(files.internalTlsCertificateFile())) {
            return KeyStores.load(files.internalTlsKeyFile(), pin);
        }
        LOG.info("no internal TLS key yet: creating {}", files.internalTlsKeyFile());
        return create(files, config.serverId(), config.clientProxyHost(), pin);
    }

    private static X509Certificate selfSigned(KeyPair pair, SecurityServerId serverId, String host) {
        var name = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, serverId.toString())
                .build();
        Instant now = Instant.now();
        try {
            var builder = new JcaX509v3CertificateBuilder(
                    name,
                    new BigInteger(127, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(VALIDITY)),
                    name,
                    pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(
                    Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(
                    Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(host));
            var signer = new JcaContentSignerBuilder(KeyAlgorithm.RSA.signatureAlgorithm()).build(pair.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new TrucException(
                    Origin.SERVER, ErrorCode.INTERNAL_ERROR, "cannot make the internal TLS certificate: " + e, e);
        }
    }

    private static GeneralNames alternativeNames(String host) {
        Set<GeneralName> names = new LinkedHashSet<>();
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        names.add(new GeneralName(GeneralName.iPAddress, "::1"));
        if (host != null && !host.isBlank() && !host.equals("0.0.0.0") && !host.equals("::")) {
            boolean ip = host.matches("[0-9.]+") || host.contains(":");
            names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host));
        }
        return new GeneralNames(names.toArray(new GeneralName[0]));
    }
}
