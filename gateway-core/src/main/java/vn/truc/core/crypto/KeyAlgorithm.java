package vn.truc.core.crypto;

/** Key types Truc creates; RSA verifies fast on the JDK, which suits a gateway that verifies most. */
public enum KeyAlgorithm {
    RSA("RSA", "SHA256withRSA"),
    EC("EC", "SHA256withECDSA");

    private final String jcaName;
    private final String signatureAlgorithm;

    KeyAlgorithm(String jcaName, String signatureAlgorithm) {
        this.jcaName = jcaName;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    public String jcaName() {
        return jcaName;
    }

    /** The JCA signature algorithm Truc uses with keys of this type. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** The algorithm of an existing key. */
    public static KeyAlgorithm of(java.security.Key key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> RSA;
            case "EC", "ECDSA" -> EC;
            default -> throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
        };
    }
}
