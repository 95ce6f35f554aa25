package org.asylumstats.gateway.protection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.asylumstats.gateway.routing.GatewayConfig;
import org.jboss.logging.Logger;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A deadline for every request head: a connection whose request line and headers are not complete
 * within the head timeout of the connection's start (or of the previous answer on it) is closed.
 * The HTTP server has only an idle timeout, which a client sending one header line every few
 * seconds never meets, and which must stay long for uploads awaiting ingest's answer.
 * <p>
 * Quarkus offers no hook on new connections, so the guard is put into place at the Netty level:
 * the first request seen on a port adds a handler to the listening channel, which gives each
 * accepted connection a {@link HeadDeadline} next to Vert.x's HTTP codec. A request sent to
 * itself when the server starts does this before any caller connects. Bodies have their own
 * limits in the proxy (idle timeout, minimum rate).
 */
@ApplicationScoped
public class SlowClients {

    private static final Logger LOG = Logger.getLogger(SlowClients.class);
    /** The channel handler Vert.x's HTTP/1.x connection is bound to; the guard sits just before it. */
    private static final String VERTX_HANDLER = "handler";

    @Inject
    GatewayConfig config;
    @Inject
    Vertx vertx;

    private final Set<Channel> guardedListeners = ConcurrentHashMap.newKeySet();

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 10).handler(ctx -> {
            guard(ctx.request().connection());
            ctx.next();
        });
    }

    /** Guards from the start: one request to each port this server listens on. */
    void onStart(@Observes HttpServerStart started) {
        for (var server : ((VertxInternal) vertx).sharedHttpServers().values()) {
            int port = server.actualPort();
            if (port > 0) {
                HttpClient client = vertx.createHttpClient();
                client.request(HttpMethod.GET, port, "localhost", "/")
                        .compose(request -> request.send())
                        .onComplete(answer -> {
                            LOG.debugf("slow-client guard on port %d: %s", port, answer.succeeded() ? "in place" : answer.cause());
                            client.close();
                        });
            }
        }
    }

    private void guard(HttpConnection connection) {
        if (!(connection instanceof ConnectionBase base)) {
            return;
        }
        Channel listener = base.channel().parent();
        if (listener == null || guardedListeners.contains(listener) || !guardedListeners.add(listener)) {
            return;
        }
        long timeoutMillis = config.slowClients().headTimeout().toMillis();
        listener.pipeline().addFirst("slow-client-guard", new Acceptor(timeoutMillis));
        LOG.debugf("request heads must be complete within %d ms on %s", timeoutMillis, listener.localAddress());
    }

    /** On the listening channel: gives every accepted connection its deadline. */
    @ChannelHandler.Sharable
    private static final class Acceptor extends ChannelInboundHandlerAdapter {
        private final long timeoutMillis;

        Acceptor(long timeoutMillis) {
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel accepted) {
                accepted.pipeline().addFirst(new Installer(timeoutMillis));
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** First in a new connection's pipeline until Vert.x has set it up; then moves the deadline next to the codec. */
    private static final class Installer extends ChannelInboundHandlerAdapter {
        private final long timeoutMillis;

        Installer(long timeoutMillis) {
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            moveInPlace(ctx);
            super.channelActive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            moveInPlace(ctx);
            ctx.fireChannelRead(msg);
        }

        private void moveInPlace(ChannelHandlerContext ctx) {
            if (ctx.isRemoved()) {
                return;
            }
            if (ctx.pipeline().get(VERTX_HANDLER) != null) {
                ctx.pipeline().addBefore(VERTX_HANDLER, "head-deadline", new HeadDeadline(timeoutMillis));
            } else {
                // not an HTTP/1.x connection as Vert.x sets them up: the deadline at least covers the first head
                ctx.pipeline().addLast("head-deadline", new HeadDeadline(timeoutMillis));
            }
            ctx.pipeline().remove(this);
        }
    }

    /**
     * Between the HTTP codec and Vert.x: armed while the connection waits for a request head (from
     * its start, and after each answer), disarmed by a decoded head. After an answer, a body that
     * nobody reads any more (the route answered early) must keep coming: each piece re-arms it.
     */
    static final class HeadDeadline extends ChannelDuplexHandler {
        private final long timeoutMillis;
        private ScheduledFuture<?> deadline;
        private boolean answering;

        HeadDeadline(long timeoutMillis) {
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            arm(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                disarm();
                answering = true;
            } else if (msg instanceof HttpContent && !answering) {
                arm(ctx);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            boolean interim = msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
            if (msg instanceof LastHttpContent && !interim) {
                answering = false;
                arm(ctx);
            }
            ctx.write(msg, promise);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            disarm();
            super.channelInactive(ctx);
        }

        private void arm(ChannelHandlerContext ctx) {
            disarm();
            deadline = ctx.executor().schedule(() -> {
                LOG.debugf("closing %s: no complete request head within %d ms", ctx.channel().remoteAddress(), timeoutMillis);
                ctx.close();
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        }

        private void disarm() {
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        }
    }
}
