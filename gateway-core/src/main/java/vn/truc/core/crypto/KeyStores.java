package vn.truc.core.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;
import vn.truc.core.io.AtomicFiles;

/** PKCS#12 key stores protected by a PIN, one key and its chain each. */
public final class KeyStores {
    private static final String ALIAS = "key";

    private KeyStores() {}

    /** A private key with its certificate chain, leaf first. */
    public record KeyAndChain(PrivateKey privateKey, List<X509Certificate> chain) {
        public KeyAndChain {
            chain = List.copyOf(chain);
        }

        public X509Certificate certificate() {
            return chain.get(0);
        }
    }

    /** Writes atomically (a crash never leaves half a key store) and readable by the owner only. */
    public static void save(Path file, KeyAndChain entry, char[] pin) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, entry.privateKey(), pin, entry.chain().toArray(new Certificate[0]));
            Path temp = AtomicFiles.ownerOnlyTempFile(file);
            try (OutputStream out = Files.newOutputStream(temp)) {
                store.store(out, pin);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | GeneralSecurityException e) {
            throw new TrucException(
                    Origin.SERVER, ErrorCode.INTERNAL_ERROR, "cannot write key store " + file + ": " + e, e);
        }
    }

    /** Reads a key store; a wrong PIN is {@link ErrorCode#BAD_PIN}, not a stack trace. */
    public static KeyAndChain load(Path file, char[] pin) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, pin);
            PrivateKey key = (PrivateKey) store.getKey(ALIAS, pin);
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : store.getCertificateChain(ALIAS)) {
                chain.add((X509Certificate) certificate);
            }
            return new KeyAndChain(key, chain);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw badPin(file);
            }
            throw new TrucException(
                    Origin.SERVER, ErrorCode.INTERNAL_ERROR, "cannot read key store " + file + ": " + e, e);
        } catch (UnrecoverableKeyException e) {
            throw badPin(file);
        } catch (GeneralSecurityException e) {
            throw new TrucException(
                    Origin.SERVER, ErrorCode.INTERNAL_ERROR, "cannot read key store " + file + ": " + e, e);
        }
    }

    private static TrucException badPin(Path file) {
        return new TrucException(Origin.SERVER, ErrorCode.BAD_PIN, "wrong PIN for key store " + file);
    }
}
