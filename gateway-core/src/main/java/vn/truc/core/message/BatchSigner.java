package vn.truc.core.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import vn.truc.core.crypto.KeyStores.KeyAndChain;
import vn.truc.core.error.ErrorCode;
import vn.truc.core.error.Origin;
import vn.truc.core.error.TrucException;

/**
 * Signs with one key, one private-key operation for all the contents waiting: whichever thread
 * takes the signing lock next signs everything queued (up to {@code maxBatch}) with
 * {@link MessageSignatures#signEach}, and answers each. An idle signer signs a content alone, with
 * a plain signature and no delay; under load the batches grow by themselves, so a server pays one
 * RSA operation per batch rather than per message. Nothing waits on a timer.
 */
public final class BatchSigner {
    private final KeyAndChain key;
    private final int maxBatch;
    // Package-private so that tests can hold the lock and see what queues behind it.
    final Queue<Pending> waiting = new ConcurrentLinkedQueue<>();
    final ReentrantLock signing = new ReentrantLock();
    private final AtomicLong signatures = new AtomicLong();
    private final AtomicLong signed = new AtomicLong();

    /** {@code maxBatch} 1 turns batching off: every content gets a plain signature of its own. */
    public BatchSigner(KeyAndChain key, int maxBatch) {
        if (maxBatch < 1 || maxBatch > MessageSignatures.MAX_BATCH) {
            throw new IllegalArgumentException(
                    "maxBatch must be 1 to " + MessageSignatures.MAX_BATCH + ", not " + maxBatch);
        }
        this.key = Objects.requireNonNull(key, "key");
        this.maxBatch = maxBatch;
    }

    /** The key this signer signs with. */
    public KeyAndChain key() {
        return key;
    }

    /**
     * A signature over {@code content} that {@link MessageSignatures#verify} accepts, carrying
     * {@code ocspResponseDer} (or, in a batch, that of the first content queued: every caller
     * passes a response fresh enough to travel).
     */
    public byte[] sign(byte[] content, byte[] ocspResponseDer) {
        Pending mine = new Pending(Objects.requireNonNull(content, "content"), ocspResponseDer);
        waiting.add(mine);
        signing.lock();
        try {
            // A signer that ran while we waited for the lock may have signed ours already.
            if (!mine.done()) {
                signWaiting();
            }
            if (!mine.done()) { // drained by a signer that died of an Error before answering it
                mine.failed(new IllegalStateException("the batch it was signed in was lost"));
            }
        } finally {
            signing.unlock();
        }
        return mine.signature();
    }

    /** How many private-key operations this signer has made, for tests and reports. */
    public long signatures() {
        return signatures.get();
    }

    /** How many contents this signer has signed. */
    public long signed() {
        return signed.get();
    }

    /** Signs what is waiting, a batch at a time; called holding {@link #signing}. */
    private void signWaiting() {
        List<Pending> batch = new ArrayList<>();
        for (Pending next; (next = waiting.poll()) != null; ) {
            batch.add(next);
            if (batch.size() == maxBatch || waiting.isEmpty()) {
                sign(batch);
                batch.clear();
            }
        }
    }

    private void sign(List<Pending> batch) {
        try {
            List<byte[]> answers = MessageSignatures.signEach(
                    batch.stream().map(p -> p.content).toList(), key, batch.get(0).ocspResponseDer);
            signatures.incrementAndGet();
            signed.addAndGet(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).succeeded(answers.get(i));
            }
        } catch (RuntimeException e) {
            for (Pending one : batch) {
                one.failed(e);
            }
        }
    }

    /** One content waiting to be signed, and then its signature or why it could not be. */
    static final class Pending {
        private final byte[] content;
        private final byte[] ocspResponseDer;
        private byte[] signature;
        private RuntimeException failure;
        private boolean done;

        Pending(byte[] content, byte[] ocspResponseDer) {
            this.content = content;
            this.ocspResponseDer = ocspResponseDer;
        }

        // Written and read by threads holding the signing lock, which orders them.
        void succeeded(byte[] signature) {
            this.signature = signature;
            done = true;
        }

        void failed(RuntimeException e) {
            failure = e;
            done = true;
        }

        boolean done() {
            return done;
        }

        byte[] signature() {
            if (failure instanceof TrucException t) {
                throw t;
            }
            if (failure != null) {
                throw new TrucException(
                        Origin.SERVER, ErrorCode.INTERNAL_ERROR, "cannot sign message: " + failure, failure);
            }
            return signature;
        }
    }
}
