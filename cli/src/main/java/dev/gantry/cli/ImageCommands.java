package dev.gantry.cli;

import dev.gantry.base.ErrorKind;
import dev.gantry.base.GantryException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The image commands: images, pull, push, tag, rmi, history, save, load, import, login, logout. */
final class ImageCommands {
    static final Map<String, String> TITLES = Map.ofEntries(Map.entry("Repository", "REPOSITORY"), Map.entry("Tag", "TAG"),
            Map.entry("ID", "IMAGE ID"), Map.entry("CreatedSince", "CREATED"), Map.entry("CreatedAt", "CREATED AT"),
            Map.entry("Size", "SIZE"), Map.entry("Digest", "DIGEST"), Map.entry("Containers", "CONTAINERS"),
            Map.entry("SharedSize", "SHARED SIZE"), Map.entry("UniqueSize", "UNIQUE SIZE"), Map.entry("VirtualSize", "VIRTUAL SIZE"));

    private ImageCommands() {}

    static List<Command> all() {
        Flag quiet = Flag.bool("quiet", 'q', "Suppress verbose output");
        return List.of(
                Command.of("images", "[OPTIONS] [REPOSITORY[:TAG]]", "List images", List.of(
                        Flag.bool("all", 'a', "Show all images (default hides intermediate images)"), Flag.bool("digests", "Show digests"),
                        Flag.list("filter", 'f', "Filter output based on conditions provided"),
                        Flag.value("format", "Format output using a custom template: 'table', 'table TEMPLATE', 'json' or a Go template"),
                        Flag.bool("no-trunc", "Don't truncate output"), Flag.bool("quiet", 'q', "Only show image IDs")), ImageCommands::images),
                Command.of("pull", "[OPTIONS] NAME[:TAG|@DIGEST]", "Download an image from a registry", List.of(
                        Flag.bool("all-tags", 'a', "Download all tagged images in the repository"), Flag.value("platform", "Set platform if server is multi-platform capable"),
                        quiet), (s, a) -> {
                            ContainerCommands.arity(s, a, "pull", 1, 1);
                            pull(s, a.positional().getFirst(), a.bool("quiet"), s.out);
                            return 0;
                        }),
                Command.of("push", "[OPTIONS] NAME[:TAG]", "Upload an image to a registry", List.of(
                        Flag.bool("all-tags", 'a', "Push all tags of an image to the repository"), quiet), ImageCommands::push),
                Command.of("tag", "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", List.of(), (s, a) -> {
                    ContainerCommands.arity(s, a, "tag", 2, 2);
                    String[] rt = repoTag(a.positional().get(1));
                    s.api().call("POST", Query.path("/images/%s/tag", a.positional().get(0)).param("repo", rt[0]).param("tag", rt[1]).toString(), null);
                    return 0;
                }),
                Command.of("rmi", "[OPTIONS] IMAGE [IMAGE...]", "Remove one or more images", List.of(
                        Flag.bool("force", 'f', "Force removal of the image"), Flag.bool("no-prune", "Do not delete untagged parents")), ImageCommands::rmi),
                Command.of("history", "[OPTIONS] IMAGE", "Show the history of an image", List.of(
                        Flag.value("format", "Format output using a custom template"), Flag.bool("human", 'H', "Print sizes and dates in human readable format (default true)"),
                        Flag.bool("no-trunc", "Don't truncate output"), Flag.bool("quiet", 'q', "Only show image IDs")), ImageCommands::history),
                Command.of("save", "[OPTIONS] IMAGE [IMAGE...]", "Save one or more images to a tar archive (streamed to STDOUT by default)",
                        List.of(Flag.value("output", 'o', "Write to a file, instead of STDOUT")), (s, a) -> {
                            ContainerCommands.arity(s, a, "save", 1);
                            Query q = Query.path("/images/get");
                            a.positional().forEach(n -> q.param("names", n));
                            return ContainerCommands.download(s, q.toString(), a.value("output"));
                        }),
                Command.of("load", "[OPTIONS]", "Load an image from a tar archive or STDIN", List.of(
                        Flag.value("input", 'i', "Read from tar archive file, instead of STDIN"), quiet), ImageCommands::load),
                Command.of("import", "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]", "Import the contents from a tarball to create a filesystem image", List.of(
                        Flag.list("change", 'c', "Apply Dockerfile instruction to the created image"), Flag.value("message", 'm', "Set commit message for imported image"),
                        Flag.value("platform", "Set platform if server is multi-platform capable")), ImageCommands::importTar),
                Command.of("login", "[OPTIONS] [SERVER]", "Log in to a registry", List.of(
                        Flag.value("password", 'p', "Password"), Flag.bool("password-stdin", "Take the password from stdin"),
                        Flag.value("username", 'u', "Username")), Credentials::login),
                Command.of("logout", "[SERVER]", "Log out from a registry", List.of(), Credentials::logout),
                Command.of("image prune", "[OPTIONS]", "Remove unused images", List.of(
                        Flag.bool("all", 'a', "Remove all unused images, not just dangling ones"), Flag.list("filter", "Provide filter values (e.g. \"until=<timestamp>\")"),
                        Flag.bool("force", 'f', "Do not prompt for confirmation")), ImageCommands::prune));
    }

