package org.asylumstats.ingest.core;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RequestTracesOnlyTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final Context CALLER = Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(
            TRACE, "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault())));
    private static final Context TRACED_REQUEST = Context.root().with(Span.wrap(
            SpanContext.create(TRACE, "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault())));
    private static final Context UNTRACED_REQUEST = Context.root().with(Span.wrap(
            SpanContext.create(TRACE, "00f067aa0ba902b7", TraceFlags.getDefault(), TraceState.getDefault())));

    private static SamplingDecision decision(double ratio, Context parent, SpanKind kind) {
        return new RequestTracesOnly(ratio).shouldSample(parent, TRACE, "SELECT asylum_stats", kind, Attributes.empty(), List.of())
                .getDecision();
    }

    @Test
    void aStatementOutsideAnyRequestStartsNoTrace() {
        assertEquals(SamplingDecision.DROP, decision(1.0, Context.root(), SpanKind.CLIENT));
    }

    @Test
    void aStatementOfATracedRequestIsKeptWithIt() {
        assertEquals(SamplingDecision.RECORD_AND_SAMPLE, decision(1.0, TRACED_REQUEST, SpanKind.CLIENT));
    }

    @Test
    void aStatementOfAnUntracedRequestIsNotTraced() {
        // a probe on /q/health: Quarkus drops its server span, and its health check's statements go with it
        assertEquals(SamplingDecision.DROP, decision(1.0, UNTRACED_REQUEST, SpanKind.CLIENT));
        assertEquals(SamplingDecision.DROP, decision(1.0, UNTRACED_REQUEST, SpanKind.INTERNAL));
    }

    @Test
    void aRequestStartsATraceAtTheConfiguredRatio() {
        assertEquals(SamplingDecision.RECORD_AND_SAMPLE, decision(1.0, Context.root(), SpanKind.SERVER));
        assertEquals(SamplingDecision.DROP, decision(0.0, Context.root(), SpanKind.SERVER));
        assertEquals(SamplingDecision.RECORD_AND_SAMPLE, decision(1.0, CALLER, SpanKind.SERVER));
    }

    @Test
    void ratioZeroKeepsNothingEvenUnderASampledCaller() {
        // export is off by default with ratio 0, whatever the caller's sampled flag says
        assertEquals(SamplingDecision.DROP, decision(0.0, CALLER, SpanKind.SERVER));
    }
}
