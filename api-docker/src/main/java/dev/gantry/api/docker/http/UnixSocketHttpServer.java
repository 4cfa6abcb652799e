package dev.gantry.api.docker.http;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 over a unix domain socket with Netty's epoll transport: one event-loop thread
 * moves bytes, every request runs on its own virtual thread ({@link HttpConnectionHandler}).
 * Half-closure is allowed on connections so a hijacked session survives the client closing
 * its sending side (stdin EOF in {@code docker run -i}).
 */
public final class UnixSocketHttpServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UnixSocketHttpServer.class.getName());
    private static final int MAX_LINE_AND_HEADERS = 64 * 1024;

    private final Path socket;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final RequestActivity activity;

    private UnixSocketHttpServer(Path socket, EventLoopGroup group, Channel serverChannel, RequestActivity activity) {
        this.socket = socket;
        this.group = group;
        this.serverChannel = serverChannel;
        this.activity = activity;
    }

    /**
     * Binds {@code socket} and starts serving {@code router}. A stale socket file (nothing
     * listening) is replaced; a live one is ALREADY_EXISTS; any other file there is CONFLICT.
     * The socket gets mode 0660 and, when {@code group} names an existing group, that group.
     */
    public static UnixSocketHttpServer start(Path socket, String group, Router router, long jsonLimit, Map<String, String> commonHeaders) {
        prepare(socket);
        ThreadFactory threads = Thread.ofVirtual().name("docker-api-", 0).factory();
        RequestActivity activity = new RequestActivity();
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, Thread.ofPlatform().name("docker-api-io").daemon(true).factory(),
                EpollIoHandler.newFactory());
        try {
            Channel channel = new ServerBootstrap()
                    .group(loop)
                    .channel(EpollServerDomainSocketChannel.class)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new ChannelInitializer<DomainSocketChannel>() {
                        @Override
                        protected void initChannel(DomainSocketChannel ch) {
                            ch.pipeline().addLast(
                                    new HttpServerCodec(new HttpDecoderConfig()
                                            .setMaxInitialLineLength(MAX_LINE_AND_HEADERS)
                                            .setMaxHeaderSize(MAX_LINE_AND_HEADERS)
                                            .setMaxChunkSize(64 * 1024)),
                                    new HttpServerExpectContinueHandler(),
                                    new HttpConnectionHandler(router, jsonLimit, threads, commonHeaders, activity));
                        }
                    })
                    .bind(new DomainSocketAddress(socket.toString()))
                    .syncUninterruptibly()
                    .channel();
            secure(socket, group);
            return new UnixSocketHttpServer(socket, loop, channel, activity);
        } catch (RuntimeException e) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e instanceof GantryException g ? g
                    : new GantryException(ErrorKind.UNAVAILABLE, "cannot listen on " + socket + ": " + e.getMessage(), e);
        }
    }

    public Path socket() {
        return socket;
    }

    /** The requests this server started and finished. */
    public RequestActivity activity() {
        return activity;
    }

    private static void prepare(Path socket) {
        try {
            Path parent = socket.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            if (!"socket".equals(fileType(socket))) {
                throw GantryException.conflict("cannot listen on " + socket + ": a file that is not a socket is in the way");
            }
            try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                probe.connect(UnixDomainSocketAddress.of(socket));
                throw new GantryException(ErrorKind.ALREADY_EXISTS, "cannot listen on " + socket + ": another server is listening on it");
            } catch (IOException refused) {
                // Nothing accepts on it: a leftover of a server that died without cleaning up.
                Files.deleteIfExists(socket);
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.UNAVAILABLE, "cannot prepare socket path " + socket + ": " + e.getMessage(), e);
        }
    }

    private static String fileType(Path p) throws IOException {
        var attrs = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return attrs.isOther() ? "socket" : "file";
    }

    private static void secure(Path socket, String group) {
        try {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
            if (group != null && !group.isEmpty()) {
                try {
                    GroupPrincipal principal = socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
                    Files.getFileAttributeView(socket, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(principal);
                } catch (UserPrincipalNotFoundException absent) {
                    LOG.log(System.Logger.Level.DEBUG, "group " + group + " does not exist; " + socket + " keeps its group");
                }
            }
        } catch (IOException e) {
            throw new GantryException(ErrorKind.PERMISSION_DENIED, "cannot set mode or group of " + socket + ": " + e.getMessage(), e);
        }
    }

    /** Stops accepting, closes connections and removes the socket file. */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove " + socket + ": " + e.getMessage());
        }
    }
}