    /** {@code busybox} → {@code busybox:latest}; a tag or digest given is kept. */
    static String withTag(String ref) {
        String[] rt = repoTag(ref);
        return ref.contains("@") ? ref : rt[0] + ":" + (rt[1] == null ? "latest" : rt[1]);
    }

    /** {repository, tag or null}: the tag follows the last colon after the last slash. */
    static String[] repoTag(String ref) {
        int at = ref.indexOf('@');
        if (at >= 0) {
            return new String[] {ref.substring(0, at), null};
        }
        int colon = ref.lastIndexOf(':');
        if (colon > ref.lastIndexOf('/')) {
            return new String[] {ref.substring(0, colon), ref.substring(colon + 1)};
        }
        return new String[] {ref, null};
    }

    /** Pulls {@code ref}, printing the daemon's progress on {@code out} (per-layer bars on a terminal). */
    static void pull(Session s, String ref, boolean quiet, PrintStream out) throws GantryException {
        String[] rt = repoTag(ref);
        String tag = ref.contains("@") ? ref.substring(ref.indexOf('@') + 1) : rt[1] == null ? "latest" : rt[1];
        String path = Query.path("/images/create").param("fromImage", rt[0]).param("tag", tag).toString();
        if (!quiet && rt[1] == null && !ref.contains("@")) {
            out.println("Using default tag: latest");
        }
        try (Response r = s.api().open("POST", path, null, false)) {
            new Progress(quiet ? null : out, Session.isTerminal(out == s.err ? 2 : 1)).show(r.body());
        }
        if (quiet) {
            out.println(withTag(ref));
        }
    }

    static int push(Session s, Args a) {
        ContainerCommands.arity(s, a, "push", 1, 1);
        String ref = a.positional().getFirst();
        String[] rt = repoTag(ref);
        Query q = Query.path("/images/%s/push", rt[0]);
        if (!a.bool("all-tags")) {
            q.param("tag", rt[1] == null ? "latest" : rt[1]);
        }
        if (!a.bool("all-tags") && rt[1] == null) {
            s.out.println("Using default tag: latest");
        }
        Map<String, String> headers = Map.of("X-Registry-Auth", Credentials.header(s, rt[0]));
        try (Response r = s.api().open("POST", q.toString(), null, false, headers)) {
            new Progress(a.bool("quiet") ? null : s.out, Session.isTerminal(1)).show(r.body());
        }
        if (a.bool("quiet")) {
            s.out.println(withTag(ref));
        }
        return 0;
    }

