package vn.truc.core.document;

import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.TrucException;
import vn.truc.core.message.MessageSignatures;
import vn.truc.core.message.VerifiedSignature;

/**
 * Signed delivery receipts: a detached CMS SignedData over a {@link DeliveryReceipt}'s bytes, in the
 * same form as a message signature ({@link MessageSignatures}), so {@code openssl cms -verify} checks
 * one offline just the same.
 */
public final class Receipts {
    private Receipts() {}

    /**
     * Signs {@code receipt} with the recipient member's sign key; {@code ocspResponseDer}, when not
     * null, is the OCSP response for that key's certificate and travels inside the CMS.
     */
    public static byte[] sign(DeliveryReceipt receipt, KeyAndChain recipientSignKey, byte[] ocspResponseDer) {
        return MessageSignatures.sign(receipt.toBytes(), recipientSignKey, ocspResponseDer);
    }

    /**
     * Checks that {@code receiptBytes} are a receipt in canonical form and that {@code cms} is a
     * detached signature of exactly those bytes by the signer whose certificate it carries. As with
     * a message signature, it does not decide whether to trust the signer: the caller checks that
     * the certificate belongs to the receipt's recipient member, chains to an approved CA, and that
     * the OCSP response is good, signed by that CA's responder and fresh; and that the receipt's
     * digests are those of the document it sent.
     *
     * @throws TrucException {@link ErrorCode#INVALID_REQUEST} if the bytes are not a receipt, {@link
     *     ErrorCode#INVALID_SIGNATURE} if the signature does not verify
     */
    public static VerifiedSignature verify(byte[] cms, byte[] receiptBytes) {
        DeliveryReceipt.fromBytes(receiptBytes);
        try {
            return MessageSignatures.verify(cms, receiptBytes);
        } catch (TrucException e) {
            throw new TrucException(e.origin(), e.code(), "delivery receipt: " + e.getMessage(), e);
        }
    }
}
