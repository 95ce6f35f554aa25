package org.asylumstats.ingest.core;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;

import java.util.List;

/**
 * The back-ends' trace sampler. A client span without a parent starts no trace: those are JDBC statements
 * outside any request (Flyway's at start, background work), hundreds of one-span traces at each start
 * otherwise. A span under a parent of this service follows the parent's decision, so the statements of a
 * request Quarkus does not trace (the health checks behind every probe) are not traced either. A request
 * from a caller, or without one, is traced at the configured ratio, decided on the trace id.
 */
public final class RequestTracesOnly implements Sampler {

    private final Sampler ratio;

    public RequestTracesOnly(double ratio) {
        this.ratio = Sampler.traceIdRatioBased(ratio);
    }

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
                                       Attributes attributes, List<LinkData> parentLinks) {
        SpanContext parent = Span.fromContext(parentContext).getSpanContext();
        if (!parent.isValid()) {
            return spanKind == SpanKind.CLIENT ? SamplingResult.drop()
                    : ratio.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
        }
        if (!parent.isRemote()) {
            // this service decided for the parent already: keep its children with it, and keep the children
            // of a request Quarkus leaves untraced (the probes on /q/health) out as well
            return parent.isSampled() ? SamplingResult.recordAndSample() : SamplingResult.drop();
        }
        // a caller's span: the ratio decides on the trace id, whatever the caller's sampled flag says
        return ratio.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    }

    @Override
    public String getDescription() {
        return "RequestTracesOnly{" + ratio.getDescription() + "}";
    }
}
