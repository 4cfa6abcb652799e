package dev.gantry.cli;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code cp} both ways through the archive endpoints, with GNU tar packing and unpacking on
 * this side. Into the container: to an existing directory the source keeps its name; to a
 * new path it is renamed (tar's --transform) and put into the parent. Out of the container:
 * into an existing directory, or renamed to the destination path. {@code -} is a tar stream on
 * stdin/stdout.
 */
final class Copy {
    /** Go's os.ModeDir in the path stat's mode. */
    private static final long MODE_DIR = 1L << 31;

    private Copy() {}

    static int run(Session s, Args a) throws Exception {
        ContainerCommands.arity(s, a, "cp", 2, 2);
        String src = a.positional().get(0);
        String dst = a.positional().get(1);
        String[] from = split(src);
        String[] to = split(dst);
        if ((from == null) == (to == null)) {
            throw new UsageException("copying between containers or between local paths is not supported: one side must be CONTAINER:PATH");
        }
        return from != null ? fromContainer(s, from[0], from[1], dst) : toContainer(s, src, to[0], to[1]);
    }

    /** {@code container:path} → {container, path}; null for a local path (absolute or ./-prefixed paths stay local). */
    static String[] split(String arg) {
        if (arg.startsWith("/") || arg.startsWith(".")) {
            return null;
        }
        int colon = arg.indexOf(':');
        return colon <= 0 ? null : new String[] {arg.substring(0, colon), arg.substring(colon + 1)};
    }

    private static int fromContainer(Session s, String container, String path, String dst) throws Exception {
        String q = Query.path("/containers/%s/archive", container).param("path", path).toString();
        s.out.flush();
        try (Response r = s.api().open("GET", q, null, false)) {
            if (dst.equals("-")) {
                r.body().transferTo(new FileOutputStream(java.io.FileDescriptor.out));
                return 0;
            }
            Path target = Path.of(dst).toAbsolutePath();
            if (Files.isDirectory(target)) {
                untar(r.body(), target);
                return 0;
            }
            if (!Files.isDirectory(target.getParent())) {
                throw new GantryException(ErrorKind.NOT_FOUND, "destination directory " + target.getParent() + " does not exist");
            }
            Path tmp = Files.createTempDirectory(target.getParent(), ".gantry-cp-");
            try {
                untar(r.body(), tmp);
                try (var entries = Files.list(tmp)) {
                    Path only = entries.findFirst().orElseThrow(() -> new GantryException(ErrorKind.NOT_FOUND, "the archive of " + path + " is empty"));
                    Files.move(only, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                dev.gantry.base.FileTrees.delete(tmp);
            }
        }
        return 0;
    }

    private static int toContainer(Session s, String src, String container, String path) throws Exception {
        String destDir = path;
        String rename = null;
        if (!src.equals("-")) {
            Path source = Path.of(src).toAbsolutePath();
            if (!Files.exists(source, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new GantryException(ErrorKind.NOT_FOUND, "could not find the file " + src + " in the local filesystem");
            }
            if (!isDirectoryInContainer(s, container, path)) {
                int slash = path.replaceAll("/+$", "").lastIndexOf('/');
                destDir = slash <= 0 ? "/" : path.substring(0, slash);
                rename = path.replaceAll("/+$", "").substring(slash + 1);
            }
        }
        String q = Query.path("/containers/%s/archive", container).param("path", destDir).toString();
        if (src.equals("-")) {
            s.api().call("PUT", q, ApiClient.Body.tar(new FileInputStream(java.io.FileDescriptor.in), -1), Map.of());
            return 0;
        }
        Path source = Path.of(src).toAbsolutePath().normalize();
        List<String> cmd = new ArrayList<>(List.of("tar", "-C", source.getParent().toString(), "-c"));
        String base = source.getFileName().toString();
        if (rename != null && !rename.equals(base)) {
            cmd.add("--transform=s," + sedQuote(base) + "," + rename.replace("\\", "\\\\").replace(",", "\\,").replace("&", "\\&") + ",");
        }
        cmd.add(base);
        Process tar = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (InputStream in = tar.getInputStream()) {
            s.api().call("PUT", q, ApiClient.Body.tar(in, -1), Map.of());
        }
        if (tar.waitFor() != 0) {
            throw new GantryException(ErrorKind.INTERNAL, "tar failed packing " + src);
        }
        return 0;
    }

    /** Whether {@code path} is a directory in the container, from the archive HEAD's path stat; false when absent. */
    private static boolean isDirectoryInContainer(Session s, String container, String path) {
        try {
            Response r = s.api().call("HEAD", Query.path("/containers/%s/archive", container).param("path", path).toString(), null, Map.of());
            String stat = r.headers().get("x-docker-container-path-stat");
            if (stat == null) {
                return false;
            }
            Object mode = Json.parseObject(new String(Base64.getDecoder().decode(stat), StandardCharsets.UTF_8)).get("mode");
            return mode instanceof Number n && (n.longValue() & MODE_DIR) != 0;
        } catch (DaemonException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** An anchored sed pattern matching {@code name} literally, for tar's --transform. */
    private static String sedQuote(String name) {
        StringBuilder sb = new StringBuilder("^");
        for (char c : name.toCharArray()) {
            if ("\\.*[]^$,&/".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static void untar(InputStream archive, Path dir) throws IOException, InterruptedException {
        Process tar = new ProcessBuilder("tar", "-x", "-C", dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (var in = tar.getOutputStream()) {
            archive.transferTo(in);
        }
        if (tar.waitFor() != 0) {
            throw new GantryException(ErrorKind.INTERNAL, "tar failed unpacking into " + dir);
        }
    }
}
