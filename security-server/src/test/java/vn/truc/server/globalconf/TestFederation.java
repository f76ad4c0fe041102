package vn.truc.server.globalconf;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.w3c.dom.Document;
import vn.truc.core.crypto.CertificateProfile;
import vn.truc.core.crypto.Certificates;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.crypto.KeyPairs;
import vn.truc.core.globalconf.Anchor;
import vn.truc.core.globalconf.GlobalConf;
import vn.truc.core.globalconf.GlobalConfXml;
import vn.truc.core.id.ClientId;
import vn.truc.core.xml.SecureXml;
import vn.truc.core.xml.XmlSignatures;

/** A registry's configuration-signing identity, made in code, and the configurations it signs. */
final class TestFederation {
    static final String INSTANCE = "VN";
    static final String MEMBER_NAME = "Government Office";

    final KeyPair signingKey;
    final X509Certificate certificate;

    TestFederation() {
        signingKey = KeyPairs.generate(KeyAlgorithm.RSA);
        certificate = Certificates.selfSigned(
                signingKey, new X500Name("CN=Test registry"), Duration.ofDays(365), CertificateProfile.CONF_SIGNING);
    }

    Anchor anchor(URI registryUrl, Instant now) {
        return new Anchor(INSTANCE, registryUrl, certificate, now);
    }

    static GlobalConf conf(String instance, long serial, Instant generatedAt, Instant expiresAt) {
        GlobalConf.Member office =
                new GlobalConf.Member(ClientId.member(instance, "GOV", "000.00.00.G22"), MEMBER_NAME, List.of("DMS"));
        return new GlobalConf(
                instance, serial, generatedAt, expiresAt, List.of(office), List.of(), List.of(), List.of(), List.of());
    }

    /** Instance VN, generated at {@code now}, valid for an hour. */
    static GlobalConf conf(long serial, Instant now) {
        return conf(INSTANCE, serial, now, now.plus(Duration.ofHours(1)));
    }

    byte[] sign(GlobalConf conf) {
        return signWith(conf, signingKey);
    }

    static byte[] signWith(GlobalConf conf, KeyPair key) {
        Document doc = GlobalConfXml.write(conf);
        XmlSignatures.signEnveloped(doc, key.getPrivate());
        return SecureXml.toBytes(doc);
    }

    /** {@code bytes} with the first {@code from} replaced by {@code to}; the test asserts it was there. */
    static byte[] replace(byte[] bytes, String from, String to) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.contains(from)) {
            throw new AssertionError("'" + from + "' not in the document");
        }
        return text.replaceFirst(Pattern.quote(from), Matcher.quoteReplacement(to))
                .getBytes(StandardCharsets.UTF_8);
    }
}
