package vn.truc.core.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/** PEM text in and out, through BouncyCastle's reader and writer. */
public final class Pem {
    private Pem() {}

    /** Writes one object (certificate, CSR, key) as PEM. */
    public static String write(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Every PEM block of {@code type} (e.g. CERTIFICATE) in the text, as DER. */
    public static List<byte[]> read(String text, String type) {
        List<byte[]> blocks = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(text))) {
            for (PemObject object = reader.readPemObject(); object != null; object = reader.readPemObject()) {
                if (object.getType().equals(type)) {
                    blocks.add(object.getContent());
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not valid PEM: " + e.getMessage(), e);
        }
        return blocks;
    }

    /**
     * The first unencrypted private key in the text: {@code PRIVATE KEY} (PKCS#8, what {@code
     * openssl genpkey} writes) or {@code RSA PRIVATE KEY} / {@code EC PRIVATE KEY}.
     */
    public static PrivateKey privateKey(String text) {
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not valid PEM: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("no unencrypted private key (PEM PRIVATE KEY) found");
    }
}
