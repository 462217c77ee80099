package net.rrispeaker.config;

/**
 * {@code crypto isakmp profile NAME}: only its {@code vrf NAME} matters for routes (the inside VRF
 * the RRI routes of maps and profiles that {@code set isakmp-profile} it go into).
 *
 * @param name the profile name
 * @param vrf  {@code vrf NAME}, or {@code ""} for the global table
 * @param file the file
 * @param line the line of its {@code vrf} command, else the header line
 */
public record IsakmpProfile(String name, String vrf, String file, int line) {
}
