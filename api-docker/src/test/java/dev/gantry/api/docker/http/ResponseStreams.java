package dev.gantry.api.docker.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;

/** A {@link ResponseStream} over an embedded channel whose body bytes land in memory, for route tests. */
public final class ResponseStreams {
    private ResponseStreams() {}

    public static ResponseStream inMemory(ByteArrayOutputStream sink) {
        var channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof HttpContent content) {
                    var buf = content.content();
                    byte[] bytes = new byte[buf.readableBytes()];
                    buf.getBytes(buf.readerIndex(), bytes);
                    sink.writeBytes(bytes);
                }
                ReferenceCountUtil.release(msg);
                promise.setSuccess();
            }
        });
        return new ResponseStream(channel, new WritableGate(channel),
                () -> new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
    }
}
