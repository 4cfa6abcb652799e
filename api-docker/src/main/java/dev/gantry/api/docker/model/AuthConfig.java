package dev.gantry.api.docker.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Registry credentials: the body of {@code POST /auth}, and base64url JSON in the
 * {@code X-Registry-Auth} header of pull and push. Lower-case names, as Docker has them.
 */
public record AuthConfig(
        @JsonProperty("username") String username,
        @JsonProperty("password") String password,
        @JsonProperty("auth") String auth,
        @JsonProperty("email") String email,
        @JsonProperty("serveraddress") String serverAddress,
        @JsonProperty("identitytoken") String identityToken,
        @JsonProperty("registrytoken") String registryToken) {

    @Override
    public String toString() {
        return "AuthConfig[username=" + username + ", serverAddress=" + serverAddress + "]";
    }
}
