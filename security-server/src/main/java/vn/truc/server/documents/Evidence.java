package vn.truc.server.documents;

/**
 * What a recipient keeps with a received package: the sender's signed document manifest and its
 * signature, and the receipt it answered with and its signature (answered again, unchanged, when the
 * sender repeats the delivery).
 */
// The arrays are evidence handed out as stored; callers do not change them.
@SuppressWarnings("ArrayRecordComponent")
public record Evidence(byte[] manifest, byte[] signature, byte[] receipt, byte[] receiptSignature) {}
