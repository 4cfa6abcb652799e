package dev.gantry.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code volume} and {@code network} subcommands. */
final class ResourceCommands {
    private ResourceCommands() {}

    private static final Flag FORMAT = Flag.value("format", "Format output using a custom template: 'table', 'table TEMPLATE', 'json' or a Go template");

    static List<Command> all() {
        return List.of(
                Command.of("volume create", "[OPTIONS] [VOLUME]", "Create a volume", List.of(
                        Flag.value("driver", 'd', "Specify volume driver name"), Flag.list("label", "Set metadata for a volume"),
                        Flag.list("opt", 'o', "Set driver specific options"), Flag.value("name", "Specify volume name")), ResourceCommands::volumeCreate),
                Command.of("volume ls", "[OPTIONS]", "List volumes", List.of(Flag.list("filter", 'f', "Provide filter values (e.g. \"dangling=true\")"),
                        FORMAT, Flag.bool("quiet", 'q', "Only display volume names")), ResourceCommands::volumeLs),
                Command.of("volume inspect", "[OPTIONS] VOLUME [VOLUME...]", "Display detailed information on one or more volumes",
                        List.of(Flag.value("format", 'f', "Format output using a custom template")), (s, a) -> inspect(s, a, "volume")),
                Command.of("volume rm", "[OPTIONS] VOLUME [VOLUME...]", "Remove one or more volumes", List.of(
                        Flag.bool("force", 'f', "Force the removal of one or more volumes")),
                        (s, a) -> each(s, a, "volume rm", id -> s.api().call("DELETE", Query.path("/volumes/%s", id).flag("force", a.bool("force")).toString(), null))),
                Command.of("volume prune", "[OPTIONS]", "Remove unused local volumes", List.of(
                        Flag.bool("all", 'a', "Remove all unused volumes, not just anonymous ones"), Flag.list("filter", "Provide filter values (e.g. \"label=<label>\")"),
                        Flag.bool("force", 'f', "Do not prompt for confirmation")), (s, a) -> {
                            Args withAll = a;
                            if (a.bool("all")) {
                                Map<String, List<String>> v = new LinkedHashMap<>(a.values());
                                List<String> f = new ArrayList<>(a.list("filter"));
                                f.add("all=true");
                                v.put("filter", f);
                                withAll = new Args(v, a.positional(), false);
                            }
                            return SystemCommands.prune(s, withAll, "volumes", "WARNING! This will remove anonymous local volumes not used by at least one container.",
                                    "VolumesDeleted", "Deleted Volumes:");
                        }),
                Command.of("network create", "[OPTIONS] NETWORK", "Create a network", List.of(
                        Flag.bool("attachable", "Enable manual container attachment"), Flag.list("aux-address", "Auxiliary IPv4 or IPv6 addresses used by Network driver"),
                        Flag.value("driver", 'd', "Driver to manage the Network (default \"bridge\")"), Flag.list("gateway", "IPv4 or IPv6 Gateway for the master subnet"),
                        Flag.bool("internal", "Restrict external access to the network"), Flag.list("ip-range", "Allocate container ip from a sub-range"),
                        Flag.bool("ipv6", "Enable or disable IPv6 networking"), Flag.list("label", "Set metadata on a network"),
                        Flag.list("opt", 'o', "Set driver specific options"), Flag.list("subnet", "Subnet in CIDR format that represents a network segment")),
                        ResourceCommands::networkCreate),
                Command.of("network ls", "[OPTIONS]", "List networks", List.of(Flag.list("filter", 'f', "Provide filter values (e.g. \"driver=bridge\")"),
                        FORMAT, Flag.bool("no-trunc", "Do not truncate the output"), Flag.bool("quiet", 'q', "Only display network IDs")),
                        ResourceCommands::networkLs),
                Command.of("network inspect", "[OPTIONS] NETWORK [NETWORK...]", "Display detailed information on one or more networks",
                        List.of(Flag.value("format", 'f', "Format output using a custom template"), Flag.bool("verbose", 'v', "Verbose output for diagnostics")),
                        (s, a) -> inspect(s, a, "network")),
                Command.of("network rm", "NETWORK [NETWORK...]", "Remove one or more networks", List.of(Flag.bool("force", 'f', "Do not error if the network does not exist")),
                        (s, a) -> each(s, a, "network rm", id -> s.api().call("DELETE", Query.path("/networks/%s", id).toString(), null))),
                Command.of("network prune", "[OPTIONS]", "Remove all unused networks", List.of(
                        Flag.list("filter", "Provide filter values (e.g. \"until=<timestamp>\")"), Flag.bool("force", 'f', "Do not prompt for confirmation")),
                        (s, a) -> SystemCommands.prune(s, a, "networks", "WARNING! This will remove all custom networks not used by at least one container.",
                                "NetworksDeleted", "Deleted Networks:")),
                Command.of("network connect", "[OPTIONS] NETWORK CONTAINER", "Connect a container to a network", List.of(
                        Flag.list("alias", "Add network-scoped alias for the container"), Flag.value("ip", "IPv4 address (e.g., \"172.30.100.104\")")),
                        (s, a) -> {
                            ContainerCommands.arity(s, a, "network connect", 2, 2);
                            Map<String, Object> endpoint = new LinkedHashMap<>();
                            if (!a.list("alias").isEmpty()) {
                                endpoint.put("Aliases", a.list("alias"));
                            }
                            if (a.has("ip")) {
                                endpoint.put("IPAMConfig", Map.of("IPv4Address", a.value("ip")));
                            }
                            s.api().call("POST", Query.path("/networks/%s/connect", a.positional().get(0)).toString(),
                                    Map.of("Container", a.positional().get(1), "EndpointConfig", endpoint));
                            return 0;
                        }),
                Command.of("network disconnect", "[OPTIONS] NETWORK CONTAINER", "Disconnect a container from a network", List.of(
                        Flag.bool("force", 'f', "Force the container to disconnect from a network")), (s, a) -> {
                            ContainerCommands.arity(s, a, "network disconnect", 2, 2);
                            s.api().call("POST", Query.path("/networks/%s/disconnect", a.positional().get(0)).toString(),
                                    Map.of("Container", a.positional().get(1), "Force", a.bool("force")));
                            return 0;
                        }));
    }

