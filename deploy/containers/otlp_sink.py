#!/usr/bin/env python3
"""Stands in for the OpenTelemetry Collector: an OTLP/gRPC trace receiver (the overlays' protocol) that
counts, per service.name, the spans and distinct trace ids it was sent.

  otlp_sink.py PORT COUNTS_FILE      (COUNTS_FILE is replaced by "service spans traces" lines)

The ExportTraceServiceRequest is read without generated classes: its protobuf fields are walked by number
(resource_spans 1 > resource 1 > attributes 1 > key 1 / value 2 > string_value 1; resource_spans 1 >
scope_spans 2 > spans 2 > trace_id 1). Needs python3-grpcio (a Debian package).
"""
import os
import sys
import threading
from collections import defaultdict
from concurrent import futures

import grpc

SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService"
spans = defaultdict(int)
traces = defaultdict(set)
lock = threading.Lock()


def varint(buffer, at):
    value = shift = 0
    while True:
        byte = buffer[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def fields(buffer):
    """(field number, value) pairs of one message; length-delimited values as bytes."""
    at = 0
    while at < len(buffer):
        key, at = varint(buffer, at)
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            value, at = varint(buffer, at)
        elif wire_type == 1:
            value, at = buffer[at:at + 8], at + 8
        elif wire_type == 5:
            value, at = buffer[at:at + 4], at + 4
        elif wire_type == 2:
            length, at = varint(buffer, at)
            value, at = buffer[at:at + length], at + length
        else:
            raise ValueError(f"wire type {wire_type}")
        yield number, value


def service_name(resource):
    for number, attribute in fields(resource):
        if number == 1:
            pair = dict(fields(attribute))
            if pair.get(1) == b"service.name":
                return dict(fields(pair.get(2, b""))).get(1, b"?").decode("utf-8", "replace")
    return "?"


def export(request, context):
    with lock:
        for number, resource_spans in fields(request):
            if number != 1:
                continue
            parts = list(fields(resource_spans))
            name = next((service_name(v) for n, v in parts if n == 1), "?")
            for scope_spans in (v for n, v in parts if n == 2):
                for span in (v for n, v in fields(scope_spans) if n == 2):
                    spans[name] += 1
                    traces[name].add(dict(fields(span)).get(1))
        with open(sys.argv[2] + ".new", "w", encoding="utf-8") as out:
            out.writelines(f"{name} {spans[name]} {len(traces[name])}\n" for name in sorted(spans))
        os.replace(sys.argv[2] + ".new", sys.argv[2])
    return b""  # an empty ExportTraceServiceResponse: everything accepted


server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(
    SERVICE, {"Export": grpc.unary_unary_rpc_method_handler(export)}),))
server.add_insecure_port(f"127.0.0.1:{sys.argv[1]}")
server.start()
server.wait_for_termination()
