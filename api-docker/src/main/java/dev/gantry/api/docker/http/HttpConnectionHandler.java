package dev.gantry.api.docker.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.Native;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;

/**
 * One client connection. The event loop only moves bytes: each request is served on a new
 * virtual thread, whose handler may block; its body arrives through a
 * {@link ByteQueueInputStream}. Requests on one connection are served one after another
 * (pipelined ones wait in {@link #pipelined}). When the client goes away, the serving thread
 * is interrupted and its writes fail, so a follower of logs or events ends; the server
 * carries on. A half-close by the client outside a hijacked session counts as going away,
 * as it does for dockerd (Go's server cancels the request when its background read ends).
 */
final class HttpConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(HttpConnectionHandler.class.getName());
    private static final int MAX_PIPELINED = 64;
    /** How much of an unread request body is skipped to keep the connection; more closes it. */
    private static final long MAX_DISCARD = 256 * 1024;

    private final Router router;
    private final long jsonLimit;
    private final ThreadFactory threads;
    private final Map<String, String> commonHeaders;
    private final RequestActivity activity;
    private final ArrayDeque<Object> pipelined = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private WritableGate gate;
    private Exchange current;
    private ByteQueueInputStream rawInput;

    /** The request in flight; fields touched on the event loop only, except {@code body}. */
    private static final class Exchange {
        final HttpRequest request;
        final ByteQueueInputStream body;
        final boolean keepAlive;
        boolean bodyComplete;
        boolean discarding;
        long discarded;
        Thread thread;

        Exchange(HttpRequest request, ByteQueueInputStream body) {
            this.request = request;
            this.body = body;
            this.keepAlive = HttpUtil.isKeepAlive(request);
        }
    }

    HttpConnectionHandler(Router router, long jsonLimit, ThreadFactory threads, Map<String, String> commonHeaders,
            RequestActivity activity) {
        this.router = router;
        this.jsonLimit = jsonLimit;
        this.threads = threads;
        this.commonHeaders = commonHeaders;
        this.activity = activity;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.gate = new WritableGate(ctx.channel());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (rawInput != null) {
            if (msg instanceof ByteBuf buf) {
                rawInput.offer(buf);
            } else {
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        if (!pipelined.isEmpty()) {
            pipelined.add(msg);
            if (pipelined.size() > MAX_PIPELINED) {
                ctx.channel().config().setAutoRead(false);
            }
            drain();
            return;
        }
        inbound(msg);
    }

    private void inbound(Object msg) {
        if (current != null) {
            if (!current.bodyComplete && msg instanceof HttpContent content) {
                Exchange ex = current;
                if (ex.discarding) {
                    ex.discarded += content.content().readableBytes();
                    content.release();
                    if (ex.discarded > MAX_DISCARD) {
                        ctx.close();
                        return;
                    }
                } else {
                    ex.body.offer(content.content());
                }
                if (msg instanceof LastHttpContent) {
                    ex.bodyComplete = true;
                    ex.body.end();
                    if (ex.discarding) {
                        nextRequest();
                    }
                }
            } else {
                pipelined.add(msg);
            }
            return;
        }
        if (msg instanceof HttpRequest request) {
            start(request);
            if (msg instanceof HttpContent content) {
                inbound(content.retain());
                ReferenceCountUtil.release(msg);
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void drain() {
        while (!pipelined.isEmpty() && (current == null || !current.bodyComplete) && rawInput == null) {
            inbound(pipelined.poll());
        }
    }

    private void start(HttpRequest request) {
        Channel channel = ctx.channel();
        if (request.decoderResult().isFailure()) {
            var body = Unpooled.copiedBuffer("{\"message\":\"malformed HTTP request: "
                    + String.valueOf(request.decoderResult().cause().getMessage()).replace("\"", "'") + "\"}\n", StandardCharsets.UTF_8);
            var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST, body);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, Reply.JSON).setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        Exchange exchange = new Exchange(request, new ByteQueueInputStream(channel));
        current = exchange;
        exchange.thread = threads.newThread(() -> serve(exchange));
        exchange.thread.start();
    }

    /** Runs on the request's virtual thread; in flight until a stream or hijacked session is over. */
    private void serve(Exchange ex) {
        activity.started();
        try {
            dispatchAndRender(ex);
        } finally {
            activity.finished();
        }
    }

    private void dispatchAndRender(Exchange ex) {
        Reply reply;
        try {
            var uri = new QueryStringDecoder(ex.request.uri());
            var path = Router.splitVersion(uri.path());
            HttpHeaders headers = ex.request.headers();
            var request = new Request(ex.request.method().name(), path.path(), path.effective(), uri.parameters(),
                    headers::get, ex.body, jsonLimit);
            reply = router.dispatch(request);
        } catch (RuntimeException e) {
            reply = ErrorMapping.reply(e);
        } catch (Error e) {
            // A fault under the route (a class that no longer loads because its jar was replaced, a
            // stack overflow): a 500 naming it, not a virtual thread that dies leaving the client
            // waiting on a connection nobody serves.
            LOG.log(System.Logger.Level.ERROR, ex.request.method() + " " + ex.request.uri() + " failed", e);
            reply = ErrorMapping.reply(e);
        }
        try {
            render(ex, reply);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "rendering " + ex.request.method() + " " + ex.request.uri() + " failed", e);
            ctx.channel().close();
        }
    }

    private void render(Exchange ex, Reply reply) {
        switch (reply) {
            case Reply.Full full -> renderFull(ex, full);
            case Reply.Streamed streamed -> renderStream(ex, streamed);
            case Reply.Hijacked hijacked -> renderHijack(ex, hijacked);
        }
    }

    private void renderFull(Exchange ex, Reply.Full full) {
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(full.status()),
                Unpooled.wrappedBuffer(full.body()));
        setHeaders(response, ex, full.contentType(), full.headers());
        if (full.status() != 204) {
            // RFC 9110 §8.6: no Content-Length on a 204.
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, full.body().length);
        }
        whenWritten(ctx.channel().writeAndFlush(response), ex);
    }

    private void renderStream(Exchange ex, Reply.Streamed streamed) {
        var out = new ResponseStream(ctx.channel(), gate, () -> {
            var response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(streamed.status()));
            setHeaders(response, ex, streamed.contentType(), streamed.headers());
            HttpUtil.setTransferEncodingChunked(response, true);
            return response;
        });
        try {
            streamed.writer().writeTo(out);
            out.close();
            whenWritten(ctx.channel().writeAndFlush(Unpooled.EMPTY_BUFFER), ex);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (!out.committed() && ctx.channel().isActive()) {
                renderFull(ex, ErrorMapping.reply(e));
            } else {
                // Headers are gone: the only honest signal left is to cut the stream short.
                LOG.log(System.Logger.Level.DEBUG, "stream for " + ex.request.uri() + " ended early: " + e);
                ctx.channel().close();
            }
        }
    }

    private void renderHijack(Exchange ex, Reply.Hijacked hijacked) {
        Channel channel = ctx.channel();
        boolean upgrade = ex.request.headers().contains(HttpHeaderNames.UPGRADE);
        InputStream input;
        try {
            input = channel.eventLoop().submit(() -> switchToRaw(ex, upgrade, hijacked)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
            return;
        } catch (ExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "hijacking " + ex.request.uri() + " failed", e.getCause());
            channel.close();
            return;
        }
        try {
            hijacked.handler().handle(new RawStream(channel, gate, input));
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "hijacked session " + ex.request.uri() + " ended: " + e);
        } finally {
            if (ctx.executor().isShuttingDown()) {
                channel.close();
            } else {
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    /** Event loop: leaves HTTP. Bytes the decoder still holds are handed on to the raw input. */
    private InputStream switchToRaw(Exchange ex, boolean upgrade, Reply.Hijacked hijacked) {
        rawInput = new ByteQueueInputStream(ctx.channel());
        var head = new StringBuilder(upgrade ? "HTTP/1.1 101 UPGRADED\r\n" : "HTTP/1.1 200 OK\r\n");
        head.append("Content-Type: ").append(hijacked.contentType()).append("\r\n");
        if (upgrade) {
            head.append("Connection: Upgrade\r\nUpgrade: tcp\r\n");
        }
        commonHeaders.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        hijacked.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        pipelined.forEach(ReferenceCountUtil::release);
        pipelined.clear();
        ctx.pipeline().remove(HttpServerCodec.class);
        ctx.writeAndFlush(Unpooled.copiedBuffer(head, StandardCharsets.US_ASCII));
        return rawInput;
    }

    private void setHeaders(HttpResponse response, Exchange ex, String contentType, Map<String, String> extra) {
        HttpHeaders h = response.headers();
        commonHeaders.forEach(h::set);
        extra.forEach(h::set);
        if (contentType != null) {
            h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        if (!ex.keepAlive) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    private void whenWritten(io.netty.channel.ChannelFuture write, Exchange ex) {
        // During server shutdown the event loop may already be gone; nothing is left to do then.
        if (!ctx.executor().isShuttingDown()) {
            write.addListener(f -> finish(ex));
        }
    }

    /** Any thread: the response is written; the connection serves the next request or closes. */
    private void finish(Exchange ex) {
        ctx.executor().execute(() -> {
            if (current != ex) {
                return;
            }
            Channel channel = ctx.channel();
            ex.body.close();
            if (!ex.keepAlive || !channel.isActive()) {
                current = null;
                channel.close();
                return;
            }
            if (!ex.bodyComplete) {
                // The handler answered without reading the whole body (an early error, say):
                // skip the rest, as Go's server does, before the next request; a huge rest closes.
                ex.discarding = true;
                channel.config().setAutoRead(true);
                return;
            }
            nextRequest();
        });
    }

    /** Event loop: the exchange is over on a connection that stays open. */
    private void nextRequest() {
        current = null;
        ctx.channel().config().setAutoRead(true);
        drain();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            if (rawInput != null) {
                keepRegistered(ctx.channel());
                rawInput.end();
            } else {
                ctx.channel().close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * Keeps a half-closed hijacked connection in the epoll set. Netty 4.2.18's epoll transport
     * clears every interest of a channel whose input is shut down, which deletes it from the
     * epoll set while its registration still says "added"; the first write that then fills
     * the socket fails (EPOLL_CTL_MOD: ENOENT) and Netty shuts the output down. The docker CLI
     * half-closes at once when it sends no stdin, so a client that read slower than its
     * container wrote lost the rest of the output. EPOLLERR is reported by epoll(7) whether
     * asked for or not, so adding it to the interests changes no event and keeps them from
     * ever being empty. Called on the event loop before Netty clears EPOLLRDHUP.
     */
    private static void keepRegistered(Channel channel) {
        if (KEEP_REGISTERED == null || !KEEP_REGISTERED.getDeclaringClass().isInstance(channel)) {
            return;
        }
        try {
            KEEP_REGISTERED.invoke(channel, Native.EPOLLERR);
        } catch (ReflectiveOperationException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot keep a half-closed connection registered: " + e);
        }
    }

    private static final java.lang.reflect.Method KEEP_REGISTERED = setFlagMethod();

    private static java.lang.reflect.Method setFlagMethod() {
        try {
            // Package-private class, protected method: reflection is the only way in.
            java.lang.reflect.Method m = Class.forName("io.netty.channel.epoll.AbstractEpollChannel")
                    .getDeclaredMethod("setFlag", int.class);
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Netty's epoll channel has no setFlag(int): half-closed attaches may lose output");
            return null;
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        gate.signal();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        gate.signal();
        if (rawInput != null) {
            rawInput.end();
        }
        Exchange ex = current;
        if (ex != null) {
            ex.body.fail("the client closed the connection");
            ex.thread.interrupt();
        }
        pipelined.forEach(ReferenceCountUtil::release);
        pipelined.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "connection error: " + cause);
        ctx.close();
    }
}
