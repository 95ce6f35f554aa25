package org.asylumstats.gateway.routing;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;

/**
 * A caller's request body on its way to a back-end, counted and timed as it streams: past the
 * route's size limit, silent longer than the idle timeout, slower on average than the minimum rate
 * (after a first idle-timeout of grace), or not complete by the route's deadline, it fails with a
 * {@link Refusal} instead of reaching the back-end whole. A declared Content-Length is only a
 * hint: chunked bodies and bodies sent slowly are measured the same way. Time spent held back by a
 * slow back-end (back-pressure) is not counted against the caller.
 * <p>
 * When the back-end answers before the body is complete, {@link #cut()} stops forwarding: the
 * rest is read and discarded (still within the limits) so that the caller gets the answer
 * instead of a reset, and the connection is closed once the caller has sent it all.
 */
final class ForwardedBody implements ReadStream<Buffer> {

    /** Why the gateway stopped a body. */
    enum Refusal {
        TOO_LARGE, TOO_SLOW
    }

    /** The failure the forwarding sees; {@link #refusal()} tells the gateway what to answer. */
    static final class RefusedException extends RuntimeException {
        RefusedException(Refusal refusal) {
            super("request body refused: " + refusal, null, false, false);
        }
    }

    /** The limits of one route. {@code deadlineMillis} 0: no bound on the whole body. */
    record Limits(long maxBytes, long idleMillis, long minBytesPerSecond, long deadlineMillis) {
    }

    private final Vertx vertx;
    private final HttpServerRequest edge;
    private final Limits limits;

    private Handler<Buffer> dataHandler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private Runnable completeHandler;
    private Runnable stallHandler;
    private long stallMillis;
    private long stallTimer = -1;
    private long received;
    private boolean ended;
    private boolean cut;
    private boolean paused;
    private Refusal refusal;
    /** Time the caller has had to send what it sent: wall time minus time held back by the back-end. */
    private final long activeSince = System.nanoTime();
    private long heldBackNanos;
    private long pausedAt;
    private long idleTimer = -1;
    private long rateTimer = -1;
    private long deadlineTimer = -1;

    ForwardedBody(Vertx vertx, HttpServerRequest edge, Limits limits) {
        this.vertx = vertx;
        this.edge = edge;
        this.limits = limits;
        edge.handler(this::chunk);
        edge.endHandler(v -> end());
        edge.exceptionHandler(this::edgeFailed);
        if (edge.isEnded()) {
            ended = true;
        } else {
            armIdle();
            armRateCheck(limits.idleMillis());
            if (limits.deadlineMillis() > 0) {
                deadlineTimer = vertx.setTimer(limits.deadlineMillis(), id -> refuse(Refusal.TOO_SLOW));
            }
        }
    }

    /** The whole body, for small routes whose requests may be sent again on a fresh connection. */
    Future<Buffer> collect() {
        Promise<Buffer> whole = Promise.promise();
        Buffer buffer = Buffer.buffer();
        exceptionHandler(whole::tryFail);
        endHandler(v -> whole.tryComplete(buffer));
        handler(buffer::appendBuffer);
        resume();
        if (ended) {
            whole.tryComplete(buffer);
        }
        return whole.future();
    }

    /** Runs once the whole body was received from the caller (at once if it already was). */
    void whenComplete(Runnable handler) {
        if (ended && refusal == null) {
            handler.run();
        } else {
            completeHandler = handler;
        }
    }

    /** Runs when the back-end has held the body back (stopped reading it) for longer than {@code millis}. */
    void whenStalled(long millis, Runnable handler) {
        stallMillis = millis;
        stallHandler = handler;
    }

    /** Stops forwarding: the back-end has answered. What the caller still sends is discarded. */
    void cut() {
        if (!ended && refusal == null) {
            cut = true;
            resume();
        }
    }

    boolean ended() {
        return ended;
    }

    long received() {
        return received;
    }

    Refusal refusal() {
        return refusal;
    }

    private void chunk(Buffer chunk) {
        if (refusal != null) {
            return;
        }
        received += chunk.length();
        if (received > limits.maxBytes()) {
            refuse(Refusal.TOO_LARGE);
            return;
        }
        armIdle();
        if (!cut && dataHandler != null) {
            dataHandler.handle(chunk);
        }
    }

    private void end() {
        if (refusal != null) {
            return;
        }
        ended = true;
        cancelTimers();
        if (completeHandler != null) {
            completeHandler.run();
        }
        if (cut) {
            // the caller got the back-end's answer with "Connection: close" and has now sent all of its body
            edge.connection().close();
        } else if (endHandler != null) {
            endHandler.handle(null);
        }
    }

    private void edgeFailed(Throwable failure) {
        cancelTimers();
        if (exceptionHandler != null && refusal == null && !ended) {
            exceptionHandler.handle(failure);
        }
    }

    private void refuse(Refusal why) {
        if (refusal != null || ended) {
            return;
        }
        refusal = why;
        cancelTimers();
        if (cut) {
            // the back-end's answer was sent already; nothing more to say to this caller
            edge.connection().close();
        } else if (exceptionHandler != null) {
            exceptionHandler.handle(new RefusedException(why));
        }
    }

    private void armIdle() {
        cancelIdle();
        idleTimer = vertx.setTimer(limits.idleMillis(), id -> refuse(Refusal.TOO_SLOW));
    }

    /** Checks the average rate when the caller, at the minimum rate, would have sent what it sent so far. */
    private void armRateCheck(long inMillis) {
        rateTimer = vertx.setTimer(Math.max(1, inMillis), id -> {
            rateTimer = -1;
            long heldBack = heldBackNanos + (paused ? System.nanoTime() - pausedAt : 0);
            long activeMillis = (System.nanoTime() - activeSince - heldBack) / 1_000_000;
            long owedMillis = received * 1000 / Math.max(1, limits.minBytesPerSecond());
            if (owedMillis < activeMillis - limits.idleMillis()) {
                refuse(Refusal.TOO_SLOW);
            } else {
                armRateCheck(owedMillis + limits.idleMillis() - activeMillis + 1);
            }
        });
    }

    private void cancelIdle() {
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
            idleTimer = -1;
        }
    }

    private void cancelStall() {
        if (stallTimer >= 0) {
            vertx.cancelTimer(stallTimer);
            stallTimer = -1;
        }
    }

    private void cancelTimers() {
        cancelIdle();
        cancelStall();
        if (rateTimer >= 0) {
            vertx.cancelTimer(rateTimer);
            rateTimer = -1;
        }
        if (deadlineTimer >= 0) {
            vertx.cancelTimer(deadlineTimer);
            deadlineTimer = -1;
        }
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        this.dataHandler = handler;
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        if (!cut && !paused) {
            edge.pause();
            // held back by a slow back-end: the caller is not the one being silent
            paused = true;
            pausedAt = System.nanoTime();
            cancelIdle();
            if (stallHandler != null) {
                stallTimer = vertx.setTimer(stallMillis, id -> {
                    stallTimer = -1;
                    stallHandler.run();
                });
            }
        }
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        edge.resume();
        if (paused) {
            paused = false;
            cancelStall();
            heldBackNanos += System.nanoTime() - pausedAt;
            if (!ended && refusal == null) {
                armIdle();
            }
        }
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        return resume();
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> handler) {
        this.endHandler = handler;
        if (ended && handler != null) {
            // complete before the proxy started reading it (e.g. a GET, delivered while authentication ran)
            vertx.runOnContext(v -> handler.handle(null));
        }
        return this;
    }
}
