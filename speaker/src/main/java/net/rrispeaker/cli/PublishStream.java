package net.rrispeaker.cli;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.rrispeaker.control.api.PublishHello;
import net.rrispeaker.control.api.PublishReply;
import net.rrispeaker.control.api.PublishRequest;
import net.rrispeaker.control.api.RriControlGrpc;

/**
 * One session on the speaker's {@code Publish} stream, as the CLI runs it: a hello, the messages
 * (optionally at the times their {@code at} says), then the end of the stream; every reply is
 * matched back to what it answers ({@link Item#where}) and printed when it refused or warned.
 * One-shot (keepalive 0): the end of the stream withdraws nothing.
 */
final class PublishStream {
    /** How long the speaker may take to answer the last messages after the stream ended. */
    private static final long ANSWER_SECONDS = 60;

    /** A message and where it came from ("FILE:LINE" or the command), for what is printed about it. */
    record Item(String where, PublishRequest request) {
    }

    /** What the session came to. */
    record Result(int sent, int refused, int warned, String failure) {
        boolean ok() {
            return failure == null && refused == 0;
        }
    }

    private PublishStream() {
    }

    /**
     * Publishes {@code items} as {@code publisher}. With {@code timed}, each item is sent when its
     * {@code at} (seconds from the first) has come; otherwise at once.
     */
    static Result run(ManagedChannel channel, String publisher, List<Item> items, boolean timed, PrintWriter err) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Map<Long, PublishReply> replies = new ConcurrentHashMap<>();
        StreamObserver<PublishRequest> out = RriControlGrpc.newStub(channel).publish(new StreamObserver<>() {
            @Override
            public void onNext(PublishReply r) {
                replies.put(r.getSeq(), r);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        });
        out.onNext(PublishRequest.newBuilder().setHello(PublishHello.newBuilder().setPublisher(publisher)).build());
        long start = System.nanoTime();
        int sent = 0;
        for (Item item : items) {
            if (done.isDone()) {
                break; // the speaker ended the session (refused it): no point sending more
            }
            if (timed && item.request().getAt() > 0) {
                long due = start + (long) (item.request().getAt() * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    try {
                        done.get(wait, TimeUnit.NANOSECONDS);
                    } catch (TimeoutException e) {
                        // due now
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        out.onError(Status.CANCELLED.asRuntimeException());
                        return new Result(sent, 0, 0, "interrupted");
                    } catch (ExecutionException e) {
                        break;
                    }
                }
            }
            out.onNext(item.request().toBuilder().clearAt().build());
            sent++;
        }
        if (!done.isDone()) {
            out.onCompleted();
        }
        String failure = null;
        try {
            done.get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            failure = e.getCause() instanceof StatusRuntimeException s ? ControlClient.explain(s) : e.getCause().toString();
        } catch (TimeoutException e) {
            failure = "the speaker did not answer within " + ANSWER_SECONDS + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        }
        int refused = 0;
        int warned = 0;
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < sent; i++) {
            PublishReply r = replies.get((long) i + 2); // seq 1 is the hello
            Item item = items.get(i);
            if (r == null) {
                continue;
            }
            if (!r.getAccepted()) {
                refused++;
                lines.add(item.where() + ": error: refused by the speaker: " + r.getError());
            } else if (!r.getError().isEmpty()) {
                warned++;
                lines.add(item.where() + ": warning: " + r.getError());
            }
        }
        lines.forEach(err::println);
        if (failure == null && replies.size() < sent + 1) {
            failure = "the speaker answered " + replies.size() + " of " + (sent + 1) + " messages";
        }
        return new Result(sent, refused, warned, failure);
    }
}
