package dev.gantry.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The result of ADD (SPEC.md section 5, "ADD Success"): the interfaces the chain created, the
 * addresses assigned, the routes and DNS settings. {@link #raw()} is the document as the last
 * plugin returned it, which the runtime passes on as {@code prevResult} unchanged.
 */
public record Result(String cniVersion, List<Interface> interfaces, List<IpConfig> ips, List<Route> routes, Dns dns,
                     ObjectNode raw) {
    public Result {
        interfaces = List.copyOf(interfaces);
        ips = List.copyOf(ips);
        routes = List.copyOf(routes);
        raw = raw.deepCopy();
    }

    /** An interface; {@code sandbox} is the namespace path for an interface inside the container, null on the host. */
    public record Interface(String name, String mac, String sandbox) {
    }

    /** An address in CIDR form, its gateway (may be null) and the index into {@link #interfaces()} (null when unknown). */
    public record IpConfig(String address, String gateway, Integer interfaceIndex) {
    }

    /** A route: destination in CIDR form and gateway (null for the default gateway of the interface). */
    public record Route(String dst, String gw) {
    }

    /** DNS settings; lists are empty when the plugin gave none. */
    public record Dns(List<String> nameservers, String domain, List<String> search, List<String> options) {
        public Dns {
            nameservers = List.copyOf(nameservers);
            search = List.copyOf(search);
            options = List.copyOf(options);
        }
    }

    @Override
    public ObjectNode raw() {
        return raw.deepCopy();
    }

    /** The addresses of the interfaces inside the container ({@code sandbox} set), without prefix length. */
    public List<String> containerAddresses() {
        List<String> out = new ArrayList<>();
        for (IpConfig ip : ips) {
            Integer index = ip.interfaceIndex();
            boolean inContainer = index == null || (index < interfaces.size() && interfaces.get(index).sandbox() != null);
            if (inContainer) {
                out.add(ip.address().contains("/") ? ip.address().substring(0, ip.address().indexOf('/')) : ip.address());
            }
        }
        return out;
    }

    static Result parse(ObjectNode raw) {
        List<Interface> interfaces = list(raw.get("interfaces"), n -> new Interface(CniJson.text(n, "name"),
                CniJson.text(n, "mac"), blankToNull(CniJson.text(n, "sandbox"))));
        List<IpConfig> ips = list(raw.get("ips"), n -> new IpConfig(CniJson.text(n, "address"), CniJson.text(n, "gateway"),
                n.has("interface") ? n.get("interface").asInt() : null));
        List<Route> routes = list(raw.get("routes"), n -> new Route(CniJson.text(n, "dst"), CniJson.text(n, "gw")));
        JsonNode dns = raw.path("dns");
        Dns d = new Dns(list(dns.get("nameservers"), JsonNode::asText), CniJson.text(dns, "domain"),
                list(dns.get("search"), JsonNode::asText), list(dns.get("options"), JsonNode::asText));
        return new Result(CniJson.text(raw, "cniVersion"), interfaces, ips, routes, d, raw);
    }

    private static <T> List<T> list(JsonNode array, Function<JsonNode, T> element) {
        List<T> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(n -> out.add(element.apply(n)));
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
