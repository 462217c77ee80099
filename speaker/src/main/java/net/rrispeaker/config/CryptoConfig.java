package net.rrispeaker.config;

/** Crypto maps, dynamic maps, IPsec profiles, VRFs and manual statics (filled in by the config parser). */
public record CryptoConfig() {
}