    /** An action on one named object. */
    @FunctionalInterface
    interface OnEach {
        void run(String id);
    }

    private static int each(Session s, Args a, String name, OnEach action) {
        ContainerCommands.arity(s, a, name, 1);
        int code = 0;
        for (String id : a.positional()) {
            try {
                action.run(id);
                s.out.println(id);
            } catch (DaemonException e) {
                s.out.flush();
                s.err.println("Error response from daemon: " + e.getMessage());
                code = 1;
            }
        }
        return code;
    }

    private static int inspect(Session s, Args a, String type) {
        ContainerCommands.arity(s, a, type + " inspect", 1);
        Map<String, List<String>> v = new LinkedHashMap<>(a.values());
        v.put("type", List.of(type));
        return Inspect.run(s, new Args(v, a.positional(), false));
    }

    private static int volumeCreate(Session s, Args a) {
        ContainerCommands.arity(s, a, "volume create", 0, 1);
        Map<String, Object> body = new LinkedHashMap<>();
        String name = a.positional().isEmpty() ? a.value("name") : a.positional().getFirst();
        if (name != null) {
            body.put("Name", name);
        }
        body.put("Driver", a.value("driver", "local"));
        body.put("DriverOpts", keyValues(a.list("opt")));
        body.put("Labels", keyValues(a.list("label")));
        Map<String, Object> r = s.api().call("POST", "/volumes/create", body).object();
        s.out.println(r.get("Name"));
        return 0;
    }

