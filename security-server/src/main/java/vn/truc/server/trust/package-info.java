/**
 * Trust between security servers: whether a peer's auth certificate is acceptable under global
 * configuration ({@link vn.truc.server.trust.PeerVerifier}), its OCSP status
 * ({@link vn.truc.server.trust.OcspClient}), and the mutual TLS 1.3 contexts that apply both at the
 * handshake ({@link vn.truc.server.trust.TlsContexts}).
 *
 * <p>Decisions, for operators and reviewers:
 *
 * <ul>
 *   <li>A peer is identified by the SHA-256 of its certificate as registered in global
 *       configuration, never by a DNS name; a client accepts only the server published at the
 *       address it dialled. Host names in certificates play no part.
 *   <li>Every connection is a full handshake: JSSE does not ask the trust manager again when it
 *       resumes a session, so resumption would let a peer that has since been revoked, unregistered
 *       or moved keep connecting for the session's lifetime.
 *   <li>Only the CA in global configuration anchors a peer's certificate; the rest of the chain the
 *       peer sends is ignored.
 *   <li>OCSP answers must echo our nonce (so an answer from before a revocation cannot be replayed),
 *       be signed by the CA or a responder it issued with the OCSPSigning purpose, and be younger
 *       than the configured maximum age; GOOD answers are reused for half that age.
 * </ul>
 */
package vn.truc.server.trust;
