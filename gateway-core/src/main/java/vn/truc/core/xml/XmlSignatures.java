package vn.truc.core.xml;

import java.security.PrivateKey;
import java.security.PublicKey;
import org.apache.xml.security.Init;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.exceptions.XMLSecurityException;
import org.apache.xml.security.signature.Reference;
import org.apache.xml.security.signature.SignedInfo;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transform;
import org.apache.xml.security.transforms.Transforms;
import org.apache.xml.security.utils.Constants;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import vn.truc.core.crypto.KeyAlgorithm;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * Enveloped XML-DSig over a whole document, through Apache Santuario. The shape is fixed and
 * checked on verification: one signature, a child of the document element, one reference with
 * {@code URI=""} (the whole document) and only the enveloped and exclusive-c14n transforms. Any
 * other shape is refused before a digest is computed, which closes signature-wrapping attacks;
 * Santuario's secure validation refuses weak algorithms and external references as well.
 */
public final class XmlSignatures {
    static {
        Init.init();
    }

    private XmlSignatures() {}

    /** Signs {@code document} in place, appending the signature to its document element. */
    public static void signEnveloped(Document document, PrivateKey key) {
        try {
            String algorithm = KeyAlgorithm.of(key) == KeyAlgorithm.RSA
                    ? XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256
                    : XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA256;
            XMLSignature signature =
                    new XMLSignature(document, "", algorithm, Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
            document.getDocumentElement().appendChild(signature.getElement());
            Transforms transforms = new Transforms(document);
            transforms.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
            transforms.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
            signature.addDocument("", transforms, "http://www.w3.org/2001/04/xmlenc#sha256");
            signature.sign(key);
        } catch (XMLSecurityException e) {
            throw new IllegalStateException("XML signing failed", e);
        }
    }

    /**
     * Verifies that {@code document} carries a valid enveloped signature by {@code key}; throws
     * {@link ErrorCode#INVALID_SIGNATURE} naming what is wrong otherwise.
     */
    public static void verifyEnveloped(Document document, PublicKey key, String what) {
        Element signatureElement = soleSignature(document, what);
        try {
            XMLSignature signature = new XMLSignature(signatureElement, "", true);
            checkShape(signature.getSignedInfo(), what);
            if (!signature.checkSignatureValue(key)) {
                throw invalid(what, "signature does not verify with the trusted key (content changed or wrong signer)");
            }
        } catch (XMLSecurityException e) {
            throw invalid(what, "signature cannot be checked: " + e.getMessage());
        }
    }

    private static Element soleSignature(Document document, String what) {
        NodeList signatures = document.getElementsByTagNameNS(Constants.SignatureSpecNS, "Signature");
        if (signatures.getLength() != 1) {
            throw invalid(what, "expected exactly one XML signature, found " + signatures.getLength());
        }
        Element signature = (Element) signatures.item(0);
        if (signature.getParentNode() != document.getDocumentElement()) {
            throw invalid(what, "the signature must be a child of the document element");
        }
        return signature;
    }

    private static void checkShape(SignedInfo signedInfo, String what) throws XMLSecurityException {
        if (signedInfo.getLength() != 1) {
            throw invalid(what, "expected one signed reference, found " + signedInfo.getLength());
        }
        Reference reference = signedInfo.item(0);
        if (!"".equals(reference.getURI())) {
            throw invalid(
                    what, "the signature must cover the whole document (URI=\"\"), not '" + reference.getURI() + "'");
        }
        Transforms transforms = reference.getTransforms();
        for (int i = 0; transforms != null && i < transforms.getLength(); i++) {
            Transform transform = transforms.item(i);
            String uri = transform.getURI();
            if (!Transforms.TRANSFORM_ENVELOPED_SIGNATURE.equals(uri)
                    && !Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS.equals(uri)) {
                throw invalid(what, "transform not allowed: " + uri);
            }
        }
        if (!reference.verify()) {
            throw invalid(what, "digest of the signed content does not match (content was changed)");
        }
    }

    private static TrucException invalid(String what, String reason) {
        return new TrucException(Origin.CLIENT, ErrorCode.INVALID_SIGNATURE, what + ": " + reason);
    }
}