    private static Map<String, Object> keyValues(List<String> list) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String kv : list) {
            int eq = kv.indexOf('=');
            m.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
        }
        return m;
    }

    private static int volumeLs(Session s, Args a) {
        ContainerCommands.arity(s, a, "volume ls", 0, 0);
        Map<String, Object> r = s.api().call("GET", Query.path("/volumes").filters(a.list("filter")).toString(), null).object();
        List<Row> rows = new ArrayList<>();
        if (r.get("Volumes") instanceof List<?> l) {
            for (Object o : l) {
                Map<?, ?> v = (Map<?, ?>) o;
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("Driver", ContainerRows.str(v.get("Driver")));
                Map<String, String> labels = new LinkedHashMap<>();
                if (v.get("Labels") instanceof Map<?, ?> lm) {
                    lm.forEach((k, x) -> labels.put(String.valueOf(k), String.valueOf(x)));
                }
                List<String> lv = new ArrayList<>();
                labels.forEach((k, x) -> lv.add(k + "=" + x));
                f.put("Labels", String.join(",", lv));
                f.put("Links", "N/A");
                f.put("Mountpoint", ContainerRows.str(v.get("Mountpoint")));
                f.put("Name", ContainerRows.str(v.get("Name")));
                f.put("Scope", ContainerRows.str(v.get("Scope")));
                f.put("Size", "N/A");
                rows.add(new Row(f, labels));
            }
        }
        rows.sort((x, y) -> x.get("Name").compareTo(y.get("Name")));
        Listing.print(s.out, a, rows, List.of("Driver", "Name"), Map.of("Driver", "DRIVER", "Name", "VOLUME NAME", "Mountpoint", "MOUNTPOINT",
                "Labels", "LABELS", "Scope", "SCOPE", "Links", "LINKS", "Size", "SIZE"), "Name");
        return 0;
    }

    private static int networkCreate(Session s, Args a) {
        ContainerCommands.arity(s, a, "network create", 1, 1);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Name", a.positional().getFirst());
        body.put("Driver", a.value("driver", "bridge"));
        body.put("Internal", a.bool("internal"));
        body.put("Attachable", a.bool("attachable"));
        body.put("EnableIPv6", a.bool("ipv6"));
        List<Object> configs = new ArrayList<>();
        List<String> subnets = a.list("subnet");
        for (int i = 0; i < subnets.size(); i++) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("Subnet", subnets.get(i));
            if (i < a.list("gateway").size()) {
                c.put("Gateway", a.list("gateway").get(i));
            }
            if (i < a.list("ip-range").size()) {
                c.put("IPRange", a.list("ip-range").get(i));
            }
            configs.add(c);
        }
        if (subnets.isEmpty() && !a.list("gateway").isEmpty()) {
            throw new UsageException("--gateway needs a --subnet to belong to");
        }
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("Driver", "default");
        ipam.put("Config", configs);
        body.put("IPAM", ipam);
        body.put("Options", keyValues(a.list("opt")));
        body.put("Labels", keyValues(a.list("label")));
        Map<String, Object> r = s.api().call("POST", "/networks/create", body).object();
        s.out.println(r.get("Id"));
        return 0;
    }

    private static int networkLs(Session s, Args a) {
        ContainerCommands.arity(s, a, "network ls", 0, 0);
        List<Object> list = s.api().call("GET", Query.path("/networks").filters(a.list("filter")).toString(), null).array();
        List<Row> rows = new ArrayList<>();
        for (Object o : list) {
            Map<?, ?> n = (Map<?, ?>) o;
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("CreatedAt", ContainerRows.str(n.get("Created")));
            f.put("Driver", ContainerRows.str(n.get("Driver")));
            String id = ContainerRows.str(n.get("Id"));
            f.put("ID", a.bool("no-trunc") ? id : ContainerRows.shortId(id));
            f.put("IPv6", String.valueOf(Boolean.TRUE.equals(n.get("EnableIPv6"))));
            f.put("Internal", String.valueOf(Boolean.TRUE.equals(n.get("Internal"))));
            Map<String, String> labels = new LinkedHashMap<>();
            if (n.get("Labels") instanceof Map<?, ?> lm) {
                lm.forEach((k, x) -> labels.put(String.valueOf(k), String.valueOf(x)));
            }
            List<String> lv = new ArrayList<>();
            labels.forEach((k, x) -> lv.add(k + "=" + x));
            f.put("Labels", String.join(",", lv));
            f.put("Name", ContainerRows.str(n.get("Name")));
            f.put("Scope", ContainerRows.str(n.get("Scope")));
            rows.add(new Row(f, labels));
        }
        rows.sort((x, y) -> x.get("Name").compareTo(y.get("Name")));
        Listing.print(s.out, a, rows, List.of("ID", "Name", "Driver", "Scope"), Map.of("ID", "NETWORK ID", "Name", "NAME", "Driver", "DRIVER",
                "Scope", "SCOPE", "IPv6", "IPV6", "Internal", "INTERNAL", "Labels", "LABELS", "CreatedAt", "CREATED AT"), "ID");
        return 0;
    }
}
