package dev.gantry.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code -p}/{@code --expose} specs as docker's nat.ParsePortSpecs reads them:
 * {@code [ip:][hostPort:]containerPort[/proto]}, where either port may be a range
 * ({@code 8000-8001:80-81}) and an IPv6 address is bracketed ({@code [::1]:8080:80}).
 */
final class Ports {
    private Ports() {}

    /** ExposedPorts ({@code "80/tcp": {}}) and PortBindings ({@code "80/tcp": [{HostIp, HostPort}]}). */
    record Published(Map<String, Object> exposed, Map<String, Object> bindings) {}

    static Published parse(List<String> publish, List<String> expose) {
        Map<String, Object> exposed = new LinkedHashMap<>();
        Map<String, Object> bindings = new LinkedHashMap<>();
        for (String e : expose) {
            String[] pp = splitProto(e);
            int[] range = range(e, pp[0]);
            for (int p = range[0]; p <= range[1]; p++) {
                exposed.put(p + "/" + pp[1], Map.of());
            }
        }
        for (String spec : publish) {
            String ip = "";
            String rest = spec;
            if (rest.startsWith("[")) {
                int close = rest.indexOf("]:");
                if (close < 0) {
                    throw bad(spec, "an IPv6 address must be followed by ]:");
                }
                ip = rest.substring(1, close);
                rest = rest.substring(close + 2);
            }
            String[] parts = rest.split(":", -1);
            String hostPart;
            String containerPart;
            switch (parts.length) {
                case 1 -> {
                    hostPart = "";
                    containerPart = parts[0];
                }
                case 2 -> {
                    hostPart = parts[0];
                    containerPart = parts[1];
                }
                case 3 -> {
                    if (!ip.isEmpty()) {
                        throw bad(spec, "too many colons");
                    }
                    ip = parts[0];
                    hostPart = parts[1];
                    containerPart = parts[2];
                }
                default -> throw bad(spec, "too many colons");
            }
            String[] pp = splitProto(containerPart);
            int[] ctr = range(spec, pp[0]);
            int[] hst = hostPart.isEmpty() ? null : range(spec, hostPart);
            int count = ctr[1] - ctr[0] + 1;
            if (hst != null && hst[1] - hst[0] + 1 != count && !(hst[1] > hst[0] && count == 1)) {
                throw bad(spec, "the host and container port ranges differ in length");
            }
            for (int i = 0; i < count; i++) {
                String key = (ctr[0] + i) + "/" + pp[1];
                exposed.put(key, Map.of());
                String hostPort;
                if (hst == null) {
                    hostPort = "";
                } else if (count == 1 && hst[1] > hst[0]) {
                    // One container port and a host range: the daemon picks a free port in the range.
                    hostPort = hst[0] + "-" + hst[1];
                } else {
                    hostPort = Integer.toString(hst[0] + i);
                }
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("HostIp", ip);
                b.put("HostPort", hostPort);
                @SuppressWarnings("unchecked")
                List<Object> list = (List<Object>) bindings.computeIfAbsent(key, k -> new ArrayList<>());
                list.add(b);
            }
        }
        return new Published(exposed, bindings);
    }

    private static String[] splitProto(String s) {
        int slash = s.indexOf('/');
        String proto = slash < 0 ? "tcp" : s.substring(slash + 1).toLowerCase(java.util.Locale.ROOT);
        if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
            throw new UsageException("invalid protocol '" + proto + "' in port spec '" + s + "': use tcp, udp or sctp");
        }
        return new String[] {slash < 0 ? s : s.substring(0, slash), proto};
    }

    private static int[] range(String spec, String text) {
        int dash = text.indexOf('-');
        try {
            int lo = Integer.parseInt(dash < 0 ? text : text.substring(0, dash));
            int hi = dash < 0 ? lo : Integer.parseInt(text.substring(dash + 1));
            if (lo < 1 || hi > 65535 || hi < lo) {
                throw bad(spec, "ports must lie in 1-65535, ranges low-high");
            }
            return new int[] {lo, hi};
        } catch (NumberFormatException e) {
            throw bad(spec, "'" + text + "' is not a port number");
        }
    }

    private static UsageException bad(String spec, String why) {
        return new UsageException("invalid port specification '" + spec + "': " + why);
    }
}
