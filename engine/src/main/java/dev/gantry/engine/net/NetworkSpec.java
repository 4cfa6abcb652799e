package dev.gantry.engine.net;

import java.util.Map;

/**
 * A request to create a user-defined network ({@code POST /networks/create}).
 *
 * @param name     unique among networks
 * @param driver   only {@code bridge} (null means bridge)
 * @param subnet   IPv4 CIDR; null: the first free private /16 (172.17–31, then 10.x)
 * @param gateway  an address inside the subnet; null: its first host address
 * @param ipRange  a CIDR inside the subnet containers' addresses are taken from; null: the whole subnet
 * @param internal no route out of the network and no NAT
 * @param labels   user metadata
 * @param options  driver options; {@code com.docker.network.bridge.name} names the bridge device
 */
public record NetworkSpec(String name, String driver, String subnet, String gateway, String ipRange, boolean internal,
                          Map<String, String> labels, Map<String, String> options) {
    public NetworkSpec {
        driver = driver == null || driver.isEmpty() ? "bridge" : driver;
        subnet = subnet == null || subnet.isEmpty() ? null : subnet;
        gateway = gateway == null || gateway.isEmpty() ? null : gateway;
        ipRange = ipRange == null || ipRange.isEmpty() ? null : ipRange;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        options = options == null ? Map.of() : Map.copyOf(options);
    }
}
