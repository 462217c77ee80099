package net.rrispeaker.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.rrispeaker.model.Addresses;

/** A {@link PeerResolver.Lookup} answering from a map the test changes; no real DNS. Records what was asked. */
final class FakeDns implements PeerResolver.Lookup {
    private final Map<String, String> answers = new HashMap<>();
    final List<String> asked = new ArrayList<>();

    FakeDns answer(String host, String address) {
        answers.put(host, address);
        return this;
    }

    FakeDns fail(String host) {
        answers.remove(host);
        return this;
    }

    @Override
    public synchronized InetAddress lookup(String host) throws UnknownHostException {
        asked.add(host);
        String a = answers.get(host);
        if (a == null) {
            throw new UnknownHostException(host + ": Name or service not known");
        }
        return Addresses.parse(a);
    }
}
