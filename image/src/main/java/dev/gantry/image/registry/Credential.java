package dev.gantry.image.registry;

/** A user name and password (or identity token as password) for one registry. */
public record Credential(String username, String password) {
    @Override
    public String toString() {
        return "Credential[" + username + ", ****]";
    }
}
