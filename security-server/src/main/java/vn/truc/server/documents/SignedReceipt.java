package vn.truc.server.documents;

/**
 * A recipient's delivery receipt as the sender keeps it: the receipt's canonical bytes and the
 * recipient member's detached CMS signature over them (empty when none was kept).
 */
// The arrays are evidence handed out as stored; callers do not change them.
@SuppressWarnings("ArrayRecordComponent")
public record SignedReceipt(byte[] receipt, byte[] signature) {
    public SignedReceipt {
        receipt = receipt.clone();
        signature = signature == null ? new byte[0] : signature.clone();
    }
}
