package net.rrispeaker.sink.gobgp;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import net.rrispeaker.model.Addresses;
import net.rrispeaker.gobgp.api.FourOctetAsSpecificExtended;
import net.rrispeaker.gobgp.api.IPv4AddressSpecificExtended;
import net.rrispeaker.gobgp.api.RouteDistinguisherFourOctetASN;
import net.rrispeaker.gobgp.api.RouteDistinguisherIPAddress;
import net.rrispeaker.gobgp.api.RouteDistinguisherTwoOctetASN;
import net.rrispeaker.gobgp.api.TwoOctetAsSpecificExtended;

/**
 * Route distinguishers and route targets between their IOS text form ({@code ASN:NN} with a 2- or
 * 4-octet ASN, or {@code A.B.C.D:NN}) and the GoBGP API messages (RFC 4364 section 4.2, RFC 4360,
 * RFC 5668). A 2-octet ASN allows a 32-bit assigned number; the 4-octet and IPv4 forms only 16 bits.
 */
final class ExtCommunities {
    /** Extended community sub-type "route target". */
    static final int SUB_TYPE_ROUTE_TARGET = 2;

    private ExtCommunities() {
    }

    /** Parsed {@code admin:assigned}; {@code ipv4} set for the address form. */
    private record Parts(String ipv4, long asn, long assigned) {
        boolean fourOctet() {
            return ipv4 == null && asn > 0xFFFF;
        }
    }

    private static Parts parse(String what, String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(what + ": '" + text + "' (expected: ASN:NN or A.B.C.D:NN)");
        }
        String admin = text.substring(0, colon).trim();
        long assigned = number(what, text, text.substring(colon + 1).trim(), 0xFFFFFFFFL);
        if (admin.contains(".")) {
            // dotted quad only: the address library would also take inet_aton forms like 10.0.0
            if (!admin.matches("\\d{1,3}(\\.\\d{1,3}){3}") || !Addresses.isLiteral(admin)) {
                throw new IllegalArgumentException(what + ": '" + text + "' (expected: A.B.C.D:NN)");
            }
            return check(what, text, new Parts(Addresses.format(Addresses.parse(admin)), 0, assigned));
        }
        return check(what, text, new Parts(null, number(what, text, admin, 0xFFFFFFFFL), assigned));
    }

    private static Parts check(String what, String text, Parts p) {
        if ((p.ipv4 != null || p.fourOctet()) && p.assigned > 0xFFFF) {
            throw new IllegalArgumentException(what + ": '" + text + "' assigned number " + p.assigned
                    + " (expected: <= 65535 with an IPv4 or 4-octet ASN administrator)");
        }
        return p;
    }

    private static long number(String what, String text, String s, long max) {
        try {
            long v = Long.parseLong(s);
            if (v >= 0 && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(what + ": '" + text + "' number '" + s + "' (expected: 0.." + max + ")");
    }

    /** A route target (transitive, sub-type 2) as one of the three extended-community messages. */
    static Any routeTarget(String text) {
        Parts p = parse("route-target", text);
        if (p.ipv4 != null) {
            return Any.pack(IPv4AddressSpecificExtended.newBuilder().setIsTransitive(true)
                    .setSubType(SUB_TYPE_ROUTE_TARGET).setAddress(p.ipv4).setLocalAdmin((int) p.assigned).build());
        }
        if (p.fourOctet()) {
            return Any.pack(FourOctetAsSpecificExtended.newBuilder().setIsTransitive(true)
                    .setSubType(SUB_TYPE_ROUTE_TARGET).setAsn((int) p.asn).setLocalAdmin((int) p.assigned).build());
        }
        return Any.pack(TwoOctetAsSpecificExtended.newBuilder().setIsTransitive(true)
                .setSubType(SUB_TYPE_ROUTE_TARGET).setAsn((int) p.asn).setLocalAdmin((int) p.assigned).build());
    }

    /** A route distinguisher as one of the three {@code RouteDistinguisher*} messages. */
    static Any routeDistinguisher(String text) {
        Parts p = parse("rd", text);
        if (p.ipv4 != null) {
            return Any.pack(RouteDistinguisherIPAddress.newBuilder().setAdmin(p.ipv4)
                    .setAssigned((int) p.assigned).build());
        }
        if (p.fourOctet()) {
            return Any.pack(RouteDistinguisherFourOctetASN.newBuilder().setAdmin((int) p.asn)
                    .setAssigned((int) p.assigned).build());
        }
        return Any.pack(RouteDistinguisherTwoOctetASN.newBuilder().setAdmin((int) p.asn)
                .setAssigned((int) p.assigned).build());
    }

    /** Canonical text of a route-target text ({@code 065000:01} becomes {@code 65000:1}). */
    static String canonical(String text) {
        return routeTargetText(routeTarget(text));
    }

    /**
     * Canonical text of a route target held by gobgpd, or {@code null} when the extended community
     * is not a route target (route origin, other types).
     */
    static String routeTargetText(Any ec) {
        try {
            if (PathCodec.typeName(ec).equals(TwoOctetAsSpecificExtended.getDescriptor().getFullName())) {
                TwoOctetAsSpecificExtended e = TwoOctetAsSpecificExtended.parseFrom(ec.getValue());
                return e.getSubType() == SUB_TYPE_ROUTE_TARGET ? e.getAsn() + ":" + Integer.toUnsignedString(e.getLocalAdmin()) : null;
            }
            if (PathCodec.typeName(ec).equals(FourOctetAsSpecificExtended.getDescriptor().getFullName())) {
                FourOctetAsSpecificExtended e = FourOctetAsSpecificExtended.parseFrom(ec.getValue());
                return e.getSubType() == SUB_TYPE_ROUTE_TARGET ? Integer.toUnsignedString(e.getAsn()) + ":" + e.getLocalAdmin() : null;
            }
            if (PathCodec.typeName(ec).equals(IPv4AddressSpecificExtended.getDescriptor().getFullName())) {
                IPv4AddressSpecificExtended e = IPv4AddressSpecificExtended.parseFrom(ec.getValue());
                return e.getSubType() == SUB_TYPE_ROUTE_TARGET ? e.getAddress() + ":" + e.getLocalAdmin() : null;
            }
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
        return null;
    }

    /** Canonical text of a route distinguisher held by gobgpd, {@code ""} when unknown. */
    static String rdText(Any rd) {
        try {
            if (PathCodec.typeName(rd).equals(RouteDistinguisherTwoOctetASN.getDescriptor().getFullName())) {
                RouteDistinguisherTwoOctetASN r = RouteDistinguisherTwoOctetASN.parseFrom(rd.getValue());
                return r.getAdmin() + ":" + Integer.toUnsignedString(r.getAssigned());
            }
            if (PathCodec.typeName(rd).equals(RouteDistinguisherFourOctetASN.getDescriptor().getFullName())) {
                RouteDistinguisherFourOctetASN r = RouteDistinguisherFourOctetASN.parseFrom(rd.getValue());
                return Integer.toUnsignedString(r.getAdmin()) + ":" + r.getAssigned();
            }
            if (PathCodec.typeName(rd).equals(RouteDistinguisherIPAddress.getDescriptor().getFullName())) {
                RouteDistinguisherIPAddress r = RouteDistinguisherIPAddress.parseFrom(rd.getValue());
                return r.getAdmin() + ":" + r.getAssigned();
            }
        } catch (InvalidProtocolBufferException e) {
            return "";
        }
        return "";
    }
}