    static int images(Session s, Args a) {
        ContainerCommands.arity(s, a, "images", 0, 1);
        List<String> filters = new ArrayList<>(a.list("filter"));
        if (!a.positional().isEmpty()) {
            filters.add("reference=" + a.positional().getFirst());
        }
        List<Object> list = s.api().call("GET", Query.path("/images/json").flag("all", a.bool("all")).filters(filters).toString(), null).array();
        boolean trunc = !a.bool("no-trunc");
        long now = System.currentTimeMillis() / 1000;
        List<Row> rows = new ArrayList<>();
        for (Object o : list) {
            Map<?, ?> img = (Map<?, ?>) o;
            List<String> tags = new ArrayList<>();
            if (img.get("RepoTags") instanceof List<?> l) {
                l.forEach(t -> tags.add(String.valueOf(t)));
            }
            if (tags.isEmpty()) {
                tags.add("<none>:<none>");
            }
            String digest = "<none>";
            if (img.get("RepoDigests") instanceof List<?> d && !d.isEmpty()) {
                String first = String.valueOf(d.getFirst());
                digest = first.substring(first.indexOf('@') + 1);
            }
            for (String t : tags) {
                String[] rt = t.equals("<none>:<none>") ? new String[] {"<none>", "<none>"} : repoTag(t);
                Map<String, Object> f = new LinkedHashMap<>();
                long created = ContainerRows.num(img.get("Created"));
                f.put("Containers", ContainerRows.num(img.get("Containers")) < 0 ? "N/A" : Long.toString(ContainerRows.num(img.get("Containers"))));
                f.put("CreatedAt", ContainerRows.createdAt(created));
                f.put("CreatedSince", Units.humanDuration(now - created) + " ago");
                f.put("Digest", digest);
                String id = ContainerRows.str(img.get("Id"));
                f.put("ID", trunc ? ContainerRows.shortId(id.startsWith("sha256:") ? id.substring(7) : id) : id);
                f.put("Repository", rt[0]);
                f.put("SharedSize", "N/A");
                f.put("Size", Units.humanSize(ContainerRows.num(img.get("Size"))));
                f.put("Tag", rt[1] == null ? "<none>" : rt[1]);
                f.put("UniqueSize", "N/A");
                f.put("VirtualSize", Units.humanSize(ContainerRows.num(img.get("Size"))));
                Map<String, String> labels = new LinkedHashMap<>();
                if (img.get("Labels") instanceof Map<?, ?> lm) {
                    lm.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
                }
                rows.add(new Row(f, labels));
            }
        }
        List<String> columns = a.bool("digests") ? List.of("Repository", "Tag", "Digest", "ID", "CreatedSince", "Size")
                : List.of("Repository", "Tag", "ID", "CreatedSince", "Size");
        Listing.print(s.out, a, rows, columns, TITLES, "ID");
        return 0;
    }

    static int rmi(Session s, Args a) {
        ContainerCommands.arity(s, a, "rmi", 1);
        int code = 0;
        for (String name : a.positional()) {
            try {
                List<Object> r = s.api().call("DELETE", Query.path("/images/%s", name).flag("force", a.bool("force"))
                        .flag("noprune", a.bool("no-prune")).toString(), null).array();
                for (Object o : r) {
                    ((Map<?, ?>) o).forEach((k, v) -> s.out.println(k + ": " + v));
                }
            } catch (DaemonException e) {
                s.out.flush();
                s.err.println("Error response from daemon: " + e.getMessage());
                code = 1;
            }
        }
        return code;
    }

    static int history(Session s, Args a) {
        ContainerCommands.arity(s, a, "history", 1, 1);
        List<Object> list = s.api().call("GET", Query.path("/images/%s/history", a.positional().getFirst()).toString(), null).array();
        boolean trunc = !a.bool("no-trunc");
        long now = System.currentTimeMillis() / 1000;
        List<Row> rows = new ArrayList<>();
        for (Object o : list) {
            Map<?, ?> h = (Map<?, ?>) o;
            Map<String, Object> f = new LinkedHashMap<>();
            String id = ContainerRows.str(h.get("Id"));
            if (trunc && id.startsWith("sha256:")) {
                id = ContainerRows.shortId(id.substring(7));
            }
            f.put("ID", id);
            long created = ContainerRows.num(h.get("Created"));
            f.put("CreatedSince", Units.humanDuration(now - created) + " ago");
            f.put("CreatedAt", ContainerRows.createdAt(created));
            String by = ContainerRows.str(h.get("CreatedBy"));
            if (trunc && by.codePointCount(0, by.length()) > 45) {
                by = by.substring(0, by.offsetByCodePoints(0, 44)) + "…";
            }
            f.put("CreatedBy", by);
            f.put("Size", Units.humanSize(ContainerRows.num(h.get("Size"))));
            f.put("Comment", ContainerRows.str(h.get("Comment")));
            rows.add(new Row(f, Map.of()));
        }
        Listing.print(s.out, a, rows, List.of("ID", "CreatedSince", "CreatedBy", "Size", "Comment"),
                Map.of("ID", "IMAGE", "CreatedSince", "CREATED", "CreatedAt", "CREATED AT", "CreatedBy", "CREATED BY", "Size", "SIZE",
                        "Comment", "COMMENT"), "ID");
        return 0;
    }

    static int load(Session s, Args a) throws Exception {
        ContainerCommands.arity(s, a, "load", 0, 0);
        String input = a.value("input");
        if (input == null && Session.isTerminal(0)) {
            throw new UsageException("requested load from stdin, but stdin is empty: use -i FILE or redirect a tar archive");
        }
        InputStream in = input == null ? new FileInputStream(FileDescriptor.in) : Files.newInputStream(Path.of(input));
        long length = input == null ? -1 : Files.size(Path.of(input));
        try (in; Response r = s.api().open("POST", Query.path("/images/load").flag("quiet", a.bool("quiet")).toString(),
                ApiClient.Body.tar(in, length), false)) {
            new Progress(s.out, false).show(r.body());
        }
        return 0;
    }

    static int importTar(Session s, Args a) throws Exception {
        ContainerCommands.arity(s, a, "import", 1, 2);
        String source = a.positional().getFirst();
        Query q = Query.path("/images/create").param("fromSrc", source.startsWith("http://") || source.startsWith("https://") ? source : "-")
                .param("repo", a.positional().size() > 1 ? a.positional().get(1) : null).param("message", a.value("message"))
                .param("platform", a.value("platform"));
        for (String c : a.list("change")) {
            q.param("changes", c);
        }
        ApiClient.Body body = null;
        if (source.equals("-")) {
            body = ApiClient.Body.tar(new FileInputStream(FileDescriptor.in), -1);
        } else if (!source.contains("://")) {
            Path file = Path.of(source);
            if (!Files.isRegularFile(file)) {
                throw new GantryException(ErrorKind.NOT_FOUND, "cannot import " + source + ": no such file");
            }
            body = ApiClient.Body.tar(Files.newInputStream(file), Files.size(file));
        }
        try (Response r = s.api().open("POST", q.toString(), body, false)) {
            new Progress(s.out, false).show(r.body());
        }
        return 0;
    }

    static int prune(Session s, Args a) {
        List<String> filters = new ArrayList<>(a.list("filter"));
        filters.add("dangling=" + !a.bool("all"));
        String warning = a.bool("all") ? "WARNING! This will remove all images without at least one container associated to them."
                : "WARNING! This will remove all dangling images.";
        if (!a.bool("force") && !SystemCommands.confirm(s, warning)) {
            return 0;
        }
        Map<String, Object> r = s.api().call("POST", Query.path("/images/prune").filters(filters).toString(), null).object();
        if (r.get("ImagesDeleted") instanceof List<?> l && !l.isEmpty()) {
            s.out.println("Deleted Images:");
            for (Object o : l) {
                ((Map<?, ?>) o).forEach((k, v) -> s.out.println(k.toString().toLowerCase(java.util.Locale.ROOT) + ": " + v));
            }
            s.out.println();
        }
        s.out.println("Total reclaimed space: " + Units.humanSize(ContainerRows.num(r.get("SpaceReclaimed"))));
        return 0;
    }

    static String base64Json(Map<String, Object> m) {
        return Base64.getUrlEncoder().encodeToString(Json.write(m).getBytes(StandardCharsets.UTF_8));
    }
}
